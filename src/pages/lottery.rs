//! Lottery (积分抽奖): the cost, draws left today, every prize with its odds and stock
//! (an out-of-stock prize says so before the draw), and the draw: the server decides, then
//! the result is revealed in 400 ms (no reveal motion with reduced motion).

use leptos::prelude::*;
use mall_core::{
    format::{group_thousands, percent_of_bp},
    lottery::{DrawResult, Lottery, PrizeKind},
    ErrorCode,
};

use crate::{
    api::{self, ApiFailure},
    components::states::{Empty, ErrorState, ListSkeleton},
    i18n::use_lang,
    intent::Intent,
    session::use_session,
    title::set_page_title,
};

/// The lottery page.
#[component]
pub fn LotteryPage() -> impl IntoView {
    let lang = use_lang();
    set_page_title(|l| l.p().lottery_title.to_string());
    let lottery = LocalResource::new(api::lottery);
    // Here, not in the board: the board is rebuilt after each draw, the result and the
    // key of a draw whose answer was lost stay.
    let draw = Intent::new(|id: i64, key: String| async move { api::draw(id, &key).await });
    let result = RwSignal::new(None::<DrawResult>);
    view! {
        <section class="page lottery">
            <h1 class="page-title">{lang.p().lottery_title}</h1>
            {move || match lottery.get() {
                None => view! { <ListSkeleton rows=4 /> }.into_any(),
                Some(Err(ApiFailure::Refused { code: ErrorCode::NotFound, .. })) => view! { <Empty message=lang.p().lottery_none /> }.into_any(),
                Some(Err(f)) => view! { <ErrorState failure=f retry=Callback::new(move |_| lottery.refetch()) /> }.into_any(),
                Some(Ok(l)) => view! { <Board lottery=l draw result on_drawn=Callback::new(move |_| lottery.refetch()) /> }.into_any(),
            }}
        </section>
    }
}

/// The prizes, the draw button and the last result.
#[component]
fn Board(lottery: Lottery, draw: Intent<i64, DrawResult>, result: RwSignal<Option<DrawResult>>, on_drawn: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let (id, cost, left) = (lottery.id, lottery.cost_points, lottery.draws_left_today);
    let balance = move || session.me.with(|m| m.as_ref().map_or(0, |m| m.balance));
    let drawing = move || draw.pending();
    let start = move |_| {
        result.set(None);
        draw.dispatch(id, move |done| {
            session.refresh();
            on_drawn.run(());
            result.try_set(Some(done));
        });
    };
    view! {
        <p class="row-sub">{lang.pick(&lottery.name)}</p>
        <p class="lottery-meta num" data-testid="lottery-meta">{lang.lottery_meta(cost, left, lottery.draws_per_day)}</p>
        <ul class="prize-list" data-testid="prizes">
            {lottery.prizes.iter().map(|p| {
                let out = p.stock_left == 0;
                view! {
                    <li class="prize" class:out=out data-testid="prize">
                        <span class="prize-kind">{match p.kind {
                            PrizeKind::Points => lang.p().prize_kind_points,
                            PrizeKind::Item => lang.p().prize_kind_item,
                            PrizeKind::Coupon => lang.p().prize_kind_coupon,
                        }}</span>
                        <span class="grow row-title">{lang.pick(&p.name)}</span>
                        <span class="prize-odds num">{percent_of_bp(p.probability_bp)}</span>
                        <span class="prize-stock num">{if out { lang.p().prize_out.to_string() } else { lang.prize_left(p.stock_left) }}</span>
                    </li>
                }
            }).collect_view()}
            <li class="prize none">
                <span class="grow row-title">{lang.p().prize_nothing}</span>
                <span class="prize-odds num">{percent_of_bp(lottery.no_prize_bp)}</span>
                <span class="prize-stock"></span>
            </li>
        </ul>
        {lottery.prizes.iter().any(|p| p.stock_left == 0).then(|| view! { <p class="row-sub" data-testid="prize-out-note">{lang.p().prize_out_note}</p> })}
        {lottery.prizes.iter().any(|p| p.kind == PrizeKind::Item).then(|| view! {
            <p class="row-sub" data-testid="prize-item-note">{lang.p().prize_item_note}" "<a href="/addresses">{lang.p().prize_address_link}</a></p>
        })}
        <button type="button" class="btn btn-primary draw-button" data-testid="draw"
            disabled=move || drawing() || left == 0 || balance() < cost on:click=start>
            {move || if drawing() { lang.p().drawing.to_string() } else { lang.draw_button(cost) }}
        </button>
        {(left == 0).then(|| view! { <p class="row-sub" data-testid="no-draws-left">{lang.p().draws_used_up}</p> })}
        <div class="draw-result-slot" role="status" aria-live="polite">
            {move || result.get().map(Ok).or_else(|| draw.failure().map(Err)).map(|r| match r {
                Ok(done) => {
                    let text = match (&done.prize, done.out_of_stock) {
                        (Some(p), _) => lang.prize_won(&lang.pick(&p.name)),
                        (None, true) => lang.p().prize_was_out.to_string(),
                        (None, false) => lang.p().prize_none_this_time.to_string(),
                    };
                    view! {
                        <div class="draw-result reveal" class:won=done.prize.is_some() data-testid="draw-result">
                            <p class="row-title">{text}</p>
                            {done.code.clone().map(|code| view! {
                                <p class="row-sub" data-testid="prize-code">{lang.p().prize_code_in_wallet} " " <span class="num">{code}</span>
                                    " " <a href="/wallet">{lang.p().see_wallet}</a></p>
                            })}
                            {done.order_id.map(|_| view! {
                                <p class="row-sub" data-testid="prize-order">{lang.p().prize_order_made} " " <a href="/me">{lang.p().see_orders}</a></p>
                            })}
                            <p class="row-sub num">{lang.balance_after_entry(done.balance)} " · " {lang.draws_left(done.draws_left_today)}</p>
                        </div>
                    }.into_any()
                }
                Err(ApiFailure::Refused { code: ErrorCode::LimitReached, .. }) => {
                    view! { <p class="field-error" data-testid="draw-refused">{lang.p().draws_used_up}</p> }.into_any()
                }
                // An item prize ships: the draw waits for an address (nothing was taken).
                Err(ApiFailure::Refused { code: ErrorCode::AddressRequired, .. }) => view! {
                    <p class="field-error" data-testid="draw-refused">{lang.p().prize_needs_address}" "
                        <a href="/addresses" data-testid="draw-add-address">{lang.p().prize_address_link}</a></p>
                }.into_any(),
                Err(f) => view! { <p class="field-error" data-testid="draw-refused">{lang.page_failure(&f)}</p> }.into_any(),
            })}
        </div>
        <p class="row-sub lottery-fine">{lang.p().lottery_fine} {group_thousands(cost)}</p>
    }
}
