//! Staff credentials (operator, merchant) typed into a page and kept for this tab only
//! (sessionStorage), never in the app's code.

use leptos::prelude::*;

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}

/// The credential stored under `key`, as a signal the page's field writes.
pub fn use_staff_token(key: &'static str) -> RwSignal<String> {
    RwSignal::new(session_storage().and_then(|s| s.get_item(key).ok().flatten()).unwrap_or_default())
}

/// Keeps the credential for the rest of this tab's life.
pub fn remember_staff_token(key: &'static str, token: &str) {
    if let Some(s) = session_storage() {
        let _ = s.set_item(key, token);
    }
}

/// The password field for a credential.
#[component]
pub fn TokenField(token: RwSignal<String>, label: &'static str, testid: &'static str) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <input type="password" autocomplete="off" data-testid=testid prop:value=token
                on:input=move |ev| token.set(event_target_value(&ev)) />
        </label>
    }
}
