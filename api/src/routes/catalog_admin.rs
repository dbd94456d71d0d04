//! The operator's catalogue: categories (list with hidden ones, create, change, hide), items
//! (list with retired ones, create, change, retire), stock changes with a reason, image
//! uploads; and `/media/…`, where uploaded images are served
//! from the database (content-hashed names, cached for a year, on every replica).

use axum::{
    body::Bytes,
    extract::{rejection::BytesRejection, DefaultBodyLimit, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use futures_util::FutureExt;
use mall_core::{
    catalog_admin::{
        AdminCategories, AdminCategory, AdminItem, AdminItems, CategoryPatch, ItemPatch, NewCategory, NewItem, StockChange, UploadedImage,
        IMAGE_MAX_BYTES,
    },
    ErrorCode,
};
use utoipa_axum::{
    router::{OpenApiRouter, UtoipaMethodRouterExt},
    routes,
};

use crate::{
    db,
    domain::catalog,
    error::AppError,
    extract::{AppJson, AppPath},
    operator::Operator,
    routes::{idempotency_key, once},
    state::AppState,
    AppResult,
};

/// The operator's catalogue routes under `/api`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_categories, create_category))
        .routes(routes!(change_category))
        .routes(routes!(list, create))
        .routes(routes!(change))
        .routes(routes!(stock))
        // An image is bigger than every other request body: its own limit, here only.
        .routes(routes!(upload).layer(DefaultBodyLimit::max(IMAGE_MAX_BYTES + 1)))
}

/// Every item, retired ones too.
#[utoipa::path(get, path = "/admin/items", tag = "operator", security(("operator" = [])),
    responses((status = 200, body = AdminItems), (status = 403, body = mall_core::ApiErrorBody)))]
pub async fn list(State(state): State<AppState>, _op: Operator) -> AppResult<AppJson<AdminItems>> {
    Ok(AppJson(catalog::list(&mut state.pool.acquire().await?, state.clock.now_secs()).await?))
}

/// Every category, hidden ones too, by position then id, with how many items (retired
/// excluded) each holds.
#[utoipa::path(get, path = "/admin/categories", tag = "operator", security(("operator" = [])),
    responses((status = 200, body = AdminCategories), (status = 403, body = mall_core::ApiErrorBody)))]
pub async fn list_categories(State(state): State<AppState>, _op: Operator) -> AppResult<AppJson<AdminCategories>> {
    Ok(AppJson(catalog::categories(&mut state.pool.acquire().await?).await?))
}

