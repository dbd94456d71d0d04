//! Flash sales (秒杀): today's slots, the grab, reminders, the code wallet, merchant
//! verification and operator scheduling. The grab's transaction is `domain::sales::grab`;
//! in front of it this process sheds load (`domain::admission`: per-member rate limit,
//! sold-out memory, an admission gate), which never decides a grab.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
};
use futures_util::FutureExt;
use mall_core::{
    sales::{DailySlots, Grab, NewSale, Remind, Reminder, SaleDay, Scheduled, Verified, VerifyRequest, WalletCode},
    staff::{AdminSale, AdminSales, SaleEdit},
    ErrorCode,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    db,
    domain::{
        idempotency::Owner,
        sales::{self, SaleError},
        wallet,
    },
    error::AppError,
    extract::{AppJson, AppPath, AppQuery},
    operator::{Actor, CodeVerifier, Operator},
    routes::{idempotency_key, once, REPLAYED},
    session::CurrentMember,
    state::AppState,
    AppResult,
};

/// Sale routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(today))
        .routes(routes!(grab))
        .routes(routes!(remind))
        .routes(routes!(wallet))
        .routes(routes!(verify))
        .routes(routes!(schedule, staff_list))
        .routes(routes!(staff_edit))
        .routes(routes!(staff_cancel))
        .routes(routes!(schedule_daily))
}

/// Today's sales (the local day) and, from 18:00, the night's (those starting within six
/// hours: a midnight drop shows the evening before), with this member's standing; an
/// inactive merchant's sales are not listed.
#[utoipa::path(get, path = "/sales", tag = "flash sales",
    responses((status = 200, body = SaleDay), (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn today(State(state): State<AppState>, member: CurrentMember) -> AppResult<AppJson<SaleDay>> {
    let now_ms = state.clock.now().timestamp_millis();
    let mut conn = state.pool.acquire().await?;
    let rules = state.rules.in_force(now_ms.div_euclid(1000));
    Ok(AppJson(sales::today(&mut conn, &rules, state.config.zone, member.id, now_ms).await?))
}

/// Grab a code: window open (early for Gold and above), stock left, under the member's
/// limit, enough points — or a clear refusal. `Idempotency-Key` required; per-member
/// rate limited (429 with `Retry-After`).
#[utoipa::path(post, path = "/sales/{id}/grab", tag = "flash sales",
    params(("id" = i64, Path, description = "Sale id"), ("Idempotency-Key" = String, Header, description = "One per tap; a retry replays")),
    responses((status = 201, body = Grab), (status = 401, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody, description = "sale_not_found"),
        (status = 409, body = mall_core::ApiErrorBody, description = "sale_not_started, sale_ended, sold_out, limit_reached, insufficient_points, sale_cancelled, merchant_inactive"),
        (status = 429, body = mall_core::ApiErrorBody, description = "rate_limited, with Retry-After")))]
pub async fn grab(
    State(state): State<AppState>,
    member: CurrentMember,
    headers: HeaderMap,
    AppPath(id): AppPath<i64>,
) -> AppResult<Response> {
    state.admission.check_rate(member.id).map_err(AppError::rate_limited)?;
    if state.admission.is_sold_out(id) {
        return Err(SaleError::SoldOut.into());
    }
    let key = idempotency_key(&headers, true, &format!("POST /api/sales/{id}/grab"), &())?;
    let (rules, at) = state.moment();
    let sale = sales::open_for(&mut state.pool.acquire().await?, &rules, at, member.id, id).await?;
    if sale.remaining == 0 {
        state.admission.mark_sold_out(id);
        return Err(SaleError::SoldOut.into());
    }
    if !state.admission.admit(id, sale.remaining) {
        return Err(AppError {
            message: "everything left is being claimed right now; try again in a second".into(),
            ..AppError::rate_limited(1)
        });
    }
    let (code_space, member_id) = (state.config.code_space, member.id);
    let result = once(&state, Owner::Member(member.id), key, StatusCode::CREATED, move |tx| {
        async move { sales::grab(tx, at, member_id, sale, code_space).await.map_err(AppError::from) }.boxed()
    })
    .await;
    match &result {
        Err(e) if e.code == ErrorCode::SoldOut => state.admission.mark_sold_out(id),
        // A replayed answer or a refusal did not use the admitted unit.
        Err(_) => state.admission.release(id),
        Ok(res) if res.headers().contains_key(REPLAYED) => state.admission.release(id),
        Ok(_) => {}
    }
    result
}

