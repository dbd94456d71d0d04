//! The back office's causes (积分捐赠): every cause, newest first, with its target, the
//! points raised (a progress bar), donations and donors; an open one closes after a
//! question (it cannot be opened again). Beside the list, the form that opens a cause:
//! names and descriptions in both languages, an image (uploaded, with the item form's
//! image field, or one of the app's own), and a target, checked with the server's rule
//! (`check_cause`) before it is sent.

use leptos::{
    either::{Either, EitherOf4},
    prelude::*,
};
use mall_core::{
    donation::{check_cause, AdminCause, AdminCauses, NewCause},
    dto::I18nText,
    format::group_thousands,
    ErrorCode,
};

use crate::{
    api::{self, ApiFailure, ApiResult},
    components::{
        field::Field,
        image_upload::{upload_intent, ImageUpload},
        states::ListSkeleton,
    },
    i18n::{use_lang, Lang},
    intent::Intent,
    pages::ops::{answer, OpsResult},
};

/// The causes, as the list reads them.
type Causes = LocalResource<ApiResult<AdminCauses>>;

/// Cause pictures the app ships with (`public/img/causes/`).
const OWN_IMAGES: [&str; 2] = ["/img/causes/books.svg", "/img/causes/trees.svg"];

/// The section: the list, and the form beside it (under it on a phone).
#[component]
pub fn CausesSection() -> impl IntoView {
    let causes: Causes = LocalResource::new(api::admin_causes);
    view! {
        <div class="ops-columns">
            <CauseList causes />
            <NewCauseForm causes />
        </div>
    }
}

/// A failure of a cause write, in the operator's words.
fn cause_failure(lang: Lang, f: &ApiFailure) -> String {
    match f.code() {
        Some(ErrorCode::NotFound) => lang.p().cause_missing.to_string(),
        Some(ErrorCode::ValidationFailed) => lang.p().cause_not_accepted.to_string(),
        _ => lang.staff_failure(f),
    }
}

/// Every cause, newest first, with a refresh (donations keep coming while it is open).
#[component]
fn CauseList(causes: Causes) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    // What a close said: the row is rebuilt with the list, so the answer is kept here.
    let said = RwSignal::new(None::<Result<String, String>>);
    let closed = Callback::new(move |()| {
        said.set(Some(Ok(lang.p().cause_closed_note.to_string())));
        causes.refetch();
    });
    view! {
        <section class="card ops-card" aria-labelledby="causes-heading" data-testid="ops-causes">
            <div class="card-head">
                <h2 class="card-heading" id="causes-heading">{p.causes_heading}</h2>
                <button type="button" class="btn btn-outline btn-sm" data-testid="causes-refresh"
                    on:click=move |_| { said.set(None); causes.refetch(); }>{p.ops_refresh}</button>
            </div>
            <OpsResult result=said testid="cause-list-result" />
            {move || match causes.get() {
                None => EitherOf4::A(view! { <ListSkeleton rows=3 /> }),
                Some(Err(f)) => EitherOf4::B(view! { <p class="inline-error" role="alert">{lang.staff_failure(&f)}</p> }),
                Some(Ok(list)) if list.causes.is_empty() => {
                    EitherOf4::C(view! { <p class="muted ops-empty" role="status">{p.causes_none_ops}</p> })
                }
                Some(Ok(list)) => EitherOf4::D(view! {
                    <ul class="campaign-rows" data-testid="cause-rows">
                        {list.causes.into_iter().map(|cause| view! { <CauseRow cause closed /> }).collect_view()}
                    </ul>
                }),
            }}
        </section>
    }
}

