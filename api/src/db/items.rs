//! The catalogue: categories, items, stock and per-member counts.

use mall_core::{
    catalog::{ItemKind, Sort},
    Tier,
};
use sqlx::QueryBuilder;

use super::{
    idempotency, like_pattern,
    members::{row_lock, Standing, STANDING_COLUMNS},
    on, Access, Exec, Tx,
};

/// A category (also the shape of the demo data's categories).
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct CategoryRow {
    /// Slug.
    pub slug: String,
    /// Name in Chinese.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
}

/// An item as lists show it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemRow {
    /// Item id.
    pub id: i64,
    /// Category slug.
    pub category: String,
    /// Virtual or physical.
    pub kind: ItemKind,
    /// Name in Chinese.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
    /// Image path.
    pub image: String,
    /// Points price of one.
    pub points: i64,
    /// Cash price of one, in fen.
    pub cash_fen: Option<i64>,
    /// Units left.
    pub stock: i64,
    /// Units redeemed.
    pub redeemed: i64,
    /// The lowest tier that may redeem it.
    pub min_tier: Option<Tier>,
    /// Unix seconds.
    pub created_at: i64,
    /// Per-member limit.
    pub per_member_limit: i64,
    /// The partner merchant that honours a voucher's codes (verifies them).
    pub merchant_id: Option<i64>,
}

/// An item's detail columns.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DetailRow {
    /// The list columns.
    #[sqlx(flatten)]
    pub item: ItemRow,
    /// Description in Chinese.
    pub desc_zh: String,
    /// Description in English.
    pub desc_en: String,
    /// Specs, a JSON array of `{label_zh, label_en, value_zh, value_en}`.
    pub specs_json: String,
}

/// The columns of `ItemRow`, unqualified (of `items`).
pub(crate) const ITEM_COLUMNS: &str =
    "id, category, kind, name_zh, name_en, image, points, cash_fen, stock, redeemed, min_tier, created_at, per_member_limit, merchant_id";

/// What the catalogue list asks for.
#[derive(Debug, Clone, Default)]
pub struct ItemFilter {
    /// Only this category.
    pub category: Option<String>,
    /// Only points prices in this inclusive range.
    pub points_between: Option<(i64, i64)>,
    /// Only points prices up to this (what the member can afford).
    pub max_points: Option<i64>,
    /// Only names containing this text (case-insensitive).
    pub search: Option<String>,
    /// The order.
    pub sort: Sort,
    /// After this position (the sort key's value and the item id).
    pub after: Option<(i64, i64)>,
    /// At most this many.
    pub limit: i64,
}

/// The value an item is sorted by (the first half of its keyset cursor).
pub fn sort_value(sort: Sort, item: &ItemRow) -> i64 {
    match sort {
        Sort::Popular => item.redeemed,
        Sort::Newest => item.created_at,
        Sort::PointsAsc | Sort::PointsDesc => item.points,
    }
}

/// The column a sort orders by, and whether it runs descending.
fn sort_column(sort: Sort) -> (&'static str, bool) {
    match sort {
        Sort::Popular => ("redeemed", true),
        Sort::Newest => ("created_at", true),
        Sort::PointsAsc => ("points", false),
        Sort::PointsDesc => ("points", true),
    }
}

/// The categories members see (not hidden), in display order.
pub async fn categories(conn: &mut impl Access) -> Result<Vec<CategoryRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as("SELECT slug, name_zh, name_en FROM categories WHERE hidden_at IS NULL ORDER BY position, id")
        .fetch_all(c)
        .await)
}

/// The condition (on `items`, unqualified) of an item members may find in a list: not
/// retired, not in a hidden category, not a voucher of an inactive merchant.
pub(crate) const LISTED: &str = "retired_at IS NULL \
     AND category NOT IN (SELECT h.slug FROM categories h WHERE h.hidden_at IS NOT NULL) \
     AND (merchant_id IS NULL OR merchant_id NOT IN (SELECT m.id FROM merchants m WHERE m.deactivated_at IS NOT NULL))";

