//! The code wallet: the member's codes (flash sales and vouchers) by status, each a ticket with the code,
//! its QR, copy, validity and where to use it. Codes already seen are kept in
//! localStorage so the wallet still opens offline (and says it is showing a saved copy).

use leptos::{prelude::*, task::spawn_local};
use mall_core::sales::{CodeStatus, WalletCode};

use crate::{
    api::{self, ApiFailure},
    clipboard::copy_text,
    components::{
        qr::Qr,
        states::{Empty, ListSkeleton},
        toast::use_toast,
    },
    i18n::use_lang,
    session::use_session,
    title::set_page_title,
};

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn cache_key(member: i64) -> String {
    format!("mall.codes.{member}")
}

fn load_cache(member: i64) -> Option<Vec<WalletCode>> {
    storage()?.get_item(&cache_key(member)).ok().flatten().and_then(|s| serde_json::from_str(&s).ok())
}

fn save_cache(member: i64, codes: &[WalletCode]) {
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(codes)) {
        let _ = s.set_item(&cache_key(member), &json);
    }
}

/// Which tab a code belongs to.
fn tab_of(status: CodeStatus) -> usize {
    match status {
        CodeStatus::Issued => 0,
        CodeStatus::Used => 1,
        CodeStatus::Expired | CodeStatus::Void => 2,
    }
}

/// The wallet page.
#[component]
pub fn Wallet() -> impl IntoView {
    let lang = use_lang();
    set_page_title(|l| l.t().wallet_title.to_string());
    let session = use_session();
    let member = session.me.get_untracked().map(|m| m.id).unwrap_or(0);
    let codes = RwSignal::new(load_cache(member));
    let failure = RwSignal::new(None::<ApiFailure>);
    let tab = RwSignal::new(0usize);
    let fetch = move || {
        spawn_local(async move {
            match api::codes().await {
                Ok(list) => {
                    save_cache(member, &list);
                    codes.try_set(Some(list));
                    failure.try_set(None);
                }
                Err(ApiFailure::Aborted) => {}
                Err(f) => {
                    failure.try_set(Some(f));
                }
            }
        });
    };
    fetch();
    view! {
        <section class="page wallet">
            <h1 class="page-title">{lang.t().wallet_title}</h1>
            {move || {
                // A failed reload over codes already on screen: they are the saved copy.
                let failure = failure.get().filter(|_| codes.with(Option::is_some))?;
                let note = if failure == ApiFailure::Offline { lang.p().wallet_cached } else { lang.p().wallet_cached_server };
                Some(view! {
                    <div class="cached-note" role="status" data-testid="cached-note">
                        <span>{note}</span>
                        <button class="btn btn-outline btn-sm" on:click=move |_| fetch()>{lang.t().retry}</button>
                    </div>
                })
            }}
            <div class="seg" role="tablist">
                {[lang.p().code_tab_usable, lang.p().code_tab_used, lang.p().code_tab_expired].into_iter().enumerate().map(|(i, label)| view! {
                    <button role="tab" class="seg-btn" aria-selected=move || (tab.get() == i).to_string() on:click=move |_| tab.set(i)>{label}</button>
                }).collect_view()}
            </div>
            {move || match (codes.get(), failure.get()) {
                (Some(list), _) => {
                    let shown: Vec<WalletCode> = list.into_iter().filter(|c| tab_of(c.status) == tab.get()).collect();
                    if shown.is_empty() {
                        view! { <Empty message=lang.p().no_codes><a class="btn btn-outline" href="/sales">{lang.p().go_sales}</a></Empty> }.into_any()
                    } else {
                        view! { <ul class="tickets">{shown.into_iter().map(|c| view! { <Ticket code=c /> }).collect_view()}</ul> }.into_any()
                    }
                }
                (None, Some(f)) => view! { <crate::components::states::ErrorState failure=f retry=Callback::new(move |_| fetch()) /> }.into_any(),
                (None, None) => view! { <ListSkeleton rows=2 /> }.into_any(),
            }}
        </section>
    }
}

/// One code as a ticket.
#[component]
fn Ticket(code: WalletCode) -> impl IntoView {
    let lang = use_lang();
    let toast = use_toast();
    let text = code.code.clone();
    let copy = move |_| {
        let text = text.clone();
        spawn_local(async move {
            let ok = copy_text(&text).await;
            toast.show(if ok { lang.t().copied } else { lang.p().copy_failed });
        });
    };
    let usable = code.status == CodeStatus::Issued;
    view! {
        <li class="ticket" class:inactive=!usable data-testid="ticket" data-status=code.status.as_str()>
            <div class="ticket-main">
                <p class="ticket-offer">{lang.pick(&code.offer)}</p>
                // A voucher of the shop's own (no partner merchant) names no place.
                {(!code.merchant.zh.is_empty()).then(|| view! { <p class="ticket-merchant muted">{lang.use_at(&lang.pick(&code.merchant))}</p> })}
                <p class="ticket-code" data-testid="ticket-code">{code.code.clone()}</p>
                <p class="ticket-valid muted">{lang.valid_until(&code.valid_until)}</p>
                <p class="ticket-status">
                    <span class="status-pill" data-status=code.status.as_str()>{lang.code_status(code.status)}</span>
                    {code.used_at.clone().map(|t| view! { <span class="muted">{lang.used_at(&t)}</span> })}
                </p>
                {code.void_reason.clone().map(|r| view! { <p class="ticket-void" data-testid="ticket-void-reason">{lang.voided_because(&r)}</p> })}
                {usable.then(|| view! { <button class="btn btn-outline btn-sm" data-testid="copy-code" on:click=copy>{lang.t().copy}</button> })}
            </div>
            <div class="ticket-qr">
                <Qr text=code.code.replace('-', "") label=lang.qr_label(&code.code) />
            </div>
        </li>
    }
}
