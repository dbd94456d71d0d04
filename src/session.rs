//! The logged-in member as the app knows it: always the API's last answer, refreshed
//! after every change and whenever the page becomes visible again.

use crate::{
    api::{self, ApiFailure},
    visibility::on_page_visible,
};
use leptos::{prelude::*, task::spawn_local};
use mall_core::dto::{Me, TicketExchangeRequest};

/// Where the login stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Auth {
    /// Asking the API.
    Checking,
    /// Logged in; `Session::me` holds the member.
    In,
    /// No session: show the login.
    Out,
    /// The API could not be asked (offline or server error).
    Failed(ApiFailure),
}

/// The session context.
#[derive(Clone, Copy)]
pub struct Session {
    /// The API's latest answer to `GET /api/me`.
    pub me: RwSignal<Option<Me>>,
    /// The login state.
    pub auth: RwSignal<Auth>,
}

impl Session {
    /// Creates the context, exchanges a host ticket from the URL if present, and loads `me`.
    pub fn provide() -> Session {
        let session = Session { me: RwSignal::new(None), auth: RwSignal::new(Auth::Checking) };
        provide_context(session);
        match take_ticket_from_url() {
            Some(ticket) => spawn_local(async move {
                match api::exchange(&ticket).await {
                    Ok(me) => session.set_me(me),
                    Err(_) => session.refresh(),
                }
            }),
            None => session.refresh(),
        }
        session.refresh_when_visible();
        session
    }

    /// Stores a fresh `Me`.
    pub fn set_me(&self, me: Me) {
        self.me.set(Some(me));
        // Only on a change: re-setting `In` would rebuild every page under the gate.
        if self.auth.get_untracked() != Auth::In {
            self.auth.set(Auth::In);
        }
    }

    /// Asks the API for the balance again.
    pub fn refresh(&self) {
        let this = *self;
        spawn_local(async move {
            match api::me().await {
                Ok(me) => this.set_me(me),
                Err(ApiFailure::Refused { status: 401, .. }) => {
                    this.me.set(None);
                    this.auth.set(Auth::Out);
                }
                Err(ApiFailure::Aborted) => {}
                Err(e) => {
                    if this.me.get_untracked().is_none() {
                        this.auth.set(Auth::Failed(e));
                    }
                }
            }
        });
    }

    fn refresh_when_visible(&self) {
        let this = *self;
        on_page_visible(move || {
            if this.auth.get_untracked() == Auth::In {
                this.refresh();
            }
        });
    }
}

/// The session from context.
pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// A host app opens the mall with `?member_id=…&expires_at=…&signature=…`: take those
/// parameters (and remove them from the address bar so a reload does not replay them).
fn take_ticket_from_url() -> Option<TicketExchangeRequest> {
    let window = web_sys::window()?;
    let location = window.location();
    let search = location.search().ok()?;
    let mut member_id = None;
    let mut expires_at = None;
    let mut signature = None;
    for pair in search.trim_start_matches('?').split('&') {
        match pair.split_once('=') {
            Some(("member_id", v)) => member_id = v.parse().ok(),
            Some(("expires_at", v)) => expires_at = v.parse().ok(),
            Some(("signature", v)) => signature = Some(v.to_string()),
            _ => {}
        }
    }
    let ticket = TicketExchangeRequest { member_id: member_id?, expires_at: expires_at?, signature: signature? };
    let path = location.pathname().unwrap_or_else(|_| "/".into());
    let _ = window.history().and_then(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path)));
    Some(ticket)
}