/// A category as the back office lists it.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct StaffCategoryRow {
    /// Id.
    pub id: i64,
    /// Slug.
    pub slug: String,
    /// Name in Chinese.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
    /// Display order.
    pub position: i64,
    /// When it was hidden from members.
    pub hidden_at: Option<i64>,
    /// Items in it, retired ones excluded.
    pub items: i64,
}

const STAFF_CATEGORY: &str = "SELECT c.id, c.slug, c.name_zh, c.name_en, c.position, c.hidden_at, \
     (SELECT COUNT(*) FROM items i WHERE i.category = c.slug AND i.retired_at IS NULL) AS items FROM categories c";

/// Every category, hidden ones too, by position then id.
pub async fn staff_categories(conn: &mut impl Access) -> Result<Vec<StaffCategoryRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{STAFF_CATEGORY} ORDER BY c.position, c.id")).fetch_all(c).await)
}

/// One category, hidden or not.
pub async fn staff_category(conn: &mut impl Access, id: i64) -> Result<Option<StaffCategoryRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{STAFF_CATEGORY} WHERE c.id = $1")).bind(id).fetch_optional(c).await)
}

/// Creates a category at `position` (none: after the last); its id, or `None` when the
/// slug is taken.
pub async fn create_category(tx: &mut Tx, category: &CategoryRow, position: Option<i64>) -> Result<Option<i64>, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar(
        "INSERT INTO categories (slug, name_zh, name_en, position) \
         VALUES ($1, $2, $3, COALESCE($4, (SELECT COALESCE(MAX(position), -1) + 1 FROM categories))) \
         ON CONFLICT (slug) DO NOTHING RETURNING id",
    )
    .bind(&category.slug)
    .bind(&category.name_zh)
    .bind(&category.name_en)
    .bind(position)
    .fetch_optional(c)
    .await)
}

/// Writes a category's name, position and hidden time (the slug never changes).
pub async fn update_category(tx: &mut Tx, row: &StaffCategoryRow) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query("UPDATE categories SET name_zh = $1, name_en = $2, position = $3, hidden_at = $4 WHERE id = $5")
        .bind(&row.name_zh)
        .bind(&row.name_en)
        .bind(row.position)
        .bind(row.hidden_at)
        .bind(row.id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Inserts a category.
pub async fn insert_category(tx: &mut Tx, category: &CategoryRow, position: i64) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query("INSERT INTO categories (slug, name_zh, name_en, position) VALUES ($1, $2, $3, $4)")
        .bind(&category.slug)
        .bind(&category.name_zh)
        .bind(&category.name_en)
        .bind(position)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Inserts a new item (its id generated) with its detail columns; returns the id.
pub async fn create(tx: &mut Tx, d: &DetailRow) -> Result<i64, sqlx::Error> {
    let i = &d.item;
    on!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO items (category, kind, name_zh, name_en, image, points, cash_fen, stock, redeemed, min_tier, created_at, \
         per_member_limit, desc_zh, desc_en, specs_json, merchant_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
        )
        .bind(&i.category)
        .bind(i.kind)
        .bind(&i.name_zh)
        .bind(&i.name_en)
        .bind(&i.image)
        .bind(i.points)
        .bind(i.cash_fen)
        .bind(i.stock)
        .bind(i.min_tier)
        .bind(i.created_at)
        .bind(i.per_member_limit)
        .bind(&d.desc_zh)
        .bind(&d.desc_en)
        .bind(&d.specs_json)
        .bind(i.merchant_id)
        .fetch_one(c)
        .await
    })
}

