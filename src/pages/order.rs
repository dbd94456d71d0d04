//! One order (`/orders/{id}`), where the host's pay page sends the member back: the item,
//! quantity, points and cash, and its status in words — awaiting payment with a live
//! countdown to `pay_by` (the server's clock), paid (the voucher's code, or where the
//! goods go), lapsed or cancelled (the points back). While it awaits payment: pay now
//! (the payment request again, then the host) and cancel (with a confirmation).
//!
//! In the shop chunk with the redeem sheet, which shares [`go_pay`]; the app's router
//! picks it through `LazyRoute::of_path`, like `/addresses`.

use leptos::{either::Either, prelude::*};
use mall_core::{
    dto::{Order, OrderStatus},
    format::yuan,
    payment::{PaymentRequest, PaymentStart, POST_MESSAGE_TYPE},
};
use wasm_bindgen::JsValue;

use crate::{
    api,
    components::{
        price::Price,
        states::{ErrorState, ListSkeleton},
    },
    i18n::use_lang,
    intent::Intent,
    js,
    server_clock::{countdown, use_server_clock},
    session::use_session,
    title::set_page_title,
};

/// The write that asks for an order's payment request (`POST /api/orders/{id}/payment`;
/// asking again answers the same request, so the key is not sent).
pub fn pay_intent() -> Intent<i64, PaymentStart> {
    Intent::new(|id: i64, _key: String| api::payment(id))
}

/// The origins to post the payment request to when the app runs in a frame: the framing
/// page's origin (the document's referrer: the page that loaded the frame) when it is one
/// of `listed`; every listed origin when the referrer is not known (a host page with
/// `Referrer-Policy: no-referrer`) — the browser delivers a message only to a parent whose
/// origin is the target, so at most the one framing host receives it, never `*`; none when
/// the framing page is known and not listed (then the app navigates instead).
pub fn frame_targets<'a>(listed: &'a [String], referrer: &str) -> Vec<&'a str> {
    let origin = referrer_origin(referrer);
    match origin {
        Some(origin) => listed.iter().filter(|o| o.as_str() == origin).map(String::as_str).collect(),
        None => listed.iter().map(String::as_str).collect(),
    }
}

/// `https://shop.example:8443/path?q` → `https://shop.example:8443`.
fn referrer_origin(referrer: &str) -> Option<&str> {
    let start = referrer.find("://")? + 3;
    let end = referrer[start..].find(['/', '?', '#']).map_or(referrer.len(), |i| start + i);
    (end > start).then(|| &referrer[..end])
}

/// Sends the member to pay: inside a listed host's frame, posts
/// `{type: "mall.payment_request", request}` to the parent (see [`frame_targets`]) and
/// answers `true` (the app stays); otherwise a plain GET navigation to `pay_url` (`false`).
pub fn go_pay(start: &PaymentStart) -> bool {
    // Through `Reflect` (`crate::js`): `web-sys`'s parent, referrer, postMessage and
    // assign would be four imports of the main module.
    let Some(window) = web_sys::window() else { return false };
    let window: JsValue = window.into();
    let parent = Some(js::get(&window, "parent")).filter(|p| p.is_object() && *p != window);
    if let Some(parent) = parent.filter(|_| !start.frame_origins.is_empty()) {
        let referrer = js::get(&js::get(&window, "document"), "referrer").as_string().unwrap_or_default();
        let targets = frame_targets(&start.frame_origins, &referrer);
        if let (false, Some(message)) = (targets.is_empty(), message(&start.request)) {
            for origin in targets {
                js::call(&parent, "postMessage", &[&message, &JsValue::from_str(origin)]);
            }
            return true;
        }
    }
    js::call(&js::get(&window, "location"), "assign", &[&JsValue::from_str(&start.pay_url)]);
    false
}

/// `{type: "mall.payment_request", request: {…}}` as a JS object.
fn message(request: &PaymentRequest) -> Option<wasm_bindgen::JsValue> {
    use serde::Serialize;
    let request = request.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).ok()?;
    let message = js_sys::Object::new();
    js_sys::Reflect::set(&message, &"type".into(), &POST_MESSAGE_TYPE.into()).ok()?;
    js_sys::Reflect::set(&message, &"request".into(), &request).ok()?;
    Some(message.into())
}

