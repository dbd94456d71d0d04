//! Daily check-in: one per member per local day (the `checkins` primary key), the streak
//! ladder, early birds, make-ups, and the month calendar.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
    routing::{get, post},
    Router,
};
use chrono::{Datelike, NaiveDate};
use futures_util::FutureExt;
use mall_core::{
    dto::EntryKind,
    earning::{CalendarDay, CheckinMonth, CheckinResult, DayState, MakeupRequest, MakeupResult},
    rules::streak_ending,
    ErrorCode,
};
use serde::Deserialize;

use crate::{
    clock,
    db::{self, Conn},
    error::AppError,
    extract::{AppJson, AppQuery},
    idempotency, ledger, members,
    session::CurrentMember,
    startup::AppState,
    AppResult,
};

/// Check-in routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/checkins", get(calendar).post(check_in)).route("/checkins/makeup", post(makeup))
}

/// `?month=YYYY-MM` (default: the current month).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MonthQuery {
    /// `YYYY-MM`.
    pub month: Option<String>,
}

fn parse_month(s: &str) -> Option<NaiveDate> {
    let (y, m) = s.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
}

/// The counters of a month's make-ups: all of them, and the free ones.
fn makeup_scopes(month: &str) -> (String, String) {
    (format!("makeup:{month}"), format!("makeup-free:{month}"))
}

/// The stored kinds of a check-in.
const NORMAL: &str = "normal";
/// See `NORMAL`.
const MAKEUP: &str = "makeup";

/// The streak ladder only ever looks this far back.
const STREAK_WINDOW: i64 = 400;

/// Builds the calendar of `month` for the member.
pub async fn load_month(conn: &mut Conn, state: &AppState, member_id: i64, month: NaiveDate) -> AppResult<CheckinMonth> {
    let zone = state.config.zone;
    let rules = &state.config.rules;
    let now = state.clock.now_secs();
    let today = clock::local_day(zone, now);
    let today_date = clock::date_of_day(today);
    let first = clock::day_number(month);
    let next_month = month.checked_add_months(chrono::Months::new(1)).unwrap_or(month);
    let last = clock::day_number(next_month);
    let window_from = first.min(today) - STREAK_WINDOW;
    let rows = db::checkins::between(conn, member_id, window_from, last.max(today + 1)).await?;
    let checked: Vec<i64> = rows.iter().map(|r| r.day).collect();
    let checked_today = checked.contains(&today);
    let streak = if checked_today {
        streak_ending(&checked, today)
    } else if checked.contains(&(today - 1)) {
        streak_ending(&checked, today - 1)
    } else {
        0
    };
    let this_month = clock::month_key(today_date) == clock::month_key(month);
    let days = (first..last)
        .map(|day| {
            let row = rows.iter().find(|r| r.day == day);
            let state = match row {
                Some(r) if r.kind == MAKEUP => DayState::MadeUp,
                Some(_) => DayState::Checked,
                None if day == today => DayState::Today,
                None if day > today => DayState::Future,
                None if this_month => DayState::Missed,
                None => DayState::Past,
            };
            CalendarDay { date: clock::date_of_day(day).to_string(), state, points: row.map(|r| r.points).unwrap_or(0) }
        })
        .collect();
    let tier = members::tier(conn, rules, member_id).await?;
    let this_month_key = clock::month_key(today_date);
    let (makeup_scope, free_scope) = makeup_scopes(&this_month_key);
    let used = db::counters::read(conn, &makeup_scope, member_id).await?;
    let free_used = db::counters::read(conn, &free_scope, member_id).await?;
    let free = rules.perks_of(tier).free_makeups;
    Ok(CheckinMonth {
        month: clock::month_key(month),
        today: today_date.to_string(),
        days,
        streak,
        checked_today,
        today_reward: (!checked_today).then(|| rules.checkin_reward(streak + 1, false)),
        tomorrow_reward: rules.checkin_reward(if checked_today { streak + 1 } else { 1 }, false),
        ladder: rules.checkin_ladder.clone(),
        resets_at: clock::rfc3339(zone, clock::start_of_day(zone, today_date.succ_opt().unwrap_or(today_date))),
        makeup_cost: rules.makeup_cost,
        free_makeups_left: (free - free_used).max(0),
        makeups_left: (rules.makeups_per_month - used).max(0),
    })
}

