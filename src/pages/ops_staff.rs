//! The back office's staff accounts (员工账号): every account with its role, merchant,
//! state and creation time; a form for a new account (a merchant account names its
//! merchant); and per account: disable or enable, change role, merchant and display name,
//! set a new password (for a forgotten one). Disabling or a new password ends that
//! account's sessions on the server. An operator's own account is not disabled or demoted
//! here (the server refuses it too). Every change is audited by the server.

use leptos::{
    either::{Either, EitherOf4},
    prelude::*,
};
use mall_core::{
    staff::{check_password, check_username, NewStaffAccount, StaffAccountInfo, StaffChange, StaffRole},
    ErrorCode,
};

use crate::{
    api::{self, ApiFailure},
    components::{
        field::Field,
        states::{ErrorState, ListSkeleton},
    },
    i18n::{use_lang, Lang},
    intent::Intent,
    pages::ops::{answer, MerchantSelect, Merchants, OpsResult, Said},
};

/// What a staff-account request was, for phrasing its refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountAct {
    /// `POST /api/admin/staff`.
    Create,
    /// `PATCH /api/admin/staff/{id}`.
    Change,
    /// `POST /api/staff/password`.
    OwnPassword,
}

/// What a staff-account form says about a refusal. The refusals new with staff accounts
/// (`username_taken`, `own_account`, `current_password_wrong`) are not decoded in the
/// wasm (their names would cost the first visit), so they arrive as a refusal with
/// `ErrorCode::Unknown` and are phrased by status and request here.
pub fn account_failure(lang: Lang, act: AccountAct, failure: &ApiFailure) -> String {
    let p = lang.p();
    let status = match failure {
        ApiFailure::Refused { status, .. } | ApiFailure::Server(status) => *status,
        _ => 0,
    };
    let validation = failure.code() == Some(ErrorCode::ValidationFailed);
    let text = match (act, status) {
        (AccountAct::Create, 409) => p.staff_username_taken,
        (AccountAct::Change, 409) => p.staff_own_account,
        (AccountAct::Change, 404) => p.staff_account_missing,
        // `validation_failed`: the new password (checked here first, so rarely met).
        (AccountAct::OwnPassword, 422) if validation => p.staff_current_wrong_or_short,
        (AccountAct::OwnPassword, 422) => p.staff_current_wrong,
        (_, 422) => p.staff_not_accepted,
        _ => return lang.staff_failure(failure),
    };
    text.to_string()
}

/// What a form said itself (a success, or a refusal before anything was sent).
type Answer = Said;

/// The answers of the chosen account's forms, kept here: a changed account's panel is
/// rebuilt with its new facts.
#[derive(Clone, Copy)]
struct Answers {
    create: Answer,
    state: Answer,
    role: Answer,
    password: Answer,
}

impl Answers {
    fn clear(self) {
        for a in [self.create, self.state, self.role, self.password] {
            a.set(None);
        }
    }
}

