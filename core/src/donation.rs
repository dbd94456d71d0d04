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
