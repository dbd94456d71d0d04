//! The back office's statistics (数据统计): a range of shop days, the points accounting
//! (opening, issued, taken back, spent, returned, expired, closing; the liability) and
//! the activity and the cash the host collected, each as an inline SVG chart drawn here with its table under it, the top
//! items and the codes per merchant; the CSV of the same range.

use leptos::{
    either::{Either, EitherOf3},
    prelude::*,
};
use mall_core::{
    format::group_thousands,
    stats::{DayStats, Stats},
};

use crate::{
    api,
    asked::Asked,
    components::{field::Field, states::ListSkeleton},
    i18n::use_lang,
    pages::ops_sales::add_days,
    server_clock::use_shop_today,
};

/// One series of a chart: its name, its CSS class (its colour) and a value per day.
#[derive(Clone)]
pub struct Series {
    /// The legend's words.
    pub name: &'static str,
    /// `s1`…`s4`: the colour.
    pub class: &'static str,
    /// One value per day.
    pub values: Vec<i64>,
}

/// A round upper bound for an axis: 1, 2 or 5 × 10ⁿ at or above `max`.
pub fn nice_max(max: i64) -> i64 {
    let mut step = 1i64;
    loop {
        for m in [1, 2, 5] {
            if step * m >= max.max(1) {
                return step * m;
            }
        }
        step *= 10;
    }
}

/// Grouped bars, one group per day, drawn as SVG (scales with its box; the numbers are
/// in the table under it).
#[component]
pub fn BarChart(title: String, days: Vec<String>, series: Vec<Series>) -> impl IntoView {
    const W: f64 = 480.0;
    const H: f64 = 200.0;
    const LEFT: f64 = 52.0;
    const BOTTOM: f64 = 24.0;
    const TOP: f64 = 8.0;
    let max = nice_max(series.iter().flat_map(|s| s.values.iter().copied()).max().unwrap_or(0));
    let n = days.len().max(1) as f64;
    let group = (W - LEFT) / n;
    let bar = (group * 0.8 / series.len().max(1) as f64).min(24.0);
    let y = move |v: i64| TOP + (H - TOP - BOTTOM) * (1.0 - v as f64 / max as f64);
    let every = (days.len() / 5).max(1);
    let grid = [0, max / 2, max]
        .into_iter()
        .map(|v| {
            view! {
                <line class="grid" x1=LEFT x2=W y1={y(v)} y2={y(v)} />
                <text class="axis" x={LEFT - 6.0} y={y(v) + 4.0} text-anchor="end">{group_thousands(v)}</text>
            }
        })
        .collect_view();
    let labels = days
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, d)| {
            let x = LEFT + group * (i as f64 + 0.5);
            view! { <text class="axis" x=x y={H - 6.0} text-anchor="middle">{d.get(5..).unwrap_or_default().to_string()}</text> }
        })
        .collect_view();
    let width = bar * series.len() as f64;
    let bars = series
        .iter()
        .enumerate()
        .flat_map(|(k, s)| {
            let class = s.class;
            s.values
                .iter()
                .enumerate()
                .map(move |(i, v)| {
                    let x = LEFT + group * i as f64 + (group - width) / 2.0 + bar * k as f64;
                    let top = y(*v);
                    view! { <rect class=class x=x y=top width={(bar - 1.0).max(1.0)} height={(H - BOTTOM - top).max(0.0)} /> }
                })
                .collect::<Vec<_>>()
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=title.clone() preserveAspectRatio="xMidYMid meet">
                {grid}
                {bars}
                {labels}
            </svg>
            <figcaption class="legend">
                {series.iter().map(|s| view! { <span class="legend-key"><i class=s.class></i>{s.name}</span> }).collect_view()}
            </figcaption>
        </figure>
    }
}

