//! The staff pages, one chunk: `/staff` (sign-in), `/ops` (operators) and `/merchant`
//! (merchant accounts). Staff sign in as people (`POST /api/staff/session` sets a cookie);
//! `/ops` and `/merchant` ask `GET /api/staff/me` who is signed in, send anyone signed out
//! to `/staff` and a person of the other role to their own page. Both roles can change
//! their own password from the bar at the top (`POST /api/staff/password`).

use leptos::prelude::*;
use leptos_router::{
    hooks::{use_location, use_navigate},
    NavigateOptions,
};
use mall_core::staff::{check_password, check_username, DemoStaff, PasswordChange, StaffLogin, StaffMe, StaffRole};

use crate::{
    api::{self, ApiFailure},
    components::states::{ErrorState, ListSkeleton},
    i18n::{use_lang, Lang},
    intent::Intent,
    pages::{
        merchant::Merchant,
        ops::{answer, Ops, OpsResult},
        ops_staff::{account_failure, AccountAct, PasswordField},
    },
    title::set_page_title,
};

/// The page of a role.
pub fn home_of(role: StaffRole) -> &'static str {
    match role {
        StaffRole::Operator => "/ops",
        StaffRole::Merchant => "/merchant",
    }
}

/// Goes to `path` in place of the current entry, after this render.
fn replace_with(path: &'static str) {
    let navigate = use_navigate();
    request_animation_frame(move || navigate(path, NavigateOptions { replace: true, ..Default::default() }));
}

/// The staff chunk's entry: the page for the path.
#[component]
pub fn StaffPages() -> impl IntoView {
    let location = use_location();
    let path = Memo::new(move |_| location.pathname.get());
    move || match path.get().as_str() {
        "/ops" => view! { <SignedIn role=StaffRole::Operator /> }.into_any(),
        "/merchant" => view! { <SignedIn role=StaffRole::Merchant /> }.into_any(),
        _ => view! { <StaffSignIn /> }.into_any(),
    }
}

/// A role's page once `GET /api/staff/me` says who is signed in.
#[component]
fn SignedIn(role: StaffRole) -> impl IntoView {
    let me = LocalResource::new(api::staff_me);
    view! {
        <Suspense fallback=|| view! { <section class="page staff"><ListSkeleton rows=4 /></section> }>
            {move || me.get().map(|answer| match answer {
                Ok(me) if me.role == role => view! {
                    <section class="page staff">
                        <StaffBar me=me.clone() />
                        {match role {
                            StaffRole::Operator => view! { <Ops me_id=me.id /> }.into_any(),
                            StaffRole::Merchant => view! { <Merchant me /> }.into_any(),
                        }}
                    </section>
                }.into_any(),
                Ok(me) => {
                    replace_with(home_of(me.role));
                    ().into_any()
                }
                Err(ApiFailure::Refused { status: 401, .. }) => {
                    replace_with("/staff");
                    ().into_any()
                }
                Err(f) => view! {
                    <section class="page staff"><ErrorState failure=f retry=Callback::new(move |_| me.refetch()) /></section>
                }.into_any(),
            })}
        </Suspense>
    }
}

