//! Cursor-paged lists with infinite scroll: a small model (items, next cursor, state)
//! and a sentinel that asks for the next page when it scrolls into view.

use std::future::Future;

use leptos::{html, prelude::*, task::spawn_local};
use wasm_bindgen::{closure::Closure, JsCast};

use crate::{
    api::{ApiFailure, ApiResult},
    components::states::ErrorState,
    i18n::use_lang,
};

/// Where a paged list stands.
#[derive(Debug, Clone, PartialEq)]
pub enum PageState {
    /// Nothing asked yet, or ready for the next page.
    Idle,
    /// A page is on its way.
    Loading,
    /// The last page arrived.
    Done,
    /// The last request failed.
    Failed(ApiFailure),
}

/// A list loaded page by page. Results of a request made before `reset` are dropped.
pub struct Paged<T: Send + Sync + 'static> {
    /// Everything loaded so far.
    pub items: RwSignal<Vec<T>>,
    /// The state.
    pub state: RwSignal<PageState>,
    next: RwSignal<Option<String>>,
    generation: RwSignal<u32>,
}

impl<T: Send + Sync + 'static> Clone for Paged<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for Paged<T> {}

impl<T: Send + Sync + 'static> Paged<T> {
    /// An empty list.
    pub fn new() -> Self {
        Paged {
            items: RwSignal::new(Vec::new()),
            state: RwSignal::new(PageState::Idle),
            next: RwSignal::new(None),
            generation: RwSignal::new(0),
        }
    }

    /// Forgets everything (filters changed); in-flight answers are ignored.
    pub fn reset(&self) {
        self.generation.update_untracked(|g| *g += 1);
        self.items.set(Vec::new());
        self.next.set(None);
        self.state.set(PageState::Idle);
    }

    /// Whether the first page is still to come.
    pub fn first_load(&self) -> bool {
        self.items.with(|i| i.is_empty()) && matches!(self.state.get(), PageState::Idle | PageState::Loading)
    }

    /// Loads the next page with `fetch(cursor)`, unless one is on its way or all are here.
    pub fn load_more<F, Fut>(&self, fetch: F)
    where
        F: FnOnce(Option<String>) -> Fut + 'static,
        Fut: Future<Output = ApiResult<(Vec<T>, Option<String>)>> + 'static,
    {
        if matches!(self.state.get_untracked(), PageState::Loading | PageState::Done) {
            return;
        }
        let this = *self;
        let generation = self.generation.get_untracked();
        let cursor = self.next.get_untracked();
        self.state.set(PageState::Loading);
        spawn_local(async move {
            let result = fetch(cursor).await;
            // The page may have been left (signals disposed) or reset meanwhile.
            if this.generation.try_get_untracked() != Some(generation) {
                return;
            }
            match result {
                Ok((page, next)) => {
                    this.items.try_update(|items| items.extend(page));
                    this.state.try_set(if next.is_some() { PageState::Idle } else { PageState::Done });
                    this.next.try_set(next);
                }
                Err(ApiFailure::Aborted) => {
                    this.state.try_set(PageState::Idle);
                }
                Err(e) => {
                    this.state.try_set(PageState::Failed(e));
                }
            }
        });
    }
}

impl<T: Send + Sync + 'static> Default for Paged<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// The states of a paged list around its rows: `skeleton` until the first page, `empty`
/// (or the error with a retry) when there is nothing, else `children` (the rows, built
/// once) followed by a footer that loads more on scroll, retries, or says it is the end.
#[component]
pub fn PagedView<T: Send + Sync + 'static>(
    paged: Paged<T>,
    load_more: Callback<()>,
    #[prop(into)] skeleton: ViewFn,
    #[prop(into)] empty: ViewFn,
    children: ChildrenFn,
) -> impl IntoView {
    let first = Memo::new(move |_| paged.first_load());
    let has_items = Memo::new(move |_| paged.items.with(|i| !i.is_empty()));
    move || {
        if first.get() {
            return skeleton.run();
        }
        if !has_items.get() {
            return match paged.state.get() {
                PageState::Failed(failure) => view! { <ErrorState failure retry=load_more /> }.into_any(),
                _ => empty.run(),
            };
        }
        view! { {children()} <PagedFooter paged load_more /> }.into_any()
    }
}

#[component]
fn PagedFooter<T: Send + Sync + 'static>(paged: Paged<T>, load_more: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    move || match paged.state.get() {
        PageState::Failed(failure) => view! { <ErrorState failure retry=load_more /> }.into_any(),
        PageState::Done => view! { <p class="list-end">{lang.p().no_more}</p> }.into_any(),
        _ => view! { <Sentinel on_visible=load_more watch=Signal::derive(move || paged.items.with(Vec::len)) /> }.into_any(),
    }
}

/// An invisible marker at the end of a list: calls `on_visible` whenever it comes
/// into view, and again after `watch` changes while it is still in view.
#[component]
pub fn Sentinel(on_visible: Callback<()>, #[prop(into)] watch: Signal<usize>) -> impl IntoView {
    let node = NodeRef::<html::Div>::new();
    Effect::new(move |previous: Option<Option<send_wrapper::SendWrapper<web_sys::IntersectionObserver>>>| {
        watch.track();
        if let Some(Some(old)) = previous {
            old.disconnect();
        }
        let el = node.get()?;
        let callback = Closure::<dyn Fn(js_array::Entries)>::new(move |entries: js_array::Entries| {
            if entries.any_intersecting() {
                on_visible.run(());
            }
        });
        let options = web_sys::IntersectionObserverInit::new();
        options.set_root_margin("300px");
        let observer = web_sys::IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &options).ok()?;
        callback.forget();
        observer.observe(&el);
        Some(send_wrapper::SendWrapper::new(observer))
    });
    view! { <div class="sentinel" node_ref=node aria-hidden="true"></div> }
}

/// Reads IntersectionObserver entries without js-sys's full Array API.
mod js_array {
    use wasm_bindgen::{prelude::*, JsCast};

    #[wasm_bindgen]
    extern "C" {
        /// The entries array an IntersectionObserver passes to its callback.
        #[wasm_bindgen(typescript_type = "IntersectionObserverEntry[]")]
        pub type Entries;
        #[wasm_bindgen(method, getter)]
        fn length(this: &Entries) -> u32;
        #[wasm_bindgen(method, indexing_getter)]
        fn get(this: &Entries, index: u32) -> JsValue;
    }

    impl Entries {
        /// Whether any entry is intersecting.
        pub fn any_intersecting(&self) -> bool {
            (0..self.length()).any(|i| self.get(i).dyn_into::<web_sys::IntersectionObserverEntry>().is_ok_and(|e| e.is_intersecting()))
        }
    }
}