/// The statistics section.
#[component]
pub fn StatsSection() -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let stats = Asked::new(|(f, t): (String, String)| api::admin_stats(f, t));
    // The range of the statistics shown (or on their way).
    let range = move || stats.query();
    let load = move || stats.ask((from.get_untracked(), to.get_untracked()));
    // The last fourteen shop days, once the server said which day it is.
    let today = use_shop_today();
    Effect::new(move |_| {
        if let Some(today) = today.date() {
            from.set(add_days(&today, -13));
            to.set(today);
            load();
        }
    });
    let csv = move || {
        range()
            .map(|(f, t)| format!("/api/admin/stats.csv?from={}&to={}", api::percent_encode(&f), api::percent_encode(&t)))
            .unwrap_or_default()
    };
    view! {
        <section class="card ops-card" aria-labelledby="stats-heading" data-testid="ops-stats">
            <div class="card-head">
                <h2 class="card-heading" id="stats-heading">{p.ops_stats}</h2>
                {move || range().map(|_| view! { <a class="btn btn-outline btn-sm" href=csv download="" data-testid="stats-csv">{p.orders_csv}</a> })}
            </div>
            <form class="field-row range-row" on:submit=move |ev| { ev.prevent_default(); load(); }>
                <Field label=p.ops_from value=from testid="stats-from" kind="date" />
                <Field label=p.ops_to value=to testid="stats-to" kind="date" />
                <button class="btn btn-primary" type="submit" disabled=move || stats.pending()>{p.ops_show}</button>
            </form>
            {move || match stats.get() {
                None => EitherOf3::A(view! { <ListSkeleton rows=4 /> }),
                Some(Err(f)) => EitherOf3::B(view! { <p class="inline-error" role="alert">{lang.staff_failure(&f)}</p> }),
                Some(Ok(s)) => EitherOf3::C(view! { <StatsView s /> }),
            }}
        </section>
    }
}

