//! The catalogue: categories, the filtered and cursor-paged list, item detail.

use axum::{extract::State, routing::get, Router};
use mall_core::{
    cash::Cash,
    catalog::{ItemKind, Sort},
    dto::{Category, I18nText, ItemDetail, ItemPage, ItemQuery, ItemSummary, Spec},
    ErrorCode, Tier,
};
use sqlx::{QueryBuilder, Row};

use crate::{
    db::Db,
    error::AppError,
    extract::{AppJson, AppPath, AppQuery},
    routes::{finish_page, page_size},
    session::CurrentMember,
    startup::AppState,
    AppResult,
};

/// Catalogue routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/categories", get(categories)).route("/items", get(list)).route("/items/{id}", get(detail))
}

/// The longest search text accepted.
const MAX_QUERY_CHARS: usize = 50;

const SUMMARY_COLUMNS: &str = "id, category, kind, name_zh, name_en, image, points, cash_fen, stock, redeemed, min_tier, created_at";

fn summary_from(row: &sqlx::sqlite::SqliteRow) -> Result<ItemSummary, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    let min_tier: Option<String> = row.try_get("min_tier")?;
    let cash: Option<i64> = row.try_get("cash_fen")?;
    Ok(ItemSummary {
        id: row.try_get("id")?,
        category: row.try_get("category")?,
        name: I18nText { zh: row.try_get("name_zh")?, en: row.try_get("name_en")? },
        image: row.try_get("image")?,
        points: row.try_get("points")?,
        cash: cash.map(Cash::from_fen),
        stock: row.try_get("stock")?,
        redeemed: row.try_get("redeemed")?,
        min_tier: min_tier.as_deref().and_then(Tier::parse),
        kind: if kind == "physical" { ItemKind::Physical } else { ItemKind::Virtual },
    })
}

/// The categories, in display order.
#[utoipa::path(get, path = "/api/categories", tag = "catalogue", responses((status = 200, body = Vec<Category>)))]
pub async fn categories(State(state): State<AppState>) -> AppResult<AppJson<Vec<Category>>> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT slug, name_zh, name_en FROM categories ORDER BY position").fetch_all(&state.pool).await?;
    Ok(AppJson(rows.into_iter().map(|(slug, zh, en)| Category { slug, name: I18nText { zh, en } }).collect()))
}

/// A keyset position: the sort's column value and the id of the last item shown.
struct Cursor {
    value: i64,
    id: i64,
}

impl Cursor {
    fn encode(sort: Sort, value: i64, id: i64) -> String {
        format!("{}.{value}.{id}", sort.as_str())
    }

    fn decode(sort: Sort, s: &str) -> Result<Cursor, AppError> {
        let bad = || AppError::new(ErrorCode::BadRequest, "cursor is not valid for this sort");
        let mut parts = s.split('.');
        let (Some(tag), Some(value), Some(id), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        if tag != sort.as_str() {
            return Err(bad());
        }
        Ok(Cursor { value: value.parse().map_err(|_| bad())?, id: id.parse().map_err(|_| bad())? })
    }
}

/// The column a sort orders by, and whether it runs descending.
fn sort_key(sort: Sort) -> (&'static str, bool) {
    match sort {
        Sort::Popular => ("redeemed", true),
        Sort::Newest => ("created_at", true),
        Sort::PointsAsc => ("points", false),
        Sort::PointsDesc => ("points", true),
    }
}

/// Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
fn like_pattern(q: &str) -> String {
    let mut out = String::from("%");
    for c in q.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The catalogue, filtered, sorted and cursor-paged.
#[utoipa::path(get, path = "/api/items", tag = "catalogue", params(ItemQuery),
    responses((status = 200, body = ItemPage), (status = 400, body = mall_core::ApiErrorBody),
        (status = 401, body = mall_core::ApiErrorBody, description = "`affordable=true` without a session")))]
