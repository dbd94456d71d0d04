//! The point history: filter tabs, month headings, signed amounts, infinite scroll.

use leptos::prelude::*;
use leptos_router::{hooks::{use_navigate, use_query_map}, NavigateOptions};
use mall_core::{
    dto::{EntryKind, HistoryEntry, HistoryFilter},
    format::signed_points,
};

use crate::{
    api,
    components::{
        icons::{Icon, IconKind},
        paged::{PagedView, Paged},
        states::{Empty, ListSkeleton},
    },
    i18n::{use_lang, Lang},
    title::set_page_title,
};

const FILTERS: [(Option<HistoryFilter>, &str); 4] = [
    (None, ""),
    (Some(HistoryFilter::Earned), "earned"),
    (Some(HistoryFilter::Spent), "spent"),
    (Some(HistoryFilter::Expired), "expired"),
];

fn filter_label(lang: Lang, f: Option<HistoryFilter>) -> &'static str {
    let t = lang.t();
    match f {
        None => t.filter_all,
        Some(HistoryFilter::Earned) => t.filter_earned,
        Some(HistoryFilter::Spent) => t.filter_spent,
        Some(HistoryFilter::Expired) => t.filter_expired,
    }
}

/// `2026-11-23T16:30:25+08:00` → (`2026-11`, `11-23 16:30`).
fn month_and_time(rfc3339: &str) -> (String, String) {
    let month = rfc3339.get(..7).unwrap_or_default().to_string();
    let time = format!("{} {}", rfc3339.get(5..10).unwrap_or_default(), rfc3339.get(11..16).unwrap_or_default());
    (month, time)
}

fn month_heading(lang: Lang, month: &str) -> String {
    let (y, m) = month.split_once('-').unwrap_or((month, ""));
    match lang {
        Lang::Zh => format!("{y}年{}月", m.trim_start_matches('0')),
        Lang::En => format!("{m}/{y}"),
    }
}

fn kind_icon(kind: EntryKind) -> IconKind {
    match kind {
        EntryKind::Register | EntryKind::Invite => IconKind::Gift,
        EntryKind::Checkin | EntryKind::Makeup => IconKind::Calendar,
        EntryKind::Task => IconKind::List,
        EntryKind::Purchase => IconKind::Bag,
        EntryKind::Refund => IconKind::Undo,
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
    set_page_title(|l| l.t().history_title.to_string());
    let query = use_query_map();
    let navigate = use_navigate();
    let filter = move || {
        let q = query.read();
        let name = q.get("kind").unwrap_or_default();
        FILTERS.iter().find(|(_, n)| *n == name).and_then(|(f, _)| *f)
    };
    let paged = Paged::<HistoryEntry>::new();
    let load_more = move || {
        let f = filter();
        paged.load_more(move |cursor| async move { api::history(f, cursor).await.map(|p| (p.entries, p.next_cursor)) });
    };
    Effect::new(move |_| {
        query.track();
        paged.reset();
        load_more();
    });

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
            <h1 class="page-title">{lang.t().history_title}</h1>
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
                    <Empty message=lang.t().no_history>
                        <a class="btn btn-outline" href="/catalog">{lang.t().go_redeem}</a>
                    </Empty>
                }>
                <ul class="list entries">
                    <For each=move || rows.get() key=|(e, _)| e.id let:row>
                        <HistoryRow entry=row.0 heading=row.1 />
                    </For>
                </ul>
            </PagedView>
        </section>
    }
}

/// One entry, preceded by its month's heading when it is the month's first.
#[component]
fn HistoryRow(entry: HistoryEntry, heading: Option<String>) -> impl IntoView {
    let l = use_lang();
    let (_, time) = month_and_time(&entry.created_at);
    let title = entry.reference.as_ref().and_then(|r| r.label.as_ref()).map(|label| l.pick(label));
    view! {
        {heading.map(|month| view! { <li class="month-heading" role="presentation">{month_heading(l, &month)}</li> })}
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
