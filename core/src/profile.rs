//! The member's profile (`GET`/`PUT /api/me/profile`): a display name, a birthday and the
//! consent to notices outside the app, with the birthday gift it opens.
//!
//! The profile task (the rules' task named [`PROFILE_TASK`]) is one the mall sees itself:
//! it is credited, once, when a save leaves the profile complete (a name and a birthday),
//! never by a tap or by the host. A birthday is kept once (changing it would move the
//! gift); the gift is the rules' `birthday_points`, on the birthday (29 February on 28
//! February in other years), once a year, and only for a birthday recorded at least
//! [`BIRTHDAY_NOTICE_DAYS`] days before.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;

/// The task the mall credits when the profile is complete.
pub const PROFILE_TASK: &str = "profile";

/// Days between recording a birthday and its first gift (a birthday entered on the day
/// opens next year's gift, not today's).
pub const BIRTHDAY_NOTICE_DAYS: i64 = 30;

/// The longest display name, in characters.
pub const DISPLAY_NAME_MAX: usize = 20;

/// Whether the mall credits `task` itself (on what it sees), so neither a tap nor the
/// host may claim it.
pub fn seen_by_mall(task: &str) -> bool {
    task == PROFILE_TASK
}

/// The member's profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    /// The name the mall greets the member by; none until set.
    pub display_name: Option<String>,
    /// `YYYY-MM-DD`; none until set, then kept.
    pub birthday: Option<String>,
    /// Whether the member agreed to notices outside the app (points about to expire).
    pub notices_consent: bool,
    /// A name and a birthday: the profile task is done.
    pub complete: bool,
    /// The profile task's points, credited when this save completed the profile (0 on
    /// reads and on later saves).
    pub task_awarded: i64,
    /// The balance after this answer.
    pub balance: i64,
    /// The birthday gift.
    pub birthday_gift: BirthdayGift,
}

/// The birthday gift as the member can take it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BirthdayGift {
    /// Points the gift gives under the rules in force (0: the shop gives none).
    pub points: i64,
    /// Where it stands.
    pub state: GiftState,
    /// The next day it may be taken (`YYYY-MM-DD`, shop time), when a birthday is known.
    pub next_on: Option<String>,
}

/// Where the birthday gift stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GiftState {
    /// No birthday recorded, or the shop gives no gift.
    None,
    /// Today is the birthday and this year's gift is waiting.
    Ready,
    /// This year's gift was taken.
    Taken,
    /// Not the birthday today (or recorded too recently for this year's).
    Later,
}

impl GiftState {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            GiftState::None => "none",
            GiftState::Ready => "ready",
            GiftState::Taken => "taken",
            GiftState::Later => "later",
        }
    }
}

/// `PUT /api/me/profile` body: each field present is changed, an absent one kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProfilePatch {
    /// 1–20 characters, none hidden; surrounding spaces are trimmed.
    #[serde(default)]
    pub display_name: Option<String>,
    /// `YYYY-MM-DD`, not in the future and not before 1900; once set it cannot change
    /// (the same date again is accepted).
    #[serde(default)]
    pub birthday: Option<String>,
    /// Notices outside the app.
    #[serde(default)]
    pub notices_consent: Option<bool>,
}

impl ProfilePatch {
    /// Field refusals of the parts the app can check alone (the name; the birthday's
    /// shape): the server checks again, and also the date against today.
    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Some(name) = &self.display_name {
            let name = name.trim();
            if !(1..=DISPLAY_NAME_MAX).contains(&name.chars().count()) || !crate::text::readable(name) {
                errors.push(FieldError::new("display_name", format!("must be 1 to {DISPLAY_NAME_MAX} characters, none of them hidden")));
            }
        }
        if let Some(day) = &self.birthday {
            if !is_date_shape(day) {
                errors.push(FieldError::new("birthday", "must be a date written YYYY-MM-DD"));
            }
        }
        errors
    }
}

/// Whether `s` is written `YYYY-MM-DD` (digits where digits go; the calendar is checked
/// by the server).
fn is_date_shape(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10 && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patch_names_each_bad_field() {
        let good = ProfilePatch { display_name: Some("  晓雨 ".into()), birthday: Some("1990-02-28".into()), notices_consent: None };
        assert!(good.check().is_empty());
        let bad = ProfilePatch { display_name: Some("x\u{202e}y".into()), birthday: Some("1990-2-28".into()), notices_consent: Some(true) };
        let fields: Vec<String> = bad.check().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["display_name", "birthday"]);
        let long = ProfilePatch { display_name: Some("名".repeat(21)), ..ProfilePatch::default() };
        assert_eq!(long.check().len(), 1);
        let blank = ProfilePatch { display_name: Some("   ".into()), ..ProfilePatch::default() };
        assert_eq!(blank.check().len(), 1);
    }

    #[test]
    fn gift_states_are_named_as_on_the_wire() {
        for state in [GiftState::None, GiftState::Ready, GiftState::Taken, GiftState::Later] {
            assert_eq!(serde_json::to_string(&state).unwrap(), format!("\"{}\"", state.as_str()));
        }
    }

    #[test]
    fn only_the_profile_task_is_seen_by_the_mall() {
        assert!(seen_by_mall("profile"));
        assert!(!seen_by_mall("share") && !seen_by_mall("review"));
    }
}
