//! Me's profile card (`GET`/`PUT /api/me/profile`): the display name, the birthday (kept
//! once set), the consent to notices outside the app, and the birthday gift
//! (`POST /api/me/birthday-gift`). A save that completes the profile pays its task.

use leptos::prelude::*;
use mall_core::profile::{GiftState, Profile, ProfilePatch};

use crate::{api, components::toast::use_toast, i18n::use_lang, intent::Intent, session::use_session};

/// The profile form and the birthday gift. `earned` is bumped when points arrive (the
/// task list reads it to refresh).
#[component]
pub fn ProfileCard(earned: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let toast = use_toast();
    let session = use_session();
    let loaded = LocalResource::new(api::profile);
    let profile = RwSignal::new(None::<Profile>);
    let (name, birthday, consent) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(false));
    Effect::new(move |_| {
        if let Some(Ok(p)) = loaded.get() {
            name.set(p.display_name.clone().unwrap_or_default());
            birthday.set(p.birthday.clone().unwrap_or_default());
            consent.set(p.notices_consent);
            profile.set(Some(p));
        }
    });
    // The form's own refusals (core's rule, the one the server applies).
    let invalid = RwSignal::new(Vec::<String>::new());
    let saving = Intent::new(|patch: ProfilePatch, _key: String| async move { api::save_profile(&patch).await });
    let gifting = Intent::new(|(), key: String| async move { api::take_birthday_gift(&key).await });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let kept = profile.get_untracked().and_then(|p| p.birthday);
        let day = birthday.get_untracked();
        // The name is the card's one required field (a blank one is refused here).
        let patch = ProfilePatch {
            display_name: Some(name.get_untracked()),
            birthday: (kept.is_none() && !day.is_empty()).then_some(day),
            notices_consent: Some(consent.get_untracked()),
        };
        let errors: Vec<String> = patch.check().into_iter().map(|e| e.field).collect();
        invalid.set(errors.clone());
        if !errors.is_empty() {
            return;
        }
        saving.dispatch(patch, move |saved| {
            if saved.task_awarded > 0 {
                toast.show(lang.profile_completed(saved.task_awarded));
                session.refresh();
                earned.update(|n| *n += 1);
            } else {
                toast.show(lang.p().profile_saved);
            }
            profile.set(Some(saved));
        });
    };
    let take_gift = move |_| {
        gifting.dispatch((), move |award| {
            toast.show(lang.award_line(&award));
            session.refresh();
            earned.update(|n| *n += 1);
            loaded.refetch();
        });
    };
    let error_of = move |field: &'static str| {
        move || {
            invalid.with(|f| f.iter().any(|e| e == field)).then(|| {
                let text = if field == "birthday" { lang.p().profile_birthday_invalid } else { lang.p().profile_name_invalid };
                view! { <p class="field-error" role="alert">{text}</p> }
            })
        }
    };
    view! {
        {move || profile.get().map(|p| {
            let locked = p.birthday.is_some();
            let gift = p.birthday_gift.clone();
            view! {
                <form class="card profile-card" id="profile" data-testid="profile-card" on:submit=save>
                    <h2 class="row-title">{lang.p().profile_title}</h2>
                    <label class="field"><span>{lang.p().profile_name}</span>
                        <input type="text" maxlength="20" autocomplete="nickname" data-testid="profile-name"
                            prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                    </label>
                    {error_of("display_name")}
                    <label class="field"><span>{lang.p().profile_birthday}</span>
                        <input type="date" data-testid="profile-birthday" disabled=locked aria-describedby="profile-birthday-note"
                            prop:value=birthday on:input=move |ev| birthday.set(event_target_value(&ev)) />
                    </label>
                    <p class="row-sub" id="profile-birthday-note">{lang.p().profile_birthday_kept}</p>
                    {error_of("birthday")}
                    <label class="check">
                        <input type="checkbox" data-testid="profile-consent" prop:checked=consent
                            on:change=move |ev| consent.set(event_target_checked(&ev)) />
                        <span>{lang.p().profile_consent}</span>
                    </label>
                    {lang.birthday_gift_line(&gift).map(|line| view! {
                        <div class="profile-gift" data-testid="birthday-gift" data-state=gift.state.as_str()>
                            <span class="row-sub grow">{line}</span>
                            {(gift.state == GiftState::Ready).then(|| view! {
                                <button type="button" class="btn btn-primary btn-sm" data-testid="birthday-take"
                                    disabled=move || gifting.pending() on:click=take_gift>{lang.p().birthday_take}</button>
                            })}
                        </div>
                    })}
                    {move || saving.error().or_else(|| gifting.error()).map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                    <button type="submit" class="btn btn-primary btn-block" data-testid="profile-save" disabled=move || saving.pending()>
                        {lang.p().profile_save}
                    </button>
                </form>
            }
        })}
    }
}