/// The list on the left; the chosen account, or the new-account form, on the right.
#[component]
pub fn StaffSection(
    /// The signed-in operator's own account.
    me_id: i64,
) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let accounts = LocalResource::new(|| async { api::admin_staff().await.map(|a| a.accounts) });
    let merchants: Merchants = LocalResource::new(api::admin_merchants);
    // `None`: the form for a new account.
    let selected = RwSignal::new(None::<i64>);
    let answers =
        Answers { create: RwSignal::new(None), state: RwSignal::new(None), role: RwSignal::new(None), password: RwSignal::new(None) };
    let pick = Callback::new(move |id: Option<i64>| {
        answers.clear();
        selected.set(id);
        reveal_panel();
    });
    // A new or changed account shows in the list at once.
    let saved = Callback::new(move |account: StaffAccountInfo| {
        let id = account.id;
        accounts.update(|list| {
            if let Some(Ok(list)) = list {
                match list.iter_mut().find(|a| a.id == id) {
                    Some(old) => *old = account,
                    None => list.push(account),
                }
            }
        });
        // The chosen account's panel is rebuilt with the new facts.
        if selected.get_untracked() == Some(id) {
            selected.set(Some(id));
        }
    });
    view! {
        <div class="ops-columns">
            <section class="card ops-card" aria-labelledby="staff-heading" data-testid="ops-staff">
                <div class="card-head">
                    <h2 class="card-heading" id="staff-heading">{p.ops_staff}</h2>
                    <button type="button" class="btn btn-primary btn-sm" data-testid="staff-new" on:click=move |_| pick.run(None)>
                        {p.staff_new}
                    </button>
                </div>
                {move || match accounts.get() {
                    None => EitherOf4::A(view! { <ListSkeleton rows=4 /> }),
                    Some(Err(f)) => EitherOf4::B(view! { <ErrorState failure=f retry=Callback::new(move |_| { accounts.set(None); accounts.refetch(); }) /> }),
                    Some(Ok(list)) if list.is_empty() => EitherOf4::C(view! { <p class="muted ops-empty" role="status">{p.staff_no_accounts}</p> }),
                    Some(Ok(list)) => EitherOf4::D(view! {
                        <ul class="list ops-list staff-rows" data-testid="staff-rows" aria-label=p.staff_list_heading>
                            {list.into_iter().map(|account| view! { <AccountRow account me_id selected pick /> }).collect_view()}
                        </ul>
                    }),
                }}
            </section>
            <section class="ops-detail" aria-label=move || if selected.get().is_some() { p.ops_staff } else { p.staff_new }>
                <span class="scroll-marker" id="staff-panel"></span>
                {move || {
                    let current = selected.get().and_then(|id| {
                        accounts.with_untracked(|l| l.as_ref().and_then(|l| l.as_ref().ok()).and_then(|l| l.iter().find(|a| a.id == id).cloned()))
                    });
                    match current {
                        Some(account) => Either::Left(view! { <AccountPanel account me_id merchants saved answers /> }),
                        None => Either::Right(view! { <NewAccount merchants saved result=answers.create /> }),
                    }
                }}
            </section>
        </div>
    }
}

/// Brings the chosen account's panel into view on a phone, where it is under the list.
fn reveal_panel() {
    request_animation_frame(|| {
        let panel = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("staff-panel"));
        if let Some(panel) = panel {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Start);
            panel.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
}

/// The merchant's name of an account, in the page's language.
fn merchant_name(lang: Lang, account: &StaffAccountInfo) -> Option<String> {
    account.merchant.as_ref().map(|m| lang.pick(&m.name))
}

/// One account in the list.
#[component]
fn AccountRow(account: StaffAccountInfo, me_id: i64, selected: RwSignal<Option<i64>>, pick: Callback<Option<i64>>) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let id = account.id;
    let merchant = merchant_name(lang, &account);
    let initial = account.display_name.chars().next().or_else(|| account.username.chars().next()).map(|c| c.to_uppercase().to_string());
    view! {
        <li>
            <button type="button" class="row member-row staff-row" class:disabled-account=account.disabled data-testid="staff-row"
                data-username=account.username.clone() aria-pressed=move || (selected.get() == Some(id)).to_string()
                on:click=move |_| pick.run(Some(id))>
                <span class="avatar" aria-hidden="true">{initial}</span>
                <span class="grow">
                    <span class="row-title">
                        <span class="staff-username">{account.username.clone()}</span>
                        {(id == me_id).then_some(p.staff_you)}
                        " "<span class="muted">{account.display_name.clone()}</span>
                    </span>
                    <span class="row-sub">
                        <span class="role-pill">{lang.role(account.role)}</span>
                        {merchant.map(|m| view! { <span class="staff-merchant">{m}</span> })}
                        {account.disabled.then(|| view! { <span class="frozen-pill" data-testid="staff-disabled">{p.staff_disabled}</span> })}
                        <span class="muted nowrap">{p.staff_created_at}" "{lang.when(&account.created_at)}</span>
                    </span>
                </span>
            </button>
        </li>
    }
}

