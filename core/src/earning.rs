//! Bodies of the earning, check-in, lot and operator endpoints.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How a calendar day stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DayState {
    /// Checked in that day.
    Checked,
    /// Made up later.
    MadeUp,
    /// A past day of the current month without a check-in (can be made up).
    Missed,
    /// Today, not checked in yet.
    Today,
    /// Still to come.
    Future,
    /// A past day outside the make-up window.
    Past,
}

/// One day of the check-in calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Its state.
    pub state: DayState,
    /// Points earned that day (0 for make-ups).
    pub points: i64,
}

/// `GET /api/checkins?month=YYYY-MM`: the calendar and what comes next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckinMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Today's local date.
    pub today: String,
    /// Every day of the month.
    pub days: Vec<CalendarDay>,
    /// Consecutive days up to today (or yesterday, if today is still open).
    pub streak: i64,
    /// Whether today is done.
    pub checked_today: bool,
    /// What checking in today pays (before an early-bird double), with the bonus of the
    /// campaigns running for the member (`campaign_points` of the check-in), if still open.
    pub today_reward: Option<i64>,
    /// What checking in tomorrow pays if the streak holds.
    pub tomorrow_reward: i64,
    /// The reward ladder, day 1 first.
    pub ladder: Vec<i64>,
    /// When the local day resets (RFC 3339).
    pub resets_at: String,
    /// Points a make-up costs once the free ones are used.
    pub makeup_cost: i64,
    /// Free make-ups left this month (tier perk).
    pub free_makeups_left: i64,
    /// Make-ups left this month in all.
    pub makeups_left: i64,
}

/// `POST /api/checkins` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckinResult {
    /// False when today was already checked in (a double tap): nothing was credited.
    pub checked_in: bool,
    /// Points credited now.
    pub points: i64,
    /// Whether the early-bird double applied.
    pub early_bird: bool,
    /// Campaign bonuses credited with it (a check-in boost, a member-day bonus), each its
    /// own `campaign` entry; not in `points`.
    #[serde(default)]
    pub campaign_points: i64,
    /// The streak including today.
    pub streak: i64,
    /// The balance after.
    pub balance: i64,
    /// The refreshed calendar.
    pub calendar: CheckinMonth,
}

/// `POST /api/checkins/makeup` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MakeupRequest {
    /// The missed day, `YYYY-MM-DD`, in the current month.
    pub date: String,
}

/// `POST /api/checkins/makeup` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MakeupResult {
    /// Points it cost (0 when a free one was used).
    pub cost: i64,
    /// The balance after.
    pub balance: i64,
    /// The refreshed calendar.
    pub calendar: CheckinMonth,
}

/// An earning task with what is left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskStatus {
    /// Task name.
    pub task: String,
    /// Points per claim.
    pub points: i64,
    /// Growth per claim.
    pub growth: i64,
    /// Claims today.
    pub done_today: i64,
    /// Claims left today (None: no daily cap).
    pub left_today: Option<i64>,
    /// Points left over the lifetime cap (None: no cap).
    pub lifetime_points_left: Option<i64>,
    /// Whether it can be claimed now.
    pub claimable: bool,
}

/// `GET /api/tasks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskList {
    /// The tasks.
    pub tasks: Vec<TaskStatus>,
    /// Rewarded claims left today, all tasks together.
    pub left_today: i64,
}

/// Why an earning action awarded nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CapReason {
    /// The task's daily cap is reached.
    TaskDailyCap,
    /// The daily cap over all tasks is reached.
    DailyTaskCap,
    /// The task's lifetime cap is reached (or it was once-only and done).
    LifetimeCap,
    /// The inviter's monthly invite cap is reached.
    MonthlyInviteCap,
}

/// An earning answer: success even when capped (`awarded: 0` with a reason).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Award {
    /// Points credited.
    pub awarded: i64,
    /// Growth added.
    pub growth: i64,
    /// Why nothing was credited.
    pub reason: Option<CapReason>,
    /// The balance after.
    pub balance: i64,
}

/// `POST /api/hooks/task` body (HMAC-signed by the host shop): a task the member did
/// where the host sees it (a share, a review, a completed profile).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TaskEvent {
    /// The host's id for the event: it is credited once (the same id and body again get
    /// the first answer).
    pub event_id: String,
    /// The member who did the task.
    pub member_id: i64,
    /// The task (a rule's name: `share`, `review`, `profile`).
    pub task: String,
}

/// `POST /api/hooks/purchase` body (HMAC-signed by the host shop).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PurchaseReport {
    /// The host shop's id for the purchase: a second report of it is refused.
    pub purchase_id: String,
    /// The member who paid.
    pub member_id: i64,
    /// Amount paid in yuan (cash only: points deducted at the checkout earn nothing).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "99.90"))]
    #[serde(deserialize_with = "crate::cash::bounded_yuan")]
    pub paid: Decimal,
    /// When the return window ends and the points become spendable (RFC 3339); the rules'
    /// `return_window_days` from now when absent, at once when in the past.
    #[serde(default)]
    pub settles_at: Option<String>,
}

/// `POST /api/hooks/purchase` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PurchaseCredit {
    /// Points credited (tier multiplier applied, floored).
    pub points: i64,
    /// Growth added.
    pub growth: i64,
    /// Whether this first purchase credited an invite.
    pub invite: Option<Award>,
    /// A campaign's bonus on these points (its own `campaign` entry, waiting and taken back
    /// with them); not in `points`.
    #[serde(default)]
    pub campaign_points: i64,
    /// Whether the points wait for the return window (not spendable yet).
    pub pending: bool,
    /// When they settle (RFC 3339, shop time).
    pub settles_at: String,
}

/// `POST /api/invites/accept` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AcceptInvite {
    /// The inviter's code.
    pub code: String,
}

/// `GET /api/invite`: the member's own code and its invites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteInfo {
    /// The code to share.
    pub code: String,
    /// Friends who accepted.
    pub accepted: i64,
    /// Of those, credited (their first purchase was reported).
    pub credited: i64,
    /// Whether this member accepted a friend's invite (one per member).
    #[serde(default)]
    pub invited: bool,
}

/// An open lot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lot {
    /// Lot id.
    pub id: i64,
    /// Points left in it.
    pub remaining: i64,
    /// Points it started with.
    pub amount: i64,
    /// When it was earned (RFC 3339).
    pub earned_at: String,
    /// The last local day it counts (`YYYY-MM-DD`).
    pub expires_on: String,
    /// Whether that is within the "expiring soon" window.
    pub expiring_soon: bool,
}

/// A month's totals in the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthTotal {
    /// `YYYY-MM`.
    pub month: String,
    /// Points earned.
    pub income: i64,
    /// Points spent or expired (positive number).
    pub spending: i64,
}

/// `POST /api/admin/adjustments` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Adjustment {
    /// The member.
    pub member_id: i64,
    /// Signed points.
    pub amount: i64,
    /// Why (shown in the member's history), 1–100 characters.
    pub reason: String,
}

/// `POST /api/dev/clock` body (development only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClockAdvance {
    /// Seconds to move the server clock forward.
    pub seconds: i64,
}
