//! Codes in the back office (券码): look one up by what the member shows (any case, with
//! or without dashes) and see whose it is, what it is for, who honours it and where it
//! stands; verify a code the shop honours itself (a voucher with no partner merchant:
//! partners verify their own on `/merchant`); void an unused code with a reason — a
//! bought code gives its points back, and the member's wallet says why. Every change is
//! audited by the server.

use leptos::{either::Either, prelude::*};
use mall_core::sales::{AdminCode, CodeStatus, VoidCode};

use crate::{
    api::{self, ApiFailure},
    components::field::Field,
    i18n::{use_lang, Lang},
    intent::Intent,
    pages::ops::{answer, by_status, OpsResult},
};

/// A code refusal in the operator's words, by status: unknown (404), already used or void
/// (409), a refused void reason (422); anything else (a partner's code, 403) as
/// `staff_failure` says it.
fn code_failure(lang: Lang, failure: &ApiFailure) -> String {
    let p = lang.p();
    by_status(lang, failure, &[(404, p.code_unknown), (409, p.code_not_open), (422, p.void_reason_bad)])
}

/// The codes section: a look-up, then the code's facts and what may be done with it.
#[component]
pub fn CodesSection() -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let typed = RwSignal::new(String::new());
    let found = RwSignal::new(None::<AdminCode>);
    let said = RwSignal::new(None::<Result<String, String>>);
    let look_up = Intent::new(|code: String, _key: String| async move { api::admin_code(&code).await });
    let result = answer(said, look_up, move |f| code_failure(lang, f));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let code = typed.get_untracked().trim().to_string();
        if code.is_empty() {
            said.set(Some(Err(lang.p().code_enter.to_string())));
            return;
        }
        said.set(None);
        found.set(None);
        look_up.dispatch(code, move |code| {
            found.try_set(Some(code));
        });
    };
    view! {
        <div class="ops-columns">
            <form class="card ops-card" on:submit=submit novalidate data-testid="code-lookup-form" aria-labelledby="codes-heading">
                <h2 class="card-heading" id="codes-heading">{p.ops_codes}</h2>
                <p class="muted staff-note">{p.codes_note}</p>
                <Field label=p.code_label value=typed testid="code-lookup" maxlength=20 placeholder=p.code_placeholder />
                <OpsResult result testid="code-lookup-result" />
                <button class="btn btn-primary btn-block" type="submit" data-testid="code-lookup-submit" disabled=move || look_up.pending()>{p.code_look_up}</button>
            </form>
            <section class="ops-detail" aria-label=p.code_label>
                {move || found.get().map(|code| view! { <CodeCard code found /> })}
            </section>
        </div>
    }
}

/// One code: its facts; verify (the shop's own) and void (an unused one).
#[component]
fn CodeCard(code: AdminCode, found: RwSignal<Option<AdminCode>>) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let open = code.status == CodeStatus::Issued;
    let shop_honours = code.merchant.is_none();
    let said = RwSignal::new(None::<Result<String, String>>);
    let verify = Intent::new(|code: String, _key: String| async move { api::verify_code(&code).await });
    let void = Intent::new(|(code, body): (String, VoidCode), key: String| async move { api::admin_void_code(&code, &body, &key).await });
    let verify_result = answer(said, verify, move |f| code_failure(lang, f));
    let void_said = RwSignal::new(None::<Result<String, String>>);
    let void_result = answer(void_said, void, move |f| code_failure(lang, f));
    let reason = RwSignal::new(String::new());
    let shown = code.code.clone();
    let do_verify = move |_| {
        said.set(None);
        verify.dispatch(shown.clone(), move |verified| {
            said.try_set(Some(Ok(lang.p().code_verified.to_string())));
            found.update(|c| {
                if let Some(c) = c {
                    c.status = CodeStatus::Used;
                    c.used_at = Some(verified.used_at);
                }
            });
        });
    };
    let voided = code.code.clone();
    let do_void = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = VoidCode { reason: reason.get_untracked().trim().to_string() };
        if body.check().is_err() {
            void_said.set(Some(Err(lang.p().void_reason_bad.to_string())));
            return;
        }
        void_said.set(None);
        void.dispatch((voided.clone(), body), move |after| {
            found.try_set(Some(after));
        });
    };
    view! {
        <div class="card ops-card" data-testid="code-card" data-status=code.status.as_str()>
            <h2 class="card-heading">
                <span class="num">{code.code.clone()}</span>" "
                <span class="status-pill" data-status=code.status.as_str() data-testid="code-status">{lang.code_status(code.status)}</span>
            </h2>
            <dl class="queued-facts">
                <div><dt>{p.code_offer}</dt><dd>{lang.pick(&code.offer)}</dd></div>
                <div><dt>{p.code_honoured_by}</dt><dd data-testid="code-honoured-by">{code.merchant.as_ref().map_or_else(|| p.code_shop.to_string(), |m| lang.pick(&m.name))}</dd></div>
                <div><dt>{p.code_member}</dt><dd class="num">{code.member_id}</dd></div>
                <div><dt>{p.code_paid}</dt><dd class="num">{lang.points(code.points_paid)}</dd></div>
                <div><dt>{p.code_issued}</dt><dd class="num">{lang.when(&code.created_at)}</dd></div>
                <div><dt>{p.code_valid_until}</dt><dd class="num">{lang.when(&code.valid_until)}</dd></div>
                {code.used_at.clone().map(|t| view! { <div><dt>{p.code_used}</dt><dd class="num">{lang.when(&t)}</dd></div> })}
                {code.void_reason.clone().map(|r| view! { <div><dt>{p.code_void_reason}</dt><dd data-testid="code-void-reason">{r}</dd></div> })}
            </dl>
            <OpsResult result=verify_result testid="code-verify-result" />
            {(open && shop_honours).then(|| view! {
                <button type="button" class="btn btn-primary btn-block" data-testid="code-verify" disabled=move || verify.pending() || void.pending() on:click=do_verify>
                    {p.code_verify}
                </button>
            })}
        </div>
        {if open {
            Either::Left(view! {
                <form class="card ops-card" on:submit=do_void novalidate data-testid="code-void-form">
                    <h3 class="fact-heading">{p.code_void}</h3>
                    <p class="muted staff-note">{if code.points_paid > 0 { lang.void_refund_note(code.points_paid) } else { p.void_no_refund.to_string() }}</p>
                    <Field label=p.code_void_reason value=reason testid="code-void-reason-input" maxlength=200 />
                    <OpsResult result=void_result testid="code-void-result" />
                    <button class="btn btn-danger-outline btn-block" type="submit" data-testid="code-void" disabled=move || void.pending() || verify.pending()>
                        {p.code_void}
                    </button>
                </form>
            })
        } else {
            Either::Right(())
        }}
    }
}
