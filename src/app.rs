//! The router and the shell: which page answers which path, and the login gate.

use leptos::prelude::*;
use leptos_router::{
    components::{FlatRoutes, Route, Router},
    path,
};

use crate::{
    components::{
        reminders::SaleReminders,
        shell::{Header, TabBar},
        states::{ErrorState, GridSkeleton},
        toast::ToastHost,
    },
    i18n::Lang,
    lazy::{prefetch_link_target, LazyPage, LazyRoute},
    pages::{home::Home, not_found::NotFound},
    sales_today::SalesToday,
    server_clock::ServerClock,
    session::{Auth, Session},
};

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(Lang::detect());
    provide_context(lang);
    Effect::new(move |_| lang.get().remember());
    let session = Session::provide();
    ServerClock::provide();

    // The whole view is rebuilt in the new language when it changes (see `use_lang`).
    move || {
        provide_context(lang.get());
        view! {
        <Router>
            <ToastHost />
            <Header />
            <Frame session />
        </Router>
        }
    }
}

/// The page under the header, and the member's tab bar. Staff pages (`/staff`, `/ops`,
/// `/merchant`) need no member session and show no tab bar: their chunk signs staff in.
#[component]
fn Frame(session: Session) -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let staff = Memo::new(move |_| LazyRoute::of_path(&location.pathname.get()) == Some(LazyRoute::Staff));
    view! {
        <main id="main" class="app-main" on:pointerdown=prefetch_link_target>
            // Apart, so that the member check's answer does not rebuild a staff page.
            {move || if staff.get() {
                view! { <LazyPage route=LazyRoute::Staff /> }.into_any()
            } else {
                (move || match session.auth.get() {
                    Auth::Checking => view! {
                        <div class="page">
                            <div class="balance-card skeleton-card-hero"></div>
                            <GridSkeleton cards=2 />
                        </div>
                    }.into_any(),
                    Auth::Out => view! { <LazyPage route=LazyRoute::Login /> }.into_any(),
                    Auth::Failed(failure) => view! {
                        <ErrorState failure retry=Callback::new(move |_| session.refresh()) />
                    }.into_any(),
                    Auth::In => view! { <SignedIn /> }.into_any(),
                }).into_any()
            }}
        </main>
        <Show when=move || session.auth.get() == Auth::In && !staff.get()>
            <TabBar />
        </Show>
    }
}

/// The member's pages, with the state they share (today's sales and their reminders).
#[component]
fn SignedIn() -> impl IntoView {
    SalesToday::provide();
    view! {
        <SaleReminders />
        <FlatRoutes fallback=NotFound>
            <Route path=path!("/") view=Home />
            <Route path=path!("/catalog") view=|| view! { <LazyPage route=LazyRoute::Catalog /> } />
            <Route path=path!("/items/:id") view=|| view! { <LazyPage route=LazyRoute::Item /> } />
            <Route path=path!("/checkin") view=|| view! { <LazyPage route=LazyRoute::Checkin /> } />
            <Route path=path!("/history") view=|| view! { <LazyPage route=LazyRoute::History /> } />
            <Route path=path!("/me") view=|| view! { <LazyPage route=LazyRoute::Me /> } />
            <Route path=path!("/sales") view=|| view! { <LazyPage route=LazyRoute::Sales /> } />
            <Route path=path!("/wallet") view=|| view! { <LazyPage route=LazyRoute::Wallet /> } />
        </FlatRoutes>
    }
}