/// Who is signed in (name, role, merchant), the button that opens the form to change
/// one's own password, and the sign-out button.
#[component]
pub fn StaffBar(me: StaffMe) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let navigate = use_navigate();
    let password_open = RwSignal::new(false);
    let log_out = Intent::new(|(), _key: String| api::staff_logout());
    let sign_out = move |_| {
        let navigate = navigate.clone();
        // Signed out either way: a failed request leaves a cookie the server no longer honours.
        log_out.dispatch_then((), move |_| navigate("/staff", NavigateOptions::default()));
    };
    let merchant = me.merchant.as_ref().map(|m| lang.pick(&m.name));
    view! {
        <div class="staff-bar" data-testid="staff-bar">
            <span class="avatar" aria-hidden="true">{me.display_name.chars().next().map(String::from)}</span>
            <p class="staff-who grow">
                <span class="staff-name" data-testid="staff-name">{me.display_name.clone()}</span>
                <span class="role-pill">{lang.role(me.role)}</span>
                {merchant.map(|m| view! { <span class="staff-merchant" data-testid="staff-merchant">{m}</span> })}
            </p>
            <div class="staff-bar-actions">
                <button type="button" class="btn btn-outline btn-sm" data-testid="staff-my-password" aria-controls="own-password"
                    aria-expanded=move || password_open.get().to_string() on:click=move |_| password_open.update(|o| *o = !*o)>
                    {p.staff_my_password}
                </button>
                <button class="btn btn-outline btn-sm" data-testid="staff-sign-out" disabled=move || log_out.pending() on:click=sign_out>
                    {p.staff_sign_out}
                </button>
            </div>
        </div>
        <div id="own-password">
            {move || password_open.get().then(|| view! { <OwnPassword close=Callback::new(move |_| password_open.set(false)) /> })}
        </div>
    }
}

/// The signed-in account changes its own password: the current one, the new one twice.
/// The server answers with a fresh cookie for this browser and ends every other session.
#[component]
fn OwnPassword(close: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let said = RwSignal::new(None::<Result<String, String>>);
    let change_password = Intent::new(|change: PasswordChange, _key: String| async move { api::change_own_password(&change).await });
    let result = answer(said, change_password, move |f| account_failure(lang, AccountAct::OwnPassword, f));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = lang.p();
        let change = PasswordChange { current_password: current.get_untracked(), new_password: new.get_untracked() };
        let refusal = if change.current_password.is_empty() {
            Some(p.staff_need_password)
        } else if check_password(&change.new_password).is_err() {
            Some(p.staff_password_short)
        } else if change.new_password != again.get_untracked() {
            Some(p.staff_passwords_differ)
        } else if change.new_password == change.current_password {
            Some(p.staff_password_unchanged)
        } else {
            None
        };
        if let Some(refusal) = refusal {
            said.set(Some(Err(refusal.to_string())));
            return;
        }
        said.set(None);
        change_password.dispatch(change, move |_| {
            for field in [current, new, again] {
                field.try_set(String::new());
            }
            said.try_set(Some(Ok(lang.p().staff_password_changed.to_string())));
        });
    };
    view! {
        <form class="card ops-card own-password" on:submit=submit novalidate data-testid="own-password-form" aria-labelledby="own-password-heading">
            <h2 class="card-heading" id="own-password-heading">{p.staff_my_password}</h2>
            <PasswordField label=p.staff_current_password value=current testid="own-current-password" autocomplete="current-password" />
            <PasswordField label=p.staff_new_password value=new testid="own-new-password" autocomplete="new-password" />
            <PasswordField label=p.staff_repeat_password value=again testid="own-repeat-password" autocomplete="new-password" />
            <OpsResult result testid="own-password-result" />
            <div class="btn-row">
                <button type="button" class="btn btn-outline" data-testid="own-password-close" on:click=move |_| close.run(())>{p.close}</button>
                <button type="submit" class="btn btn-primary" data-testid="own-password-save" disabled=move || change_password.pending()>{p.staff_my_password}</button>
            </div>
        </form>
    }
}

/// What the sign-in form says about a refusal; `wait` is the `Retry-After` of a 429.
pub fn sign_in_error(lang: Lang, failure: &ApiFailure, wait: Option<u32>) -> String {
    match (failure, wait) {
        (ApiFailure::Refused { status: 429, .. }, Some(seconds)) => lang.wait_seconds(seconds),
        _ => lang.staff_failure(failure),
    }
}