/// Ask (or stop asking) to be reminded when a sale opens.
#[utoipa::path(post, path = "/sales/{id}/remind", tag = "flash sales", request_body = Remind,
    params(("id" = i64, Path, description = "Sale id")),
    responses((status = 200, body = Reminder, description = "Saved, and how the member will be reminded"),
        (status = 401, body = mall_core::ApiErrorBody), (status = 404, body = mall_core::ApiErrorBody)))]
pub async fn remind(
    State(state): State<AppState>,
    member: CurrentMember,
    AppPath(id): AppPath<i64>,
    AppJson(req): AppJson<Remind>,
) -> AppResult<AppJson<Reminder>> {
    sales::remind(&state.writer, &state.pool, member.id, id, req.on).await?;
    Ok(AppJson(Reminder { on: req.on, by_host: state.config.host_webhook_url.is_some() }))
}

/// The member's redemption codes, newest first.
#[utoipa::path(get, path = "/codes", tag = "flash sales",
    responses((status = 200, body = Vec<WalletCode>), (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn wallet(State(state): State<AppState>, member: CurrentMember) -> AppResult<AppJson<Vec<WalletCode>>> {
    let mut conn = state.pool.acquire().await?;
    Ok(AppJson(wallet::wallet(&mut conn, state.config.zone, member.id, state.clock.now_secs()).await?))
}

/// A merchant verifies a code it honours, once; an operator verifies the codes the shop
/// honours itself (vouchers without a merchant), recorded as used by the shop (商城). The
/// check character is validated before any lookup; a second attempt says when and by whom
/// it was used. Another's code (a partner's for an operator, the shop's or another
/// partner's for a merchant) is 403 `code_of_other_merchant` and changes nothing.
#[utoipa::path(post, path = "/merchant/verify", tag = "merchant", request_body = VerifyRequest,
    security(("merchant" = []), ("operator" = [])),
    responses((status = 200, body = Verified),
        (status = 403, body = mall_core::ApiErrorBody, description = "code_of_other_merchant; forbidden: no merchant or operator credential"),
        (status = 404, body = mall_core::ApiErrorBody, description = "code_not_found"),
        (status = 409, body = mall_core::ApiErrorBody, description = "code_used, code_expired, code_void"),
        (status = 422, body = mall_core::ApiErrorBody, description = "code_invalid (typo caught by the check character)")))]
pub async fn verify(
    State(state): State<AppState>,
    merchant: CodeVerifier,
    AppJson(req): AppJson<VerifyRequest>,
) -> AppResult<AppJson<Verified>> {
    Ok(AppJson(sales::verify(&state.writer, &state.pool, state.at(), &merchant.0, &req.code).await?))
}

