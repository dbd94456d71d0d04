//! Route-level code splitting. Home, the shell and "not found" are in the main module;
//! every other page lives in a chunk (a group of pages) that is downloaded the first time
//! one of its routes opens, or earlier when a link to it is touched.
//!
//! With the `split` feature (the release build, `scripts/build-app.sh`) each page's
//! entry is a `wasm_split` point, cut out of the main module after linking. Without it
//! (component tests, `cargo check`) the same entries are plain async functions, so the
//! app runs unsplit. A chunk that fails to download shows a retry state, never a blank
//! page, and a retry fetches it again.

use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::{components::states::PageSkeleton, i18n::use_lang};

/// A page's chunk could not be downloaded (offline, or a deploy replaced it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkLoadError;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for ChunkLoadError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkLoadError
    }
}

/// Declares a page's entry in chunk `$group`: `$entry()` adds the group's styles and
/// renders `$page` once the chunk is loaded; with `preload = $preload`, `$preload()` only
/// downloads the chunk (one per group is enough: they all fetch the same chunk).
macro_rules! chunk_entry {
    ($group:ident, $entry:ident, $page:path $(, style = $style:ident)? $(, preload = $preload:ident)?) => {
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split($group, fallible, wasm_split_path = ::leptos::wasm_split $(, preload($preload))?)]
        fn $entry() -> Result<AnyView, ChunkLoadError> {
            use $page as Page;
            $($style();)?
            Ok(view! { <Page /> }.into_any())
        }

        #[cfg(not(feature = "split"))]
        async fn $entry() -> Result<AnyView, ChunkLoadError> {
            use $page as Page;
            $($style();)?
            Ok(view! { <Page /> }.into_any())
        }

        $(
            #[cfg(not(feature = "split"))]
            async fn $preload() -> Result<(), ChunkLoadError> {
                Ok(())
            }
        )?
    };
}

/// Declares `$name()`, which adds a chunk's stylesheets (`style/chunks/$file`) to the
/// document once. Called only from that chunk's entries, so the CSS text is part of the
/// chunk (or of a chunk the groups share) and never of the first visit.
macro_rules! chunk_style {
    ($name:ident, $($file:literal),+) => {
        fn $name() {
            $(add_style($file, include_str!(concat!("../style/chunks/", $file)));)+
        }
    };
}

chunk_style!(shop_style, "shared.css", "shop.css", "sheet.css");
chunk_style!(points_style, "shared.css", "points.css", "sheet.css");
chunk_style!(sales_style, "shared.css", "sales.css");
chunk_style!(wallet_style, "shared.css", "wallet.css");
chunk_style!(staff_style, "shared.css", "staff.css");
chunk_style!(login_style, "shared.css");
chunk_style!(extras_style, "shared.css", "sheet.css", "causes.css", "lottery.css", "home_extras.css");

chunk_entry!(shop, catalog_entry, crate::pages::catalog::Catalog, style = shop_style, preload = preload_shop);
chunk_entry!(shop, item_entry, crate::pages::item::ItemPages, style = shop_style);
chunk_entry!(points, checkin_entry, crate::pages::checkin::Checkin, style = points_style, preload = preload_points);
chunk_entry!(points, history_entry, crate::pages::history::History, style = points_style);
chunk_entry!(points, me_entry, crate::pages::me::MePage, style = points_style);
chunk_entry!(sales, sales_entry, crate::pages::sales::Sales, style = sales_style, preload = preload_sales);
chunk_entry!(wallet, wallet_entry, crate::pages::wallet::Wallet, style = wallet_style, preload = preload_wallet);
chunk_entry!(staff, staff_entry, crate::pages::staff::StaffPages, style = staff_style, preload = preload_staff);
chunk_entry!(login, login_entry, crate::pages::login::Login, style = login_style, preload = preload_login);
chunk_entry!(notices, notices_entry, crate::notices::LiveNotices);
chunk_entry!(extras, extras_entry, crate::pages::extras::Extras, style = extras_style);

/// Seconds after the first screen before a `LoadLater` chunk loads: not part of the first
/// visit (its downloads, and its network going quiet).
const LATER: std::time::Duration = std::time::Duration::from_secs(5);

/// A chunk loaded a moment after the first screen: the live notices ("+120 积分已到账",
/// rendering nothing: `hidden`) and Home's leaderboard and picks. If the chunk cannot be
/// fetched, the notices are left out (the balance is still re-read whenever the page
/// becomes visible) and Home's extras offer a retry.
#[component]
pub fn LoadLater(route: LazyRoute, #[prop(optional)] hidden: bool) -> impl IntoView {
    let ready = RwSignal::new(false);
    set_timeout(move || ready.try_set(true).map_or((), |_| ()), LATER);
    // Through `LazyPage` like any chunk (one more future type would cost the first visit
    // its own copy of the suspense code).
    move || ready.get().then(|| view! { <div hidden=hidden><LazyPage route /></div> })
}

/// Adds a `<style>` with `css` to the document's head, once per `id`.
fn add_style(id: &str, css: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let id = format!("style-{id}");
    if document.get_element_by_id(&id).is_some() {
        return;
    }
    if let (Ok(style), Some(head)) = (document.create_element("style"), document.head()) {
        style.set_id(&id);
        style.set_text_content(Some(css));
        let _ = head.append_child(&style);
    }
}

