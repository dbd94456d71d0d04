//! Time: an injectable clock (tests move it) and the local-day rules of the mall's zone.

use std::sync::{
    atomic::{AtomicBool, AtomicI64, Ordering},
    Arc,
};

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// The server's clock: the system time plus an offset that only tests (and the
/// development clock endpoint) change; tests may also freeze it.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// Offset from the system clock, or the frozen instant when `frozen`.
    secs: Arc<AtomicI64>,
    frozen: Arc<AtomicBool>,
}

impl Clock {
    /// A clock stopped at `unix_secs` (it moves only by `advance` / `set_now`).
    pub fn frozen_at(unix_secs: i64) -> Clock {
        Clock { secs: Arc::new(AtomicI64::new(unix_secs)), frozen: Arc::new(AtomicBool::new(true)) }
    }

    /// Now, in UTC.
    pub fn now(&self) -> DateTime<Utc> {
        let secs = self.secs.load(Ordering::Relaxed);
        if self.frozen.load(Ordering::Relaxed) {
            DateTime::from_timestamp(secs, 0).unwrap_or_default()
        } else {
            Utc::now() + chrono::Duration::seconds(secs)
        }
    }

    /// Now, in Unix seconds.
    pub fn now_secs(&self) -> i64 {
        self.now().timestamp()
    }

    /// Sets the clock to `unix_secs`.
    pub fn set_now(&self, unix_secs: i64) {
        let value = if self.frozen.load(Ordering::Relaxed) { unix_secs } else { unix_secs - Utc::now().timestamp() };
        self.secs.store(value, Ordering::Relaxed);
    }

    /// Moves the clock forward (or back, with a negative number) by `secs`.
    pub fn advance(&self, secs: i64) {
        self.secs.fetch_add(secs, Ordering::Relaxed);
    }
}

/// The first instant of a local date in `zone`, as Unix seconds. On a day that starts
/// inside a DST gap, the first instant that exists.
pub fn start_of_day(zone: Tz, date: NaiveDate) -> i64 {
    let midnight = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    match zone.from_local_datetime(&midnight).earliest() {
        Some(t) => t.timestamp(),
        None => zone
            .from_local_datetime(&(midnight + chrono::Duration::hours(1)))
            .earliest()
            .map(|t| t.timestamp())
            .unwrap_or_else(|| midnight.and_utc().timestamp()),
    }
}

/// A shop day as requests write it: exactly `YYYY-MM-DD` with a four-digit year (chrono's
/// `%Y` alone also takes `+262142-12-31`, past which day arithmetic overflows).
pub fn shop_day(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let shape = b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    shape.then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()).flatten()
}

/// The day after `day` (the same day at the end of the calendar, which a four-digit
/// year never reaches).
pub fn next_day(day: NaiveDate) -> NaiveDate {
    day.succ_opt().unwrap_or(day)
}

/// The shop days `from..=to` of a request, at most `max_days` apart; `None` when either
/// is not a [`shop_day`] or `to` is before `from`.
pub fn day_range(from: &str, to: &str, max_days: i64) -> Option<(NaiveDate, NaiveDate)> {
    let (from, to) = (shop_day(from)?, shop_day(to)?);
    (from <= to && (to - from).num_days() <= max_days).then_some((from, to))
}

/// A wall-clock time of a local date in `zone` (minutes after midnight) as Unix seconds;
/// `None` when that time does not exist (a DST gap), the earlier one when it is ambiguous.
pub fn local_instant(zone: Tz, date: NaiveDate, minutes: u32) -> Option<i64> {
    let wall = date.and_hms_opt(minutes / 60, minutes % 60, 0)?;
    zone.from_local_datetime(&wall).earliest().map(|t| t.timestamp())
}

/// The local date of an instant.
pub fn local_date(zone: Tz, unix_secs: i64) -> NaiveDate {
    zone.timestamp_opt(unix_secs, 0).single().map(|t| t.date_naive()).unwrap_or_default()
}

