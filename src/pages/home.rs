//! Home: the balance card (the largest number on screen), expiring points, the
//! check-in entry and popular rewards; this week's leaderboard and the member's picks
//! come a moment later from a chunk.

use leptos::prelude::*;
use mall_core::{dto::ItemQuery, earning::CheckinMonth, format::group_thousands, sales::SaleState};

use crate::{
    api,
    components::{
        icons::{Icon, IconKind},
        item_card::ItemCard,
        states::{ErrorState, GridSkeleton},
    },
    i18n::use_lang,
    lazy::{LazyRoute, LoadLater},
    pages::{
        checkin::use_check_in,
        sales::{state_now, Countdown},
    },
    sales_today::use_sales_today,
    server_clock::use_server_clock,
    session::use_session,
    title::set_page_title,
};

/// How many popular items Home shows (one row: Home loads no item image the member does
/// not see; "see all" opens the catalogue).
const HOT_COUNT: u32 = mall_core::catalog::HOME_POPULAR;

/// The home page.
#[component]
pub fn Home() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    set_page_title(|l| l.t().tab_home.to_string());
    let hot = LocalResource::new(|| async { api::items(&ItemQuery::home_popular()).await });

    view! {
        <section class="page home">
            <div class="balance-card">
                {move || session.me.get().map(|me| {
                    let expiring = me.expiring_on.clone().filter(|_| me.expiring_soon > 0);
                    view! {
                        <div class="balance-top">
                            <span class="balance-label">{lang.t().my_points}</span>
                            <span class="tier-pill" data-tier=me.tier.as_str()>{lang.tier(me.tier)}</span>
                        </div>
                        <p class="balance-hero num" data-testid="home-balance">{group_thousands(me.balance)}</p>
                        {expiring.map(|date| view! {
                            <a class="chip chip-warn" href="/history?lots=open" data-testid="expiring-chip">
                                {lang.expiring(me.expiring_soon, &date)}
                                <Icon kind=IconKind::Chevron size=14 />
                            </a>
                        })}
                        {(me.pending_points > 0).then(|| view! {
                            <a class="chip chip-warn chip-info" href="/history?pending=open" data-testid="pending-chip">
                                {lang.pending(me.pending_points)}
                                <Icon kind=IconKind::Chevron size=14 />
                            </a>
                        })}
                        <a class="btn btn-light" href="/catalog">{lang.t().go_redeem}</a>
                    }
                })}
            </div>

            <CheckinCard />
            <NextSale />

            <div class="section-head">
                <h2>{lang.t().hot_items}</h2>
                <a href="/catalog">{lang.t().see_all}</a>
            </div>
            <Suspense fallback=|| view! { <GridSkeleton cards=HOT_COUNT as usize /> }>
                {move || hot.get().map(|r| match r {
                    Ok(page) => view! {
                        <div class="grid">
                            {page.items.into_iter().map(|item| view! { <ItemCard item eager=true /> }).collect_view()}
                        </div>
                    }.into_any(),
                    Err(f) => view! { <ErrorState failure=f retry=Callback::new(move |_| hot.refetch()) /> }.into_any(),
                })}
            </Suspense>
            <LoadLater route=LazyRoute::Extras />
        </section>
    }
}

/// Today's check-in on Home: the streak, today's (or tomorrow's) reward and one tap.
#[component]
fn CheckinCard() -> impl IntoView {
    let lang = use_lang();
    let month = LocalResource::new(|| api::checkins(None));
    let data = RwSignal::new(None::<CheckinMonth>);
    let check_in = use_check_in();
    Effect::new(move |_| {
        if let Some(Ok(m)) = month.get() {
            data.set(Some(m));
        }
    });
    view! {
        <div class="checkin-card" data-testid="home-checkin">
            <a class="checkin-card-link" href="/checkin">
                <Icon kind=IconKind::Calendar size=28 />
                <span class="grow">
                    <span class="row-title">{lang.t().checkin_card}</span>
                    <span class="row-sub">
                        {move || data.get().map(|m| {
                            let reward = if m.checked_today { lang.tomorrow_reward(m.tomorrow_reward) } else { lang.today_reward(m.today_reward.unwrap_or(0)) };
                            format!("{} · {}", lang.streak_days(m.streak), reward)
                        })}
                    </span>
                </span>
            </a>
            {move || data.get().map(|m| {
                let done = m.checked_today;
                view! {
                    <button class="btn btn-primary btn-sm" data-testid="home-checkin-button" disabled=move || done || check_in.pending()
                        on:click=move |_| check_in.submit(move |calendar, _| { data.try_set(Some(calendar)); })>
                        {if done { lang.t().checked_in_today } else { lang.t().check_in_now }}
                    </button>
                }
            })}
        </div>
    }
}

/// The next (or live) flash sale with its countdown.
#[component]
fn NextSale() -> impl IntoView {
    let lang = use_lang();
    let clock = use_server_clock();
    let day = use_sales_today();
    // Re-chosen on each tick, but the teaser is rebuilt only when the choice changes.
    let next = Memo::new(move |_| {
        let now = clock.now_ms();
        day.get()
            .and_then(Result::ok)
            .and_then(|day| day.sales.into_iter().find(|s| matches!(state_now(s, now), SaleState::Live | SaleState::Upcoming)))
            .map(|sale| {
                let live = state_now(&sale, now) == SaleState::Live;
                (sale, live)
            })
    });
    // The row keeps its place while today's sales load and when there is none, so
    // nothing below it moves once they arrive.
    // `None` while loading, `Some(true)` when today has no sale, `Some(false)` when the
    // list failed to load (the sales page says why).
    let none_today = move || day.get().map(|r| r.is_ok());
    view! {
        {move || match next.get() {
            Some((sale, live)) => {
                let target = if live { sale.ends_at_ms } else { sale.opens_at_ms };
                view! {
                    <a class="sale-teaser" href="/sales" data-testid="home-sale">
                        <span class="sale-teaser-tag">{lang.t().flash_sale}</span>
                        <span class="grow">
                            <span class="row-title">{lang.pick(&sale.offer)}</span>
                            <span class="row-sub">{if live { lang.t().ends_in } else { lang.t().starts_in }}" "<Countdown target_ms=Signal::derive(move || target) /></span>
                        </span>
                        {sale.reminded.then(|| view! { <span class="badge remind-badge" data-testid="remind-badge">{lang.t().reminder_badge}</span> })}
                        <Icon kind=IconKind::Chevron size=18 />
                    </a>
                }.into_any()
            }
            // Every state has the live teaser's two lines, so its height never changes.
            None => match none_today() {
                Some(ok) => view! {
                    <a class="sale-teaser" href="/sales" data-testid="home-sale-none">
                        <span class="sale-teaser-tag">{lang.t().flash_sale}</span>
                        <span class="grow">
                            <span class="row-title">{if ok { lang.t().no_sales } else { lang.t().see_all }}</span>
                            <span class="row-sub">"\u{a0}"</span>
                        </span>
                        <Icon kind=IconKind::Chevron size=18 />
                    </a>
                }.into_any(),
                None => view! {
                    <div class="sale-teaser" aria-hidden="true">
                        <span class="grow">
                            <span class="row-title">"\u{a0}"</span>
                            <span class="row-sub">"\u{a0}"</span>
                        </span>
                    </div>
                }.into_any(),
            },
        }}
        <a class="wallet-link" href="/wallet" data-testid="wallet-link">
            <Icon kind=IconKind::Ticket size=22 />
            <span class="grow">{lang.t().wallet_title}</span>
            <Icon kind=IconKind::Chevron size=16 />
        </a>
    }
}