/// The order page.
#[component]
pub fn OrderPage() -> impl IntoView {
    let lang = use_lang();
    let location = leptos_router::hooks::use_location();
    let id = move || location.pathname.get().strip_prefix("/orders/").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let order = LocalResource::new(move || api::order(id()));
    set_page_title(|l| l.p().order_title.to_string());
    let refetch = Callback::new(move |_| order.refetch());

    view! {
        <section class="page order-page" data-testid="order-page">
            <div class="order-head">
                <h1 class="page-title">{lang.p().order_title}</h1>
                <a class="link" href="/me">{lang.p().all_orders}</a>
            </div>
            <Suspense fallback=|| view! { <ListSkeleton rows=3 /> }>
                {move || order.get().map(|r| match r {
                    Ok(o) => Either::Left(view! { <OrderView order=o refetch /> }),
                    Err(failure) => Either::Right(view! { <ErrorState failure retry=refetch /> }),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn OrderView(order: Order, refetch: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let current = RwSignal::new(order);
    let id = current.with_untracked(|o| o.id);
    let pay = pay_intent();
    // The request went to the framing host page: the member pays there.
    let posted = RwSignal::new(false);
    let pay_now = move |_| pay.dispatch(id, move |start| _ = posted.try_set(go_pay(&start)));
    let cancelling = Intent::new(|id: i64, key: String| async move { api::cancel_order(id, &key).await });
    let asking = RwSignal::new(false);
    let cancel = move |_| {
        cancelling.dispatch(id, move |updated| {
            current.try_set(updated);
            session.refresh();
        })
    };
    let o = current.get_untracked();
    let name = lang.pick(&o.item_name);

    view! {
        <div class="card order-card">
            <div class="order-item">
                <img src=o.image.clone() alt="" width="64" height="64" />
                <div class="grow">
                    <p class="row-title" data-testid="order-item">{name} " ×" {o.quantity}</p>
                    <p class="row-sub">{lang.p().order_no} " " <span class="num">{o.id}</span></p>
                </div>
            </div>
            <dl class="summary">
                <dt>{lang.p().total}</dt>
                <dd data-testid="order-price"><Price points=o.points cash=o.cash /></dd>
                {o.cash.map(|c| view! { <dt>{lang.p().order_cash}</dt><dd class="num">{yuan(c)}</dd> })}
                <dt>{lang.p().order_placed}</dt>
                <dd class="num">{lang.when(&o.created_at)}</dd>
            </dl>
        </div>
        {move || {
            let o = current.get();
            let status = o.status;
            view! {
                <div class="card order-state" data-testid="order-status" data-status=status.as_str()>
                    <p class="order-state-head">
                        <span class="status-pill" data-status=status.as_str()>{lang.order_status(status)}</span>
                    </p>
                    {match status {
                        OrderStatus::AwaitingPayment => Either::Left(view! {
                            <Awaiting order=o.clone() refetch />
                        }),
                        _ => Either::Right(view! { <Settled order=o.clone() /> }),
                    }}
                </div>
                {(status == OrderStatus::AwaitingPayment).then(|| view! {
                    <div class="order-actions">
                        {move || posted.get().then(|| view! { <p class="muted" role="status" data-testid="pay-posted">{lang.p().pay_posted}</p> })}
                        {move || pay.error().map(|e| view! { <p class="field-error" role="alert" data-testid="pay-error">{e}</p> })}
                        <button class="btn btn-primary btn-block" data-testid="order-pay" disabled=move || pay.pending() on:click=pay_now>
                            {move || if pay.pending() { lang.t().loading.to_string() } else { lang.pay_amount(o.cash) }}
                        </button>
                        {move || if asking.get() {
                            Either::Left(view! {
                                <div class="confirm-box" role="group" aria-label=lang.t().cancel_order data-testid="order-cancel-ask">
                                    <p>{lang.p().order_cancel_ask}</p>
                                    {move || cancelling.error().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                                    <div class="btn-row">
                                        <button class="btn btn-outline" data-testid="order-cancel-keep" on:click=move |_| asking.set(false)>
                                            {lang.p().order_cancel_keep}
                                        </button>
                                        <button class="btn btn-danger" data-testid="order-cancel-confirm" disabled=move || cancelling.pending() on:click=cancel>
                                            {move || if cancelling.pending() { lang.t().loading } else { lang.p().order_cancel_yes }}
                                        </button>
                                    </div>
                                </div>
                            })
                        } else {
                            Either::Right(view! {
                                <button class="btn btn-light btn-block" data-testid="order-cancel" on:click=move |_| asking.set(true)>
                                    {lang.t().cancel_order}
                                </button>
                            })
                        }}
                    </div>
                })}
            }
        }}
    }
}

/// Awaiting payment: the time left to `pay_by` on the server's clock; at zero, the order
/// is read again (it reads lapsed).
#[component]
fn Awaiting(order: Order, refetch: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let clock = use_server_clock();
    let pay_by_ms = order.pay_by.as_deref().map(|s| js_sys::Date::parse(s) as i64);
    let read_again = StoredValue::new(false);
    Effect::new(move |_| {
        let due = pay_by_ms.is_some_and(|t| clock.is_synced() && clock.now_ms() >= t);
        if due && !read_again.get_value() {
            read_again.set_value(true);
            refetch.run(());
        }
    });
    view! {
        {pay_by_ms.map(|t| view! {
            <p class="order-left" role="timer" data-testid="pay-left">
                {move || {
                    let [h, m, s] = countdown(clock.now_ms(), t);
                    lang.pay_left(h, m, s)
                }}
            </p>
        })}
        <p class="muted">{lang.p().cash_via_host}</p>
    }
}

/// Paid, shipped, lapsed or cancelled: what it means for the member.
#[component]
fn Settled(order: Order) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let back = matches!(order.status, OrderStatus::Lapsed | OrderStatus::Cancelled);
    view! {
        {order.paid_at.as_deref().map(|at| view! { <p data-testid="order-paid-at">{lang.paid_at(at)}</p> })}
        {(order.status == OrderStatus::Lapsed).then(|| view! { <p data-testid="order-lapsed">{p.order_lapsed_note}</p> })}
        {back.then(|| view! { <p class="strong" data-testid="order-points-back">{lang.points_back(order.points)}</p> })}
        {order.cancel_reason.clone().map(|r| view! { <p class="danger">{p.order_shop_cancelled}{r}</p> })}
        {order.code.clone().map(|c| view! {
            <p class="code-box"><span>{p.your_code}</span><code data-testid="order-code">{c}</code></p>
            <a class="link" href="/wallet">{p.see_wallet}</a>
        })}
        {order.ship_to.clone().map(|to| view! {
            <p data-testid="order-address">{p.order_ship_to}{p.label_colon}{to.name}" "{to.phone}" · "{to.region}" "{to.detail}</p>
        })}
        {order.carrier.clone().zip(order.tracking_no.clone()).map(|(c, t)| view! {
            <p class="strong" data-testid="order-tracking">{lang.tracking_line(&c, &t)}</p>
        })}
    }
}
