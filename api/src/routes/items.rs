//! The catalogue: categories, the filtered and cursor-paged list, item detail.

use axum::extract::State;
use mall_core::{
    cash::Cash,
    catalog::Sort,
    dto::{Category, I18nText, ItemDetail, ItemPage, ItemQuery, ItemSummary},
    ErrorCode,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    db::{self, items::ItemRow},
    domain::{campaigns, catalog, ledger, members},
    error::AppError,
    extract::{AppJson, AppPath, AppQuery},
    routes::{finish_page, page_size},
    session::CurrentMember,
    state::AppState,
    AppResult,
};

/// Catalogue routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(categories)).routes(routes!(list)).routes(routes!(detail))
}

/// The longest search text accepted.
const MAX_QUERY_CHARS: usize = 50;

/// A catalogue card of an item row (every list of items answers these).
pub(crate) fn summary_from(row: ItemRow) -> ItemSummary {
    ItemSummary {
        id: row.id,
        category: row.category,
        name: I18nText { zh: row.name_zh, en: row.name_en },
        image: row.image,
        points: row.points,
        cash: row.cash_fen.map(Cash::from_fen),
        stock: row.stock,
        redeemed: row.redeemed,
        min_tier: row.min_tier,
        kind: row.kind,
    }
}

/// Units of unpaid orders that lapsed but are not recorded yet, per item (of one member
/// only, when given): reads count them back in stock (and out of the member's count), as a
/// write will record them.
pub(crate) async fn lapsed_units(
    conn: &mut impl db::Access,
    now: i64,
    member_id: Option<i64>,
) -> Result<std::collections::HashMap<i64, i64>, sqlx::Error> {
    Ok(db::orders::lapsed_units(conn, now, member_id).await?.into_iter().map(|u| (u.item_id, u.units)).collect())
}

/// The categories, in display order (hidden ones are not listed).
#[utoipa::path(get, path = "/categories", tag = "catalogue", responses((status = 200, body = Vec<Category>)))]
pub async fn categories(State(state): State<AppState>) -> AppResult<AppJson<Vec<Category>>> {
    let rows = db::items::categories(&mut state.pool.acquire().await?).await?;
    Ok(AppJson(rows.into_iter().map(|c| Category { slug: c.slug, name: I18nText { zh: c.name_zh, en: c.name_en } }).collect()))
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

/// The catalogue, filtered, sorted and cursor-paged. Not listed (nor found by `q`): retired
/// items, the items of a hidden category and the vouchers of an inactive merchant.
#[utoipa::path(get, path = "/items", tag = "catalogue", params(ItemQuery),
    responses((status = 200, body = ItemPage), (status = 400, body = mall_core::ApiErrorBody),
        (status = 401, body = mall_core::ApiErrorBody, description = "`affordable=true` without a session")))]
pub async fn list(
    State(state): State<AppState>,
    member: Option<CurrentMember>,
    AppQuery(query): AppQuery<ItemQuery>,
) -> AppResult<AppJson<ItemPage>> {
    let limit = page_size(query.limit)?;
    let sort = query.sort.unwrap_or_default();
    let after = query.cursor.as_deref().map(|c| Cursor::decode(sort, c)).transpose()?.map(|c| (c.value, c.id));
    let search = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_string);
    if search.as_ref().is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS) {
        return Err(AppError::new(ErrorCode::BadRequest, format!("search text is limited to {MAX_QUERY_CHARS} characters")));
    }
    let mut conn = state.pool.acquire().await?;
    let max_points = match (query.affordable, member) {
        (Some(true), None) => return Err(AppError::new(ErrorCode::Unauthorized, "log in to see what you can afford")),
        (Some(true), Some(member)) => Some(ledger::spendable_balance(&mut conn, member.id, state.at()).await?),
        _ => None,
    };
    let filter = db::items::ItemFilter {
        category: query.category.clone(),
        points_between: query.band.map(|b| b.range()),
        max_points,
        search,
        sort,
        after,
        limit: limit + 1,
    };
    let rows = db::items::list(&mut conn, &filter).await?;
    let back = lapsed_units(&mut conn, state.clock.now_secs(), None).await?;
    let mut keyed: Vec<(i64, ItemSummary)> = rows
        .into_iter()
        .map(|row| {
            let key = db::items::sort_value(sort, &row);
            let mut item = summary_from(row);
            item.stock += back.get(&item.id).copied().unwrap_or(0);
            (key, item)
        })
        .collect();
    let next_cursor = finish_page(&mut keyed, limit, |(key, item)| Cursor::encode(sort, *key, item.id));
    let mut items: Vec<ItemSummary> = keyed.into_iter().map(|(_, item)| item).collect();
    let (rules, at) = state.moment();
    campaigns::show_prices(&mut conn, &rules, at, member.map(|m| m.id), &mut items).await?;
    Ok(AppJson(ItemPage { items, next_cursor }))
}

/// Loads one item's summary and detail; `item_not_found` if absent. With a member, its
/// standing (units held, tier lock).
pub async fn load_detail(state: &AppState, id: i64, member: Option<CurrentMember>) -> AppResult<ItemDetail> {
    let mut conn = state.pool.acquire().await?;
    let row =
        db::items::detail(&mut conn, id).await?.ok_or_else(|| AppError::new(ErrorCode::ItemNotFound, format!("no item with id {id}")))?;
    let specs = catalog::parse_specs(&row.specs_json).map_err(AppError::internal)?;
    let per_member_limit = row.item.per_member_limit;
    let mut summary = summary_from(row.item);
    let now = state.clock.now_secs();
    summary.stock += lapsed_units(&mut conn, now, None).await?.get(&id).copied().unwrap_or(0);
    let summary_cash = summary.cash.is_some();
    let (rules, at) = state.moment();
    let (redeemed_by_me, tier_locked) = match member {
        None => (0, false),
        Some(m) => {
            let tier = members::tier(&mut conn, &rules, m.id).await?;
            let back = lapsed_units(&mut conn, now, Some(m.id)).await?.get(&id).copied().unwrap_or(0);
            let held = db::items::held_by(&mut conn, m.id, id).await? - back;
            (held, summary.min_tier.is_some_and(|min| tier < min))
        }
    };
    campaigns::show_prices(&mut conn, &rules, at, member.map(|m| m.id), std::slice::from_mut(&mut summary)).await?;
    Ok(ItemDetail {
        summary,
        description: I18nText { zh: row.desc_zh, en: row.desc_en },
        specs,
        per_member_limit,
        redeemed_by_me,
        tier_locked,
        cash_unavailable: summary_cash && state.config.host_pay_url.is_none(),
    })
}

/// One item with description, specs, limits and (with a session) the member's standing.
/// An item of a hidden category still opens by its id (and may be redeemed): hiding a
/// category takes it out of the lists, not off sale.
#[utoipa::path(get, path = "/items/{id}", tag = "catalogue", params(("id" = i64, Path, description = "Item id")),
    responses((status = 200, body = ItemDetail), (status = 400, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody)))]
pub async fn detail(
    State(state): State<AppState>,
    member: Option<CurrentMember>,
    AppPath(id): AppPath<i64>,
) -> AppResult<AppJson<ItemDetail>> {
    Ok(AppJson(load_detail(&state, id, member).await?))
}