pub async fn list(
    State(state): State<AppState>,
    member: Option<CurrentMember>,
    AppQuery(query): AppQuery<ItemQuery>,
) -> AppResult<AppJson<ItemPage>> {
    let limit = page_size(query.limit)?;
    let sort = query.sort.unwrap_or_default();
    let (column, desc) = sort_key(sort);
    let cursor = query.cursor.as_deref().map(|c| Cursor::decode(sort, c)).transpose()?;

    let mut sql = QueryBuilder::<Db>::new(format!("SELECT {SUMMARY_COLUMNS} FROM items WHERE 1 = 1"));
    if let Some(category) = &query.category {
        sql.push(" AND category = ").push_bind(category.clone());
    }
    if let Some(band) = query.band {
        let (lo, hi) = band.range();
        sql.push(" AND points BETWEEN ").push_bind(lo).push(" AND ").push_bind(hi);
    }
    if query.affordable == Some(true) {
        let member = member.ok_or_else(|| AppError::new(ErrorCode::Unauthorized, "log in to see what you can afford"))?;
        let balance = crate::ledger::balance(&mut *state.pool.acquire().await?, member.id).await?;
        sql.push(" AND points <= ").push_bind(balance);
    }
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(AppError::new(ErrorCode::BadRequest, format!("search text is limited to {MAX_QUERY_CHARS} characters")));
        }
        let pattern = like_pattern(q);
        sql.push(" AND (LOWER(name_zh) LIKE ").push_bind(pattern.clone()).push(" ESCAPE '\\'");
        sql.push(" OR LOWER(name_en) LIKE ").push_bind(pattern).push(" ESCAPE '\\')");
    }
    if let Some(c) = &cursor {
        let op = if desc { "<" } else { ">" };
        sql.push(format!(" AND ({column} {op} ")).push_bind(c.value);
        sql.push(format!(" OR ({column} = ")).push_bind(c.value);
        sql.push(format!(" AND id {op} ")).push_bind(c.id).push("))");
    }
    let dir = if desc { "DESC" } else { "ASC" };
    sql.push(format!(" ORDER BY {column} {dir}, id {dir} LIMIT ")).push_bind(limit + 1);

    let rows = sql.build().fetch_all(&state.pool).await?;
    let mut keyed = Vec::with_capacity(rows.len());
    for row in &rows {
        keyed.push((row.try_get::<i64, _>(column)?, summary_from(row)?));
    }
    let next_cursor = finish_page(&mut keyed, limit, |(key, item)| Cursor::encode(sort, *key, item.id));
    Ok(AppJson(ItemPage { items: keyed.into_iter().map(|(_, item)| item).collect(), next_cursor }))
}

/// Loads one item's summary and detail columns; `item_not_found` if absent.
pub async fn load_detail(state: &AppState, id: i64, member: Option<CurrentMember>) -> AppResult<ItemDetail> {
    let row = sqlx::query(&format!("SELECT {SUMMARY_COLUMNS}, desc_zh, desc_en, specs_json, per_member_limit FROM items WHERE id = $1"))
        .bind(id)
        .fetch_optional(&state.pool)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::ItemNotFound, format!("no item with id {id}")))?;
    let summary = summary_from(&row)?;
    let specs_json: String = row.try_get("specs_json")?;
    let specs = parse_specs(&specs_json).map_err(AppError::internal)?;
    let (redeemed_by_me, tier_locked) = match member {
        None => (0, false),
        Some(m) => {
            let (growth, mine): (i64, Option<i64>) = sqlx::query_as(
                "SELECT m.growth, c.quantity FROM members m \
                 LEFT JOIN member_item_counts c ON c.member_id = m.id AND c.item_id = $2 WHERE m.id = $1",
            )
            .bind(m.id)
            .bind(id)
            .fetch_one(&state.pool)
            .await?;
            let tier = state.config.rules.tiers.tier_for(growth);
            (mine.unwrap_or(0), summary.min_tier.is_some_and(|min| tier < min))
        }
    };
    Ok(ItemDetail {
        summary,
        description: I18nText { zh: row.try_get("desc_zh")?, en: row.try_get("desc_en")? },
        specs,
        per_member_limit: row.try_get("per_member_limit")?,
        redeemed_by_me,
        tier_locked,
    })
}

#[derive(serde::Deserialize)]
struct StoredSpec {
    label_zh: String,
    label_en: String,
    value_zh: String,
    value_en: String,
}

fn parse_specs(json: &str) -> Result<Vec<Spec>, serde_json::Error> {
    let stored: Vec<StoredSpec> = serde_json::from_str(json)?;
    Ok(stored
        .into_iter()
        .map(|s| Spec { label: I18nText { zh: s.label_zh, en: s.label_en }, value: I18nText { zh: s.value_zh, en: s.value_en } })
        .collect())
}

/// One item with description, specs, limits and (with a session) the member's standing.
#[utoipa::path(get, path = "/api/items/{id}", tag = "catalogue", params(("id" = i64, Path, description = "Item id")),
    responses((status = 200, body = ItemDetail), (status = 400, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody)))]
pub async fn detail(
    State(state): State<AppState>,
    member: Option<CurrentMember>,
    AppPath(id): AppPath<i64>,
) -> AppResult<AppJson<ItemDetail>> {
    Ok(AppJson(load_detail(&state, id, member).await?))
}
