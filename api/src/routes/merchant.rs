//! The partner merchant's own views: its codes by status and its settlement statement
//! (verified codes × its settlement value), with a CSV. A merchant account sees its own
//! merchant, and so does a merchant automation token (bound to one by its slug). Unused
//! codes are masked to their last group: they are the members' bearer secrets.

use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use mall_core::{
    cash::Cash,
    dto::I18nText,
    fulfilment::csv_cell,
    sales::CodeStatus,
    staff::{MerchantCodes, MerchantRef, Settlement},
    ErrorCode,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::stats::{days, StatsRange};
use crate::{
    db::{self, merchants::MerchantRow},
    domain::sales,
    error::AppError,
    extract::{AppJson, AppQuery},
    operator::Merchant,
    state::AppState,
    AppResult,
};

/// Merchant routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(codes)).routes(routes!(settlement)).routes(routes!(settlement_csv))
}

/// `GET /api/merchant/codes` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CodesQuery {
    /// `issued`, `used`, `expired` or `void`; all when absent.
    pub status: Option<CodeStatus>,
    /// The merchant: optional, and only the credential's own (a merchant token or account stands for one).
    pub merchant_id: Option<i64>,
}

/// `GET /api/merchant/settlement` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SettlementQuery {
    /// First day, `YYYY-MM-DD` (shop time).
    pub from: String,
    /// Last day, `YYYY-MM-DD`; at most 92 days after `from`.
    pub to: String,
    /// The merchant: optional, and only the credential's own (a merchant token or account stands for one).
    pub merchant_id: Option<i64>,
}

/// The merchant the credential stands for (an account's, or a token's): `merchant_id`,
/// when given, must name it.
pub(super) async fn merchant_of(state: &AppState, merchant: &Merchant, asked: Option<i64>) -> AppResult<MerchantRow> {
    let id = merchant.merchant_id();
    if asked.is_some_and(|asked| asked != id) {
        return Err(AppError::new(ErrorCode::Forbidden, "a merchant credential sees only its own merchant"));
    }
    db::merchants::one(&mut state.pool.acquire().await?, id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("no merchant {id}")))
}

fn reference(m: &MerchantRow) -> MerchantRef {
    MerchantRef { id: m.id, name: I18nText { zh: m.name_zh.clone(), en: m.name_en.clone() } }
}

/// The merchant's codes (at most 200, newest first) by status now: an unused one shows only
/// its last group (`••••-••••-WXYZ`), a used one in full.
#[utoipa::path(get, path = "/merchant/codes", tag = "merchant", params(CodesQuery), security(("merchant" = [])),
    responses((status = 200, body = MerchantCodes), (status = 403, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody), (status = 422, body = mall_core::ApiErrorBody)))]
pub async fn codes(
    State(state): State<AppState>,
    merchant: Merchant,
    AppQuery(q): AppQuery<CodesQuery>,
) -> AppResult<AppJson<MerchantCodes>> {
    let m = merchant_of(&state, &merchant, q.merchant_id).await?;
    let now = state.clock.now_secs();
    let codes = sales::merchant_codes(&mut state.pool.acquire().await?, state.config.zone, m.id, q.status, now).await?;
    Ok(AppJson(MerchantCodes { merchant: reference(&m), codes }))
}

async fn statement(state: &AppState, merchant: &Merchant, q: &SettlementQuery) -> AppResult<Settlement> {
    let (from, to) = days(&StatsRange { from: q.from.clone(), to: q.to.clone() })?;
    let m = merchant_of(state, merchant, q.merchant_id).await?;
    let days = sales::settlement_days(&mut state.pool.acquire().await?, state.config.zone, m.id, from, to).await?;
    let verified: i64 = days.iter().map(|d| d.verified).sum();
    let total: i64 = days.iter().map(|d| d.amount.fen()).fold(0, i64::saturating_add);
    Ok(Settlement {
        merchant: reference(&m),
        from: q.from.clone(),
        to: q.to.clone(),
        settlement_value: Cash::from_fen(m.settlement_fen),
        offer_settlement_value: Cash::from_fen(m.offer_settlement_fen),
        total: Cash::from_fen(total),
        verified,
        days,
    })
}

/// The settlement statement of shop days `from..=to`: codes verified × settlement value.
#[utoipa::path(get, path = "/merchant/settlement", tag = "merchant", params(SettlementQuery), security(("merchant" = [])),
    responses((status = 200, body = Settlement), (status = 403, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed: bad dates or over 92 days")))]
pub async fn settlement(
    State(state): State<AppState>,
    merchant: Merchant,
    AppQuery(q): AppQuery<SettlementQuery>,
) -> AppResult<AppJson<Settlement>> {
    Ok(AppJson(statement(&state, &merchant, &q).await?))
}

/// The settlement statement as CSV (UTF-8 with a BOM): a line per day and a total, each
/// with the codes verified and the sum of their settlement values (each code keeps the
/// value it was issued with, so the statement has no one value per code).
#[utoipa::path(get, path = "/merchant/settlement.csv", tag = "merchant", params(SettlementQuery), security(("merchant" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody), (status = 422, body = mall_core::ApiErrorBody)))]
pub async fn settlement_csv(
    State(state): State<AppState>,
    merchant: Merchant,
    AppQuery(q): AppQuery<SettlementQuery>,
) -> AppResult<Response> {
    let s = statement(&state, &merchant, &q).await?;
    let mut csv = String::from("\u{feff}day,verified,amount\r\n");
    for d in &s.days {
        let cells = [d.day.clone(), d.verified.to_string(), d.amount.to_string()];
        csv.push_str(&cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        csv.push_str("\r\n");
    }
    csv.push_str(
        &["total".to_string(), s.verified.to_string(), s.total.to_string()].iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","),
    );
    csv.push_str("\r\n");
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"settlement.csv\"")], csv)
        .into_response())
}