/// Schedule a sale. Refused: end before start, zero quantity or price, a slot overlapping
/// another of the same offer.
#[utoipa::path(post, path = "/admin/sales", tag = "operator", request_body = NewSale, security(("operator" = [])),
    responses((status = 201, body = i64, content_type = "application/json", description = "The new sale's id"), (status = 403, body = mall_core::ApiErrorBody),
        (status = 409, body = mall_core::ApiErrorBody, description = "sale_overlap, merchant_inactive"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed, sale_window_passed")))]
pub async fn schedule(
    State(state): State<AppState>,
    Operator(actor): Operator,
    AppJson(req): AppJson<NewSale>,
) -> AppResult<(StatusCode, AppJson<i64>)> {
    let ids = schedule_all(&state, actor, vec![req]).await?;
    Ok((StatusCode::CREATED, AppJson(ids[0])))
}

/// Schedule one offer in several slots of one shop day (e.g. 10:00, 14:00 and 20:00), each
/// with the full quantity. All or nothing: one refused slot schedules none.
#[utoipa::path(post, path = "/admin/sales/daily", tag = "operator", request_body = DailySlots, security(("operator" = [])),
    responses((status = 201, body = Scheduled), (status = 403, body = mall_core::ApiErrorBody),
        (status = 409, body = mall_core::ApiErrorBody, description = "sale_overlap (with another sale of the offer or between the slots), merchant_inactive"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed, sale_window_passed")))]
pub async fn schedule_daily(
    State(state): State<AppState>,
    Operator(actor): Operator,
    AppJson(req): AppJson<DailySlots>,
) -> AppResult<(StatusCode, AppJson<Scheduled>)> {
    let ids = schedule_all(&state, actor, sales::daily(&req, state.config.zone)?).await?;
    Ok((StatusCode::CREATED, AppJson(Scheduled { ids })))
}

/// Schedules the sales in one write transaction, all or nothing, audited.
async fn schedule_all(state: &AppState, actor: Actor, new: Vec<NewSale>) -> AppResult<Vec<i64>> {
    let now = state.clock.now_secs();
    Ok(db::transaction(&state.writer, move |tx| async move { sales::schedule(tx, &actor, &new, now).await }.boxed()).await?)
}

/// `GET /api/admin/sales` query: shop days, inclusive.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SalesRange {
    /// First day, `YYYY-MM-DD` (shop time).
    pub from: String,
    /// Last day, `YYYY-MM-DD`; at most 92 days after `from`.
    pub to: String,
}

/// The sales starting in a range of shop days, cancelled ones too, with codes sold and
/// verified.
#[utoipa::path(get, path = "/admin/sales", tag = "operator", params(SalesRange), security(("operator" = [])),
    responses((status = 200, body = AdminSales), (status = 403, body = mall_core::ApiErrorBody),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed: dates not YYYY-MM-DD, to before from, over 92 days")))]
pub async fn staff_list(
    State(state): State<AppState>,
    _op: Operator,
    AppQuery(range): AppQuery<SalesRange>,
) -> AppResult<AppJson<AdminSales>> {
    let (from, to) = crate::clock::day_range(&range.from, &range.to, 92).ok_or_else(|| {
        AppError::new(ErrorCode::ValidationFailed, "from and to must be YYYY-MM-DD, to on or after from, at most 92 days later")
    })?;
    Ok(AppJson(sales::staff_list(&mut state.pool.acquire().await?, state.config.zone, from, to).await?))
}

/// Change a sale before it starts (and before any code of it is grabbed); audited.
#[utoipa::path(patch, path = "/admin/sales/{id}", tag = "operator", request_body = SaleEdit,
    params(("id" = i64, Path, description = "Sale id")), security(("operator" = [])),
    responses((status = 200, body = AdminSale), (status = 403, body = mall_core::ApiErrorBody), (status = 404, body = mall_core::ApiErrorBody),
        (status = 409, body = mall_core::ApiErrorBody, description = "sale_started, sale_cancelled or sale_overlap"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed, sale_window_passed")))]
pub async fn staff_edit(
    State(state): State<AppState>,
    Operator(actor): Operator,
    AppPath(id): AppPath<i64>,
    AppJson(change): AppJson<SaleEdit>,
) -> AppResult<AppJson<AdminSale>> {
    let at = state.at();
    let sale = db::transaction(&state.writer, move |tx| async move { sales::edit(tx, &actor, at, id, &change).await }.boxed()).await?;
    Ok(AppJson(sale))
}

/// Cancel a sale: no further grabs; codes already issued stay valid. Audited.
#[utoipa::path(post, path = "/admin/sales/{id}/cancel", tag = "operator",
    params(("id" = i64, Path, description = "Sale id")), security(("operator" = [])),
    responses((status = 200, body = AdminSale), (status = 403, body = mall_core::ApiErrorBody), (status = 404, body = mall_core::ApiErrorBody),
        (status = 409, body = mall_core::ApiErrorBody, description = "sale_cancelled (already) or sale_ended")))]
pub async fn staff_cancel(
    State(state): State<AppState>,
    Operator(actor): Operator,
    AppPath(id): AppPath<i64>,
) -> AppResult<AppJson<AdminSale>> {
    let at = state.at();
    let sale = db::transaction(&state.writer, move |tx| async move { sales::cancel(tx, &actor, at, id).await }.boxed()).await?;
    Ok(AppJson(sale))
}
