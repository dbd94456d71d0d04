//! Home's extras: the redemption leaderboard of the local week and a few picks for the
//! member (by the categories it redeemed, else the popular ones).

use serde::{Deserialize, Serialize};

use crate::dto::ItemSummary;

/// The most items the leaderboard lists.
pub const LEADERBOARD_SIZE: usize = 10;

/// The most items the picks list.
pub const PICKS_SIZE: usize = 6;

/// The span a leaderboard counts redemptions over.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LeaderboardPeriod {
    /// The local week: Monday 00:00 to the next Monday 00:00, shop time.
    #[default]
    Week,
}

/// `GET /api/leaderboard` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct LeaderboardQuery {
    /// The span counted (only `week`, the default).
    pub period: Option<LeaderboardPeriod>,
}

/// One item of the leaderboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeaderboardEntry {
    /// The item, as the catalogue lists it.
    pub item: ItemSummary,
    /// Units redeemed in the period (orders not cancelled).
    pub count: i64,
}

/// `GET /api/leaderboard`: the items most redeemed in the period, most first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Leaderboard {
    /// The span counted.
    pub period: LeaderboardPeriod,
    /// Its start (RFC 3339, shop time).
    pub from: String,
    /// Its end, exclusive (RFC 3339, shop time).
    pub to: String,
    /// At most `LEADERBOARD_SIZE` items, most redeemed first, ties by item id.
    pub entries: Vec<LeaderboardEntry>,
}

/// Where the picks came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PicksBasis {
    /// From the categories the member redeemed in (filled up with popular items).
    History,
    /// The popular items: the member's orders gave none.
    Popular,
}

/// `GET /api/picks`: items for this member, those it can afford first; never tier-locked
/// for it, never sold out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Picks {
    /// Where they came from.
    pub basis: PicksBasis,
    /// At most `PICKS_SIZE` items.
    pub items: Vec<ItemSummary>,
}
