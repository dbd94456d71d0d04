//! Home's extras: the items orders took most of in a span, and the items a member may be
//! offered (by the categories it redeemed in, or the popular ones).

use mall_core::{dto::OrderStatus, Tier};
use sqlx::QueryBuilder;

use super::{
    items::{ItemRow, ITEM_COLUMNS, LISTED},
    on, Access,
};

/// An item with the units orders took of it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CountedRow {
    /// The item.
    #[sqlx(flatten)]
    pub item: ItemRow,
    /// Units of it in orders of the span (not cancelled).
    pub units: i64,
}

/// The items (listed: `items::LISTED`) of which orders created in `[from, to)` and not cancelled or lapsed took
/// the most units, most first, ties by item id; at most `limit`.
pub async fn most_redeemed(conn: &mut impl Access, from: i64, to: i64, limit: i64) -> Result<Vec<CountedRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!(
        "SELECT {ITEM_COLUMNS}, t.units FROM items JOIN (SELECT item_id, CAST(SUM(quantity) AS BIGINT) AS units FROM orders \
         WHERE created_at >= $1 AND created_at < $2 AND status NOT IN ($3, 'lapsed') GROUP BY item_id) t ON t.item_id = items.id \
         WHERE {LISTED} ORDER BY t.units DESC, items.id LIMIT $4"
    ))
    .bind(from)
    .bind(to)
    .bind(OrderStatus::Cancelled)
    .bind(limit)
    .fetch_all(c)
    .await)
}

/// The categories `member_id` redeemed in (orders not cancelled or lapsed), most units first, ties
/// by slug.
pub async fn member_categories(conn: &mut impl Access, member_id: i64) -> Result<Vec<String>, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar(
        "SELECT i.category FROM orders o JOIN items i ON i.id = o.item_id WHERE o.member_id = $1 AND o.status NOT IN ($2, 'lapsed') \
         GROUP BY i.category ORDER BY SUM(o.quantity) DESC, i.category",
    )
    .bind(member_id)
    .bind(OrderStatus::Cancelled)
    .fetch_all(c)
    .await)
}

/// What picks are chosen from: items listed (`items::LISTED`), in stock, open to one of `tiers`.
#[derive(Debug, Clone)]
pub struct PickFilter<'a> {
    /// Tiers that may redeem a pick (an item without a tier lock always may).
    pub tiers: &'a [Tier],
    /// Only these categories, ranked: an item of an earlier one comes first.
    pub categories: Option<&'a [String]>,
    /// Items priced up to this many points come before the others.
    pub affordable_up_to: i64,
    /// Not these items.
    pub except: &'a [i64],
    /// At most this many.
    pub limit: i64,
}

/// Items for picks: affordable first, then by the rank of their category, then most
/// redeemed, then by id.
pub async fn pickable(conn: &mut impl Access, f: &PickFilter<'_>) -> Result<Vec<ItemRow>, sqlx::Error> {
    if f.categories.is_some_and(<[String]>::is_empty) || f.tiers.is_empty() {
        return Ok(Vec::new());
    }
    on!(conn, |c| {
        let mut sql = QueryBuilder::new(format!("SELECT {ITEM_COLUMNS} FROM items WHERE {LISTED} AND stock > 0"));
        sql.push(" AND (min_tier IS NULL OR min_tier IN (");
        let mut tiers = sql.separated(", ");
        for tier in f.tiers {
            tiers.push_bind(*tier);
        }
        sql.push("))");
        if let Some(categories) = f.categories {
            sql.push(" AND category IN (");
            let mut list = sql.separated(", ");
            for category in categories {
                list.push_bind(category.clone());
            }
            sql.push(")");
        }
        if !f.except.is_empty() {
            sql.push(" AND id NOT IN (");
            let mut list = sql.separated(", ");
            for id in f.except {
                list.push_bind(*id);
            }
            sql.push(")");
        }
        sql.push(" ORDER BY CASE WHEN points <= ").push_bind(f.affordable_up_to).push(" THEN 0 ELSE 1 END");
        if let Some(categories) = f.categories {
            sql.push(", CASE");
            for (rank, category) in categories.iter().enumerate() {
                sql.push(" WHEN category = ").push_bind(category.clone()).push(" THEN ").push_bind(rank as i64);
            }
            sql.push(" END");
        }
        sql.push(", redeemed DESC, id LIMIT ").push_bind(f.limit);
        sql.build_query_as().fetch_all(c).await
    })
}
