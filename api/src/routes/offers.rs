//! Partner merchants' free offers (`domain::offers`): a merchant account proposes and
//! lists its own; operators list them and approve one into a flash sale, or decline it.

use axum::{extract::State, http::StatusCode};
use futures_util::FutureExt;
use mall_core::staff::{MerchantOffer, MerchantOffers, NewOffer, OfferApproval, OfferStatus};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::merchant::merchant_of;
use crate::{
    db,
    domain::offers,
    extract::{AppJson, AppPath, AppQuery},
    operator::{Merchant, Operator},
    state::AppState,
    AppResult,
};

/// Offer routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(propose, own)).routes(routes!(list)).routes(routes!(approve)).routes(routes!(decline))
}

/// `GET /api/merchant/offers` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OwnOffersQuery {
    /// The merchant: optional, and only the credential's own (a merchant token or account stands for one).
    pub merchant_id: Option<i64>,
}

/// `GET /api/admin/offers` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OffersQuery {
    /// `proposed`, `approved` or `declined`; all when absent.
    pub status: Option<OfferStatus>,
}

/// Propose a free offer of the account's merchant (audited): names 1–60 characters, 1 to
/// 10,000 units, a window that starts now or later and runs at most 7 days.
#[utoipa::path(post, path = "/merchant/offers", tag = "merchant", request_body = NewOffer, security(("merchant" = [])),
    responses((status = 201, body = MerchantOffer),
        (status = 403, body = mall_core::ApiErrorBody, description = "forbidden: not a merchant account (a token cannot propose)"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed: names, quantity or window")))]
pub async fn propose(
    State(state): State<AppState>,
    merchant: Merchant,
    AppJson(new): AppJson<NewOffer>,
) -> AppResult<(StatusCode, AppJson<MerchantOffer>)> {
    let at = state.at();
    let offer = db::transaction(&state.writer, move |tx| async move { offers::propose(tx, &merchant.0, &new, at).await }.boxed()).await?;
    Ok((StatusCode::CREATED, AppJson(offer)))
}

/// The merchant's own offers, newest first (at most 200).
#[utoipa::path(get, path = "/merchant/offers", tag = "merchant", params(OwnOffersQuery), security(("merchant" = [])),
    responses((status = 200, body = MerchantOffers), (status = 403, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody, description = "not_found: no such merchant"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed: a token names no merchant_id")))]
pub async fn own(
    State(state): State<AppState>,
    merchant: Merchant,
    AppQuery(q): AppQuery<OwnOffersQuery>,
) -> AppResult<AppJson<MerchantOffers>> {
    let m = merchant_of(&state, &merchant, q.merchant_id).await?;
    Ok(AppJson(offers::of_merchant(&mut state.pool.acquire().await?, state.config.zone, m.id).await?))
}

/// Every merchant's offers, of one status or all, newest first (at most 200).
#[utoipa::path(get, path = "/admin/offers", tag = "operator", params(OffersQuery), security(("operator" = [])),
    responses((status = 200, body = MerchantOffers), (status = 403, body = mall_core::ApiErrorBody)))]
pub async fn list(State(state): State<AppState>, _op: Operator, AppQuery(q): AppQuery<OffersQuery>) -> AppResult<AppJson<MerchantOffers>> {
    Ok(AppJson(offers::listed(&mut state.pool.acquire().await?, state.config.zone, q.status).await?))
}

/// Approve a proposed offer into a flash sale of its merchant at a points price (its name,
/// quantity and window; the merchant's names and logo; codes valid the default 30 days
/// after it ends). The sale and the decision are one transaction; audited. Approving
/// again answers 409 and creates nothing.
#[utoipa::path(post, path = "/admin/offers/{id}/approve", tag = "operator", request_body = OfferApproval,
    params(("id" = i64, Path, description = "Offer id")), security(("operator" = [])),
    responses((status = 200, body = MerchantOffer), (status = 403, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody, description = "not_found: no such offer"),
        (status = 409, body = mall_core::ApiErrorBody, description = "invalid_transition: already approved or declined; sale_overlap; merchant_inactive: the offer's merchant was deactivated"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed: points or per_member_limit not positive; \
            sale_window_passed: the offer's window is over")))]
pub async fn approve(
    State(state): State<AppState>,
    Operator(actor): Operator,
    AppPath(id): AppPath<i64>,
    AppJson(approval): AppJson<OfferApproval>,
) -> AppResult<AppJson<MerchantOffer>> {
    let at = state.at();
    let offer =
        db::transaction(&state.writer, move |tx| async move { offers::approve(tx, &actor, at, id, &approval).await }.boxed()).await?;
    Ok(AppJson(offer))
}

/// Decline a proposed offer (audited). Deciding again answers 409.
#[utoipa::path(post, path = "/admin/offers/{id}/decline", tag = "operator",
    params(("id" = i64, Path, description = "Offer id")), security(("operator" = [])),
    responses((status = 200, body = MerchantOffer), (status = 403, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody, description = "not_found: no such offer"),
        (status = 409, body = mall_core::ApiErrorBody, description = "invalid_transition: already approved or declined")))]
pub async fn decline(
    State(state): State<AppState>,
    Operator(actor): Operator,
    AppPath(id): AppPath<i64>,
) -> AppResult<AppJson<MerchantOffer>> {
    let at = state.at();
    let offer = db::transaction(&state.writer, move |tx| async move { offers::decline(tx, &actor, at, id).await }.boxed()).await?;
    Ok(AppJson(offer))
}
