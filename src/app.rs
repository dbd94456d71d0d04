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
    lazy::{prefetch_link_target, LazyPage, LazyRoute, LoadLater},
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
            <main id="main" class="app-main" on:pointerdown=prefetch_link_target>
                {move || match session.auth.get() {
                    Auth::Checking => view! {
                        <div class="page">
                            <div class="balance-card skeleton-card-hero"></div>
                            <GridSkeleton cards=2 />
                        </div>
                    }.into_any(),
                    // Staff pages (`/staff`, `/ops`, `/merchant`) sign staff in themselves and
                    // pick their page by path; everything else needs a member. Their styles
                    // hide the member tab bar (style/chunks/staff.css).
                    Auth::Out => {
                        let staff = LazyRoute::of_path(&leptos_router::hooks::use_location().pathname.get_untracked())
                            .filter(|r| *r == LazyRoute::Staff);
                        view! { <LazyPage route=staff.unwrap_or(LazyRoute::Login) /> }.into_any()
                    }
                    Auth::Failed(failure) => view! {
                        <ErrorState failure retry=Callback::new(move |_| session.refresh()) />
                    }.into_any(),
                    Auth::In => view! { <SignedIn /> }.into_any(),
                }}
            </main>
            <Show when=move || session.auth.get() == Auth::In>
                <TabBar />
            </Show>
        </Router>
        }
    }
}

/// The member's pages, with the state they share (today's sales and their reminders).
#[component]
fn SignedIn() -> impl IntoView {
    SalesToday::provide();
    view! {
        <SaleReminders />
        <LoadLater route=LazyRoute::Notices hidden=true />
        // `/addresses` and `/orders/{id}` (the address book and an order, in the shop
        // chunk's item entry), `/causes` and `/lottery` have no route of their own: a
        // route costs the first visit more than this check.
        <FlatRoutes fallback=|| {
            let lazy = match leptos_router::hooks::use_location().pathname.get_untracked().as_str() {
                "/addresses" => Some(LazyRoute::Item),
                p if p.starts_with("/orders/") => Some(LazyRoute::Item),
                "/causes" | "/lottery" => Some(LazyRoute::Extras),
                _ => None,
            };
            view! { <Show when=move || lazy.is_some() fallback=NotFound><LazyPage route=lazy.unwrap_or(LazyRoute::Item) /></Show> }
        }>
            <Route path=path!("/") view=Home />
            <Route path=path!("/catalog") view=|| view! { <LazyPage route=LazyRoute::Catalog /> } />
            <Route path=path!("/items/:id") view=|| view! { <LazyPage route=LazyRoute::Item /> } />
            <Route path=path!("/checkin") view=|| view! { <LazyPage route=LazyRoute::Checkin /> } />
            <Route path=path!("/history") view=|| view! { <LazyPage route=LazyRoute::History /> } />
            <Route path=path!("/me") view=|| view! { <LazyPage route=LazyRoute::Me /> } />
            <Route path=path!("/ops") view=|| view! { <LazyPage route=LazyRoute::Staff /> } />
            <Route path=path!("/staff") view=|| view! { <LazyPage route=LazyRoute::Staff /> } />
            <Route path=path!("/sales") view=|| view! { <LazyPage route=LazyRoute::Sales /> } />
            <Route path=path!("/wallet") view=|| view! { <LazyPage route=LazyRoute::Wallet /> } />
            <Route path=path!("/merchant") view=|| view! { <LazyPage route=LazyRoute::Staff /> } />
        </FlatRoutes>
    }
}