/// Inserts an item with its own id and detail columns (the demo seed).
pub async fn insert(tx: &mut Tx, d: &DetailRow) -> Result<(), sqlx::Error> {
    let i = &d.item;
    on!(tx, |c| sqlx::query(&format!(
        "INSERT INTO items ({ITEM_COLUMNS}, desc_zh, desc_en, specs_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
    ))
    .bind(i.id)
    .bind(&i.category)
    .bind(i.kind)
    .bind(&i.name_zh)
    .bind(&i.name_en)
    .bind(&i.image)
    .bind(i.points)
    .bind(i.cash_fen)
    .bind(i.stock)
    .bind(i.redeemed)
    .bind(i.min_tier)
    .bind(i.created_at)
    .bind(i.per_member_limit)
    .bind(i.merchant_id)
    .bind(&d.desc_zh)
    .bind(&d.desc_en)
    .bind(&d.specs_json)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// One page of the catalogue.
pub async fn list(conn: &mut impl Access, f: &ItemFilter) -> Result<Vec<ItemRow>, sqlx::Error> {
    let (column, desc) = sort_column(f.sort);
    on!(conn, |c| {
        let mut sql = QueryBuilder::new(format!("SELECT {ITEM_COLUMNS} FROM items WHERE {LISTED}"));
        if let Some(category) = &f.category {
            sql.push(" AND category = ").push_bind(category.clone());
        }
        if let Some((lo, hi)) = f.points_between {
            sql.push(" AND points BETWEEN ").push_bind(lo).push(" AND ").push_bind(hi);
        }
        if let Some(max) = f.max_points {
            sql.push(" AND points <= ").push_bind(max);
        }
        if let Some(q) = &f.search {
            let pattern = like_pattern(q);
            sql.push(" AND (LOWER(name_zh) LIKE ").push_bind(pattern.clone()).push(" ESCAPE '\\'");
            sql.push(" OR LOWER(name_en) LIKE ").push_bind(pattern).push(" ESCAPE '\\')");
        }
        if let Some((value, id)) = f.after {
            let op = if desc { "<" } else { ">" };
            sql.push(format!(" AND ({column} {op} ")).push_bind(value);
            sql.push(format!(" OR ({column} = ")).push_bind(value);
            sql.push(format!(" AND id {op} ")).push_bind(id).push("))");
        }
        let dir = if desc { "DESC" } else { "ASC" };
        sql.push(format!(" ORDER BY {column} {dir}, id {dir} LIMIT ")).push_bind(f.limit);
        sql.build_query_as().fetch_all(c).await
    })
}

/// One item members may see, with its detail columns.
pub async fn detail(conn: &mut impl Access, id: i64) -> Result<Option<DetailRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!(
        "SELECT {ITEM_COLUMNS}, desc_zh, desc_en, specs_json FROM items WHERE id = $1 AND retired_at IS NULL"
    ))
    .bind(id)
    .fetch_optional(c)
    .await)
}

/// One item members may redeem (not retired), its list columns.
pub async fn one(conn: &mut impl Access, id: i64) -> Result<Option<ItemRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("SELECT {ITEM_COLUMNS} FROM items WHERE id = $1 AND retired_at IS NULL"))
        .bind(id)
        .fetch_optional(c)
        .await)
}

/// An item as a redeem reads it before writing: the item and what else decides the order.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RedeemRow {
    /// The item.
    #[sqlx(flatten)]
    pub item: ItemRow,
    /// Whether its merchant (if it has one) exists and is active.
    pub merchant_active: bool,
    /// Whether unpaid orders of it lapsed by now without being recorded (their units and
    /// their members' points come back first).
    pub lapsed_orders: bool,
    /// Whether a price campaign runs now (for any item: `domain::campaigns::on_price` picks).
    pub price_campaign: bool,
}

/// The redeeming member's standing (its row locked, as `members::lock_standing` does)
/// and an item it may redeem, as `RedeemRow` reads it at `now`: a redeem's first round
/// trip. `None` when either is missing (`lock_standing` then tells which).
pub async fn for_redeem(tx: &mut Tx, member_id: i64, id: i64, now: i64) -> Result<Option<(Standing, RedeemRow)>, sqlx::Error> {
    let item_columns: Vec<String> = ITEM_COLUMNS.split(", ").map(|c| format!("items.{c}")).collect();
    let sql = format!(
        "SELECT {}, {}, \
         (items.merchant_id IS NULL OR EXISTS (SELECT 1 FROM merchants mc WHERE mc.id = items.merchant_id AND mc.deactivated_at IS NULL)) \
         AS merchant_active, \
         EXISTS (SELECT 1 FROM orders o WHERE o.item_id = items.id AND o.status = 'awaiting_payment' AND o.pay_by <= $2) \
         AS lapsed_orders, \
         EXISTS (SELECT 1 FROM campaigns k WHERE k.target = $3 AND k.ended_at IS NULL AND k.starts_at <= $2 AND k.ends_at > $2) \
         AS price_campaign \
         FROM members m, items WHERE m.id = $4 AND items.id = $1 AND items.retired_at IS NULL{}",
        *STANDING_COLUMNS,
        item_columns.join(", "),
        row_lock(tx)
    );
    let row: Option<ForRedeem> = on!(tx, |c| sqlx::query_as(&sql)
        .bind(id)
        .bind(now)
        .bind(mall_core::campaign::Target::Price.as_str())
        .bind(member_id)
        .fetch_optional(c)
        .await)?;
    Ok(row.map(|r| (r.standing, r.item)))
}