/// Create a category (after the last unless `position` is given); audited. Members see it
/// at once (empty categories too).
#[utoipa::path(post, path = "/admin/categories", tag = "operator", request_body = NewCategory, security(("operator" = [])),
    responses((status = 201, body = AdminCategory), (status = 403, body = mall_core::ApiErrorBody),
        (status = 409, body = mall_core::ApiErrorBody, description = "slug_taken"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed: slug, names or position break the category rules")))]
pub async fn create_category(
    State(state): State<AppState>,
    Operator(actor): Operator,
    AppJson(new): AppJson<NewCategory>,
) -> AppResult<(StatusCode, AppJson<AdminCategory>)> {
    let now = state.clock.now_secs();
    let made =
        db::transaction(&state.writer, move |tx| async move { catalog::create_category(tx, &actor, &new, now).await }.boxed()).await?;
    Ok((StatusCode::CREATED, AppJson(made)))
}

/// Rename a category, move it, hide it from members (`hidden: true`: it leaves
/// `GET /api/categories`, its items leave members' lists and search, an item page opened
/// by its id still shows) or show it again; audited. The slug never changes.
#[utoipa::path(patch, path = "/admin/categories/{id}", tag = "operator", request_body = CategoryPatch,
    params(("id" = i64, Path, description = "Category id")), security(("operator" = [])),
    responses((status = 200, body = AdminCategory), (status = 403, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody, description = "not_found"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed")))]
pub async fn change_category(
    State(state): State<AppState>,
    Operator(actor): Operator,
    AppPath(id): AppPath<i64>,
    AppJson(p): AppJson<CategoryPatch>,
) -> AppResult<AppJson<AdminCategory>> {
    let now = state.clock.now_secs();
    let made =
        db::transaction(&state.writer, move |tx| async move { catalog::patch_category(tx, &actor, id, &p, now).await }.boxed()).await?;
    Ok(AppJson(made))
}

/// Create an item (with its starting stock); members see it at once.
#[utoipa::path(post, path = "/admin/items", tag = "operator", request_body = NewItem, security(("operator" = [])),
    responses((status = 201, body = AdminItem), (status = 403, body = mall_core::ApiErrorBody),
        (status = 409, body = mall_core::ApiErrorBody, description = "merchant_inactive: the voucher names an inactive merchant"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed: a field breaks the item rules, an unknown category, merchant or image")))]
pub async fn create(
    State(state): State<AppState>,
    Operator(actor): Operator,
    AppJson(new): AppJson<NewItem>,
) -> AppResult<(StatusCode, AppJson<AdminItem>)> {
    let now = state.clock.now_secs();
    let item = db::transaction(&state.writer, move |tx| async move { catalog::create(tx, &actor, &new, now).await }.boxed()).await?;
    Ok((StatusCode::CREATED, AppJson(item)))
}

/// Change an item's fields, retire it (`retired: true`: hidden from members, kept for
/// their orders) or bring it back. Stock changes go through `…/stock`.
#[utoipa::path(patch, path = "/admin/items/{id}", tag = "operator", request_body = ItemPatch,
    params(("id" = i64, Path, description = "Item id")), security(("operator" = [])),
    responses((status = 200, body = AdminItem), (status = 403, body = mall_core::ApiErrorBody), (status = 404, body = mall_core::ApiErrorBody),
        (status = 409, body = mall_core::ApiErrorBody, description = "merchant_inactive: names an inactive merchant anew (an item may keep one deactivated since)"),
        (status = 422, body = mall_core::ApiErrorBody)))]
pub async fn change(
    State(state): State<AppState>,
    Operator(actor): Operator,
    AppPath(id): AppPath<i64>,
    AppJson(p): AppJson<ItemPatch>,
) -> AppResult<AppJson<AdminItem>> {
    let now = state.clock.now_secs();
    let item = db::transaction(&state.writer, move |tx| async move { catalog::patch(tx, &actor, id, &p, now).await }.boxed()).await?;
    Ok(AppJson(item))
}

/// Add or take stock with a reason; never below zero. Requires `Idempotency-Key` (the
/// staff member's own): a retry replays the first answer and moves nothing twice.
#[utoipa::path(post, path = "/admin/items/{id}/stock", tag = "operator", request_body = StockChange,
    params(("id" = i64, Path, description = "Item id"),
        ("Idempotency-Key" = String, Header, description = "Required: a retry replays the first answer")),
    security(("operator" = [])),
    responses((status = 200, body = AdminItem), (status = 403, body = mall_core::ApiErrorBody), (status = 404, body = mall_core::ApiErrorBody),
        (status = 409, body = mall_core::ApiErrorBody, description = "stock_below_zero"),
        (status = 422, body = mall_core::ApiErrorBody)))]
pub async fn stock(
    State(state): State<AppState>,
    Operator(actor): Operator,
    headers: HeaderMap,
    AppPath(id): AppPath<i64>,
    AppJson(change): AppJson<StockChange>,
) -> AppResult<Response> {
    let key = idempotency_key(&headers, true, &format!("POST /api/admin/items/{id}/stock"), &change)?;
    let now = state.clock.now_secs();
    let owner = actor.owner();
    once(&state, owner, key, StatusCode::OK, move |tx| {
        async move { catalog::change_stock(tx, &actor, id, &change, now).await.map_err(AppError::from) }.boxed()
    })
    .await
}

/// Upload an image (the raw bytes as the body: PNG, JPEG or WebP, at most 512 kB; SVG is
/// refused). Answers the URL to use as an item's `image`.
#[utoipa::path(post, path = "/admin/images", tag = "operator",
    request_body(content = Vec<u8>, content_type = "image/png", description = "The image's bytes (PNG, JPEG or WebP)"),
    security(("operator" = [])),
    responses((status = 201, body = UploadedImage), (status = 403, body = mall_core::ApiErrorBody),
        (status = 413, body = mall_core::ApiErrorBody, description = "payload_too_large: over 512 kB"),
        (status = 415, body = mall_core::ApiErrorBody, description = "unsupported_media_type: not PNG, JPEG or WebP by its content")))]
pub async fn upload(
    State(state): State<AppState>,
    Operator(actor): Operator,
    body: Result<Bytes, BytesRejection>,
) -> AppResult<(StatusCode, AppJson<UploadedImage>)> {
    let body = body.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => AppError::new(ErrorCode::PayloadTooLarge, "an image is at most 512 kB"),
        _ => AppError::new(ErrorCode::BadRequest, e.body_text()),
    })?;
    let now = state.clock.now_secs();
    let image = db::transaction(&state.writer, move |tx| {
        let body = body.clone();
        async move { catalog::upload_image(tx, &actor, &body, now).await }.boxed()
    })
    .await?;
    Ok((StatusCode::CREATED, AppJson(image)))
}

/// `GET /media/{name}`: an uploaded image, by its content-derived name.
pub async fn media(State(state): State<AppState>, AppPath(name): AppPath<String>) -> AppResult<Response> {
    let valid = name.len() <= 40
        && name
            .split_once('.')
            .is_some_and(|(h, e)| h.len() == 32 && h.bytes().all(|b| b.is_ascii_hexdigit()) && ["png", "jpg", "webp"].contains(&e));
    let image = if valid { db::images::one(&state.pool, &name).await? } else { None };
    let Some(image) = image else {
        return Err(AppError::new(ErrorCode::NotFound, "no such image"));
    };
    let content_type = HeaderValue::from_str(&image.content_type).map_err(AppError::internal)?;
    Ok((
        [(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"))],
        image.bytes,
    )
        .into_response())
}
