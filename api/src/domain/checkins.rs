//! Daily check-in: one per member per local day (the `checkins` primary key), the streak
//! ladder, early birds, make-ups, and the month calendar.

use chrono::{Datelike, NaiveDate};
use mall_core::{
    dto::EntryKind,
    earning::{CalendarDay, CheckinMonth, CheckinResult, DayState, MakeupResult},
    rules::streak_ending,
    Rules,
};

use super::{
    campaigns::{self, CampaignError},
    ledger::{self, At, LedgerError},
    members::{self, MemberError},
};
use crate::{
    clock,
    db::{self, Access, Tx},
};

/// The stored kinds of a check-in.
const NORMAL: &str = "normal";
/// See `NORMAL`.
const MAKEUP: &str = "makeup";

/// A refused or failed check-in step.
#[derive(Debug, thiserror::Error)]
pub enum CheckinError {
    /// The day already has a check-in.
    #[error("that day already has a check-in")]
    AlreadyCheckedIn,
    /// Only a past day of the current month can be made up.
    #[error("only a past day of the current month can be made up")]
    MakeupNotAllowed,
    /// The month's make-ups are used up (at most this many).
    #[error("at most {0} make-ups a month")]
    MakeupLimitReached(i64),
    /// The ledger refused or failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The member lookup failed.
    #[error(transparent)]
    Member(#[from] MemberError),
    /// A campaign's bonus failed.
    #[error(transparent)]
    Campaign(#[from] CampaignError),
    /// The database failed.
    #[error("check-in database error")]
    Db(#[from] sqlx::Error),
}

/// The counters of a month's make-ups: all of them, and the free ones.
fn makeup_scopes(month: &str) -> (String, String) {
    (format!("makeup:{month}"), format!("makeup-free:{month}"))
}

/// The first day of the local month of `at`.
pub fn this_month(at: At) -> NaiveDate {
    clock::date_of_day(clock::local_day(at.zone, at.secs)).with_day(1).unwrap_or_default()
}

/// The streak ladder only ever looks this far back.
const STREAK_WINDOW: i64 = 400;

/// Builds the calendar of `month` for the member.
pub async fn month(conn: &mut impl Access, rules: &Rules, at: At, member_id: i64, month: NaiveDate) -> Result<CheckinMonth, CheckinError> {
    let zone = at.zone;
    let today = clock::local_day(zone, at.secs);
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
    let today_reward = match checked_today {
        true => None,
        false => {
            let base = rules.checkin_reward(streak + 1, false);
            Some(base + campaigns::checkin_preview(conn, rules, at, member_id, base).await?)
        }
    };
    Ok(CheckinMonth {
        month: clock::month_key(month),
        today: today_date.to_string(),
        days,
        streak,
        checked_today,
        today_reward,
        tomorrow_reward: rules.checkin_reward(if checked_today { streak + 1 } else { 1 }, false),
        ladder: rules.checkin_ladder.clone(),
        resets_at: clock::rfc3339(zone, clock::start_of_day(zone, today_date.succ_opt().unwrap_or(today_date))),
        makeup_cost: rules.makeup_cost,
        free_makeups_left: (free - free_used).max(0),
        makeups_left: (rules.makeups_per_month - used).max(0),
    })
}

/// Checks the member in today, inside `tx`. A second check-in the same local day (double
/// tap, second tab, retry) answers `checked_in: false` and credits nothing.
pub async fn check_in(tx: &mut Tx, rules: &Rules, at: At, member_id: i64) -> Result<CheckinResult, CheckinError> {
    let today = clock::local_day(at.zone, at.secs);
    if !db::checkins::insert(tx, member_id, today, NORMAL, at.secs).await? {
        let calendar = month(tx, rules, at, member_id, this_month(at)).await?;
        let balance = ledger::spendable_balance(tx, member_id, at).await?;
        let streak = calendar.streak;
        return Ok(CheckinResult { checked_in: false, points: 0, early_bird: false, campaign_points: 0, streak, balance, calendar });
    }
    let before = db::checkins::between(tx, member_id, today - STREAK_WINDOW, today).await?;
    let days: Vec<i64> = before.iter().map(|r| r.day).collect();
    let streak = streak_ending(&days, today);
    let early_bird = rules.early_bird_count > 0
        && db::counters::bump_until(
            tx,
            &format!("early-bird:{today}"),
            0,
            1,
            Some(rules.early_bird_count),
            Some(clock::day_counter_expiry(today)),
        )
        .await?
        .is_some();
    let points = rules.checkin_reward(streak, early_bird);
    db::checkins::set_reward(tx, member_id, today, streak, points, early_bird).await?;
    let reference = ledger::Reference::to("checkin", clock::date_of_day(today).to_string());
    let earning = ledger::Earning { kind: EntryKind::Checkin, points, growth: rules.checkin_growth };
    ledger::earn(tx, rules, member_id, earning, at, Some(&reference)).await?;
    let base = rules.checkin_reward(streak, false);
    let campaign_points = campaigns::on_checkin(tx, rules, at, member_id, base, early_bird).await?;
    let balance = ledger::spendable_balance(tx, member_id, at).await?;
    let calendar = month(tx, rules, at, member_id, this_month(at)).await?;
    Ok(CheckinResult { checked_in: true, points, early_bird, campaign_points, streak, balance, calendar })
}

/// Makes up `date`, a missed day of the current month, inside `tx`: free while the tier's
/// allowance lasts, else it costs points; at most the monthly limit. Repairs the streak.
pub async fn makeup(tx: &mut Tx, rules: &Rules, at: At, member_id: i64, date: NaiveDate) -> Result<MakeupResult, CheckinError> {
    let today = clock::local_day(at.zone, at.secs);
    let day = clock::day_number(date);
    if day >= today || clock::month_key(date) != clock::month_key(clock::date_of_day(today)) {
        return Err(CheckinError::MakeupNotAllowed);
    }
    members::ensure_not_frozen(tx, member_id).await?;
    if !db::checkins::insert(tx, member_id, day, MAKEUP, at.secs).await? {
        return Err(CheckinError::AlreadyCheckedIn);
    }
    let (makeup_scope, free_scope) = makeup_scopes(&at.month());
    let month_ends = Some(clock::month_counter_expiry(at.zone, at.secs));
    if db::counters::bump_until(tx, &makeup_scope, member_id, 1, Some(rules.makeups_per_month), month_ends).await?.is_none() {
        return Err(CheckinError::MakeupLimitReached(rules.makeups_per_month));
    }
    let free = rules.perks_of(members::tier(tx, rules, member_id).await?).free_makeups;
    let is_free = free > 0 && db::counters::bump_until(tx, &free_scope, member_id, 1, Some(free), month_ends).await?.is_some();
    let cost = if is_free { 0 } else { rules.makeup_cost };
    let balance = if cost > 0 {
        let reference = ledger::Reference::to("checkin", date.to_string());
        ledger::debit(tx, member_id, EntryKind::Makeup, cost, at, Some(&reference)).await?.balance_after
    } else {
        ledger::spendable_balance(tx, member_id, at).await?
    };
    let calendar = month(tx, rules, at, member_id, this_month(at)).await?;
    Ok(MakeupResult { cost, balance, calendar })
}