/// The row `for_redeem` reads.
#[derive(sqlx::FromRow)]
struct ForRedeem {
    #[sqlx(flatten)]
    standing: Standing,
    #[sqlx(flatten)]
    item: RedeemRow,
}

/// An item's names (Chinese, English), retired or not.
pub async fn names(conn: &mut impl Access, id: i64) -> Result<(String, String), sqlx::Error> {
    on!(conn, |c| sqlx::query_as("SELECT name_zh, name_en FROM items WHERE id = $1").bind(id).fetch_one(c).await)
}

/// An item as the back office sees it: detail columns and whether it is retired.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffItemRow {
    /// The item.
    #[sqlx(flatten)]
    pub detail: DetailRow,
    /// When it was retired.
    pub retired_at: Option<i64>,
}

const STAFF_COLUMNS: &str = "desc_zh, desc_en, specs_json, retired_at FROM items";

/// Every item, retired ones too, by id.
pub async fn all(conn: &mut impl Access) -> Result<Vec<StaffItemRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("SELECT {ITEM_COLUMNS}, {STAFF_COLUMNS} ORDER BY id")).fetch_all(c).await)
}

/// One item, retired or not.
pub async fn staff_one(conn: &mut impl Access, id: i64) -> Result<Option<StaffItemRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("SELECT {ITEM_COLUMNS}, {STAFF_COLUMNS} WHERE id = $1")).bind(id).fetch_optional(c).await)
}

