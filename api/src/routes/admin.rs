//! Operator endpoints (an operator account's staff session, or the automation token):
//! point adjustments, the expiry sweep, partner merchants, member control,
//! the sales list and the audit log; and the development clock. Every write is audited.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
};
use futures_util::FutureExt;
use mall_core::{
    dto::PageQuery,
    earning::{Adjustment, Award, ClockAdvance},
    staff::{AuditEntry, AuditPage, FreezeRequest, MemberDetail, MemberRow, MemberSearch, Merchant, MerchantPatch, NewMerchant},
    text::readable,
    ErrorCode,
};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    clock, db,
    domain::{audit, ledger, member_control, members, merchants, sweep},
    error::AppError,
    extract::{AppJson, AppPath, AppQuery},
    operator::Operator,
    routes::{finish_page, id_cursor, idempotency_key, once, page_size},
    state::AppState,
    AppResult,
};

/// Operator and development routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(adjust))
        .routes(routes!(run_sweep))
        .routes(routes!(merchants, create_merchant))
        .routes(routes!(change_merchant))
        .routes(routes!(search_members))
        .routes(routes!(member))
        .routes(routes!(freeze))
        .routes(routes!(unfreeze))
        .routes(routes!(audit_log))
        .routes(routes!(dev_clock))
}

/// Adjust a member's points up or down with a reason shown in its history.
#[utoipa::path(post, path = "/admin/adjustments", tag = "operator", request_body = Adjustment,
    params(("Idempotency-Key" = String, Header, description = "Required: a retry replays the first answer")),
    security(("operator" = [])),
    responses((status = 201, body = Award), (status = 403, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody), (status = 409, body = mall_core::ApiErrorBody, description = "insufficient_points"),
        (status = 422, body = mall_core::ApiErrorBody)))]
pub async fn adjust(
    State(state): State<AppState>,
    Operator(actor): Operator,
    headers: HeaderMap,
    AppJson(req): AppJson<Adjustment>,
) -> AppResult<Response> {
    let reason = req.reason.trim().to_string();
    if req.amount == 0 || req.amount.unsigned_abs() > 10_000_000 || !(1..=100).contains(&reason.chars().count()) || !readable(&reason) {
        return Err(AppError::new(
            ErrorCode::ValidationFailed,
            "amount must be non-zero (|amount| ≤ 10,000,000) and reason 1–100 characters, without control or direction characters",
        ));
    }
    members::exists(&mut state.pool.acquire().await?, req.member_id).await?;
    let key = idempotency_key(&headers, true, "POST /api/admin/adjustments", &req)?;
    let (rules, at) = state.moment();
    once(&state, actor.owner(), key, StatusCode::CREATED, move |tx| {
        async move {
            let before = members::spendable(tx, req.member_id, at).await?;
            let balance = ledger::adjust(tx, &rules, at, req.member_id, req.amount, &reason).await?;
            let act = audit::Act { actor: &actor, action: "points.adjust", target_kind: "member", at: at.secs };
            let after = serde_json::json!({ "balance": balance, "amount": req.amount, "reason": reason });
            audit::record(tx, act, &req.member_id.to_string(), Some(&serde_json::json!({ "balance": before })), Some(&after)).await?;
            Ok::<_, AppError>(Award { awarded: req.amount, growth: 0, reason: None, balance })
        }
        .boxed()
    })
    .await
}

/// Run the expiry sweep now (it also runs periodically).
#[utoipa::path(post, path = "/admin/sweep", tag = "operator", security(("operator" = [])),
    responses((status = 200, body = i64, content_type = "application/json", description = "Members whose lots expired"), (status = 403, body = mall_core::ApiErrorBody)))]
pub async fn run_sweep(State(state): State<AppState>, Operator(actor): Operator) -> AppResult<AppJson<i64>> {
    let (rules, at) = state.moment();
    let expired = sweep::run_once(&state.pool, &state.writer, &rules, at).await?;
    db::transaction(&state.writer, move |tx| {
        async move {
            let act = audit::Act { actor: &actor, action: "points.sweep", target_kind: "ledger", at: at.secs };
            audit::record(tx, act, "expiry", None::<&()>, Some(&serde_json::json!({ "members": expired }))).await
        }
        .boxed()
    })
    .await?;
    Ok(AppJson(expired))
}