/// One cause: image, name, what it does, progress, donations and donors, dates; close
/// (after a question) while it is open.
#[component]
fn CauseRow(cause: AdminCause, closed: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let id = cause.id;
    let open = cause.open;
    let name = lang.pick(&cause.name);
    let percent = cause.raised.saturating_mul(100) / cause.target.max(1);
    let raised = lang.raised_line(cause.raised, cause.target, percent);
    let asking = RwSignal::new(false);
    let said = RwSignal::new(None::<Result<String, String>>);
    let close = Intent::new(move |(): (), _key: String| async move { api::admin_close_cause(id).await });
    let result = answer(said, close, move |f| cause_failure(lang, f));
    let confirm = move |_| {
        said.set(None);
        close.dispatch((), move |()| closed.run(()));
    };
    let question = lang.confirm_close_cause(&name);
    view! {
        <li class="campaign" class:closed=!open data-testid="admin-cause" data-id=id data-open=open.to_string()>
            <div class="campaign-head">
                <img src=cause.image.clone() alt="" width="48" height="48" />
                <h3 class="campaign-title">{name}<span class="muted">" #"{id}</span></h3>
                <span class="status-pill" class:open-pill=open data-testid="cause-state">
                    {if open { p.campaign_open } else { p.campaign_closed }}
                </span>
            </div>
            <p class="row-sub campaign-desc">{lang.pick(&cause.description)}</p>
            <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=percent.min(100)
                aria-valuetext=raised.clone() aria-label=p.causes_progress>
                <span style=format!("width:{}%", percent.min(100))></span>
            </div>
            <p class="num" data-testid="cause-raised">{raised}</p>
            <dl class="stats campaign-stats">
                <div><dt>{p.cause_donations}</dt><dd class="num" data-testid="cause-donations">{group_thousands(cause.donations)}</dd></div>
                <div><dt>{p.cause_donors}</dt><dd class="num" data-testid="cause-donors">{group_thousands(cause.donors)}</dd></div>
            </dl>
            <p class="row-sub num">{lang.campaign_dates(&cause.created_at, cause.closed_at.as_deref())}</p>
            <OpsResult result testid="cause-row-result" />
            {open.then(|| view! {
                <div class="campaign-actions">
                    {move || if asking.get() {
                        Either::Left(view! {
                            <div class="confirm-box" role="group" aria-label=p.cause_close>
                                <p>{question.clone()}</p>
                                <div class="btn-row">
                                    <button type="button" class="btn btn-danger" data-testid="cause-close-confirm"
                                        disabled=move || close.pending() on:click=confirm>{p.cause_close}</button>
                                    <button type="button" class="btn btn-outline" on:click=move |_| asking.set(false)>{p.campaign_keep}</button>
                                </div>
                            </div>
                        })
                    } else {
                        Either::Right(view! {
                            <button type="button" class="btn btn-sm btn-danger-outline" data-testid="cause-close"
                                on:click=move |_| asking.set(true)>{p.cause_close}</button>
                        })
                    }}
                </div>
            })}
        </li>
    }
}

/// The form that opens a cause.
#[component]
fn NewCauseForm(causes: Causes) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let text = || RwSignal::new(String::new());
    let (name_zh, name_en, desc_zh, desc_en, target) = (text(), text(), text(), text(), text());
    let image = RwSignal::new(OWN_IMAGES[0].to_string());
    let upload = upload_intent();
    let said = RwSignal::new(None::<Result<String, String>>);
    let create = Intent::new(|new: NewCause, _key: String| async move { api::admin_create_cause(&new).await });
    let result = answer(said, create, move |f| cause_failure(lang, f));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(target_points) = target.get_untracked().trim().parse::<i64>() else {
            said.set(Some(Err(lang.p().ops_bad_number.to_string())));
            return;
        };
        let pair = |zh: RwSignal<String>, en: RwSignal<String>| I18nText {
            zh: zh.get_untracked().trim().into(),
            en: en.get_untracked().trim().into(),
        };
        let new = NewCause {
            name: pair(name_zh, name_en),
            description: pair(desc_zh, desc_en),
            image: image.get_untracked(),
            target: target_points,
        };
        if let Err(e) = check_cause(&new) {
            said.set(Some(Err(lang.cause_error(e).to_string())));
            return;
        }
        said.set(None);
        create.dispatch(new, move |_| {
            for s in [name_zh, name_en, desc_zh, desc_en, target] {
                s.try_set(String::new());
            }
            image.try_set(OWN_IMAGES[0].to_string());
            said.try_set(Some(Ok(lang.p().cause_created.to_string())));
            causes.refetch();
        });
    };

    view! {
        <form class="card ops-card campaign-form" on:submit=submit novalidate data-testid="cause-form" aria-labelledby="cause-form-heading">
            <h2 class="card-heading" id="cause-form-heading">{p.cause_new}</h2>
            <div class="field-row">
                <Field label=p.item_name_zh value=name_zh testid="cause-name-zh" maxlength=40 />
                <Field label=p.item_name_en value=name_en testid="cause-name-en" maxlength=40 />
            </div>
            <label class="field"><span>{p.item_desc_zh}</span>
                <textarea rows="3" maxlength="400" data-testid="cause-desc-zh" prop:value=desc_zh on:input=move |ev| desc_zh.set(event_target_value(&ev))></textarea>
            </label>
            <label class="field"><span>{p.item_desc_en}</span>
                <textarea rows="3" maxlength="400" data-testid="cause-desc-en" prop:value=desc_en on:input=move |ev| desc_en.set(event_target_value(&ev))></textarea>
            </label>
            <Field label=p.cause_target value=target testid="cause-target" kind="number" />
            <label class="field"><span>{p.cause_own_image}</span>
                <select data-testid="cause-own-image" on:change=move |ev| image.set(event_target_value(&ev))>
                    {OWN_IMAGES.iter().map(|path| {
                        let label = path.rsplit('/').next().unwrap_or(path).trim_end_matches(".svg");
                        view! { <option value=*path selected=move || image.get() == *path>{label}</option> }
                    }).collect_view()}
                    <option value="" disabled selected=move || image.with(|i| i.starts_with("/media/"))>{p.cause_uploaded_image}</option>
                </select>
            </label>
            <ImageUpload image upload prefix="cause" />
            <OpsResult result testid="cause-result" />
            <button type="submit" class="btn btn-primary btn-block" data-testid="cause-create" disabled=move || create.pending() || upload.pending()>
                {p.cause_create}
            </button>
        </form>
    }
}
