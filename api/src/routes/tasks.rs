//! Earning tasks (`domain::tasks`): the host's signed task events (`signed`) and, where
//! the shop allows them, the member's claims. A capped one is a success with `awarded: 0`
//! and the reason.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use futures_util::FutureExt;
use mall_core::{
    earning::{Award, TaskEvent, TaskList},
    profile, ErrorCode,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::signed::{self, Signed};
use crate::{
    db::idempotency::hook,
    domain::idempotency::Owner,
    domain::{ledger, tasks},
    error::{AppError, ClaimRefusal},
    extract::{AppJson, AppPath},
    routes::{idempotency_key, once},
    session::CurrentMember,
    state::AppState,
    AppResult,
};

/// Task routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(claim)).routes(routes!(event))
}

/// The host shop reports a task the member did where the host sees it (server to server,
/// HMAC-signed with a timestamp): credited by the rules in force, with the caps of a
/// claim, whether or not the shop lets members claim tasks themselves. Each `event_id`
/// once: the same id and body again get the first answer.
#[utoipa::path(post, path = "/hooks/task", tag = "host", request_body = TaskEvent,
    params(("X-Mall-Timestamp" = i64, Header, description = "Unix seconds"),
        ("X-Mall-Signature" = String, Header, description = "v2=<hex HMAC-SHA256 with the hook secret of \"v2\\n{timestamp}\\n{METHOD}\\n{path}\\n{Idempotency-Key or -}\\n{body}\">")),
    responses((status = 200, body = Award, description = "Credited, or `awarded: 0` with the cap that refused (a replay carries Idempotent-Replayed: true)"),
        (status = 400, body = mall_core::ApiErrorBody, description = "invalid_json"),
        (status = 401, body = mall_core::ApiErrorBody, description = "signature_invalid, stale_request"),
        (status = 403, body = mall_core::ApiErrorBody, description = "task_off: the mall credits this task itself (the profile)"),
        (status = 404, body = mall_core::ApiErrorBody, description = "member_not_found, task_not_found"),
        (status = 409, body = mall_core::ApiErrorBody, description = "event_id_reused"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed")))]
pub async fn event(State(state): State<AppState>, Signed(event): Signed<TaskEvent>) -> AppResult<Response> {
    let (rules, at) = state.moment();
    let rule =
        rules.task(&event.task).cloned().ok_or_else(|| AppError::new(ErrorCode::TaskNotFound, format!("no task called {}", event.task)))?;
    if profile::seen_by_mall(&rule.task) {
        return Err(seen_by_mall(&rule.task));
    }
    let id = event.event_id.clone();
    signed::once_per_id(&state, hook::TASK, &id, &event.clone(), StatusCode::OK, ErrorCode::EventIdReused, move |tx| {
        async move { Ok(tasks::credit_event(tx, &rules, at, event.member_id, &rule).await?) }.boxed()
    })
    .await
}

/// The tasks with what is left today. While the shop has self-claimed tasks off
/// (`SELF_CLAIMED_TASKS`: the mall cannot see a share or a review happen), only the ones
/// the mall sees itself (the profile).
#[utoipa::path(get, path = "/tasks", tag = "earning",
    responses((status = 200, body = TaskList), (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn list(State(state): State<AppState>, member: CurrentMember) -> AppResult<AppJson<TaskList>> {
    let (rules, at) = state.moment();
    let mut list = tasks::list(&mut state.pool.acquire().await?, &rules, at, member.id).await?;
    if !state.config.self_claimed_tasks {
        list.tasks.retain(|t| profile::seen_by_mall(&t.task));
    }
    Ok(AppJson(list))
}

/// Claim a task's reward. Over a cap: `awarded: 0` with the reason, nothing moves. The
/// profile task is not claimed: saving a complete profile credits it.
#[utoipa::path(post, path = "/tasks/{task}/claim", tag = "earning",
    params(("task" = String, Path, description = "share, review or profile"),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer on retry")),
    responses((status = 200, body = Award), (status = 401, body = mall_core::ApiErrorBody),
        (status = 403, body = mall_core::ApiErrorBody, description = "task_off: self-claimed tasks are off in this shop, or the mall credits this task itself (the profile)"),
        (status = 404, body = mall_core::ApiErrorBody, description = "task_not_found")))]
pub async fn claim(
    State(state): State<AppState>,
    member: CurrentMember,
    headers: HeaderMap,
    AppPath(task): AppPath<String>,
) -> AppResult<Response> {
    let (rules, at) = state.moment();
    let rule = rules.task(&task).cloned().ok_or_else(|| AppError::new(ErrorCode::TaskNotFound, format!("no task called {task}")))?;
    if profile::seen_by_mall(&rule.task) {
        return Err(seen_by_mall(&rule.task));
    }
    if !state.config.self_claimed_tasks {
        return Err(AppError::new(ErrorCode::TaskOff, "this shop credits tasks when they happen, not when they are claimed"));
    }
    let key = idempotency_key(&headers, false, &format!("POST /api/tasks/{task}/claim"), &())?;
    let member_id = member.id;
    let claimed = once(&state, Owner::Member(member.id), key, StatusCode::OK, move |tx| {
        async move { tasks::claim(tx, &rules, at, member_id, &rule).await.map_err(ClaimRefusal::from) }.boxed()
    })
    .await;
    match claimed {
        Ok(answer) => Ok(answer),
        // The transaction rolled back the counter bumps made before the refusing one: a
        // capped claim leaves no trace, and answers `awarded: 0` with the reason.
        Err(ClaimRefusal::Capped(reason)) => {
            let balance = ledger::spendable_balance(&mut state.pool.acquire().await?, member.id, at).await?;
            Ok(AppJson(Award { awarded: 0, growth: 0, reason: Some(reason), balance }).into_response())
        }
        Err(ClaimRefusal::App(e)) => Err(e),
    }
}

/// The refusal of a claim or a host event of a task the mall credits itself.
fn seen_by_mall(task: &str) -> AppError {
    AppError::new(ErrorCode::TaskOff, format!("the mall credits the {task} task itself: saving a complete profile does"))
}
