//! The merchant page (核销) of a signed-in merchant account: type, paste or scan-to-text a
//! code; the check character is validated on the phone before any request; the API
//! verifies it once, and only for this merchant's own codes. Under it: the merchant's
//! codes, its settlement statement and its free offers.

use leptos::prelude::*;
use mall_core::{code, staff::StaffMe};
use wasm_bindgen::JsCast;

use crate::{
    api,
    i18n::use_lang,
    intent::Intent,
    pages::{
        merchant_books::{MerchantCodesSection, SettlementSection},
        merchant_offers::OffersSection,
    },
    title::set_page_title,
};

/// Puts the cursor back in the code field.
fn focus_code_field() {
    let field = web_sys::window().and_then(|w| w.document()).and_then(|d| d.query_selector("[data-testid=merchant-code]").ok().flatten());
    if let Some(field) = field.and_then(|f| f.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = field.focus();
    }
}

/// The merchant page, for the merchant account `me`.
#[component]
pub fn Merchant(me: StaffMe) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    set_page_title(|l| l.p().merchant_title.to_string());
    let merchant = me.merchant.as_ref().map(|m| lang.pick(&m.name));
    let input = RwSignal::new(String::new());
    // The last verification's success; its failure is the intent's.
    let done = RwSignal::new(None::<String>);
    let verify = Intent::new(|canon: String, _key: String| async move { api::verify_code(&canon).await });
    let result = move || done.get().map(Ok).or_else(|| verify.failure().map(|f| Err(lang.staff_failure(&f))));
    // Bumped on each verification: the codes below read again.
    let verified = RwSignal::new(0u32);
    // Set when the merchant tries to verify: only then is a short code called short.
    let attempted = RwSignal::new(false);
    // Checked locally first: a typo never reaches the server.
    let local = Memo::new(move |_| {
        let text = input.get();
        if text.trim().is_empty() {
            None
        } else {
            Some(code::parse(&text))
        }
    });
    let shown_error = move || match local.get() {
        Some(Err(code::CodeError::WrongLength)) if !attempted.get() && code::normalize(&input.get()).chars().count() < code::CODE_LEN => {
            None
        }
        Some(Err(e)) => Some(e),
        _ => None,
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        attempted.set(true);
        let Some(Ok(canon)) = local.get_untracked() else { return };
        done.set(None);
        verify.dispatch(canon, move |v| {
            // Done with this code: the field is ready for the next customer.
            input.try_set(String::new());
            focus_code_field();
            verified.update(|n| *n += 1);
            done.try_set(Some(lang.verified(&v.code, &lang.pick(&v.offer))));
        });
    };
    view! {
        <div class="merchant">
            <h1 class="page-title">{p.merchant_title}{merchant.map(|m| view! { <span class="title-sub">{m}</span> })}</h1>
            <form class="card ops-card" on:submit=submit>
                <label class="field">
                    <span>{p.merchant_code}</span>
                    <input class="code-input" autocomplete="off" autocapitalize="characters" spellcheck="false" inputmode="text"
                        placeholder="XXXX-XXXX-XXXX" data-testid="merchant-code" prop:value=input
                        on:input=move |ev| { input.set(event_target_value(&ev)); done.set(None); verify.clear(); attempted.set(false); } />
                </label>
                {move || shown_error().map(|e| view! {
                    <p class="inline-error" role="alert" data-testid="code-local-error">{lang.code_error(e)}</p>
                })}
                <button class="btn btn-primary btn-block" type="submit" data-testid="merchant-verify"
                    disabled=move || verify.pending() || local.get().is_none()>{p.merchant_verify}</button>
            </form>
            {move || result().map(|r| match r {
                Ok(msg) => view! {
                    <div class="verify-result ok" role="status" data-testid="verify-result">
                        <div><p class="verify-title">{p.verify_ok}</p><p class="verify-detail">{msg}</p></div>
                    </div>
                }.into_any(),
                Err(msg) => view! {
                    <div class="verify-result fail" role="alert" data-testid="verify-result">
                        <div><p class="verify-title">{p.verify_fail}</p><p class="verify-detail">{msg}</p></div>
                    </div>
                }.into_any(),
            })}
            <MerchantCodesSection verified />
            <SettlementSection />
            <OffersSection />
        </div>
    }
}
