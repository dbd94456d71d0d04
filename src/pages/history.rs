//! The point history: filter tabs, month headings, signed amounts, infinite scroll.

use leptos::prelude::*;
use leptos_router::{
    hooks::{use_navigate, use_query_map},
    NavigateOptions,
};
use mall_core::{
    dto::{EntryKind, HistoryEntry, HistoryFilter},
    earning::MonthTotal,
    format::signed_points,
};

use crate::{
    api,
    components::{
        icons::{Icon, IconKind},
        paged::{Paged, PagedView},
        sheet::Sheet,
        states::{Empty, ErrorState, ListSkeleton},
    },
    i18n::{use_lang, Lang},
    session::use_session,
    title::set_page_title,
};

const FILTERS: [(Option<HistoryFilter>, &str); 4] =
    [(None, ""), (Some(HistoryFilter::Earned), "earned"), (Some(HistoryFilter::Spent), "spent"), (Some(HistoryFilter::Expired), "expired")];

fn filter_label(lang: Lang, f: Option<HistoryFilter>) -> &'static str {
    let p = lang.p();
    match f {
        None => p.filter_all,
        Some(HistoryFilter::Earned) => p.filter_earned,
        Some(HistoryFilter::Spent) => p.filter_spent,
        Some(HistoryFilter::Expired) => p.filter_expired,
    }
}

/// `2026-11-23T16:30:25+08:00` → (`2026-11`, `11-23 16:30`).
fn month_and_time(rfc3339: &str) -> (String, String) {
    let month = rfc3339.get(..7).unwrap_or_default().to_string();
    let time = format!("{} {}", rfc3339.get(5..10).unwrap_or_default(), rfc3339.get(11..16).unwrap_or_default());
    (month, time)
}

fn kind_icon(kind: EntryKind) -> IconKind {
    match kind {
        EntryKind::Register
        | EntryKind::Invite
        | EntryKind::Donation
        | EntryKind::LotteryDraw
        | EntryKind::LotteryPrize
        | EntryKind::Birthday
        | EntryKind::Campaign => IconKind::Gift,
        EntryKind::Checkin | EntryKind::Makeup => IconKind::Calendar,
        EntryKind::Task => IconKind::List,
        EntryKind::Purchase | EntryKind::DeductionHold => IconKind::Bag,
        EntryKind::Refund | EntryKind::DeductionRelease | EntryKind::DeductionRefund | EntryKind::PurchaseReversal => IconKind::Undo,
        EntryKind::Adjustment => IconKind::Sliders,
        EntryKind::Redeem => IconKind::Ticket,
        EntryKind::FlashSale => IconKind::Bolt,
        EntryKind::Expire => IconKind::Clock,
    }
}

/// The history page.
#[component]
pub fn History() -> impl IntoView {
    let lang = use_lang();
    set_page_title(|l| l.p().history_title.to_string());
    let query = use_query_map();
    let navigate = use_navigate();
    let filter = move || {
        let q = query.read();
        let name = q.get("kind").unwrap_or_default();
        FILTERS.iter().find(|(_, n)| *n == name).and_then(|(f, _)| *f)
    };
    let paged = Paged::<HistoryEntry>::new();
    let months = RwSignal::new(Vec::<MonthTotal>::new());
    let load_more = move || {
        let f = filter();
        paged.load_more(move |cursor| async move {
            let page = api::history(f, cursor).await?;
            months.try_update(|known| {
                for m in page.months {
                    if !known.iter().any(|k| k.month == m.month) {
                        known.push(m);
                    }
                }
            });
            Ok((page.entries, page.next_cursor))
        });
    };
    Effect::new(move |_| {
        filter();
        months.set(Vec::new());
        paged.reset();
        load_more();
    });
    let lots_open = RwSignal::new(query.with_untracked(|q| q.get("lots").is_some()));
    let pending_open = RwSignal::new(query.with_untracked(|q| q.get("pending").is_some()));
    let session = use_session();

    // Each row knows whether it starts a month; appending a page never changes that
    // for rows already shown, so the keyed list only adds rows.
    let rows = Memo::new(move |_| {
        paged.items.with(|items| {
            let mut last = String::new();
            items
                .iter()
                .map(|e| {
                    let (month, _) = month_and_time(&e.created_at);
                    let heading = (month != last).then(|| month.clone());
                    last = month;
                    (e.clone(), heading)
                })
                .collect::<Vec<_>>()
        })
    });

    view! {
        <section class="page history">
            <h1 class="page-title">{lang.p().history_title}</h1>
            {move || session.me.get().filter(|m| m.expiring_soon > 0).map(|m| view! {
                <button class="expiring-banner" data-testid="expiring-banner" on:click=move |_| lots_open.set(true)>
                    <Icon kind=IconKind::Clock size=18 />
                    <span class="grow">{lang.expiring(m.expiring_soon, m.expiring_on.as_deref().unwrap_or_default())}</span>
                    <Icon kind=IconKind::Chevron size=16 />
                </button>
            })}
            {move || session.me.get().filter(|m| m.pending_points > 0).map(|m| view! {
                <button class="expiring-banner pending-banner" data-testid="pending-banner" on:click=move |_| pending_open.set(true)>
                    <Icon kind=IconKind::Bag size=18 />
                    <span class="grow">{lang.pending(m.pending_points)}</span>
                    <Icon kind=IconKind::Chevron size=16 />
                </button>
            })}
            {move || session.me.get().filter(|m| m.shortfall_points > 0).map(|m| view! {
                <p class="note" data-testid="shortfall-note">{lang.shortfall(m.shortfall_points)}</p>
            })}
            {move || lots_open.get().then(|| view! { <LotsSheet on_close=Callback::new(move |_| lots_open.set(false)) /> })}
            {move || pending_open.get().then(|| view! { <PendingSheet on_close=Callback::new(move |_| pending_open.set(false)) /> })}
            <div class="seg" role="tablist">
                {FILTERS.into_iter().map(|(f, name)| {
                    let navigate = navigate.clone();
                    view! {
                        <button role="tab" class="seg-btn" data-testid=format!("filter-{}", if name.is_empty() { "all" } else { name })
                            aria-selected=move || (filter() == f).to_string()
                            on:click=move |_| {
                                let url = if name.is_empty() { "/history".to_string() } else { format!("/history?kind={name}") };
                                navigate(&url, NavigateOptions { replace: true, scroll: false, ..Default::default() });
                            }>
                            {move || filter_label(lang, f)}
                        </button>
                    }
                }).collect_view()}
            </div>
            <PagedView paged load_more=Callback::new(move |_| load_more())
                skeleton=|| view! { <ListSkeleton rows=8 /> }
                empty=move || view! {
                    <Empty message=lang.p().no_history>
                        <a class="btn btn-outline" href="/catalog">{lang.t().go_redeem}</a>
                    </Empty>
                }>
                <ul class="list entries">
                    <For each=move || rows.get() key=|(e, _)| e.id let:row>
                        <HistoryRow entry=row.0 heading=row.1 months />
                    </For>
                </ul>
            </PagedView>
        </section>
    }
}