/// A role picker.
#[component]
fn RoleSelect(role: RwSignal<StaffRole>, testid: &'static str) -> impl IntoView {
    let lang = use_lang();
    view! {
        <label class="field"><span>{lang.p().staff_role}</span>
            <select data-testid=testid on:change=move |ev| {
                role.set(if event_target_value(&ev) == "merchant" { StaffRole::Merchant } else { StaffRole::Operator })
            }>
                {[StaffRole::Operator, StaffRole::Merchant].into_iter().map(|r| view! {
                    <option value=r.as_str() selected=move || role.get() == r>{lang.role(r)}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

/// A password input (never filled by the browser with the operator's own password).
#[component]
pub fn PasswordField(label: &'static str, value: RwSignal<String>, testid: &'static str, autocomplete: &'static str) -> impl IntoView {
    view! {
        <label class="field"><span>{label}</span>
            <input type="password" autocomplete=autocomplete data-testid=testid
                prop:value=value on:input=move |ev| value.set(event_target_value(&ev)) />
        </label>
    }
}

/// The form for a new account. It stays after a success (the account joins the list),
/// ready for the next one. On a merchant's page (`for_merchant`), it makes an account of
/// that merchant, with no role or merchant to pick.
#[component]
pub fn NewAccount(
    merchants: Merchants,
    saved: Callback<StaffAccountInfo>,
    result: Said,
    #[prop(optional)] for_merchant: Option<i64>,
) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new(StaffRole::Merchant);
    let merchant = RwSignal::new(for_merchant);
    let create = Intent::new(|account: NewStaffAccount, _key: String| async move { api::admin_create_staff(&account).await });
    let said = result;
    let result = answer(said, create, move |f| account_failure(lang, AccountAct::Create, f));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = lang.p();
        let name = username.get_untracked().trim().to_lowercase();
        let role = role.get_untracked();
        let merchant_id = if role == StaffRole::Merchant { merchant.get_untracked() } else { None };
        let refusal = if check_username(&name).is_err() {
            Some(p.staff_bad_username)
        } else if check_password(&password.get_untracked()).is_err() {
            Some(p.staff_password_short)
        } else if role == StaffRole::Merchant && merchant_id.is_none() {
            Some(p.ops_pick_merchant)
        } else {
            None
        };
        if let Some(refusal) = refusal {
            said.set(Some(Err(refusal.to_string())));
            return;
        }
        let account = NewStaffAccount {
            username: name,
            password: password.get_untracked(),
            role,
            merchant_id,
            display_name: display_name.get_untracked().trim().to_string(),
        };
        said.set(None);
        create.dispatch(account, move |created| {
            said.try_set(Some(Ok(lang.staff_created(&created.username))));
            username.try_set(String::new());
            display_name.try_set(String::new());
            password.try_set(String::new());
            saved.run(created);
        });
    };
    view! {
        <form class="card ops-card" on:submit=submit novalidate data-testid="staff-create-form" aria-labelledby="staff-new-heading">
            <h2 class="card-heading" id="staff-new-heading">{p.staff_new}</h2>
            <label class="field"><span>{p.staff_username}</span>
                <input autocomplete="off" autocapitalize="none" spellcheck="false" maxlength="32" data-testid="staff-new-username"
                    prop:value=username on:input=move |ev| username.set(event_target_value(&ev)) />
            </label>
            <Field label=p.staff_display_name value=display_name testid="staff-new-name" maxlength=40 />
            <PasswordField label=p.staff_initial_password value=password testid="staff-new-password" autocomplete="new-password" />
            {for_merchant.is_none().then(|| view! {
                <RoleSelect role testid="staff-new-role" />
                {move || (role.get() == StaffRole::Merchant).then(|| view! { <MerchantSelect merchants merchant testid="staff-new-merchant" /> })}
            })}
            <OpsResult result testid="staff-create-result" />
            <button class="btn btn-primary btn-block" type="submit" data-testid="staff-create" disabled=move || create.pending()>
                {p.staff_create}
            </button>
        </form>
    }
}

/// One account: its facts; disable or enable; role, merchant and name; a new password.
#[component]
fn AccountPanel(
    account: StaffAccountInfo,
    me_id: i64,
    merchants: Merchants,
    saved: Callback<StaffAccountInfo>,
    answers: Answers,
) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let id = account.id;
    let own = id == me_id;
    let disabled = account.disabled;
    let merchant = merchant_name(lang, &account);
    // One write per form, each with its own answer.
    let change = move || Intent::new(move |change: StaffChange, _key: String| async move { api::admin_change_staff(id, &change).await });
    let (state_change, role_change, password_change) = (change(), change(), change());
    let pending = move || state_change.pending() || role_change.pending() || password_change.pending();
    let words = move |f: &ApiFailure| account_failure(lang, AccountAct::Change, f);
    let state_result = answer(answers.state, state_change, words);
    let role_result = answer(answers.role, role_change, words);
    let password_result = answer(answers.password, password_change, words);
    // Sends one change; `done` is what the form then says.
    let send = move |intent: Intent<StaffChange, StaffAccountInfo>, change: StaffChange, said: Answer, done: &'static str| {
        said.set(None);
        intent.dispatch(change, move |account| {
            said.try_set(Some(Ok(done.to_string())));
            saved.run(account);
        });
    };

    let toggle = move |_| {
        let done = if disabled { lang.p().staff_now_enabled } else { lang.p().staff_now_disabled };
        send(state_change, StaffChange { disabled: Some(!disabled), ..Default::default() }, answers.state, done);
    };

    let role = RwSignal::new(account.role);
    let merchant_id = RwSignal::new(account.merchant.as_ref().map(|m| m.id));
    let old_name = account.display_name.clone();
    let display_name = RwSignal::new(account.display_name.clone());
    let change_role = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = lang.p();
        let role = role.get_untracked();
        let merchant = if role == StaffRole::Merchant { merchant_id.get_untracked() } else { None };
        if role == StaffRole::Merchant && merchant.is_none() {
            answers.role.set(Some(Err(p.ops_pick_merchant.to_string())));
            return;
        }
        let name = display_name.get_untracked().trim().to_string();
        let change = StaffChange {
            role: Some(role),
            merchant_id: merchant,
            display_name: (!name.is_empty() && name != old_name).then_some(name),
            ..Default::default()
        };
        send(role_change, change, answers.role, p.ops_saved);
    };

    let password = RwSignal::new(String::new());
    let set_password = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = lang.p();
        let new = password.get_untracked();
        if check_password(&new).is_err() {
            answers.password.set(Some(Err(p.staff_password_short.to_string())));
            return;
        }
        password.set(String::new());
        send(password_change, StaffChange { password: Some(new), ..Default::default() }, answers.password, p.staff_password_set);
    };

    view! {
        <div class="card ops-card" data-testid="staff-detail">
            <h2 class="card-heading">
                <span class="staff-username">{account.username.clone()}</span>{own.then_some(p.staff_you)}
                " "<span class="role-pill">{lang.role(account.role)}</span>
                {disabled.then(|| view! { <span class="frozen-pill">{p.staff_disabled}</span> })}
            </h2>
            <dl class="queued-facts">
                <div><dt>{p.staff_name}</dt><dd>{account.display_name.clone()}</dd></div>
                {merchant.map(|m| view! { <div><dt>{p.ops_merchant}</dt><dd>{m}</dd></div> })}
                <div><dt>{p.staff_created_at}</dt><dd class="num">{lang.when(&account.created_at)}</dd></div>
            </dl>
        </div>
        {if own {
            Either::Left(view! { <p class="card ops-card muted" data-testid="staff-own-note">{p.staff_own_note}</p> })
        } else {
            Either::Right(view! {
                <div class="ops-facts">
                    <div class="card ops-card">
                        <h3 class="fact-heading">{if disabled { p.staff_enable } else { p.staff_disable }}</h3>
                        <p class="muted staff-note">{p.staff_disable_note}</p>
                        <OpsResult result=state_result testid="staff-state-result" />
                        <button type="button" class="btn btn-block" class:btn-danger-outline=!disabled class:btn-outline=disabled
                            data-testid=if disabled { "staff-enable" } else { "staff-disable" } disabled=pending on:click=toggle>
                            {if disabled { p.staff_enable } else { p.staff_disable }}
                        </button>
                    </div>
                    <form class="card ops-card" on:submit=change_role novalidate data-testid="staff-role-form">
                        <h3 class="fact-heading">{p.staff_change_role}</h3>
                        <RoleSelect role testid="staff-role" />
                        {move || (role.get() == StaffRole::Merchant).then(|| view! { <MerchantSelect merchants merchant=merchant_id testid="staff-merchant" /> })}
                        <Field label=p.staff_name value=display_name testid="staff-name" maxlength=40 />
                        <OpsResult result=role_result testid="staff-role-result" />
                        <button class="btn btn-primary btn-block" type="submit" data-testid="staff-role-save" disabled=pending>{p.ops_save}</button>
                    </form>
                    <form class="card ops-card" on:submit=set_password novalidate data-testid="staff-password-form">
                        <h3 class="fact-heading">{p.staff_set_password}</h3>
                        <p class="muted staff-note">{p.staff_set_password_note}</p>
                        <PasswordField label=p.staff_new_password value=password testid="staff-set-password" autocomplete="new-password" />
                        <OpsResult result=password_result testid="staff-password-result" />
                        <button class="btn btn-outline btn-block" type="submit" data-testid="staff-password-save" disabled=pending>
                            {p.staff_set_password}
                        </button>
                    </form>
                </div>
            })
        }}
    }
}