/// The sign-in form is checked before it is sent: a username the server would refuse, or
/// no password, is said at once.
pub fn check_sign_in(lang: Lang, username: &str, password: &str) -> Result<StaffLogin, &'static str> {
    let username = username.trim().to_lowercase();
    if check_username(&username).is_err() {
        return Err(lang.p().staff_bad_username);
    }
    if password.is_empty() {
        return Err(lang.p().staff_need_password);
    }
    Ok(StaffLogin { username, password: password.to_string() })
}

/// `/staff`: username and password, and with the demo login the demo accounts to tap.
#[component]
pub fn StaffSignIn() -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    set_page_title(|l| l.p().staff_title.to_string());
    let navigate = use_navigate();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // A refusal before anything is sent; the server's is the intent's.
    let refusal = RwSignal::new(None::<String>);
    // The `Retry-After` of the last refusal, for its words.
    let wait = StoredValue::new(None::<u32>);
    let sign_in = Intent::new(move |login: StaffLogin, _key: String| async move {
        api::staff_login(&login).await.map_err(|(failure, seconds)| {
            wait.try_set_value(seconds);
            failure
        })
    });
    let error = move || refusal.get().or_else(|| sign_in.failure().map(|f| sign_in_error(lang, &f, wait.get_value())));
    let demo = LocalResource::new(api::demo_staff);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let login = match check_sign_in(lang, &username.get_untracked(), &password.get_untracked()) {
            Ok(login) => login,
            Err(e) => {
                refusal.set(Some(e.to_string()));
                return;
            }
        };
        refusal.set(None);
        let navigate = navigate.clone();
        sign_in.dispatch(login, move |me| navigate(home_of(me.role), NavigateOptions::default()));
    };
    let fill = move |account: &DemoStaff| {
        username.set(account.username.clone());
        password.set(account.password.clone());
        refusal.set(None);
        sign_in.clear();
    };
    view! {
        <section class="page staff staff-sign-in">
            <div class="card ops-card sign-in-card">
                <h1 class="page-title">{p.staff_title}</h1>
                <p class="muted">{p.staff_hint}</p>
                <form on:submit=submit novalidate data-testid="staff-form">
                    <label class="field"><span>{p.staff_username}</span>
                        <input name="username" autocomplete="username" autocapitalize="none" spellcheck="false" data-testid="staff-username"
                            prop:value=username on:input=move |ev| username.set(event_target_value(&ev)) />
                    </label>
                    <label class="field"><span>{p.staff_password}</span>
                        <input type="password" name="password" autocomplete="current-password" data-testid="staff-password"
                            prop:value=password on:input=move |ev| password.set(event_target_value(&ev)) />
                    </label>
                    {move || error().map(|e| view! { <p class="inline-error" role="alert" data-testid="staff-error">{e}</p> })}
                    <button class="btn btn-primary btn-block" type="submit" data-testid="staff-submit" disabled=move || sign_in.pending()>
                        {p.staff_sign_in}
                    </button>
                </form>
            </div>
            // Only with the demo login (403 otherwise): nothing is shown when it is off.
            <Suspense fallback=|| ()>
                {move || demo.get().and_then(Result::ok).filter(|list| !list.is_empty()).map(|list| view! {
                    <h2 class="section-title">{p.staff_demo}</h2>
                    <ul class="list demo-staff">
                        {list.into_iter().map(|account| {
                            let merchant = account.merchant.as_ref().map(|m| lang.pick(&m.name));
                            let role = lang.role(account.role);
                            let name = account.username.clone();
                            view! {
                                <li>
                                    <button type="button" class="row member-row" data-testid="demo-staff" data-username=name.clone()
                                        on:click=move |_| fill(&account)>
                                        <span class="avatar" aria-hidden="true">{name.chars().next().map(|c| c.to_ascii_uppercase().to_string())}</span>
                                        <span class="grow">
                                            <span class="row-title">{name.clone()}</span>
                                            <span class="row-sub">{role}{merchant.map(|m| format!(" · {m}"))}</span>
                                        </span>
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })}
            </Suspense>
        </section>
    }
}
