//! Statistics (数据统计): points accounting by the buckets of `mall_core::stats` per shop
//! day and in total, with opening and closing outstanding points that reconcile to the
//! point, and activity (members, check-ins, redemptions, codes, sell-through).
//!
//! Expiry counts on the day it is recorded; points already due but not yet recorded count
//! as expired on the day they fell due (reads show them so), so at any moment
//! `closing = opening + issued − taken back − spent + returned − expired` and, for a range
//! reaching now, `closing = outstanding_points` (the sum of spendable balances).

use chrono::NaiveDate;
use chrono_tz::Tz;
use mall_core::{
    cash::Cash,
    dto::I18nText,
    staff::MerchantRef,
    stats::{BucketTotals, DayStats, MerchantCodes, SellThrough, Stats, TopItem},
    Rules,
};
use rust_decimal::{prelude::ToPrimitive, Decimal};

use crate::{
    clock,
    db::{self, Access, Pool},
};

/// The most items `top_items` lists.
const TOP_ITEMS: i64 = 10;

/// Points accounting over `[from, to)` as seen at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    /// Per bucket.
    pub points: BucketTotals,
    /// Outstanding points at `from`.
    pub opening: i64,
    /// Outstanding points at `to`.
    pub closing: i64,
}

/// Outstanding points at instant `t` as seen at `now`: history recorded before `t` minus
/// lots due before `t` whose expiry is not recorded yet.
pub async fn outstanding_at(conn: &mut impl Access, t: i64, now: i64) -> Result<i64, sqlx::Error> {
    let mut outstanding = db::stats::history_before(conn, t).await? - db::stats::pending_expiry(conn, i64::MIN, t, now).await?;
    if t > now {
        let c = db::stats::catch_up(conn, now).await?;
        outstanding += c.released - c.released_expired + c.returned - c.returned_expired + c.settled - c.settled_expired - c.shortfall_paid;
    }
    Ok(outstanding)
}

/// The buckets of `[from, to)`: recorded history, plus what reads already show but no
/// write recorded yet: lots that fell due in it by `now`, and, in the range holding
/// `now`, what the next catch-up records then (lapsed holds and lapsed unpaid orders back,
/// matured purchases, the shortfall they pay). A capture in the range moves its points from held to spent.
async fn buckets(conn: &mut impl Access, from: i64, to: i64, now: i64) -> Result<BucketTotals, sqlx::Error> {
    let mut points = BucketTotals::default();
    for row in db::stats::kind_sums(conn, from, to).await? {
        points.add(row.kind, row.points);
    }
    points.expired += db::stats::pending_expiry(conn, from, to, now).await?;
    if (from..to).contains(&now) {
        let c = db::stats::catch_up(conn, now).await?;
        points.held -= c.released;
        points.returned += c.returned;
        points.expired += c.released_expired + c.returned_expired + c.settled_expired;
        points.issued += c.settled;
        points.taken_back += c.shortfall_paid;
    }
    let captured = db::stats::captured(conn, from, to).await?;
    points.spent += captured;
    points.held -= captured;
    Ok(points)
}

/// Points accounting over `[from, to)` at `now`.
pub async fn totals(conn: &mut impl Access, from: i64, to: i64, now: i64) -> Result<Totals, sqlx::Error> {
    let points = buckets(conn, from, to, now).await?;
    Ok(Totals { points, opening: outstanding_at(conn, from, now).await?, closing: outstanding_at(conn, to, now).await? })
}

/// The statistics of shop days `from..=to` at `now`, read in one snapshot.
pub async fn compute(reader: &Pool, rules: &Rules, zone: Tz, from: NaiveDate, to: NaiveDate, now: i64) -> Result<Stats, sqlx::Error> {
    let mut tx = db::snapshot(reader).await?;
    let start = clock::start_of_day(zone, from);
    let end = clock::start_of_day(zone, clock::next_day(to));
    let opening = outstanding_at(&mut tx, start, now).await?;
    let mut days = Vec::new();
    let mut total = BucketTotals::default();
    let mut closing = opening;
    let mut cash_collected = 0;
    let mut day = from;
    while day <= to {
        let (a, b) = (clock::start_of_day(zone, day), clock::start_of_day(zone, clock::next_day(day)));
        let points = buckets(&mut tx, a, b, now).await?;
        let activity = db::stats::activity(&mut tx, a, b).await?;
        let cash = db::orders::cash_collected(&mut tx, a, b).await?;
        cash_collected += cash;
        closing += points.net();
        total = total.plus(points);
        days.push(DayStats {
            day: day.format("%Y-%m-%d").to_string(),
            points,
            closing_points: closing,
            active_members: activity.active_members,
            checkins: activity.checkins,
            redemptions: activity.redemptions,
            codes_issued: activity.codes_issued,
            codes_verified: activity.codes_verified,
            cash_collected: Cash::from_fen(cash),
        });
        day = clock::next_day(day);
    }
    let range = db::stats::activity(&mut tx, start, end).await?;
    let members = db::stats::member_count(&mut tx).await?;
    let outstanding = outstanding_at(&mut tx, i64::MAX, now).await?;
    let held = db::deductions::held_points(&mut tx, now).await?;
    let top_items = db::stats::top_items(&mut tx, start, end, TOP_ITEMS)
        .await?
        .into_iter()
        .map(|r| TopItem { item_id: r.item_id, name: I18nText { zh: r.name_zh, en: r.name_en }, units: r.units, points: r.points })
        .collect();
    let codes_by_merchant = db::stats::codes_by_merchant(&mut tx, start, end)
        .await?
        .into_iter()
        .map(|r| MerchantCodes {
            merchant: MerchantRef { id: r.id, name: I18nText { zh: r.name_zh, en: r.name_en } },
            issued: r.issued,
            verified: r.verified,
            settlement: Cash::from_fen(r.settled),
        })
        .collect();
    let sales = db::sales::starting_between(&mut tx, start, end)
        .await?
        .into_iter()
        .map(|r| SellThrough {
            sale_id: r.sale.id,
            offer: I18nText { zh: r.sale.offer_zh, en: r.sale.offer_en },
            starts_at: clock::rfc3339(zone, r.sale.starts_at),
            quantity: r.sale.quantity,
            sold: r.sale.quantity - r.sale.remaining,
        })
        .collect();
    let liability_fen = (Decimal::from(outstanding + held) * rules.point_value * Decimal::from(100)).round().to_i64().unwrap_or(i64::MAX);
    Ok(Stats {
        from: from.format("%Y-%m-%d").to_string(),
        to: to.format("%Y-%m-%d").to_string(),
        days,
        total,
        opening_points: opening,
        closing_points: closing,
        outstanding_points: outstanding,
        held_points: held,
        liability: Cash::from_fen(liability_fen),
        active_members: range.active_members,
        members,
        checked_in_members: range.checked_in_members,
        checkins: range.checkins,
        checkin_rate_bp: if members > 0 { range.checked_in_members * 10_000 / members } else { 0 },
        redemptions: range.redemptions,
        cash_collected: Cash::from_fen(cash_collected),
        cash_refund_due: Cash::from_fen(db::orders::cash_refund_due(&mut tx).await?),
        top_items,
        codes_by_merchant,
        sales,
    })
}