/// Development only (`DEV_CLOCK=true`, impossible with `DEMO_LOGIN=false`): move the
/// server clock forward to try expiry and day changes.
#[utoipa::path(post, path = "/dev/clock", tag = "development", request_body = ClockAdvance,
    responses((status = 200, body = mall_core::dto::ServerTime), (status = 404, body = mall_core::ApiErrorBody)))]
pub async fn dev_clock(
    State(state): State<AppState>,
    AppJson(req): AppJson<ClockAdvance>,
) -> AppResult<AppJson<mall_core::dto::ServerTime>> {
    if !state.config.dev_clock {
        return Err(AppError::new(ErrorCode::NotFound, "no such API path"));
    }
    if !(0..=5 * 366 * 86_400).contains(&req.seconds) {
        return Err(AppError::new(ErrorCode::ValidationFailed, "seconds must be between 0 and five years"));
    }
    state.clock.advance(req.seconds);
    Ok(crate::routes::health::time(State(state)).await)
}

/// The partner merchants, inactive ones too (`active`), by id (sales, vouchers and
/// merchant accounts belong to one).
#[utoipa::path(get, path = "/admin/merchants", tag = "operator", security(("operator" = [])),
    responses((status = 200, body = Vec<Merchant>), (status = 403, body = mall_core::ApiErrorBody)))]
pub async fn merchants(State(state): State<AppState>, _op: Operator) -> AppResult<AppJson<Vec<Merchant>>> {
    Ok(AppJson(merchants::list(&mut state.pool.acquire().await?).await?))
}

