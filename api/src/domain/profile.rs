//! The member's profile and its birthday gift (the rules: `mall_core::profile`).
//!
//! A save merges the patch into the stored profile under the member's row lock; when it
//! leaves the profile complete, the profile task is credited in the same transaction by
//! the task caps (`tasks::credit_event`: the rules' lifetime cap of one makes it once,
//! a counter bump, not a check). The gift is once a year by the primary key of
//! `birthday_gifts`, booked as a `birthday` entry.

use chrono::{Datelike, NaiveDate};
use mall_core::{
    dto::EntryKind,
    earning::Award,
    profile::{self, BirthdayGift, GiftState, Profile, ProfilePatch, BIRTHDAY_NOTICE_DAYS},
    FieldError, Rules,
};

use super::{
    ledger::{self, At, LedgerError},
    members::MemberError,
    tasks::{self, EventError},
};
use crate::{
    clock,
    db::{self, profile::ProfileRow, Access, Tx},
};

/// Why a profile save or a gift was refused.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// Fields out of their rules.
    #[error("the profile has invalid fields")]
    Invalid(Vec<FieldError>),
    /// A different birthday than the one recorded.
    #[error("the birthday is recorded once; ask the shop to correct it")]
    BirthdayLocked,
    /// The gift cannot be taken now; the reason.
    #[error("{0}")]
    GiftUnavailable(&'static str),
    /// No such member.
    #[error(transparent)]
    Member(#[from] MemberError),
    /// A ledger step failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The database failed.
    #[error("profile database error")]
    Db(#[from] sqlx::Error),
}

impl From<EventError> for ProfileError {
    fn from(e: EventError) -> Self {
        match e {
            EventError::Member(e) => e.into(),
            EventError::Ledger(e) => e.into(),
            EventError::Db(e) => e.into(),
        }
    }
}

/// The oldest birthday accepted.
const FIRST_YEAR: i32 = 1900;

/// The profile of `member_id` as the member sees it at `at`.
pub async fn get(conn: &mut impl Access, rules: &Rules, at: &At, member_id: i64) -> Result<Profile, ProfileError> {
    let row = db::profile::get(conn, member_id).await?.ok_or(MemberError::NotFound(member_id))?;
    let balance = ledger::spendable_balance(conn, member_id, *at).await?;
    answer(conn, rules, at, member_id, row, 0, balance).await
}

/// Saves `patch` over the profile of `member_id` in `tx`; credits the profile task when
/// the profile is complete (once: the task's lifetime cap).
pub async fn save(tx: &mut Tx, rules: &Rules, at: At, member_id: i64, patch: ProfilePatch) -> Result<Profile, ProfileError> {
    let mut errors = patch.check();
    let today = clock::local_date(at.zone, at.secs);
    let birthday = match patch.birthday.as_deref().map(|s| (s, clock::shop_day(s))) {
        Some((_, Some(day))) if day.year() < FIRST_YEAR || day > today => {
            errors.push(FieldError::new("birthday", format!("must be a day from {FIRST_YEAR} to today")));
            None
        }
        Some((_, Some(day))) => Some(day),
        Some((text, None)) => {
            if errors.iter().all(|e| e.field != "birthday") {
                errors.push(FieldError::new("birthday", format!("{text} is not a day of the calendar")));
            }
            None
        }
        None => None,
    };
    if !errors.is_empty() {
        return Err(ProfileError::Invalid(errors));
    }
    db::members::lock(tx, member_id).await?;
    let mut row = db::profile::get(tx, member_id).await?.ok_or(MemberError::NotFound(member_id))?;
    if let Some(name) = patch.display_name {
        row.display_name = Some(name.trim().to_string());
    }
    if let Some(day) = birthday {
        let text = day.format("%Y-%m-%d").to_string();
        match row.birthday.as_deref() {
            Some(kept) if kept != text => return Err(ProfileError::BirthdayLocked),
            Some(_) => {}
            None => (row.birthday, row.birthday_set_at) = (Some(text), Some(at.secs)),
        }
    }
    if let Some(consent) = patch.notices_consent {
        row.notices_consent = i64::from(consent);
    }
    db::profile::put(tx, member_id, &row).await?;
    let mut awarded = 0;
    let mut balance = None;
    if is_complete(&row) {
        if let Some(rule) = rules.task(profile::PROFILE_TASK) {
            let award: Award = tasks::credit_event(tx, rules, at, member_id, rule).await?;
            (awarded, balance) = (award.awarded, Some(award.balance));
        }
    }
    let balance = match balance {
        Some(b) => b,
        None => ledger::spendable_balance(tx, member_id, at).await?,
    };
    answer(tx, rules, &at, member_id, row, awarded, balance).await
}

/// Gives this year's birthday gift to `member_id` in `tx` (see the module's doc).
pub async fn take_gift(tx: &mut Tx, rules: &Rules, at: At, member_id: i64) -> Result<Award, ProfileError> {
    db::members::lock(tx, member_id).await?;
    let row = db::profile::get(tx, member_id).await?.ok_or(MemberError::NotFound(member_id))?;
    let today = clock::local_date(at.zone, at.secs);
    if rules.birthday_points <= 0 {
        return Err(ProfileError::GiftUnavailable("this shop gives no birthday gift"));
    }
    let Some(birthday) = row.birthday.as_deref().and_then(clock::shop_day) else {
        return Err(ProfileError::GiftUnavailable("no birthday is recorded"));
    };
    if birthday_in(birthday, today.year()) != Some(today) {
        return Err(ProfileError::GiftUnavailable("today is not the birthday"));
    }
    if !recorded_in_time(&row, &at, today) {
        return Err(ProfileError::GiftUnavailable("the birthday was recorded too recently for this year's gift"));
    }
    if !db::profile::give_gift(tx, member_id, i64::from(today.year()), rules.birthday_points, at.secs).await? {
        return Err(ProfileError::GiftUnavailable("this year's gift was taken"));
    }
    let reference = ledger::Reference::labelled("birthday", today.year().to_string(), "生日礼", "Birthday gift");
    let earning = ledger::Earning { kind: EntryKind::Birthday, points: rules.birthday_points, growth: 0 };
    let balance = ledger::earn(tx, rules, member_id, earning, at, Some(&reference)).await?;
    Ok(Award { awarded: rules.birthday_points, growth: 0, reason: None, balance })
}

/// Whether today (at `at`, shop time) is the birthday of `member_id`, recorded at least
/// `BIRTHDAY_NOTICE_DAYS` before (the gift's rule; a member-day campaign's too).
pub async fn birthday_today(conn: &mut impl Access, at: &At, member_id: i64) -> Result<bool, sqlx::Error> {
    let Some(row) = db::profile::get(conn, member_id).await? else { return Ok(false) };
    let today = clock::local_date(at.zone, at.secs);
    let born = row.birthday.as_deref().and_then(clock::shop_day);
    Ok(born.is_some_and(|b| birthday_in(b, today.year()) == Some(today)) && recorded_in_time(&row, at, today))
}

/// A name and a birthday.
fn is_complete(row: &ProfileRow) -> bool {
    row.display_name.is_some() && row.birthday.is_some()
}

/// The birthday of `born` in `year`: 29 February is kept on 28 February in other years.
fn birthday_in(born: NaiveDate, year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, born.month(), born.day()).or_else(|| NaiveDate::from_ymd_opt(year, born.month(), born.day() - 1))
}

/// Whether the birthday was recorded at least `BIRTHDAY_NOTICE_DAYS` before `day`.
fn recorded_in_time(row: &ProfileRow, at: &At, day: NaiveDate) -> bool {
    row.birthday_set_at.is_some_and(|set| (day - clock::local_date(at.zone, set)).num_days() >= BIRTHDAY_NOTICE_DAYS)
}

/// The answer for `row` with the gift's standing.
async fn answer(
    conn: &mut impl Access,
    rules: &Rules,
    at: &At,
    member_id: i64,
    row: ProfileRow,
    task_awarded: i64,
    balance: i64,
) -> Result<Profile, ProfileError> {
    let today = clock::local_date(at.zone, at.secs);
    let born = row.birthday.as_deref().and_then(clock::shop_day);
    let (state, next_on) = match born {
        Some(born) if rules.birthday_points > 0 => {
            let state = if birthday_in(born, today.year()) != Some(today) || !recorded_in_time(&row, at, today) {
                GiftState::Later
            } else if db::profile::gift_given(conn, member_id, i64::from(today.year())).await? {
                GiftState::Taken
            } else {
                GiftState::Ready
            };
            // The first birthday from today on whose gift may still be taken.
            let next = (today.year()..=today.year() + 2)
                .filter_map(|year| birthday_in(born, year))
                .find(|d| (*d > today || state == GiftState::Ready) && *d >= today && recorded_in_time(&row, at, *d));
            (state, next.map(|d| d.format("%Y-%m-%d").to_string()))
        }
        _ => (GiftState::None, None),
    };
    Ok(Profile {
        complete: is_complete(&row),
        display_name: row.display_name,
        birthday: row.birthday,
        notices_consent: row.notices_consent == 1,
        task_awarded,
        balance,
        birthday_gift: BirthdayGift { points: rules.birthday_points, state, next_on },
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::birthday_in;

    #[test]
    fn a_leap_day_birthday_is_kept_on_the_28th_in_other_years() {
        let born = NaiveDate::from_ymd_opt(2000, 2, 29).unwrap();
        assert_eq!(birthday_in(born, 2027), NaiveDate::from_ymd_opt(2027, 2, 28));
        assert_eq!(birthday_in(born, 2028), NaiveDate::from_ymd_opt(2028, 2, 29));
        let plain = NaiveDate::from_ymd_opt(1990, 7, 14).unwrap();
        assert_eq!(birthday_in(plain, 2026), NaiveDate::from_ymd_opt(2026, 7, 14));
    }
}
