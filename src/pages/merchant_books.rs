//! The merchant's books: its codes by status (issued, verified, expired) and a settlement
//! statement for a range of shop days (verified codes × its settlement value), with the
//! same statement as CSV.

use leptos::{either::EitherOf3, prelude::*};
use mall_core::{
    format::group_thousands,
    sales::CodeStatus,
    staff::{MerchantCodes, Settlement},
};

use crate::{
    api,
    asked::Asked,
    components::{field::Field, states::ListSkeleton},
    i18n::use_lang,
    pages::ops_sales::add_days,
    server_clock::use_shop_today,
};

/// The merchant's codes, filtered by status; read again when `verified` moves.
#[component]
pub fn MerchantCodesSection(verified: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let status = RwSignal::new(None::<CodeStatus>);
    let codes = LocalResource::new(move || {
        verified.track();
        api::merchant_codes(status.get())
    });
    let filters = [
        (None, p.merchant_codes_all),
        (Some(CodeStatus::Issued), p.code_tab_usable),
        (Some(CodeStatus::Used), p.merchant_codes_verified),
        (Some(CodeStatus::Expired), p.code_tab_expired),
    ];
    view! {
        <section class="card ops-card" aria-labelledby="merchant-codes-heading" data-testid="merchant-codes">
            <h2 class="card-heading" id="merchant-codes-heading">{p.merchant_codes}</h2>
            <div class="chips" role="group" aria-label=p.merchant_codes>
                {filters.into_iter().map(|(s, label)| view! {
                    <button type="button" class="chip" aria-pressed=move || (status.get() == s).to_string() on:click=move |_| status.set(s)>{label}</button>
                }).collect_view()}
            </div>
            {move || match codes.get() {
                None => EitherOf3::A(view! { <ListSkeleton rows=3 /> }),
                Some(Err(f)) => EitherOf3::B(view! { <p class="inline-error" role="alert">{lang.staff_failure(&f)}</p> }.into_any()),
                Some(Ok(MerchantCodes { codes, .. })) if codes.is_empty() => EitherOf3::B(view! { <p class="muted">{p.ops_none}</p> }.into_any()),
                Some(Ok(MerchantCodes { codes, .. })) => EitherOf3::C(view! {
                    <ul class="list merchant-code-list">
                        {codes.into_iter().map(|c| view! {
                            <li class="row" data-testid="merchant-code-row" data-status=c.status.as_str()>
                                <div class="grow">
                                    <p class="row-title num">{c.code.clone()}</p>
                                    <p class="row-sub">{lang.pick(&c.offer)}" · "{c.used_at.as_deref().map_or_else(|| lang.valid_until(&c.valid_until), |t| lang.used_at(t))}</p>
                                </div>
                                <span class="status-pill" data-status=c.status.as_str()>{match c.status {
                                    CodeStatus::Used => p.merchant_codes_verified,
                                    other => lang.code_status(other),
                                }}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }),
            }}
        </section>
    }
}

/// The settlement statement of a range of shop days, with its CSV.
#[component]
pub fn SettlementSection() -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let statement = Asked::new(|(f, t): (String, String)| api::merchant_settlement(f, t));
    let load = move || statement.ask((from.get_untracked(), to.get_untracked()));
    // The last seven shop days, once the server said which day it is.
    let today = use_shop_today();
    Effect::new(move |_| {
        if let Some(today) = today.date() {
            from.set(add_days(&today, -6));
            to.set(today);
            load();
        }
    });
    let csv = move |s: &Settlement| {
        format!("/api/merchant/settlement.csv?from={}&to={}", api::percent_encode(&s.from), api::percent_encode(&s.to))
    };
    let g = group_thousands;
    view! {
        <section class="card ops-card" aria-labelledby="settlement-heading" data-testid="merchant-settlement">
            <h2 class="card-heading" id="settlement-heading">{p.merchant_settlement}</h2>
            <form class="field-row range-row" on:submit=move |ev| { ev.prevent_default(); load(); }>
                <Field label=p.ops_from value=from testid="settlement-from" kind="date" />
                <Field label=p.ops_to value=to testid="settlement-to" kind="date" />
                <button class="btn btn-primary" type="submit" disabled=move || statement.pending()>{p.ops_show}</button>
            </form>
            {move || match statement.get() {
                None => EitherOf3::A(view! { <ListSkeleton rows=3 /> }),
                Some(Err(f)) => EitherOf3::B(view! { <p class="inline-error" role="alert">{lang.staff_failure(&f)}</p> }),
                Some(Ok(s)) => EitherOf3::C(view! {
                    <p class="row-sub">{lang.settlement_value(&s.settlement_value.to_string())}</p>
                    <div class="table-scroll" tabindex="0" role="region" aria-label=p.merchant_settlement>
                        <table class="stats-table" data-testid="settlement-table">
                            <thead><tr><th scope="col">{p.stats_day}</th><th scope="col">{p.stats_verified}</th><th scope="col">{p.settlement_amount}</th></tr></thead>
                            <tbody>
                                {s.days.iter().map(|d| view! {
                                    <tr><th scope="row">{d.day.clone()}</th><td>{g(d.verified)}</td><td>"¥"{d.amount.to_string()}</td></tr>
                                }).collect_view()}
                            </tbody>
                            <tfoot><tr><th scope="row">{p.stats_total}</th><td data-testid="settlement-verified">{g(s.verified)}</td>
                                <td data-testid="settlement-amount">"¥"{s.total.to_string()}</td></tr></tfoot>
                        </table>
                    </div>
                    <a class="btn btn-outline btn-sm" href=csv(&s) download="" data-testid="settlement-csv">{p.orders_csv}</a>
                }),
            }}
        </section>
    }
}