/// Create a partner merchant (active); audited. Its accounts are created with
/// `POST /api/admin/staff` (role `merchant`, its `merchant_id`).
#[utoipa::path(post, path = "/admin/merchants", tag = "operator", request_body = NewMerchant, security(("operator" = [])),
    responses((status = 201, body = Merchant), (status = 403, body = mall_core::ApiErrorBody),
        (status = 409, body = mall_core::ApiErrorBody, description = "slug_taken"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed: a field breaks the merchant rules, or a logo never uploaded")))]
pub async fn create_merchant(
    State(state): State<AppState>,
    Operator(actor): Operator,
    AppJson(new): AppJson<NewMerchant>,
) -> AppResult<(StatusCode, AppJson<Merchant>)> {
    let now = state.clock.now_secs();
    let made = db::transaction(&state.writer, move |tx| async move { merchants::create(tx, &actor, &new, now).await }.boxed()).await?;
    Ok((StatusCode::CREATED, AppJson(made)))
}

/// Change a partner merchant; audited. New settlement values apply to the codes issued
/// from then on (each code keeps the value it was issued with, so past statements never
/// change). `active: false` deactivates it: new sales, vouchers (create, or a change that
/// names it) and approved offers cannot name it (409 `merchant_inactive`), its sales and
/// vouchers leave members' lists and cannot be grabbed or redeemed; its accounts still
/// sign in, verify the codes already issued and read their statements. `active: true`
/// brings it back.
#[utoipa::path(patch, path = "/admin/merchants/{id}", tag = "operator", request_body = MerchantPatch,
    params(("id" = i64, Path, description = "Merchant id")), security(("operator" = [])),
    responses((status = 200, body = Merchant), (status = 403, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody, description = "not_found"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed")))]
pub async fn change_merchant(
    State(state): State<AppState>,
    Operator(actor): Operator,
    AppPath(id): AppPath<i64>,
    AppJson(p): AppJson<MerchantPatch>,
) -> AppResult<AppJson<Merchant>> {
    let now = state.clock.now_secs();
    let made = db::transaction(&state.writer, move |tx| async move { merchants::patch(tx, &actor, id, &p, now).await }.boxed()).await?;
    Ok(AppJson(made))
}

/// `GET /api/admin/members` query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MemberQuery {
    /// A member id, or part of a name (either language), 1–50 characters.
    pub q: String,
}

/// Find members by id or name (at most 50, by id).
#[utoipa::path(get, path = "/admin/members", tag = "operator", params(MemberQuery), security(("operator" = [])),
    responses((status = 200, body = MemberSearch), (status = 403, body = mall_core::ApiErrorBody),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed: q empty or over 50 characters")))]
pub async fn search_members(
    State(state): State<AppState>,
    _op: Operator,
    AppQuery(query): AppQuery<MemberQuery>,
) -> AppResult<AppJson<MemberSearch>> {
    let q = query.q.trim();
    if q.is_empty() || q.chars().count() > 50 {
        return Err(AppError::new(ErrorCode::ValidationFailed, "q must be a member id or 1–50 characters of a name"));
    }
    let (rules, at) = state.moment();
    Ok(AppJson(member_control::search(&mut state.pool.acquire().await?, &rules, at, q).await?))
}

/// One member: balance, tier, lots, newest history, orders and codes.
#[utoipa::path(get, path = "/admin/members/{id}", tag = "operator", params(("id" = i64, Path, description = "Member id")),
    security(("operator" = [])),
    responses((status = 200, body = MemberDetail), (status = 403, body = mall_core::ApiErrorBody), (status = 404, body = mall_core::ApiErrorBody)))]
pub async fn member(State(state): State<AppState>, _op: Operator, AppPath(id): AppPath<i64>) -> AppResult<AppJson<MemberDetail>> {
    let (rules, at) = state.moment();
    Ok(AppJson(member_control::detail(&state.pool, &rules, at, id).await?))
}

/// Freeze a member: it keeps earning, checking in, cancelling and using its codes, but
/// redeem, grab and make-up answer 403 `member_frozen` with this reason.
#[utoipa::path(post, path = "/admin/members/{id}/freeze", tag = "operator", request_body = FreezeRequest,
    params(("id" = i64, Path, description = "Member id")), security(("operator" = [])),
    responses((status = 200, body = MemberRow), (status = 403, body = mall_core::ApiErrorBody), (status = 404, body = mall_core::ApiErrorBody),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed: reason empty or over 200 characters")))]
pub async fn freeze(
    State(state): State<AppState>,
    Operator(actor): Operator,
    AppPath(id): AppPath<i64>,
    AppJson(req): AppJson<FreezeRequest>,
) -> AppResult<AppJson<MemberRow>> {
    let reason = req.reason.trim().to_string();
    if !(1..=200).contains(&reason.chars().count()) || !readable(&reason) {
        return Err(AppError::new(ErrorCode::ValidationFailed, "reason must be 1–200 characters, without control or direction characters"));
    }
    set_frozen(&state, actor, id, Some(reason)).await
}

/// Unfreeze a member.
#[utoipa::path(post, path = "/admin/members/{id}/unfreeze", tag = "operator",
    params(("id" = i64, Path, description = "Member id")), security(("operator" = [])),
    responses((status = 200, body = MemberRow), (status = 403, body = mall_core::ApiErrorBody), (status = 404, body = mall_core::ApiErrorBody)))]
pub async fn unfreeze(
    State(state): State<AppState>,
    Operator(actor): Operator,
    AppPath(id): AppPath<i64>,
) -> AppResult<AppJson<MemberRow>> {
    set_frozen(&state, actor, id, None).await
}

async fn set_frozen(state: &AppState, actor: crate::operator::Actor, id: i64, reason: Option<String>) -> AppResult<AppJson<MemberRow>> {
    let (rules, at) = state.moment();
    let row = db::transaction(&state.writer, move |tx| {
        async move { member_control::set_frozen(tx, &actor, &rules, at, id, reason.as_deref()).await }.boxed()
    })
    .await?;
    Ok(AppJson(row))
}

/// The audit log of staff writes, newest first.
#[utoipa::path(get, path = "/admin/audit", tag = "operator", params(PageQuery), security(("operator" = [])),
    responses((status = 200, body = AuditPage), (status = 403, body = mall_core::ApiErrorBody)))]
pub async fn audit_log(
    State(state): State<AppState>,
    _op: Operator,
    AppQuery(query): AppQuery<PageQuery>,
) -> AppResult<AppJson<AuditPage>> {
    let limit = page_size(query.limit)?;
    let before = id_cursor(query.cursor.as_deref())?.unwrap_or(i64::MAX);
    let mut rows = db::audit::page(&mut state.pool.acquire().await?, before, limit + 1).await?;
    let next_cursor = finish_page(&mut rows, limit, |r| r.id.to_string());
    let zone = state.config.zone;
    Ok(AppJson(AuditPage {
        entries: rows
            .into_iter()
            .map(|r| AuditEntry {
                id: r.id,
                actor: r.actor,
                action: r.action,
                target_kind: r.target_kind,
                target_id: r.target_id,
                before: r.before_json,
                after: r.after_json,
                at: clock::rfc3339(zone, r.created_at),
            })
            .collect(),
        next_cursor,
    }))
}
