//! The points mall's single-page app (Leptos, client-side rendered). `start` mounts it;
//! `app` holds the router and shell; `api` is the one HTTP client; pages and
//! components follow one concern per file.

// Off wasm32 (clippy and tests of the app on the build machine), an API refusal also
// carries the server's field list (`mall_core::ErrorDetails::fields`, absent from the
// app's own build), which makes `ApiFailure` larger than clippy's limit for an `Err`.
#![cfg_attr(not(target_arch = "wasm32"), allow(clippy::result_large_err))]

pub mod api;
pub mod app;
pub mod asked;
pub mod clipboard;
pub mod components;
pub mod i18n;
pub mod intent;
pub mod js;
pub mod lazy;
pub mod notices;
pub mod pages;
pub mod sales_today;
pub mod server_clock;
pub mod session;
pub mod title;
pub mod visibility;

/// Mounts the app and removes the static boot shell that `index.html` painted.
pub fn start() {
    // Panic messages in the console for debug builds; release builds abort silently.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    if let Some(boot) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
        boot.remove();
    }
    leptos::mount::mount_to_body(app::App);
}