/// The member's open lots, soonest to expire first.
#[component]
fn LotsSheet(on_close: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let lots = LocalResource::new(api::lots);
    view! {
        <Sheet title=lang.p().lots_title.to_string() on_close>
            <div class="sheet-body" data-testid="lots-sheet">
                {move || lots.get().map(|r| match r {
                    Ok(list) => view! {
                        <ul class="list lots">
                            {list.into_iter().map(|lot| view! {
                                <li class="row lot" class:soon=lot.expiring_soon>
                                    <span class="grow">
                                        <span class="row-title num">{lang.points(lot.remaining)}</span>
                                        <span class="row-sub">{lang.lot_line(&lot.earned_at, lot.amount)}</span>
                                    </span>
                                    <span class="lot-expiry num">{lang.expires_on(&lot.expires_on)}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(f) => view! { <ErrorState failure=f retry=Callback::new(move |_| lots.refetch()) /> }.into_any(),
                })}
            </div>
        </Sheet>
    }
}

/// Purchase points inside their return window, soonest to arrive first.
#[component]
fn PendingSheet(on_close: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let pending = LocalResource::new(api::pending);
    view! {
        <Sheet title=lang.p().pending_title.to_string() on_close>
            <div class="sheet-body" data-testid="pending-sheet">
                <p class="row-sub">{lang.p().pending_note}</p>
                {move || pending.get().map(|r| match r {
                    Ok(list) if list.pending.is_empty() => view! { <p class="row-sub">{lang.p().pending_none}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="list lots">
                            {list.pending.into_iter().map(|p| view! {
                                <li class="row lot" data-testid="pending-row">
                                    <span class="grow">
                                        <span class="row-title num">{signed_points(p.points)}</span>
                                        <span class="row-sub">{p.purchase_id}</span>
                                    </span>
                                    <span class="lot-expiry num">{lang.arrives_on(&p.settles_at)}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(f) => view! { <ErrorState failure=f retry=Callback::new(move |_| pending.refetch()) /> }.into_any(),
                })}
            </div>
        </Sheet>
    }
}

/// One entry, preceded by its month's heading (with the month's totals) when it is the month's first.
#[component]
fn HistoryRow(entry: HistoryEntry, heading: Option<String>, months: RwSignal<Vec<MonthTotal>>) -> impl IntoView {
    let l = use_lang();
    let (_, time) = month_and_time(&entry.created_at);
    let title = entry.reference.as_ref().and_then(|r| r.label.as_ref()).map(|label| l.pick(label));
    view! {
        {heading.map(|month| {
            let key = month.clone();
            view! {
                <li class="month-heading">
                    <span>{l.month_title(&month)}</span>
                    <span class="month-totals num">
                        {move || months.with(|all| all.iter().find(|m| m.month == key).map(|m| l.month_totals(m.income, m.spending)))}
                    </span>
                </li>
            }
        })}
        <li class="row entry" data-testid="history-entry" data-kind=entry.kind.as_str()>
            <span class="entry-icon" aria-hidden="true"><Icon kind=kind_icon(entry.kind) size=20 /></span>
            <span class="grow">
                <span class="row-title">{l.entry_kind(entry.kind)}{title.map(|t| format!(" · {t}"))}</span>
                <span class="row-sub num">{time} " · " {l.balance_after_entry(entry.balance_after)}</span>
            </span>
            <span class="amount num" class:plus={entry.amount > 0} data-testid="entry-amount">{signed_points(entry.amount)}</span>
        </li>
    }
}