#[component]
fn StatsView(s: Stats) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let days: Vec<String> = s.days.iter().map(|d| d.day.clone()).collect();
    let col = |f: fn(&DayStats) -> i64| s.days.iter().map(f).collect::<Vec<i64>>();
    let points = vec![
        Series { name: p.stats_issued, class: "s1", values: col(|d| d.points.issued) },
        Series { name: p.stats_spent, class: "s2", values: col(|d| d.points.spent) },
        Series { name: p.stats_expired, class: "s3", values: col(|d| d.points.expired) },
        Series { name: p.stats_returned, class: "s4", values: col(|d| d.points.returned) },
    ];
    let activity = vec![
        Series { name: p.stats_active, class: "s1", values: col(|d| d.active_members) },
        Series { name: p.stats_checkins, class: "s4", values: col(|d| d.checkins) },
        Series { name: p.stats_redemptions, class: "s2", values: col(|d| d.redemptions) },
        Series { name: p.stats_codes, class: "s3", values: col(|d| d.codes_issued) },
    ];
    let rate = format!("{}.{:02}%", s.checkin_rate_bp / 100, s.checkin_rate_bp % 100);
    let g = group_thousands;
    view! {
        <dl class="stats stats-summary" data-testid="stats-summary">
            <div><dt>{p.stats_opening}</dt><dd class="num">{g(s.opening_points)}</dd></div>
            <div><dt>{p.stats_closing}</dt><dd class="num">{g(s.closing_points)}</dd></div>
            <div><dt>{p.stats_outstanding}</dt><dd class="num">{g(s.outstanding_points)}</dd></div>
            <div><dt>{p.stats_liability}</dt><dd class="num">"¥"{s.liability.to_string()}</dd></div>
            <div><dt>{p.stats_cash}</dt><dd class="num" data-testid="stats-cash">"¥"{s.cash_collected.to_string()}</dd></div>
            <div><dt>{p.cash_refund_due}</dt><dd class="num" data-testid="stats-cash-refund-due">"¥"{s.cash_refund_due.to_string()}</dd></div>
            <div><dt>{p.stats_active}</dt><dd class="num">{g(s.active_members)}" / "{g(s.members)}</dd></div>
            <div><dt>{p.stats_rate}</dt><dd class="num">{rate}</dd></div>
            <div><dt>{p.stats_redemptions}</dt><dd class="num">{g(s.redemptions)}</dd></div>
        </dl>
        <h3 class="fact-heading">{p.stats_points}</h3>
        <BarChart title=p.stats_points.to_string() days=days.clone() series=points />
        <div class="table-scroll" tabindex="0" role="region" aria-label=p.stats_points>
            <table class="stats-table" data-testid="stats-points-table">
                <thead><tr>
                    <th scope="col">{p.stats_day}</th><th scope="col">{p.stats_issued}</th><th scope="col">{p.stats_taken_back}</th>
                    <th scope="col">{p.stats_spent}</th><th scope="col">{p.stats_returned}</th><th scope="col">{p.stats_expired}</th>
                    <th scope="col">{p.stats_closing}</th>
                </tr></thead>
                <tbody>
                    {s.days.iter().map(|d| view! {
                        <tr>
                            <th scope="row">{d.day.clone()}</th><td>{g(d.points.issued)}</td><td>{g(d.points.taken_back)}</td>
                            <td>{g(d.points.spent)}</td><td>{g(d.points.returned)}</td><td>{g(d.points.expired)}</td><td>{g(d.closing_points)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot><tr>
                    <th scope="row">{p.stats_total}</th><td>{g(s.total.issued)}</td><td>{g(s.total.taken_back)}</td>
                    <td>{g(s.total.spent)}</td><td>{g(s.total.returned)}</td><td>{g(s.total.expired)}</td><td>{g(s.closing_points)}</td>
                </tr></tfoot>
            </table>
        </div>
        <h3 class="fact-heading spaced">{p.stats_activity}</h3>
        <BarChart title=p.stats_activity.to_string() days series=activity />
        <div class="table-scroll" tabindex="0" role="region" aria-label=p.stats_activity>
            <table class="stats-table" data-testid="stats-activity-table">
                <thead><tr>
                    <th scope="col">{p.stats_day}</th><th scope="col">{p.stats_active}</th><th scope="col">{p.stats_checkins}</th>
                    <th scope="col">{p.stats_redemptions}</th><th scope="col">{p.stats_codes}</th><th scope="col">{p.stats_verified}</th>
                    <th scope="col">{p.stats_cash}</th>
                </tr></thead>
                <tbody>
                    {s.days.iter().map(|d| view! {
                        <tr>
                            <th scope="row">{d.day.clone()}</th><td>{g(d.active_members)}</td><td>{g(d.checkins)}</td>
                            <td>{g(d.redemptions)}</td><td>{g(d.codes_issued)}</td><td>{g(d.codes_verified)}</td>
                            <td>"¥"{d.cash_collected.to_string()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <h3 class="fact-heading">{p.stats_top_items}</h3>
        {if s.top_items.is_empty() {
            Either::Left(view! { <p class="muted">{p.ops_none}</p> })
        } else {
            Either::Right(view! {
                <ol class="facts top-items">
                    {s.top_items.iter().map(|t| view! {
                        <li class="fact"><span class="grow">{lang.pick(&t.name)}</span><span class="num">{g(t.units)}" · "{lang.points(t.points)}</span></li>
                    }).collect_view()}
                </ol>
            })
        }}
        <h3 class="fact-heading spaced">{p.stats_merchants}</h3>
        {if s.codes_by_merchant.is_empty() {
            Either::Left(view! { <p class="muted">{p.ops_none}</p> })
        } else {
            Either::Right(view! {
                <ul class="facts">
                    {s.codes_by_merchant.iter().map(|m| view! {
                        <li class="fact"><span class="grow">{lang.pick(&m.merchant.name)}</span><span class="num">{g(m.verified)}" / "{g(m.issued)}</span></li>
                    }).collect_view()}
                </ul>
            })
        }}
    }
}