/// Writes an item's editable columns (everything but stock and counts) and its retirement.
pub async fn update(tx: &mut Tx, row: &StaffItemRow) -> Result<(), sqlx::Error> {
    let (d, i) = (&row.detail, &row.detail.item);
    on!(tx, |c| sqlx::query(
        "UPDATE items SET category = $1, kind = $2, name_zh = $3, name_en = $4, image = $5, points = $6, cash_fen = $7, \
         min_tier = $8, per_member_limit = $9, desc_zh = $10, desc_en = $11, specs_json = $12, retired_at = $13, \
         merchant_id = $15 WHERE id = $14",
    )
    .bind(&i.category)
    .bind(i.kind)
    .bind(&i.name_zh)
    .bind(&i.name_en)
    .bind(&i.image)
    .bind(i.points)
    .bind(i.cash_fen)
    .bind(i.min_tier)
    .bind(i.per_member_limit)
    .bind(&d.desc_zh)
    .bind(&d.desc_en)
    .bind(&d.specs_json)
    .bind(row.retired_at)
    .bind(i.id)
    .bind(i.merchant_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Adds `delta` units (either sign) unless the stock would go below zero (conditional);
/// the stock after, or `None` when refused or the item is unknown.
pub async fn add_stock(tx: &mut Tx, id: i64, delta: i64) -> Result<Option<i64>, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar("UPDATE items SET stock = stock + $1 WHERE id = $2 AND stock + $1 >= 0 RETURNING stock")
        .bind(delta)
        .bind(id)
        .fetch_optional(c)
        .await)
}

/// Whether item `id` exists (retired or not).
pub async fn exists(conn: &mut impl Access, id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = on!(conn, |c| sqlx::query_scalar("SELECT COUNT(*) FROM items WHERE id = $1").bind(id).fetch_one(c).await)?;
    Ok(n > 0)
}

/// Whether a category exists.
pub async fn category_exists(conn: &mut impl Access, slug: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> =
        on!(conn, |c| sqlx::query_scalar("SELECT slug FROM categories WHERE slug = $1").bind(slug).fetch_optional(c).await)?;
    Ok(found.is_some())
}

/// Units of the item the member holds.
pub async fn held_by(conn: &mut impl Access, member_id: i64, item_id: i64) -> Result<i64, sqlx::Error> {
    let held: Option<i64> =
        on!(conn, |c| sqlx::query_scalar("SELECT quantity FROM member_item_counts WHERE member_id = $1 AND item_id = $2")
            .bind(member_id)
            .bind(item_id)
            .fetch_optional(c)
            .await)?;
    Ok(held.unwrap_or(0))
}

/// Takes `quantity` units of the item's stock if it has them; false when it has not. With
/// `answer` (the request's answer, as `idempotency::answer_json` writes it) the
/// transaction's pending idempotency key is written with it in the same round trip, and
/// the transaction stops carrying it: the item's row, which every redeem of the item
/// waits on until its commit, is held one round trip, as a bare conditional write holds
/// its row. A key already there (a retry that raced its first attempt) is left pending,
/// so its own insert finds the first and the request replays it.
pub async fn take_stock(tx: &mut Tx, item_id: i64, quantity: i64, answer: Option<&str>) -> Result<bool, sqlx::Error> {
    const TAKE: &str = "UPDATE items SET stock = stock - $1, redeemed = redeemed + $1 WHERE id = $2 AND stock >= $1";
    let Some((answer, pending)) = answer.and_then(|a| Some((a, tx.take_pending_key()?))) else {
        let done = on!(tx, |c| sqlx::query(TAKE).bind(quantity).bind(item_id).execute(c).await.map(|r| r.rows_affected()))?;
        return Ok(done == 1);
    };
    let sql = match tx.exec() {
        Exec::Postgres(_) => format!(
            "WITH s AS ({TAKE} RETURNING 1), k AS ({}) SELECT 1 FROM s UNION ALL SELECT 1 FROM k",
            idempotency::insert_sql(pending.owner, 3, "FROM s WHERE 1 = 1")
        ),
        // `changes()`: the rows the update wrote (its rows are all read, so it completed).
        Exec::Sqlite(_) => format!("{TAKE} RETURNING 1; {}", idempotency::insert_sql(pending.owner, 3, "WHERE changes() = 1")),
    };
    // A row for the stock taken, and one more for the key written with it.
    let rows: Vec<i32> =
        on!(tx, |c| idempotency::bind_key!(sqlx::query_scalar(&sql).bind(quantity).bind(item_id), pending, answer).fetch_all(c).await)?;
    if rows.len() < 2 {
        // Not written: the key stays pending.
        tx.await_answer(pending);
    }
    Ok(!rows.is_empty())
}

/// Counts `quantity` more units for the member unless that passes `limit` (conditional
/// upsert); false when the limit refused it.
pub async fn count_for(tx: &mut Tx, member_id: i64, item_id: i64, quantity: i64, limit: i64) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query(
        "INSERT INTO member_item_counts (member_id, item_id, quantity) VALUES ($1, $2, $3) \
         ON CONFLICT (member_id, item_id) DO UPDATE SET quantity = member_item_counts.quantity + excluded.quantity \
         WHERE member_item_counts.quantity + excluded.quantity <= $4",
    )
    .bind(member_id)
    .bind(item_id)
    .bind(quantity)
    .bind(limit)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Puts `quantity` units back in stock and out of the member's count (a cancelled order).
pub async fn give_back(tx: &mut Tx, member_id: i64, item_id: i64, quantity: i64) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query("UPDATE items SET stock = stock + $1, redeemed = redeemed - $1 WHERE id = $2")
        .bind(quantity)
        .bind(item_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    on!(tx, |c| sqlx::query("UPDATE member_item_counts SET quantity = quantity - $1 WHERE member_id = $2 AND item_id = $3")
        .bind(quantity)
        .bind(member_id)
        .bind(item_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}
