//! Donation (积分捐赠): causes members give points to, irrevocably.

use serde::{Deserialize, Serialize};

use crate::dto::I18nText;

/// A cause as a member sees it (`GET /api/causes`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cause {
    /// Cause id.
    pub id: i64,
    /// Its name.
    pub name: I18nText,
    /// What the points do.
    pub description: I18nText,
    /// Image path.
    pub image: String,
    /// Points it aims for.
    pub target: i64,
    /// Points given so far: the sum of its donations.
    pub raised: i64,
    /// Points this member gave it.
    pub given: i64,
    /// Whether it still takes donations.
    pub open: bool,
    /// The fewest points a donation may give (the rules' `donation_min_points`).
    pub min_points: i64,
}

/// `POST /api/causes/{id}/donations` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DonateRequest {
    /// Points to give (at least the rules' `donation_min_points`).
    pub points: i64,
}

/// `POST /api/causes/{id}/donations` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Donated {
    /// The cause after the donation.
    pub cause: Cause,
    /// Points given.
    pub points: i64,
    /// The member's balance after.
    pub balance: i64,
}

/// `POST /api/admin/causes` body (operator).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewCause {
    /// Its name (1–40 characters each).
    pub name: I18nText,
    /// What the points do (1–400 characters each).
    pub description: I18nText,
    /// Image path (`/img/…` or `/media/…`).
    pub image: String,
    /// Points it aims for (> 0).
    pub target: i64,
}

/// A cause as the operator's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminCause {
    /// Cause id.
    pub id: i64,
    /// Its name.
    pub name: I18nText,
    /// What the points do.
    pub description: I18nText,
    /// Image path.
    pub image: String,
    /// Points it aims for.
    pub target: i64,
    /// Points given so far.
    pub raised: i64,
    /// Donations made.
    pub donations: i64,
    /// Members who gave.
    pub donors: i64,
    /// Whether it still takes donations.
    pub open: bool,
    /// When it was opened (RFC 3339).
    pub created_at: String,
    /// When it was closed.
    pub closed_at: Option<String>,
}

/// `GET /api/admin/causes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminCauses {
    /// Every cause, newest first.
    pub causes: Vec<AdminCause>,
}

/// The most characters a cause's name may have in each language.
pub const CAUSE_NAME_MAX: usize = 40;
/// The most characters a cause's description may have in each language.
pub const CAUSE_DESCRIPTION_MAX: usize = 400;
/// The highest target a cause may have, in points.
pub const CAUSE_TARGET_MAX: i64 = 1_000_000_000;

/// Why a new cause is refused before it reaches the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CauseError {
    /// A name empty or over 40 characters, or with control or direction characters.
    Name,
    /// A description empty or over 400 characters, or with control or direction characters
    /// (line breaks allowed).
    Description,
    /// A target outside 1..=1,000,000,000 points.
    Target,
    /// An image that is not an image path (`catalog_admin::image_path_ok`).
    Image,
}

impl CauseError {
    /// The reason in English, for the API's error message.
    pub fn message(self) -> &'static str {
        match self {
            CauseError::Name => "names need 1–40 characters in both languages, without control or direction characters",
            CauseError::Description => "descriptions need 1–400 characters in both languages, without control or direction characters",
            CauseError::Target => "the target is 1 to 1,000,000,000 points",
            CauseError::Image => "image must be an uploaded /media/… path or one of the app's /img/… images",
        }
    }
}

/// The rules of a new cause (the server and the operator's form apply the same).
pub fn check_cause(new: &NewCause) -> Result<(), CauseError> {
    use crate::catalog_admin::{image_path_ok, name_fits};
    if !(name_fits(&new.name.zh, CAUSE_NAME_MAX) && name_fits(&new.name.en, CAUSE_NAME_MAX)) {
        return Err(CauseError::Name);
    }
    let described = |t: &str| (1..=CAUSE_DESCRIPTION_MAX).contains(&t.trim().chars().count()) && crate::text::readable_lines(t);
    if !(described(&new.description.zh) && described(&new.description.en)) {
        return Err(CauseError::Description);
    }
    if !(1..=CAUSE_TARGET_MAX).contains(&new.target) {
        return Err(CauseError::Target);
    }
    if !image_path_ok(&new.image) {
        return Err(CauseError::Image);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> I18nText {
        I18nText { zh: s.into(), en: s.into() }
    }

    fn cause() -> NewCause {
        NewCause {
            name: text("山区图书角"),
            description: text("每 1,000 积分捐一本书"),
            image: "/img/causes/books.svg".into(),
            target: 100_000,
        }
    }

    #[test]
    fn cause_rules() {
        assert_eq!(check_cause(&cause()), Ok(()));
        assert_eq!(check_cause(&NewCause { name: text(&"名".repeat(41)), ..cause() }), Err(CauseError::Name));
        assert_eq!(check_cause(&NewCause { description: text(" "), ..cause() }), Err(CauseError::Description));
        assert_eq!(check_cause(&NewCause { description: text(&"字".repeat(401)), ..cause() }), Err(CauseError::Description));
        assert_eq!(check_cause(&NewCause { description: text("书\u{202e}角"), ..cause() }), Err(CauseError::Description));
        assert_eq!(check_cause(&NewCause { description: text("第一段\n第二段"), ..cause() }), Ok(()));
        assert_eq!(check_cause(&NewCause { target: 0, ..cause() }), Err(CauseError::Target));
        assert_eq!(check_cause(&NewCause { target: CAUSE_TARGET_MAX + 1, ..cause() }), Err(CauseError::Target));
        assert_eq!(check_cause(&NewCause { image: "/img/../x.svg".into(), ..cause() }), Err(CauseError::Image));
        assert_eq!(check_cause(&NewCause { image: "javascript:x".into(), ..cause() }), Err(CauseError::Image));
    }
}
