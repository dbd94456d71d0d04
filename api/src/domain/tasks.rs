//! Earning tasks (share, review, complete profile) with daily, lifetime and all-task caps.
//! Each cap is a conditional counter bump; a capped claim credits nothing. A task is
//! credited when the host reports it (`credit_event`, `POST /api/hooks/task`) or, where
//! the shop allows it (`SELF_CLAIMED_TASKS`), when the member claims it (`claim`): the
//! same caps either way.

use mall_core::{
    dto::EntryKind,
    earning::{Award, CapReason, TaskList, TaskStatus},
    rules::TaskRule,
    Rules,
};

use super::{
    ledger::{self, At, LedgerError},
    members::MemberError,
};
use crate::{
    clock,
    db::{self, Access, Tx},
};

/// Why a claim paid nothing: a cap (the request still succeeds, with `awarded: 0`), or
/// the database failed.
#[derive(Debug, thiserror::Error)]
pub enum ClaimError {
    /// The cap that refused.
    #[error("capped: {0:?}")]
    Capped(CapReason),
    /// A ledger step failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The database failed.
    #[error("task database error")]
    Db(#[from] sqlx::Error),
}

/// Why a task event the host reported was not answered (a cap is an answer, not this).
#[derive(Debug, thiserror::Error)]
pub enum EventError {
    /// No such member.
    #[error(transparent)]
    Member(#[from] MemberError),
    /// A ledger step failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The database failed.
    #[error("task database error")]
    Db(#[from] sqlx::Error),
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
pub async fn list(conn: &mut impl Access, rules: &Rules, at: At, member_id: i64) -> Result<TaskList, sqlx::Error> {
    let day = clock::local_day(at.zone, at.secs);
    let all_today = db::counters::read(conn, &all_tasks_scope(day), member_id).await?;
    let left_all = (rules.tasks_per_day - all_today).max(0);
    let mut tasks = Vec::new();
    for rule in &rules.tasks {
        let (day_scope, _, claims_scope, points_scope) = scopes(&rule.task, day);
        let done_today = db::counters::read(conn, &day_scope, member_id).await?;
        let claims = db::counters::read(conn, &claims_scope, member_id).await?;
        let points = db::counters::read(conn, &points_scope, member_id).await?;
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
    Ok(TaskList { tasks, left_today: left_all })
}

/// Bumps the cap counters (each conditional) and credits the task inside `tx`, or names
/// the cap that refused (roll the transaction back: a capped claim leaves no trace).
pub async fn claim(tx: &mut Tx, rules: &Rules, at: At, member_id: i64, rule: &TaskRule) -> Result<Award, ClaimError> {
    // The member before the counters, as a profile save does (the other order deadlocks).
    db::members::lock(tx, member_id).await?;
    let day = clock::local_day(at.zone, at.secs);
    let (day_scope, all_scope, claims_scope, points_scope) = scopes(&rule.task, day);
    let day_ends = Some(clock::day_counter_expiry(day));
    if db::counters::bump_until(tx, &day_scope, member_id, 1, rule.per_day, day_ends).await?.is_none() {
        return Err(ClaimError::Capped(CapReason::TaskDailyCap));
    }
    if db::counters::bump_until(tx, &all_scope, member_id, 1, Some(rules.tasks_per_day), day_ends).await?.is_none() {
        return Err(ClaimError::Capped(CapReason::DailyTaskCap));
    }
    if db::counters::bump(tx, &claims_scope, member_id, 1, rule.lifetime_claims).await?.is_none()
        || db::counters::bump(tx, &points_scope, member_id, rule.points, rule.lifetime_points).await?.is_none()
    {
        return Err(ClaimError::Capped(CapReason::LifetimeCap));
    }
    let reference = ledger::Reference::to("task", rule.task.clone());
    let earning = ledger::Earning { kind: EntryKind::Task, points: rule.points, growth: rule.growth };
    let balance = ledger::earn(tx, rules, member_id, earning, at, Some(&reference)).await?;
    Ok(Award { awarded: rule.points, growth: rule.growth, reason: None, balance })
}

/// Credits a task the host saw the member do inside `tx`, by the caps of `claim`. Over a
/// cap the answer is `awarded: 0` with the reason and the counter bumps made before the
/// refusing one are undone (a savepoint), so the transaction commits the answer, which a
/// replay of the event gets again.
pub async fn credit_event(tx: &mut Tx, rules: &Rules, at: At, member_id: i64, rule: &TaskRule) -> Result<Award, EventError> {
    if db::members::growth(tx, member_id).await?.is_none() {
        return Err(MemberError::NotFound(member_id).into());
    }
    db::savepoint(tx, "task_event").await?;
    match claim(tx, rules, at, member_id, rule).await {
        Ok(award) => Ok(award),
        Err(ClaimError::Capped(reason)) => {
            db::rollback_to(tx, "task_event").await?;
            let balance = ledger::spendable_balance(tx, member_id, at).await?;
            Ok(Award { awarded: 0, growth: 0, reason: Some(reason), balance })
        }
        Err(ClaimError::Ledger(e)) => Err(e.into()),
        Err(ClaimError::Db(e)) => Err(e.into()),
    }
}
