//! Earning from outside the mall: the host shop's signed purchase hook (points × tier
//! multiplier, floored) and invites (credited on the invitee's first reported purchase).

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    routing::{get, post},
    Router,
};
use futures_util::FutureExt;
use hmac::{Hmac, Mac};
use mall_core::{
    dto::EntryKind,
    earning::{AcceptInvite, Award, CapReason, InviteInfo, PurchaseCredit, PurchaseReport},
    ErrorCode, Rules,
};
use sha2::Sha256;

use crate::{
    db::{self, Tx},
    error::AppError,
    extract::AppJson,
    ledger::{self, At},
    members,
    session::CurrentMember,
    startup::AppState,
    AppResult,
};

/// Earning routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/hooks/purchase", post(purchase)).route("/invite", get(invite_info)).route("/invites/accept", post(accept_invite))
}

/// Header with the Unix seconds the hook was signed at.
pub const TIMESTAMP_HEADER: &str = "x-mall-timestamp";
/// Header with hex HMAC-SHA256 of `"{timestamp}.{body}"`.
pub const SIGNATURE_HEADER: &str = "x-mall-signature";

/// Verifies a signed hook: signature over `"{timestamp}.{body}"`, timestamp within the skew.
fn verify(state: &AppState, headers: &HeaderMap, body: &[u8]) -> AppResult<()> {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let invalid = || AppError::new(ErrorCode::SignatureInvalid, "the request signature does not match");
    let ts = header(TIMESTAMP_HEADER).ok_or_else(invalid)?;
    let sig = hex::decode(header(SIGNATURE_HEADER).ok_or_else(invalid)?).map_err(|_| invalid())?;
    let mut mac = Hmac::<Sha256>::new_from_slice(state.config.hook_secret.as_bytes()).map_err(AppError::internal)?;
    mac.update(ts.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(&sig).map_err(|_| invalid())?;
    let ts: i64 = ts.parse().map_err(|_| invalid())?;
    if (state.clock.now_secs() - ts).abs() > state.config.limits.hook_max_skew_seconds {
        return Err(AppError::new(ErrorCode::StaleRequest, "the request timestamp is too far from the server's clock"));
    }
    Ok(())
}

/// The host shop reports a purchase (server to server, HMAC-signed with a timestamp).
/// Each `purchase_id` is credited once.
#[utoipa::path(post, path = "/api/hooks/purchase", tag = "earning", request_body = PurchaseReport,
    params(("X-Mall-Timestamp" = i64, Header, description = "Unix seconds"),
        ("X-Mall-Signature" = String, Header, description = "hex HMAC-SHA256 of \"{timestamp}.{body}\" with the hook secret")),
    responses((status = 201, body = PurchaseCredit), (status = 401, body = mall_core::ApiErrorBody, description = "signature_invalid, stale_request"),
        (status = 404, body = mall_core::ApiErrorBody), (status = 409, body = mall_core::ApiErrorBody, description = "replayed"),
        (status = 422, body = mall_core::ApiErrorBody)))]
