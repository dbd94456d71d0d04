//! Home's extras, from the `extras` chunk after the first screen: this week's
//! redemption leaderboard (Mon–Sun, shop time) and up to six picks for the member (from
//! the categories it redeemed, else the popular ones; affordable first).

use leptos::{either::EitherOf3, prelude::*};
use mall_core::engagement::{Leaderboard, Picks, PicksBasis};

use crate::{
    api::{self, ApiResult},
    components::{
        item_card::ItemCard,
        states::{ErrorState, ListSkeleton},
    },
    i18n::use_lang,
};

/// The leaderboard rows Home shows (the answer has up to ten).
const BOARD_ROWS: usize = 5;

/// The leaderboard and the picks, each loaded on its own.
#[component]
pub fn HomeExtras() -> impl IntoView {
    let board = LocalResource::new(api::leaderboard);
    let picks = LocalResource::new(api::picks);
    view! {
        <WeeklyBoard board />
        <PicksGrid picks />
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
