//! Campaigns and their budgets. A budget moves only by [`take_budget`], one conditional
//! update that takes the whole boost or nothing while the campaign runs; nothing gives
//! it back.

use mall_core::{campaign::Target, Tier};

use super::{on, Access, Tx};

/// A campaign as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CampaignRow {
    /// Campaign id.
    pub id: i64,
    /// Name in Chinese.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
    /// Window start (Unix seconds).
    pub starts_at: i64,
    /// Window end, exclusive.
    pub ends_at: i64,
    /// What it boosts.
    pub target: Target,
    /// `price`: the category's slug.
    pub category: Option<String>,
    /// `price`: the item.
    pub item_id: Option<i64>,
    /// `member_day`: `weekday`, `month_day` or `birthday`.
    pub day_kind: Option<String>,
    /// `member_day`: the weekday (1 = Monday) or day of the month.
    pub day_number: Option<i64>,
    /// The multiplier in percent, when it is one.
    pub percent: Option<i64>,
    /// The amount, when it is one.
    pub points: Option<i64>,
    /// Points it may give in all.
    pub budget: i64,
    /// Points of the budget taken.
    pub spent: i64,
    /// Boosts granted.
    pub grants: i64,
    /// The audience's tier (none: everyone).
    pub audience_tier: Option<Tier>,
    /// 1: exactly that tier; 0: that tier and above.
    pub audience_exact: i64,
    /// When it was created.
    pub created_at: i64,
    /// When an operator ended it.
    pub ended_at: Option<i64>,
}

const CAMPAIGN: &str = "SELECT id, name_zh, name_en, starts_at, ends_at, target, category, item_id, day_kind, day_number, percent, \
     points, budget, spent, grants, audience_tier, audience_exact, created_at, ended_at FROM campaigns";

/// A campaign to insert (checked by the domain).
#[derive(Debug, Clone)]
pub struct NewCampaign<'a> {
    /// Name in Chinese.
    pub name_zh: &'a str,
    /// Name in English.
    pub name_en: &'a str,
    /// Window start.
    pub starts_at: i64,
    /// Window end.
    pub ends_at: i64,
    /// What it boosts.
    pub target: Target,
    /// `price`: the category.
    pub category: Option<&'a str>,
    /// `price`: the item.
    pub item_id: Option<i64>,
    /// `member_day`: the kind of day.
    pub day_kind: Option<&'a str>,
    /// `member_day`: its number.
    pub day_number: Option<i64>,
    /// The multiplier in percent.
    pub percent: Option<i64>,
    /// The amount.
    pub points: Option<i64>,
    /// The budget.
    pub budget: i64,
    /// The audience's tier.
    pub audience_tier: Option<Tier>,
    /// Exactly that tier (1) or it and above (0).
    pub audience_exact: i64,
}

/// Inserts a campaign created at `now`; its id.
pub async fn insert(tx: &mut Tx, c: &NewCampaign<'_>, now: i64) -> Result<i64, sqlx::Error> {
    on!(tx, |x| {
        sqlx::query_scalar(
        "INSERT INTO campaigns (name_zh, name_en, starts_at, ends_at, target, category, item_id, day_kind, day_number, percent, points, \
         budget, audience_tier, audience_exact, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id"
    )
    .bind(c.name_zh)
    .bind(c.name_en)
    .bind(c.starts_at)
    .bind(c.ends_at)
    .bind(c.target)
    .bind(c.category)
    .bind(c.item_id)
    .bind(c.day_kind)
    .bind(c.day_number)
    .bind(c.percent)
    .bind(c.points)
    .bind(c.budget)
    .bind(c.audience_tier)
    .bind(c.audience_exact)
    .bind(now)
    .fetch_one(x)
    .await
    })
}

/// Campaign `id`.
pub async fn get(conn: &mut impl Access, id: i64) -> Result<Option<CampaignRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{CAMPAIGN} WHERE id = $1")).bind(id).fetch_optional(c).await)
}

/// Every campaign, newest first.
pub async fn all(conn: &mut impl Access) -> Result<Vec<CampaignRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{CAMPAIGN} ORDER BY id DESC")).fetch_all(c).await)
}

/// The campaigns running at `now` (of `target`, or of every target), oldest first.
pub async fn running(conn: &mut impl Access, target: Option<Target>, now: i64) -> Result<Vec<CampaignRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!(
        "{CAMPAIGN} WHERE ended_at IS NULL AND starts_at <= $1 AND ends_at > $1 AND ($2 IS NULL OR target = $2) ORDER BY id"
    ))
    .bind(now)
    .bind(target.map(Target::as_str))
    .fetch_all(c)
    .await)
}

/// Points each campaign gave, by campaign id: what its `campaign` entries credited, and
/// what it took off orders' prices.
pub async fn booked(conn: &mut impl Access) -> Result<Vec<(String, i64)>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(
        "SELECT ref_id, CAST(SUM(amount) AS BIGINT) FROM history WHERE kind = 'campaign' AND ref_kind = 'campaign' GROUP BY ref_id \
         UNION ALL SELECT CAST(campaign_id AS TEXT), CAST(SUM(campaign_discount) AS BIGINT) FROM orders WHERE campaign_id IS NOT NULL \
         GROUP BY campaign_id"
    )
    .fetch_all(c)
    .await)
}

/// Ends campaign `id` at `now` (conditional: a running or scheduled one); false when it
/// had ended.
pub async fn end(tx: &mut Tx, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query("UPDATE campaigns SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL AND ends_at > $2")
        .bind(id)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Takes `points` (> 0) of campaign `id`'s budget at `now`: the whole or nothing, only
/// while it runs. False when the budget cannot take them all (or it does not run).
pub async fn take_budget(tx: &mut Tx, id: i64, points: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query(
        "UPDATE campaigns SET spent = spent + $1, grants = grants + 1 \
         WHERE id = $2 AND spent + $1 <= budget AND ended_at IS NULL AND starts_at <= $3 AND ends_at > $3"
    )
    .bind(points)
    .bind(id)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}
