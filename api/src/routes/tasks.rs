//! Earning tasks (share, review, complete profile) with daily, lifetime and all-task caps.
//! A capped claim is a success with `awarded: 0` and the reason.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};
use futures_util::FutureExt;
use mall_core::{
    dto::EntryKind,
    earning::{Award, CapReason, TaskList, TaskStatus},
    rules::TaskRule,
    ErrorCode,
};

use crate::{
    clock,
    db::{self, Tx},
    error::AppError,
    extract::{AppJson, AppPath},
    idempotency, ledger,
    session::CurrentMember,
    startup::AppState,
    AppResult,
};

/// Task routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/tasks", get(list)).route("/tasks/{task}/claim", post(claim))
}

/// The counter of all task claims on a local day.
fn all_tasks_scope(day: i64) -> String {
    format!("tasks:day:{day}")
}

/// A task's counters: claims today, all tasks today, claims ever, points ever.
fn scopes(task: &str, day: i64) -> (String, String, String, String) {
    (format!("task:{task}:day:{day}"), all_tasks_scope(day), format!("task:{task}:claims"), format!("task:{task}:points"))
}

/// The tasks with what is left today.
#[utoipa::path(get, path = "/api/tasks", tag = "earning",
    responses((status = 200, body = TaskList), (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn list(State(state): State<AppState>, member: CurrentMember) -> AppResult<AppJson<TaskList>> {
    let rules = &state.config.rules;
    let day = clock::local_day(state.config.zone, state.clock.now_secs());
    let mut conn = state.pool.acquire().await?;
    let all_today = db::counters::read(&mut conn, &all_tasks_scope(day), member.id).await?;
    let left_all = (rules.tasks_per_day - all_today).max(0);
    let mut tasks = Vec::new();
    for rule in &rules.tasks {
        let (day_scope, _, claims_scope, points_scope) = scopes(&rule.task, day);
        let done_today = db::counters::read(&mut conn, &day_scope, member.id).await?;
        let claims = db::counters::read(&mut conn, &claims_scope, member.id).await?;
        let points = db::counters::read(&mut conn, &points_scope, member.id).await?;
        let left_today = rule.per_day.map(|cap| (cap - done_today).max(0));
        let lifetime_points_left = rule.lifetime_points.map(|cap| (cap - points).max(0));
        let claimable = left_all > 0
            && left_today != Some(0)
            && lifetime_points_left.is_none_or(|left| left >= rule.points)
            && rule.lifetime_claims.is_none_or(|cap| claims < cap);
        tasks.push(TaskStatus {
            task: rule.task.clone(),
            points: rule.points,
            growth: rule.growth,
            done_today,
            left_today,
            lifetime_points_left,
            claimable,
        });
    }
    Ok(AppJson(TaskList { tasks, left_today: left_all }))
}

/// Claim a task's reward. Over a cap: `awarded: 0` with the reason, nothing moves.
#[utoipa::path(post, path = "/api/tasks/{task}/claim", tag = "earning",
    params(("task" = String, Path, description = "share, review or profile"),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer on retry")),
    responses((status = 200, body = Award), (status = 401, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody, description = "task_not_found")))]
pub async fn claim(
    State(state): State<AppState>,
    member: CurrentMember,
    headers: HeaderMap,
    AppPath(task): AppPath<String>,
) -> AppResult<Response> {
    let rule =
        state.config.rules.task(&task).cloned().ok_or_else(|| AppError::new(ErrorCode::TaskNotFound, format!("no task called {task}")))?;
    let key = idempotency::Key::optional(&headers, &format!("POST /api/tasks/{task}/claim"), &())?;
    let at = state.at();
    let st = state.clone();
    let member_id = member.id;
    let claimed = idempotency::run(&state.writer, at.secs, member.id, key, move |tx| {
        async move { Ok((StatusCode::OK, award(tx, &st, member_id, &rule, at).await?)) }.boxed()
    })
    .await;
    match claimed {
        Ok(answer) => Ok(answer),
        // The transaction rolled back the counter bumps made before the refusing one: a
        // capped claim leaves no trace.
        Err(Refusal::Capped(reason)) => {
            let balance = ledger::spendable_balance(&mut *state.pool.acquire().await?, member.id, at).await?;
            Ok(AppJson(Award { awarded: 0, growth: 0, reason: Some(reason), balance }).into_response())
        }
        Err(Refusal::App(e)) => Err(e),
    }
}

/// Why a claim did not award: a cap (a success with `awarded: 0`) or an error.
enum Refusal {
    Capped(CapReason),
    App(AppError),
}

impl From<sqlx::Error> for Refusal {
    fn from(e: sqlx::Error) -> Self {
        Refusal::App(e.into())
    }
}

impl From<idempotency::IdempotencyError> for Refusal {
    fn from(e: idempotency::IdempotencyError) -> Self {
        Refusal::App(e.into())
    }
}

/// Bumps the cap counters (each conditional) and credits the task, or names the cap that refused.
async fn award(tx: &mut Tx<'_>, state: &AppState, member_id: i64, rule: &TaskRule, at: ledger::At) -> Result<Award, Refusal> {
    let rules = &state.config.rules;
    let day = clock::local_day(at.zone, at.secs);
    let (day_scope, all_scope, claims_scope, points_scope) = scopes(&rule.task, day);
    if db::counters::bump(tx, &day_scope, member_id, 1, rule.per_day).await?.is_none() {
        return Err(Refusal::Capped(CapReason::TaskDailyCap));
    }
    if db::counters::bump(tx, &all_scope, member_id, 1, Some(rules.tasks_per_day)).await?.is_none() {
        return Err(Refusal::Capped(CapReason::DailyTaskCap));
    }
    if db::counters::bump(tx, &claims_scope, member_id, 1, rule.lifetime_claims).await?.is_none()
        || db::counters::bump(tx, &points_scope, member_id, rule.points, rule.lifetime_points).await?.is_none()
    {
        return Err(Refusal::Capped(CapReason::LifetimeCap));
    }
    let reference = ledger::Reference::to("task", rule.task.clone());
    let earning = ledger::Earning { kind: EntryKind::Task, points: rule.points, growth: rule.growth };
    let balance = ledger::earn(tx, rules, member_id, earning, at, Some(&reference)).await?;
    Ok(Award { awarded: rule.points, growth: rule.growth, reason: None, balance })
}