/// The check-in calendar of a month.
#[utoipa::path(get, path = "/api/checkins", tag = "check-in", params(MonthQuery),
    responses((status = 200, body = CheckinMonth), (status = 400, body = mall_core::ApiErrorBody),
        (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn calendar(
    State(state): State<AppState>,
    member: CurrentMember,
    AppQuery(q): AppQuery<MonthQuery>,
) -> AppResult<AppJson<CheckinMonth>> {
    let month = match q.month.as_deref() {
        Some(m) => parse_month(m).ok_or_else(|| AppError::new(ErrorCode::BadRequest, "month must be YYYY-MM"))?,
        None => clock::date_of_day(clock::local_day(state.config.zone, state.clock.now_secs())).with_day(1).unwrap_or_default(),
    };
    let mut conn = state.pool.acquire().await?;
    Ok(AppJson(load_month(&mut conn, &state, member.id, month).await?))
}

/// Check in today. A second call the same local day (double tap, second tab, retry)
/// answers `checked_in: false` and credits nothing.
#[utoipa::path(post, path = "/api/checkins", tag = "check-in",
    responses((status = 201, body = CheckinResult, description = "Checked in"),
        (status = 200, body = CheckinResult, description = "Already checked in today: nothing credited"),
        (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn check_in(State(state): State<AppState>, member: CurrentMember) -> AppResult<(StatusCode, AppJson<CheckinResult>)> {
    let at = state.at();
    let today = clock::local_day(at.zone, at.secs);
    let member_id = member.id;
    let st = state.clone();
    let (status, result) = db::transaction(&state.writer, move |tx| {
        async move {
            let rules = &st.config.rules;
            let month = clock::date_of_day(today).with_day(1).unwrap_or_default();
            if !db::checkins::insert(tx, member_id, today, NORMAL, at.secs).await? {
                let calendar = load_month(tx, &st, member_id, month).await?;
                let balance = ledger::spendable_balance(tx, member_id, at).await?;
                let streak = calendar.streak;
                return Ok::<_, AppError>((
                    StatusCode::OK,
                    CheckinResult { checked_in: false, points: 0, early_bird: false, streak, balance, calendar },
                ));
            }
            let before = db::checkins::between(tx, member_id, today - STREAK_WINDOW, today).await?;
            let days: Vec<i64> = before.iter().map(|r| r.day).collect();
            let streak = streak_ending(&days, today);
            let early_bird = rules.early_bird_count > 0
                && db::counters::bump(tx, &format!("early-bird:{today}"), 0, 1, Some(rules.early_bird_count)).await?.is_some();
            let points = rules.checkin_reward(streak, early_bird);
            db::checkins::set_reward(tx, member_id, today, streak, points, early_bird).await?;
            let reference = ledger::Reference::to("checkin", clock::date_of_day(today).to_string());
            let earning = ledger::Earning { kind: EntryKind::Checkin, points, growth: rules.checkin_growth };
            let balance = ledger::earn(tx, rules, member_id, earning, at, Some(&reference)).await?;
            let calendar = load_month(tx, &st, member_id, month).await?;
            Ok((StatusCode::CREATED, CheckinResult { checked_in: true, points, early_bird, streak, balance, calendar }))
        }
        .boxed()
    })
    .await?;
    Ok((status, AppJson(result)))
}

/// Make up a missed day of the current month: free while the tier's allowance lasts,
/// else it costs points; at most the monthly limit. Repairs the streak.
#[utoipa::path(post, path = "/api/checkins/makeup", tag = "check-in", request_body = MakeupRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer on retry")),
    responses((status = 201, body = MakeupResult), (status = 401, body = mall_core::ApiErrorBody),
        (status = 409, body = mall_core::ApiErrorBody, description = "already_checked_in, makeup_limit_reached, insufficient_points"),
        (status = 422, body = mall_core::ApiErrorBody, description = "makeup_not_allowed, validation_failed")))]
pub async fn makeup(
    State(state): State<AppState>,
    member: CurrentMember,
    headers: HeaderMap,
    AppJson(req): AppJson<MakeupRequest>,
) -> AppResult<Response> {
    let at = state.at();
    let today = clock::local_day(at.zone, at.secs);
    let today_date = clock::date_of_day(today);
    let date = NaiveDate::parse_from_str(&req.date, "%Y-%m-%d")
        .map_err(|_| AppError::new(ErrorCode::ValidationFailed, "date must be YYYY-MM-DD"))?;
    let day = clock::day_number(date);
    if day >= today || clock::month_key(date) != clock::month_key(today_date) {
        return Err(AppError::new(ErrorCode::MakeupNotAllowed, "only a past day of the current month can be made up"));
    }
    let key = idempotency::Key::optional(&headers, "POST /api/checkins/makeup", &req)?;
    let (makeup_scope, free_scope) = makeup_scopes(&at.month());
    let st = state.clone();
    let member_id = member.id;
    idempotency::run(&state.writer, at.secs, member.id, key, move |tx| {
        async move {
            let rules = &st.config.rules;
            if !db::checkins::insert(tx, member_id, day, MAKEUP, at.secs).await? {
                return Err(AppError::new(ErrorCode::AlreadyCheckedIn, "that day already has a check-in"));
            }
            if db::counters::bump(tx, &makeup_scope, member_id, 1, Some(rules.makeups_per_month)).await?.is_none() {
                return Err(AppError::new(ErrorCode::MakeupLimitReached, format!("at most {} make-ups a month", rules.makeups_per_month)));
            }
            let free = rules.perks_of(members::tier(tx, rules, member_id).await?).free_makeups;
            let is_free = free > 0 && db::counters::bump(tx, &free_scope, member_id, 1, Some(free)).await?.is_some();
            let cost = if is_free { 0 } else { rules.makeup_cost };
            let b = if cost > 0 {
                let reference = ledger::Reference::to("checkin", date.to_string());
                ledger::debit(tx, member_id, EntryKind::Makeup, cost, at, Some(&reference)).await?.balance_after
            } else {
                ledger::spendable_balance(tx, member_id, at).await?
            };
            let calendar = load_month(tx, &st, member_id, today_date.with_day(1).unwrap_or_default()).await?;
            Ok((StatusCode::CREATED, MakeupResult { cost, balance: b, calendar }))
        }
        .boxed()
    })
    .await
}
