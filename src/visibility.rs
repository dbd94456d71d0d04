//! Whether the page is on screen, and a callback whenever it comes back to the foreground
//! (the phone unlocked, the webview shown again): the moment to re-read the balance and
//! re-measure the clock.

use wasm_bindgen::{closure::Closure, JsCast};

/// Whether the page is on screen now (not a background tab or a hidden webview).
pub fn page_visible() -> bool {
    web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
}

/// Calls `f` each time the document becomes visible, for the life of the page.
pub fn on_page_visible(f: impl Fn() + 'static) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let on_change = Closure::<dyn Fn()>::new(move || {
        if page_visible() {
            f();
        }
    });
    let _ = document.add_event_listener_with_callback("visibilitychange", on_change.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    on_change.forget();
}
