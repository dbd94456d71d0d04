//! The code wallet: the member's codes (flash sales and vouchers) by status, each a ticket with the code,
//! its QR, copy, validity and where to use it. Codes already seen are kept in
//! localStorage so the wallet still opens offline (and says it is showing a saved copy).
//! While it is open, a code a merchant uses (the live notices' `event: code`, passed on
//! as a `window` event by `crate::notices`) turns to used on the spot, with a word, and
//! stays on the usable tab, marked used, until the member leaves. The list is read again
//! then, and whenever the stream (re)opens, since a new stream brings no event it missed:
//! a usable code that the new answer finds used is shown the same way.

use leptos::{prelude::*, task::spawn_local};
use mall_core::sales::{CodeStatus, WalletCode};
use wasm_bindgen::{closure::Closure, JsValue};

use crate::{
    api::{self, ApiFailure},
    clipboard::copy_text,
    components::{
        qr::Qr,
        states::{Empty, ListSkeleton},
        toast::use_toast,
    },
    i18n::use_lang,
    js,
    notices::{CODE_EVENT, OPEN_EVENT},
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
    // Codes that turned used while the wallet was on screen (as they were): shown on the
    // usable tab too, as used. (`codes`'s type: a signal of another type would bring its
    // own code into the chunk.)
    let used_here = RwSignal::new(None::<Vec<WalletCode>>);
    let toast = use_toast();
    // The usable codes that `used_now` says are used: kept on the usable tab, with a word.
    let mark_used = move |used_now: &dyn Fn(&WalletCode) -> bool| {
        let newly: Vec<WalletCode> =
            codes.try_get().flatten().unwrap_or_default().into_iter().filter(|c| c.status == CodeStatus::Issued && used_now(c)).collect();
        if let Some(last) = newly.last() {
            toast.show(lang.code_just_used(&last.code));
            let mut all = used_here.try_get().flatten().unwrap_or_default();
            all.extend(newly);
            used_here.try_set(Some(all));
        }
    };
    // Whether the server answered since the wallet opened: a later answer that finds one
    // of the usable codes used is news (the saved copy's codes may have been used long ago).
    let answered = StoredValue::new(false);
    let fetch = move || {
        spawn_local(async move {
            match api::codes().await {
                Ok(list) => {
                    save_cache(member, &list);
                    if answered.try_get_value() == Some(true) {
                        mark_used(&|code| list.iter().any(|c| c.code == code.code && c.status == CodeStatus::Used));
                    }
                    answered.try_set_value(true);
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
    // `FnMut(Event)` like the app's own event handlers: their glue is already there.
    let on_code = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        // The data is a `CodeNotice`; only its `code` is read (through `Reflect`: a serde
        // decoder of its own would cost the chunk about a kilobyte).
        let data = js::get(&event, "detail").as_string().unwrap_or_default();
        if let Ok(Some(used)) = js_sys::JSON::parse(&data).map(|notice| js::get(&notice, "code").as_string()) {
            // Used at once; when (and the rest) from the server.
            mark_used(&|c| c.code == used);
            let mut list = codes.try_get().flatten();
            list.iter_mut().flatten().filter(|c| c.code == used).for_each(|c| c.status = CodeStatus::Used);
            codes.try_set(list);
        }
        fetch();
    });
    let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| fetch());
    let window: JsValue = web_sys::window().map(Into::into).unwrap_or_default();
    for (name, handler) in [(CODE_EVENT, &on_code), (OPEN_EVENT, &on_open)] {
        js::call(&window, "addEventListener", &[&name.into(), handler.as_ref()]);
    }
    let listeners = StoredValue::new_local(Some((on_code, on_open)));
    on_cleanup(move || {
        let window: JsValue = web_sys::window().map(Into::into).unwrap_or_default();
        if let Some((on_code, on_open)) = listeners.try_update_value(Option::take).flatten() {
            js::call(&window, "removeEventListener", &[&CODE_EVENT.into(), on_code.as_ref()]);
            js::call(&window, "removeEventListener", &[&OPEN_EVENT.into(), on_open.as_ref()]);
        }
    });
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
                    let tab = tab.get();
                    let shown: Vec<WalletCode> = list
                        .into_iter()
                        .filter(|c| tab_of(c.status) == tab || (tab == 0 && used_here.with(|u| u.iter().flatten().any(|u| u.code == c.code))))
                        .collect();
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
