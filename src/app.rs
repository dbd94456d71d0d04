//! The router and the shell: which page answers which path, and the login gate.

use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
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
    pages::{
        catalog::Catalog, checkin::Checkin, history::History, home::Home, item::ItemPage, login::Login, me::MePage, merchant::Merchant,
        not_found::NotFound, ops::Ops, sales::Sales, wallet::Wallet,
    },
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
            <main id="main" class="app-main">
                {move || match session.auth.get() {
                    Auth::Checking => view! {
                        <div class="page">
                            <div class="balance-card skeleton-card-hero"></div>
                            <GridSkeleton cards=2 />
                        </div>
                    }.into_any(),
                    // The operator page has its own credential; everything else needs a member.
                    Auth::Out if leptos_router::hooks::use_location().pathname.get_untracked() == "/ops" => view! { <Ops /> }.into_any(),
                    Auth::Out if leptos_router::hooks::use_location().pathname.get_untracked() == "/merchant" => view! { <Merchant /> }.into_any(),
                    Auth::Out => view! { <Login /> }.into_any(),
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
        <Routes fallback=NotFound>
            <Route path=path!("/") view=Home />
            <Route path=path!("/catalog") view=Catalog />
            <Route path=path!("/items/:id") view=ItemPage />
            <Route path=path!("/checkin") view=Checkin />
            <Route path=path!("/history") view=History />
            <Route path=path!("/me") view=MePage />
            <Route path=path!("/ops") view=Ops />
            <Route path=path!("/sales") view=Sales />
            <Route path=path!("/wallet") view=Wallet />
            <Route path=path!("/merchant") view=Merchant />
        </Routes>
    }
}
