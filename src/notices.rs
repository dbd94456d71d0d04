//! Live notices while the app is on screen (实时推送积分到帐通知), in a chunk of their
//! own: an `EventSource` on `/api/events`, open while the page is visible and closed when
//! it is hidden (a hidden webview keeps no connection awake; on return the session
//! re-reads the balance anyway). A balance event sets the balance the server sent at
//! once and, for points arriving from outside the app, shows "+120 积分已到账". The
//! browser reconnects a dropped stream by itself (with `Last-Event-ID`); where the
//! stream cannot work at all, the balance is still re-read on every return to the page.
//!
//! A code event (a merchant used one of the member's codes) and every opening of the
//! stream are passed on to the page as `window` events ([`CODE_EVENT`], [`OPEN_EVENT`]),
//! for the wallet (another chunk) to update its tickets without a reload.
//!
//! The `EventSource` is reached through `Reflect` (`crate::js`) rather than `web-sys`
//! bindings: new bindings would be imports of the main module, bytes of every first visit.

use js_sys::{Array, Function, Reflect};
use leptos::prelude::*;
use mall_core::notice::BalanceNotice;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};

use crate::{components::toast::use_toast, i18n::use_lang, js::call, session::use_session, visibility::page_visible};

/// Where the stream stands, on `<html data-notices>` (tests wait for `open`).
fn mark(state: &str) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-notices", state);
    }
}

/// The `window` event that passes a stream's `event: code` on to the pages, its `detail`
/// the event's data (a `CodeNotice` as JSON).
pub const CODE_EVENT: &str = "mall:code";
/// The `window` event dispatched whenever the stream opens (the first time, and again
/// on the page's return).
pub const OPEN_EVENT: &str = "mall:open";

/// Dispatches the `window` event `name`, with `detail` as its property `detail`.
fn announce(name: &str, detail: JsValue) {
    let Some(window) = web_sys::window() else { return };
    let Ok(ctor) = Reflect::get(&window, &"Event".into()).and_then(|c| c.dyn_into::<Function>()) else {
        return;
    };
    if let Ok(event) = Reflect::construct(&ctor, &Array::of1(&name.into())) {
        let _ = Reflect::set(&event, &"detail".into(), &detail);
        call(&window, "dispatchEvent", &[&event]);
    }
}

/// Opens and closes the stream with the page's visibility; renders nothing.
#[component]
pub fn LiveNotices() -> impl IntoView {
    let (session, toast, lang) = (use_session(), use_toast(), use_lang());
    let source = StoredValue::new_local(None::<JsValue>);
    let on_balance = Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
        let data = Reflect::get(&event, &"data".into()).ok().and_then(|d| d.as_string()).unwrap_or_default();
        let Some(notice) = js_sys::JSON::parse(&data).ok().and_then(|v| serde_wasm_bindgen::from_value::<BalanceNotice>(v).ok()) else {
            return;
        };
        session.me.update(|me| {
            if let Some(me) = me {
                me.balance = notice.balance;
            }
        });
        if notice.is_arrival() {
            toast.show(lang.points_arrived(notice.delta, notice.balance));
        }
        // The rest of the summary (expiring, pending, tier) from the API.
        session.refresh();
    });
    // A merchant used one of the member's codes: the wallet, if open, says so (it listens
    // on `window`; the wallet is another chunk).
    let on_code =
        Closure::<dyn Fn(JsValue)>::new(|event: JsValue| announce(CODE_EVENT, Reflect::get(&event, &"data".into()).unwrap_or_default()));
    let on_open = Closure::<dyn Fn(JsValue)>::new(|_| {
        mark("open");
        // Without `Last-Event-ID` (a new stream: the first, or on the page's return) the
        // server sends only new events: the wallet re-reads what it may have missed.
        announce(OPEN_EVENT, JsValue::UNDEFINED);
    });
    let on_error = Closure::<dyn Fn(JsValue)>::new(|event: JsValue| {
        // CLOSED (2): the browser gave up (signed out, or no such route); otherwise it retries.
        let closed = Reflect::get(&event, &"target".into())
            .and_then(|t| Reflect::get(&t, &"readyState".into()))
            .ok()
            .and_then(|s| s.as_f64())
            .is_some_and(|s| s == 2.0);
        mark(if closed { "closed" } else { "retrying" });
    });
    // The JS functions the stream calls (the closures themselves are kept below).
    let handlers: std::rc::Rc<[(&str, JsValue); 4]> = std::rc::Rc::new([
        ("balance", on_balance.as_ref().clone()),
        ("code", on_code.as_ref().clone()),
        ("open", on_open.as_ref().clone()),
        ("error", on_error.as_ref().clone()),
    ]);
    let open = move || {
        let Some(window) = web_sys::window() else { return };
        let Ok(ctor) = Reflect::get(&window, &"EventSource".into()).and_then(|c| c.dyn_into::<Function>()) else {
            return;
        };
        if source.with_value(Option::is_some) {
            return;
        }
        if let Ok(es) = Reflect::construct(&ctor, &Array::of1(&"/api/events".into())) {
            for (name, handler) in handlers.iter() {
                call(&es, "addEventListener", &[&(*name).into(), handler]);
            }
            source.set_value(Some(es));
        }
    };
    let close = move || {
        if let Some(es) = source.try_update_value(Option::take).flatten() {
            call(&es, "close", &[]);
            mark("closed");
        }
    };
    if page_visible() {
        open();
    }
    let on_visibility = Closure::<dyn Fn()>::new(move || if page_visible() { open() } else { close() });
    let document: JsValue = web_sys::window().and_then(|w| w.document()).map(Into::into).unwrap_or(JsValue::NULL);
    call(&document, "addEventListener", &[&"visibilitychange".into(), on_visibility.as_ref()]);
    // The callbacks live until the component goes (the view is rebuilt when the language
    // changes): then the stream closes and the listener goes before they are dropped.
    let callbacks = StoredValue::new_local(Some((on_balance, on_code, on_open, on_error, on_visibility)));
    on_cleanup(move || {
        close();
        if let Some((.., on_visibility)) = callbacks.try_update_value(Option::take).flatten() {
            call(&document, "removeEventListener", &[&"visibilitychange".into(), on_visibility.as_ref()]);
        }
    });
}
