//! The point history: one row per change of a balance.

use mall_core::{
    dto::{EntryKind, HistoryFilter},
    stats::Bucket,
};
use sqlx::QueryBuilder;

use super::{on, Access, Tx};

/// A new history row.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    /// Whose.
    pub member_id: i64,
    /// What kind of change.
    pub kind: EntryKind,
    /// Signed points.
    pub amount: i64,
    /// The stored balance right after.
    pub balance_after: i64,
    /// What it refers to: kind, id, label in Chinese and English.
    pub reference: Option<EntryRef<'a>>,
    /// Unix seconds.
    pub created_at: i64,
    /// `YYYY-MM` of the local month.
    pub month: &'a str,
}

/// What an entry refers to.
#[derive(Debug, Clone, Copy)]
pub struct EntryRef<'a> {
    /// `order`, `code`, `sale`…
    pub kind: &'a str,
    /// Its id.
    pub id: &'a str,
    /// Label in Chinese.
    pub label_zh: Option<&'a str>,
    /// Label in English.
    pub label_en: Option<&'a str>,
}

/// A stored history row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EntryRow {
    /// Entry id (also the paging cursor).
    pub id: i64,
    /// What kind of change.
    pub kind: EntryKind,
    /// Signed points.
    pub amount: i64,
    /// The balance right after.
    pub balance_after: i64,
    /// Referenced kind.
    pub ref_kind: Option<String>,
    /// Referenced id.
    pub ref_id: Option<String>,
    /// Label in Chinese.
    pub label_zh: Option<String>,
    /// Label in English.
    pub label_en: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
    /// `YYYY-MM` of the local month.
    pub month: String,
}

/// Income and spending of one month.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MonthRow {
    /// `YYYY-MM`.
    pub month: String,
    /// Sum of credits.
    pub income: i64,
    /// Sum of debits, positive.
    pub spending: i64,
}

/// Writes an entry; returns its id.
pub async fn insert(tx: &mut Tx, e: &NewEntry<'_>) -> Result<i64, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar(
        "INSERT INTO history (member_id, kind, amount, balance_after, ref_kind, ref_id, label_zh, label_en, created_at, month) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(e.member_id)
    .bind(e.kind)
    .bind(e.amount)
    .bind(e.balance_after)
    .bind(e.reference.map(|r| r.kind))
    .bind(e.reference.map(|r| r.id))
    .bind(e.reference.and_then(|r| r.label_zh))
    .bind(e.reference.and_then(|r| r.label_en))
    .bind(e.created_at)
    .bind(e.month)
    .fetch_one(c)
    .await)
}

/// Points an entry at what it paid for (an order or code known only after the debit).
pub async fn set_ref_id(tx: &mut Tx, id: i64, ref_id: &str) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query("UPDATE history SET ref_id = $1 WHERE id = $2")
        .bind(ref_id)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The SQL condition of a history filter, from the one bucket table (`mall_core::stats`):
/// every (kind, sign) whose bucket the filter shows.
fn filter_sql(filter: HistoryFilter) -> String {
    let shown: Vec<String> = EntryKind::ALL
        .iter()
        .flat_map(|kind| [(kind, 1, ">"), (kind, -1, "<")])
        .filter(|(kind, sign, _)| Bucket::of(**kind, *sign).shown_by(filter))
        .map(|(kind, _, op)| format!("(kind = '{}' AND amount {op} 0)", kind.as_str()))
        .collect();
    format!(" AND ({})", shown.join(" OR "))
}

/// One page of the member's entries older than `before`, newest first, at most `limit`.
pub async fn page(
    conn: &mut impl Access,
    member_id: i64,
    before: i64,
    filter: Option<HistoryFilter>,
    limit: i64,
) -> Result<Vec<EntryRow>, sqlx::Error> {
    let filter = filter.map(filter_sql).unwrap_or_default();
    on!(conn, |c| sqlx::query_as(&format!(
        "SELECT id, kind, amount, balance_after, ref_kind, ref_id, label_zh, label_en, created_at, month FROM history \
         WHERE member_id = $1 AND id < $2{filter} ORDER BY id DESC LIMIT $3"
    ))
    .bind(member_id)
    .bind(before)
    .bind(limit)
    .fetch_all(c)
    .await)
}

/// The member's newest entry id (0 for none).
pub async fn last_id(conn: &mut impl Access, member_id: i64) -> Result<i64, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM history WHERE member_id = $1").bind(member_id).fetch_one(c).await)
}

/// Income and spending of whole months, newest first.
pub async fn month_totals(conn: &mut impl Access, member_id: i64, months: &[String]) -> Result<Vec<MonthRow>, sqlx::Error> {
    if months.is_empty() {
        return Ok(Vec::new());
    }
    on!(conn, |c| {
        let mut sql = QueryBuilder::new(
            "SELECT month, CAST(COALESCE(SUM(CASE WHEN amount > 0 THEN amount ELSE 0 END), 0) AS BIGINT) AS income, \
             CAST(COALESCE(SUM(CASE WHEN amount < 0 THEN -amount ELSE 0 END), 0) AS BIGINT) AS spending FROM history WHERE member_id = ",
        );
        sql.push_bind(member_id).push(" AND month IN (");
        let mut list = sql.separated(", ");
        for m in months {
            list.push_bind(m.clone());
        }
        sql.push(") GROUP BY month ORDER BY month DESC");
        sql.build_query_as().fetch_all(c).await
    })
}
