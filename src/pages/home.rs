//! Home: the balance card (the largest number on screen), expiring points, the
//! check-in entry and popular rewards.

use leptos::prelude::*;
use mall_core::{catalog::Sort, dto::ItemQuery, format::group_thousands};

use crate::{
    api,
    components::{
        icons::{Icon, IconKind},
        item_card::ItemCard,
        states::{ErrorState, GridSkeleton},
    },
    i18n::use_lang,
    session::use_session,
    title::set_page_title,
};

/// How many popular items Home shows.
const HOT_COUNT: u32 = 6;

/// The home page.
#[component]
pub fn Home() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    set_page_title(|l| l.t().tab_home.to_string());
    let hot = LocalResource::new(|| async {
        api::items(&ItemQuery { sort: Some(Sort::Popular), limit: Some(HOT_COUNT), ..Default::default() }).await
    });

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
                            <a class="chip chip-warn" href="/history" data-testid="expiring-chip">
                                {lang.expiring(me.expiring_soon, &date)}
                                <Icon kind=IconKind::Chevron size=14 />
                            </a>
                        })}
                        <a class="btn btn-light" href="/catalog">{lang.t().go_redeem}</a>
                    }
                })}
            </div>

            <a class="checkin-card" href="/checkin">
                <Icon kind=IconKind::Calendar size=28 />
                <span class="grow">
                    <span class="row-title">{lang.t().checkin_card}</span>
                    <span class="row-sub">{lang.t().coming_soon}</span>
                </span>
                <Icon kind=IconKind::Chevron size=18 />
            </a>

            <div class="section-head">
                <h2>{lang.t().hot_items}</h2>
                <a href="/catalog">{lang.t().see_all}</a>
            </div>
            <Suspense fallback=|| view! { <GridSkeleton cards=HOT_COUNT as usize /> }>
                {move || hot.get().map(|r| match r {
                    Ok(page) => view! {
                        <div class="grid">
                            {page.items.into_iter().map(|item| view! { <ItemCard item /> }).collect_view()}
                        </div>
                    }.into_any(),
                    Err(f) => view! { <ErrorState failure=f retry=Callback::new(move |_| hot.refetch()) /> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
