//! Loading, empty and error states, shared by every page.

use leptos::prelude::*;

use crate::{api::ApiFailure, i18n::use_lang};

/// Grey blocks in the shape of a two-column card grid.
#[component]
pub fn GridSkeleton(#[prop(default = 4)] cards: usize) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="grid" aria-busy="true" aria-label=lang.t().loading>
            {(0..cards).map(|_| view! {
                <div class="card skeleton-card">
                    <div class="skeleton sq"></div>
                    <div class="skeleton line"></div>
                    <div class="skeleton line short"></div>
                </div>
            }).collect_view()}
        </div>
    }
}

/// A page's placeholder while its code or first data arrives: a title bar and cards.
#[component]
pub fn PageSkeleton() -> impl IntoView {
    view! {
        <div class="page" data-testid="page-skeleton">
            <div class="skeleton line title-skeleton"></div>
            <GridSkeleton cards=2 />
        </div>
    }
}

/// Grey rows in the shape of a list.
#[component]
pub fn ListSkeleton(#[prop(default = 6)] rows: usize) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="list" aria-busy="true" aria-label=lang.t().loading>
            {(0..rows).map(|_| view! {
                <div class="row skeleton-row">
                    <div class="skeleton dot"></div>
                    <div class="grow"><div class="skeleton line"></div><div class="skeleton line short"></div></div>
                </div>
            }).collect_view()}
        </div>
    }
}

/// Nothing to show, with one helpful action.
#[component]
pub fn Empty(#[prop(into)] message: String, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    view! {
        <div class="state empty" data-testid="empty">
            <svg width="72" height="72" viewBox="0 0 72 72" aria-hidden="true">
                <circle cx="36" cy="36" r="30" fill="var(--brand-weak)" />
                <path d="M24 30h24v18H24zM22 24h28v6H22zM36 24v24" fill="none" stroke="var(--brand)" stroke-width="2.5" stroke-linejoin="round" />
            </svg>
            <p>{message}</p>
            {children.map(|c| c())}
        </div>
    }
}

/// What went wrong, in words (offline vs. server), and a retry.
#[component]
pub fn ErrorState(failure: ApiFailure, retry: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let offline = failure == ApiFailure::Offline;
    let message = lang.failure(&failure);
    view! {
        <div class="state error" role="alert" data-testid="error-state">
            <svg width="72" height="72" viewBox="0 0 72 72" aria-hidden="true">
                <circle cx="36" cy="36" r="30" fill="var(--warn-weak)" />
                {if offline {
                    view! { <path d="M22 32a20 20 0 0 1 28 0M27 38a12 12 0 0 1 18 0M33 44a4 4 0 0 1 6 0M22 22l28 28" fill="none" stroke="var(--warn)" stroke-width="3" stroke-linecap="round" /> }.into_any()
                } else {
                    view! { <path d="M36 22v18M36 48v2" fill="none" stroke="var(--warn)" stroke-width="4" stroke-linecap="round" /> }.into_any()
                }}
            </svg>
            <p>{message}</p>
            <button class="btn btn-outline" on:click=move |_| retry.run(())>{lang.t().retry}</button>
        </div>
    }
}
