//! Earning from outside the mall: the host shop's signed purchase hook (points × tier
//! multiplier, floored) and invites (credited on the invitee's first reported purchase).

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    routing::{get, post},
    Router,
};
use hmac::{Hmac, Mac};
use mall_core::{
    dto::EntryKind,
    earning::{AcceptInvite, Award, CapReason, InviteInfo, PurchaseCredit, PurchaseReport},
    ErrorCode,
};
use sha2::Sha256;

use crate::{
    counters,
    db::Tx,
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
    let rules = &state.config.rules;
    let at = state.at();
    let mut tx = crate::db::begin(&state.writer).await?;
    let tier = members::tier(&mut tx, &state.config.rules, report.member_id).await?;
    let points = rules.purchase_points(report.paid, tier);
    let growth = rules.purchase_growth(report.paid);
    let paid_fen: i64 = (report.paid * rust_decimal::Decimal::ONE_HUNDRED).trunc().try_into().unwrap_or(i64::MAX);
    let fresh = sqlx::query(
        "INSERT INTO purchases (purchase_id, member_id, paid_fen, points, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (purchase_id) DO NOTHING",
    )
    .bind(&report.purchase_id)
    .bind(report.member_id)
    .bind(paid_fen)
    .bind(points)
    .bind(at.secs)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if fresh == 0 {
        return Err(AppError::new(ErrorCode::Replayed, "this purchase was already reported"));
    }
    ledger::expire_due(&mut tx, report.member_id, at).await?;
    let reference = ledger::Reference { kind: "purchase".into(), id: report.purchase_id.clone(), label_zh: None, label_en: None };
    ledger::earn(&mut tx, rules, report.member_id, ledger::Earning { kind: EntryKind::Purchase, points, growth }, at, Some(&reference))
        .await?;
    let invite = credit_invite(&mut tx, &state, report.member_id, at).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, AppJson(PurchaseCredit { points, growth, invite })))
}

/// On the invitee's first purchase, credits the invite (inviter capped per month).
async fn credit_invite(tx: &mut Tx<'_>, state: &AppState, invitee: i64, at: At) -> AppResult<Option<Award>> {
    let rules = &state.config.rules;
    let (purchases,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM purchases WHERE member_id = $1").bind(invitee).fetch_one(&mut **tx).await?;
    if purchases != 1 {
        return Ok(None);
    }
    // Marking the invite credited is conditional, so it happens once.
    let row: Option<(i64,)> =
        sqlx::query_as("UPDATE invites SET credited_at = $1 WHERE invitee_id = $2 AND credited_at IS NULL RETURNING inviter_id")
            .bind(at.secs)
            .bind(invitee)
            .fetch_optional(&mut **tx)
            .await?;
    let Some((inviter,)) = row else { return Ok(None) };
    let reference = ledger::Reference { kind: "invite".into(), id: invitee.to_string(), label_zh: None, label_en: None };
    ledger::earn(
        tx,
        rules,
        invitee,
        ledger::Earning { kind: EntryKind::Invite, points: rules.invite_invitee_points, growth: 0 },
        at,
        Some(&reference),
    )
    .await?;
    let month = at.month();
    if counters::bump(tx, &format!("invites:{month}"), inviter, 1, Some(rules.invites_per_month)).await?.is_none() {
        let b = ledger::balance(tx, inviter).await?;
        return Ok(Some(Award { awarded: 0, growth: 0, reason: Some(CapReason::MonthlyInviteCap), balance: b }));
    }
    ledger::expire_due(tx, inviter, at).await?;
    let b = ledger::earn(
        tx,
        rules,
        inviter,
        ledger::Earning { kind: EntryKind::Invite, points: rules.invite_inviter_points, growth: rules.invite_growth },
        at,
        Some(&reference),
    )
    .await?;
    Ok(Some(Award { awarded: rules.invite_inviter_points, growth: rules.invite_growth, reason: None, balance: b }))
}

/// The member's invite code and how many friends used it.
#[utoipa::path(get, path = "/api/invite", tag = "earning",
    responses((status = 200, body = InviteInfo), (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn invite_info(State(state): State<AppState>, member: CurrentMember) -> AppResult<AppJson<InviteInfo>> {
    let (code, accepted, credited): (Option<String>, i64, i64) = sqlx::query_as(
        "SELECT m.invite_code, (SELECT COUNT(*) FROM invites WHERE inviter_id = m.id), \
         (SELECT COUNT(*) FROM invites WHERE inviter_id = m.id AND credited_at IS NOT NULL) FROM members m WHERE m.id = $1",
    )
    .bind(member.id)
    .fetch_one(&state.pool)
    .await?;
    Ok(AppJson(InviteInfo { code: code.unwrap_or_default(), accepted, credited }))
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
    let inviter: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM members WHERE invite_code = $1").bind(&code).fetch_optional(&state.pool).await?;
    let inviter = match inviter {
        Some((id,)) if id != member.id => id,
        _ => return Err(AppError::new(ErrorCode::InviteInvalid, "that invite code is not valid")),
    };
    let fresh =
        sqlx::query("INSERT INTO invites (invitee_id, inviter_id, accepted_at) VALUES ($1, $2, $3) ON CONFLICT (invitee_id) DO NOTHING")
            .bind(member.id)
            .bind(inviter)
            .bind(state.clock.now_secs())
            .execute(&state.writer)
            .await?
            .rows_affected();
    if fresh == 0 {
        return Err(AppError::new(ErrorCode::AlreadyInvited, "you already accepted an invite"));
    }
    Ok((StatusCode::CREATED, invite_info(State(state), member).await?))
}