pub async fn purchase(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> AppResult<(StatusCode, AppJson<PurchaseCredit>)> {
    verify(&state, &headers, &body)?;
    let report: PurchaseReport = serde_json::from_slice(&body).map_err(|e| AppError::new(ErrorCode::ValidationFailed, e.to_string()))?;
    if report.paid <= rust_decimal::Decimal::ZERO || report.purchase_id.is_empty() || report.purchase_id.len() > 64 {
        return Err(AppError::new(ErrorCode::ValidationFailed, "paid must be positive and purchase_id 1–64 characters"));
    }
    let at = state.at();
    let st = state.clone();
    let credit = db::transaction(&state.writer, move |tx| {
        async move {
            let rules = &st.config.rules;
            let tier = members::tier(tx, rules, report.member_id).await?;
            let points = rules.purchase_points(report.paid, tier);
            let growth = rules.purchase_growth(report.paid);
            let paid_fen: i64 = (report.paid * rust_decimal::Decimal::ONE_HUNDRED).trunc().try_into().unwrap_or(i64::MAX);
            let purchase = db::earning::NewPurchase {
                purchase_id: &report.purchase_id,
                member_id: report.member_id,
                paid_fen,
                points,
                created_at: at.secs,
            };
            if !db::earning::insert_purchase(tx, &purchase).await? {
                return Err(AppError::new(ErrorCode::Replayed, "this purchase was already reported"));
            }
            let reference = ledger::Reference::to("purchase", report.purchase_id.clone());
            ledger::earn(tx, rules, report.member_id, ledger::Earning { kind: EntryKind::Purchase, points, growth }, at, Some(&reference))
                .await?;
            let invite = credit_invite(tx, rules, report.member_id, at).await?;
            Ok(PurchaseCredit { points, growth, invite })
        }
        .boxed()
    })
    .await?;
    Ok((StatusCode::CREATED, AppJson(credit)))
}

/// On the invitee's first purchase, credits the invite (inviter capped per month).
async fn credit_invite(tx: &mut Tx<'_>, rules: &Rules, invitee: i64, at: At) -> Result<Option<Award>, sqlx::Error> {
    if db::earning::purchase_count(tx, invitee).await? != 1 {
        return Ok(None);
    }
    // Marking the invite credited is conditional, so it happens once.
    let Some(inviter) = db::earning::credit_invite(tx, invitee, at.secs).await? else { return Ok(None) };
    let reference = ledger::Reference::to("invite", invitee.to_string());
    let welcome = ledger::Earning { kind: EntryKind::Invite, points: rules.invite_invitee_points, growth: 0 };
    ledger::earn(tx, rules, invitee, welcome, at, Some(&reference)).await?;
    if db::counters::bump(tx, &format!("invites:{}", at.month()), inviter, 1, Some(rules.invites_per_month)).await?.is_none() {
        let balance = ledger::spendable_balance(tx, inviter, at).await?;
        return Ok(Some(Award { awarded: 0, growth: 0, reason: Some(CapReason::MonthlyInviteCap), balance }));
    }
    let reward = ledger::Earning { kind: EntryKind::Invite, points: rules.invite_inviter_points, growth: rules.invite_growth };
    let balance = ledger::earn(tx, rules, inviter, reward, at, Some(&reference)).await?;
    Ok(Some(Award { awarded: rules.invite_inviter_points, growth: rules.invite_growth, reason: None, balance }))
}

/// The member's invite code and how many friends used it.
#[utoipa::path(get, path = "/api/invite", tag = "earning",
    responses((status = 200, body = InviteInfo), (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn invite_info(State(state): State<AppState>, member: CurrentMember) -> AppResult<AppJson<InviteInfo>> {
    let row = db::members::invites(&mut *state.pool.acquire().await?, member.id).await?;
    Ok(AppJson(InviteInfo { code: row.invite_code.unwrap_or_default(), accepted: row.accepted, credited: row.credited }))
}

/// Accept a friend's invite (once per member; never one's own).
#[utoipa::path(post, path = "/api/invites/accept", tag = "earning", request_body = AcceptInvite,
    responses((status = 201, body = InviteInfo), (status = 401, body = mall_core::ApiErrorBody),
        (status = 409, body = mall_core::ApiErrorBody, description = "already_invited"),
        (status = 422, body = mall_core::ApiErrorBody, description = "invite_invalid")))]
pub async fn accept_invite(
    State(state): State<AppState>,
    member: CurrentMember,
    AppJson(req): AppJson<AcceptInvite>,
) -> AppResult<(StatusCode, AppJson<InviteInfo>)> {
    let code = req.code.trim().to_ascii_uppercase();
    let inviter = db::members::by_invite_code(&mut *state.pool.acquire().await?, &code).await?;
    let inviter = match inviter {
        Some(id) if id != member.id => id,
        _ => return Err(AppError::new(ErrorCode::InviteInvalid, "that invite code is not valid")),
    };
    if !db::earning::insert_invite(&state.writer, member.id, inviter, state.clock.now_secs()).await? {
        return Err(AppError::new(ErrorCode::AlreadyInvited, "you already accepted an invite"));
    }
    Ok((StatusCode::CREATED, invite_info(State(state), member).await?))
}
