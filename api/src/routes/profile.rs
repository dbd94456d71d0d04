//! The member's profile and birthday gift (`domain::profile`).

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
};
use futures_util::FutureExt;
use mall_core::{
    earning::Award,
    profile::{Profile, ProfilePatch},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    db,
    domain::{idempotency::Owner, profile},
    extract::AppJson,
    routes::{idempotency_key, once},
    session::CurrentMember,
    state::AppState,
    AppResult,
};

/// Profile routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(read, save)).routes(routes!(take_gift))
}

/// The member's profile: name, birthday, consent to notices, and the birthday gift.
#[utoipa::path(get, path = "/me/profile", tag = "member",
    responses((status = 200, body = Profile), (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn read(State(state): State<AppState>, member: CurrentMember) -> AppResult<AppJson<Profile>> {
    let (rules, at) = state.moment();
    Ok(AppJson(profile::get(&mut state.pool.acquire().await?, &rules, &at, member.id).await?))
}

/// Changes the fields present. A save that leaves a name and a birthday completes the
/// profile task (once: `task_awarded` says what it credited). The birthday is kept once.
#[utoipa::path(put, path = "/me/profile", tag = "member", request_body = ProfilePatch,
    responses((status = 200, body = Profile),
        (status = 400, body = mall_core::ApiErrorBody, description = "invalid_json"),
        (status = 401, body = mall_core::ApiErrorBody),
        (status = 409, body = mall_core::ApiErrorBody, description = "birthday_locked: a different birthday than the one recorded"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed, with `details.fields`")))]
pub async fn save(
    State(state): State<AppState>,
    member: CurrentMember,
    AppJson(patch): AppJson<ProfilePatch>,
) -> AppResult<AppJson<Profile>> {
    let ((rules, at), member_id) = (state.moment(), member.id);
    let saved = db::transaction(&state.writer, move |tx| {
        let patch = patch.clone();
        async move { profile::save(tx, &rules, at, member_id, patch).await }.boxed()
    })
    .await?;
    Ok(AppJson(saved))
}

/// Takes this year's birthday gift (the rules' `birthday_points`): on the birthday, once
/// a year, for a birthday recorded at least 30 days before.
#[utoipa::path(post, path = "/me/birthday-gift", tag = "member",
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer on retry")),
    responses((status = 200, body = Award), (status = 401, body = mall_core::ApiErrorBody),
        (status = 409, body = mall_core::ApiErrorBody, description = "birthday_gift_unavailable: no birthday, not the day, recorded too recently, or taken this year")))]
pub async fn take_gift(State(state): State<AppState>, member: CurrentMember, headers: HeaderMap) -> AppResult<Response> {
    let ((rules, at), member_id) = (state.moment(), member.id);
    let key = idempotency_key(&headers, false, "POST /api/me/birthday-gift", &())?;
    once(&state, Owner::Member(member_id), key, StatusCode::OK, move |tx| {
        async move { Ok::<_, crate::error::AppError>(profile::take_gift(tx, &rules, at, member_id).await?) }.boxed()
    })
    .await
}
