//! Home's extras, from the `extras` chunk after the first screen: this week's
//! redemption leaderboard (Mon–Sun, shop time), up to six picks for the member (from
//! the categories it redeemed, else the popular ones; affordable first), and the
//! campaigns running for the member (last, so nothing above it moves when it arrives;
//! nothing at all when none runs).

use leptos::{either::EitherOf3, prelude::*};
use mall_core::{
    campaign::Campaign,
    engagement::{Leaderboard, Picks, PicksBasis},
};

use crate::{
    api::{self, ApiResult},
    components::{
        item_card::ItemCard,
        states::{ErrorState, ListSkeleton},
    },
    i18n::{use_lang, Lang},
};

/// The leaderboard rows Home shows (the answer has up to ten).
const BOARD_ROWS: usize = 5;

/// The leaderboard and the picks, each loaded on its own.
#[component]
pub fn HomeExtras() -> impl IntoView {
    let board = LocalResource::new(api::leaderboard);
    let picks = LocalResource::new(api::picks);
    let campaigns = LocalResource::new(api::campaigns);
    view! {
        <WeeklyBoard board />
        <PicksGrid picks />
        <RunningCampaigns campaigns />
    }
}

#[component]
fn WeeklyBoard(board: LocalResource<ApiResult<Leaderboard>>) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    view! {
        <section class="home-extra" aria-labelledby="board-heading" data-testid="home-leaderboard">
            <div class="section-head"><h2 id="board-heading">{p.board_title}</h2></div>
            {move || match board.get() {
                None => EitherOf3::A(view! { <ListSkeleton rows=3 /> }),
                Some(Err(f)) => EitherOf3::B(view! { <ErrorState failure=f retry=Callback::new(move |_| board.refetch()) /> }),
                Some(Ok(b)) if b.entries.is_empty() => EitherOf3::C(view! { <p class="muted board-empty">{p.board_empty}</p> }.into_any()),
                Some(Ok(b)) => EitherOf3::C(view! {
                    <ol class="list board">
                        {b.entries.into_iter().take(BOARD_ROWS).enumerate().map(|(i, e)| view! {
                            <li>
                                <a class="row" href=format!("/items/{}", e.item.id) data-testid="board-row">
                                    <span class="board-rank num" class:top=i < 3>{i + 1}</span>
                                    <span class="grow row-title">{lang.pick(&e.item.name)}</span>
                                    <span class="row-sub num">{lang.board_count(e.count)}</span>
                                </a>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()),
            }}
        </section>
    }
}

#[component]
fn PicksGrid(picks: LocalResource<ApiResult<Picks>>) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    move || match picks.get() {
        // Nothing to suggest (everything sold out or locked): no empty section.
        Some(Ok(picks)) if picks.items.is_empty() => None,
        Some(Ok(picks)) => Some(EitherOf3::A(view! {
            <section class="home-extra" aria-labelledby="picks-heading" data-testid="home-picks" data-basis=match picks.basis {
                PicksBasis::History => "history",
                PicksBasis::Popular => "popular",
            }>
                <div class="section-head"><h2 id="picks-heading">{p.picks_title}</h2><a href="/catalog">{lang.t().see_all}</a></div>
                // One row that scrolls sideways: six full cards would push everything else away.
                <div class="picks-strip" tabindex="0" role="region" aria-labelledby="picks-heading">
                    {picks.items.into_iter().map(|item| view! { <ItemCard item /> }).collect_view()}
                </div>
            </section>
        })),
        Some(Err(f)) => Some(EitherOf3::B(view! { <ErrorState failure=f retry=Callback::new(move |_| picks.refetch()) /> })),
        None => Some(EitherOf3::C(view! { <ListSkeleton rows=2 /> })),
    }
}

/// When a campaign ends, in the member's own time: `至 12月8日 24:00` / `until Dec 8`
/// (an end at midnight is the day before's 24:00), `至 12月8日 18:00` / `until Dec 8, 18:00`.
fn until(lang: Lang, ends_at: i64) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ends_at as f64 * 1000.0));
    let midnight = d.get_hours() == 0 && d.get_minutes() == 0;
    let day = if midnight { js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ends_at as f64 * 1000.0 - 1.0)) } else { d.clone() };
    let (month, date) = (day.get_month(), day.get_date());
    let clock = format!("{:02}:{:02}", d.get_hours(), d.get_minutes());
    let name = MONTHS[month.min(11) as usize];
    match (lang, midnight) {
        (Lang::Zh, true) => format!("至 {}月{date}日 24:00", month + 1),
        (Lang::Zh, false) => format!("至 {}月{date}日 {clock}", month + 1),
        (Lang::En, true) => format!("until {name} {date}"),
        (Lang::En, false) => format!("until {name} {date}, {clock}"),
    }
}

/// The campaigns running for the member, each in its words with when it ends.
#[component]
fn RunningCampaigns(campaigns: LocalResource<ApiResult<Vec<Campaign>>>) -> impl IntoView {
    let lang = use_lang();
    move || {
        let list = campaigns.get().and_then(Result::ok).filter(|l| !l.is_empty())?;
        Some(view! {
            <section class="home-extra campaign-banner" aria-labelledby="campaigns-heading" data-testid="home-campaigns">
                <div class="section-head"><h2 id="campaigns-heading">{lang.p().campaigns_banner}</h2></div>
                <ul class="list campaign-list">
                    {list.into_iter().map(|c| view! {
                        <li class="campaign-offer" data-testid="home-campaign" data-id=c.id>
                            <span class="campaign-tag" aria-hidden="true">{lang.zh_en("活动", "Bonus")}</span>
                            <span class="grow">
                                <span class="row-title">{lang.campaign_offer(&c)}" · "<span class="num">{until(lang, c.ends_at)}</span></span>
                                <span class="row-sub">{lang.pick(&c.name)}</span>
                            </span>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })
    }
}