/// The page behind each lazy route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LazyRoute {
    /// `/catalog`.
    Catalog,
    /// `/items/:id`, `/orders/:id` and `/addresses` (the member's address book): one entry
    /// that picks the page by path. The book shares its code with the redeem sheet's
    /// address choice; in another chunk that shared code would land in the main module.
    Item,
    /// `/checkin`.
    Checkin,
    /// `/history`.
    History,
    /// `/me`.
    Me,
    /// `/sales`.
    Sales,
    /// `/wallet`.
    Wallet,
    /// The staff pages, `/staff` (sign-in), `/ops` and `/merchant`: one entry that picks
    /// the page by path inside the chunk.
    Staff,
    /// The member sign-in page.
    Login,
    /// Live notices (no page: `LoadLater` mounts them).
    Notices,
    /// `/causes` (donation), `/lottery` and Home's extras (`LoadLater` on `/`): one chunk
    /// whose entry picks the page by path (each chunk group costs the first visit its
    /// loader and the shared chunks it adds).
    Extras,
}

impl LazyRoute {
    /// The route a path opens, if it is a lazy one (Home and unknown paths are not): the
    /// member's router (`app::SignedIn`) and prefetching both ask here.
    pub fn of_path(path: &str) -> Option<LazyRoute> {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        Some(match path {
            "/catalog" => LazyRoute::Catalog,
            "/checkin" => LazyRoute::Checkin,
            "/history" => LazyRoute::History,
            "/me" => LazyRoute::Me,
            "/sales" => LazyRoute::Sales,
            "/wallet" => LazyRoute::Wallet,
            "/staff" | "/ops" | "/merchant" => LazyRoute::Staff,
            "/addresses" => LazyRoute::Item,
            "/causes" | "/lottery" => LazyRoute::Extras,
            p if p.strip_prefix("/items/").or_else(|| p.strip_prefix("/orders/")).is_some_and(|id| !id.is_empty()) => LazyRoute::Item,
            _ => return None,
        })
    }

    async fn load(self) -> Result<AnyView, ChunkLoadError> {
        match self {
            LazyRoute::Catalog => catalog_entry().await,
            LazyRoute::Item => item_entry().await,
            LazyRoute::Checkin => checkin_entry().await,
            LazyRoute::History => history_entry().await,
            LazyRoute::Me => me_entry().await,
            LazyRoute::Sales => sales_entry().await,
            LazyRoute::Wallet => wallet_entry().await,
            LazyRoute::Staff => staff_entry().await,
            LazyRoute::Login => login_entry().await,
            LazyRoute::Notices => notices_entry().await,
            LazyRoute::Extras => extras_entry().await,
        }
    }

    async fn preload(self) -> Result<(), ChunkLoadError> {
        match self {
            LazyRoute::Catalog | LazyRoute::Item => preload_shop().await?,
            LazyRoute::Checkin | LazyRoute::History | LazyRoute::Me => preload_points().await?,
            LazyRoute::Sales => preload_sales().await?,
            LazyRoute::Wallet => preload_wallet().await?,
            LazyRoute::Staff => preload_staff().await?,
            LazyRoute::Login => preload_login().await?,
            LazyRoute::Notices | LazyRoute::Extras => {}
        }
        Ok(())
    }
}

/// Starts downloading the chunk behind `path` (a link the member is about to follow).
/// A failure is left for the page itself to show when it opens.
pub fn prefetch(path: &str) {
    if let Some(route) = LazyRoute::of_path(path) {
        leptos::task::spawn_local(async move {
            let _ = route.preload().await;
        });
    }
}

/// Prefetches the chunk of the link under a touch or pointer, for any `<a href>` in the
/// app: attach once to a container with `on:pointerdown=prefetch_link_target`.
pub fn prefetch_link_target(event: web_sys::PointerEvent) {
    use wasm_bindgen::JsCast;
    let link = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|el| el.closest("a[href]").ok().flatten());
    if let Some(href) = link.and_then(|a| a.get_attribute("href")) {
        prefetch(&href);
    }
}

/// A lazy route's page: a skeleton while its chunk downloads, the page once it is
/// there, and a retry state if the download fails.
#[component]
pub fn LazyPage(route: LazyRoute) -> impl IntoView {
    let attempt = RwSignal::new(0u32);
    view! {
        <Suspense fallback=|| view! { <PageSkeleton /> }>
            {move || {
                attempt.track();
                Suspend::new(SendWrapper::new(load_or_retry(route, attempt)))
            }}
        </Suspense>
    }
}

async fn load_or_retry(route: LazyRoute, attempt: RwSignal<u32>) -> AnyView {
    match route.load().await {
        Ok(page) => page,
        Err(ChunkLoadError) => {
            let retried = attempt.get_untracked() > 0;
            view! { <ChunkRetry retry=move || attempt.update(|n| *n += 1) retried /> }.into_any()
        }
    }
}

/// The page's code did not arrive: say so and offer to fetch it again. After a failed
/// retry, also offer to reload the app (a deploy may have replaced the chunks this
/// version of the app knows).
#[component]
fn ChunkRetry(retry: impl Fn() + 'static, retried: bool) -> impl IntoView {
    let lang = use_lang();
    let reload = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    };
    view! {
        <div class="state error" role="alert" data-testid="chunk-retry">
            <p>{lang.t().chunk_failed}</p>
            <button class="btn btn-outline" on:click=move |_| retry()>{lang.t().retry}</button>
            {retried.then(|| view! { <button class="btn btn-light" data-testid="chunk-reload" on:click=reload>{lang.t().reload_app}</button> })}
        </div>
    }
}
