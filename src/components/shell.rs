//! The frame around every page: a header with the authoritative balance and tier,
//! and the bottom tab bar (safe-area aware).

use leptos::prelude::*;
use leptos_router::components::A;
use mall_core::format::group_thousands;

use crate::{
    components::icons::{Icon, IconKind},
    i18n::use_lang,
    lazy::prefetch_link_target,
    session::{use_session, Auth},
};

/// The header: brand on the left, balance and tier on the right.
#[component]
pub fn Header() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    view! {
        <header class="app-header" on:pointerdown=prefetch_link_target>
            <a class="brand" href="/">
                <img src="/img/logo.svg" alt="" width="28" height="28" />
                <span>{lang.t().app_name}</span>
            </a>
            {move || {
                let me = session.me.get();
                let checking = session.auth.get() == Auth::Checking;
                match me {
                    Some(me) => view! {
                        <a class="balance-chip" href="/history" data-testid="header-balance">
                            <span class="tier-pill" data-tier=me.tier.as_str()>{lang.tier(me.tier)}</span>
                            <Icon kind=IconKind::Coin size=18 />
                            <span class="num" data-testid="balance">{group_thousands(me.balance)}</span>
                            <span class="sr-only">{lang.t().pts}</span>
                        </a>
                    }.into_any(),
                    None if checking => view! { <span class="balance-chip"><span class="skeleton chip-skeleton"></span></span> }.into_any(),
                    None => ().into_any(),
                }
            }}
        </header>
    }
}

/// The bottom navigation.
#[component]
pub fn TabBar() -> impl IntoView {
    let lang = use_lang();
    let tab = move |href: &'static str, icon: IconKind, label: fn(&'static crate::i18n::Texts) -> &'static str| {
        view! {
            <A href=href exact=true attr:class="tab">
                <Icon kind=icon />
                <span>{move || label(lang.t())}</span>
            </A>
        }
    };
    view! {
        <nav class="tab-bar" aria-label=lang.t().main_nav on:pointerdown=prefetch_link_target>
            {tab("/", IconKind::Home, |t| t.tab_home)}
            {tab("/catalog", IconKind::Gift, |t| t.tab_catalog)}
            {tab("/checkin", IconKind::Calendar, |t| t.tab_checkin)}
            {tab("/history", IconKind::List, |t| t.tab_history)}
            {tab("/me", IconKind::User, |t| t.tab_me)}
        </nav>
    }
}
