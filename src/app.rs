//! The router and the shell: which page answers which path, and the login gate.

use leptos::prelude::*;
use leptos_router::{
    components::Router,
    hooks::use_location,
    location::{BrowserUrl, LocationProvider},
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
    let complete_navigations = || {
        // A navigation to a new path waits for the router's view before the address bar
        // changes (leptos_router's route views say so); the views here are ready at once.
        if let Some(browser) = use_context::<BrowserUrl>() {
            let location = use_location();
            Effect::new(move |_| {
                location.pathname.track();
                browser.ready_to_complete();
            });
        }
    };

    // The whole view is rebuilt in the new language when it changes (see `use_lang`).
    move || {
        provide_context(lang.get());
        view! {
        <Router>
            {complete_navigations()}
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
                        let staff = LazyRoute::of_path(&use_location().pathname.get_untracked())
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
///
/// The page is picked here from the path, not by leptos_router's `FlatRoutes`: its route
/// matching and route types cost the first visit more than `LazyRoute::of_path`. The view
/// is rebuilt when the page or the path's first segment changes (`/items/1` → `/items/2`
/// keeps the page, which follows the path itself).
#[component]
fn SignedIn() -> impl IntoView {
    SalesToday::provide();
    let location = use_location();
    let page = Memo::new(move |_| {
        location.pathname.with(|path| {
            let section = path.split('/').nth(1).unwrap_or_default().to_owned();
            (path == "/", LazyRoute::of_path(path), section)
        })
    });
    view! {
        <SaleReminders />
        <LoadLater route=LazyRoute::Notices hidden=true />
        {move || match page.get() {
            (true, _, _) => view! { <Home /> }.into_any(),
            (_, Some(route), _) => view! { <LazyPage route /> }.into_any(),
            _ => view! { <NotFound /> }.into_any(),
        }}
    }
}