/// When a lot earned at `earned_at` stops counting: the end of the local day
/// `months` months later (stored as the first instant of the following day).
pub fn lot_expiry(zone: Tz, earned_at: i64, months: u32) -> i64 {
    let earned = local_date(zone, earned_at);
    let last_day = earned.checked_add_months(Months::new(months)).unwrap_or(earned);
    start_of_day(zone, last_day.succ_opt().unwrap_or(last_day))
}

/// `YYYY-MM` of a date's month.
pub fn month_key(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// `YYYY-MM` of the local month of an instant.
pub fn local_month(zone: Tz, unix_secs: i64) -> String {
    month_key(local_date(zone, unix_secs))
}

/// The local day number (days since 1970-01-01) of an instant in `zone`.
pub fn local_day(zone: Tz, unix_secs: i64) -> i64 {
    day_number(local_date(zone, unix_secs))
}

/// Days since 1970-01-01 of a date.
pub fn day_number(date: NaiveDate) -> i64 {
    (date - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days()
}

/// The date of a day number.
pub fn date_of_day(day: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch") + chrono::Duration::days(day)
}

/// RFC 3339 in the mall's zone.
pub fn rfc3339(zone: Tz, unix_secs: i64) -> String {
    zone.timestamp_opt(unix_secs, 0).single().map(|t| t.to_rfc3339()).unwrap_or_default()
}

/// `YYYY-MM-DD` of the last local day before `exclusive_end`.
pub fn last_local_day(zone: Tz, exclusive_end: i64) -> String {
    let d = local_date(zone, exclusive_end - 1);
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// When a counter of local day `day` (a day number) may be deleted: three days after the
/// day began in UTC, past its end in any zone (the counters' pruning).
pub fn day_counter_expiry(day: i64) -> i64 {
    (day + 3) * 86_400
}

/// When a counter of the local month of `unix_secs` may be deleted: two days after the
/// next month began in UTC, past the month's end in any zone.
pub fn month_counter_expiry(zone: Tz, unix_secs: i64) -> i64 {
    let first = local_date(zone, unix_secs).with_day(1).unwrap_or_default();
    let next = first.checked_add_months(Months::new(1)).unwrap_or(first);
    (day_number(next) + 2) * 86_400
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lots_expire_at_the_end_of_the_local_day_a_year_later() {
        let zone = chrono_tz::Asia::Shanghai;
        // 2026-03-15 23:30 in Shanghai is 15:30 UTC.
        let earned = Utc.with_ymd_and_hms(2026, 3, 15, 15, 30, 0).unwrap().timestamp();
        let exp = lot_expiry(zone, earned, 12);
        // Expires at 2027-03-16 00:00 Shanghai = 2027-03-15 16:00 UTC.
        assert_eq!(exp, Utc.with_ymd_and_hms(2027, 3, 15, 16, 0, 0).unwrap().timestamp());
        assert_eq!(last_local_day(zone, exp), "2027-03-15");
    }

    #[test]
    fn leap_day_rolls_to_end_of_february() {
        let zone = chrono_tz::UTC;
        let earned = Utc.with_ymd_and_hms(2028, 2, 29, 12, 0, 0).unwrap().timestamp();
        assert_eq!(last_local_day(zone, lot_expiry(zone, earned, 12)), "2029-02-28");
    }

    #[test]
    fn clock_moves_only_when_told() {
        let c = Clock::default();
        let a = c.now_secs();
        c.advance(86_400);
        assert!(c.now_secs() - a >= 86_400);
    }

    #[test]
    fn period_counters_outlive_their_period_in_every_zone() {
        let zone = chrono_tz::Pacific::Kiritimati; // UTC+14
        let at = Utc.with_ymd_and_hms(2026, 3, 31, 12, 0, 0).unwrap().timestamp(); // April 1st there
        let day = local_day(zone, at);
        assert!(day_counter_expiry(day) > start_of_day(zone, date_of_day(day + 1)) + 86_400);
        assert_eq!(month_counter_expiry(zone, at), Utc.with_ymd_and_hms(2026, 5, 3, 0, 0, 0).unwrap().timestamp());
        let west = chrono_tz::Pacific::Pago_Pago; // UTC-11: still March 31st
        assert_eq!(month_counter_expiry(west, at), Utc.with_ymd_and_hms(2026, 4, 3, 0, 0, 0).unwrap().timestamp());
    }
}
