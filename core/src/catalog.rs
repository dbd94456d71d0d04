//! Catalogue rules: price bands, sort orders and item kinds.

use serde::{Deserialize, Serialize};

/// A price band of the catalogue filter, by points price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PriceBand {
    /// Up to 500 points.
    #[serde(rename = "up_to_500")]
    UpTo500,
    /// 501 to 2,000 points.
    #[serde(rename = "up_to_2000")]
    UpTo2000,
    /// 2,001 to 10,000 points.
    #[serde(rename = "up_to_10000")]
    UpTo10000,
    /// More than 10,000 points.
    #[serde(rename = "over_10000")]
    Over10000,
}

impl PriceBand {
    /// All bands, cheapest first.
    pub const ALL: [PriceBand; 4] = [PriceBand::UpTo500, PriceBand::UpTo2000, PriceBand::UpTo10000, PriceBand::Over10000];

    /// The inclusive points range `(min, max)` of the band.
    pub fn range(self) -> (i64, i64) {
        match self {
            PriceBand::UpTo500 => (0, 500),
            PriceBand::UpTo2000 => (501, 2_000),
            PriceBand::UpTo10000 => (2_001, 10_000),
            PriceBand::Over10000 => (10_001, i64::MAX),
        }
    }

    /// Whether a points price falls in the band.
    pub fn contains(self, points: i64) -> bool {
        let (lo, hi) = self.range();
        (lo..=hi).contains(&points)
    }

    /// The wire name, as used in `?band=`.
    pub fn as_str(self) -> &'static str {
        match self {
            PriceBand::UpTo500 => "up_to_500",
            PriceBand::UpTo2000 => "up_to_2000",
            PriceBand::UpTo10000 => "up_to_10000",
            PriceBand::Over10000 => "over_10000",
        }
    }
}

/// The order of the catalogue list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Most redeemed first.
    #[default]
    Popular,
    /// Newest first.
    Newest,
    /// Cheapest first.
    PointsAsc,
    /// Dearest first.
    PointsDesc,
}

impl Sort {
    /// All sorts, in the order the app offers them.
    pub const ALL: [Sort; 4] = [Sort::Popular, Sort::Newest, Sort::PointsAsc, Sort::PointsDesc];

    /// The wire name, as used in `?sort=`.
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Popular => "popular",
            Sort::Newest => "newest",
            Sort::PointsAsc => "points_asc",
            Sort::PointsDesc => "points_desc",
        }
    }
}

/// How an item is fulfilled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum ItemKind {
    /// A coupon or voucher: fulfilled at once with a code.
    Virtual,
    /// Goods: shipped (pending → shipped → delivered).
    Physical,
}

/// The most of one item a single order may ask for.
pub const MAX_ORDER_QUANTITY: i64 = 99;

/// How many popular rewards Home shows: one row, what a phone's first screen shows. Home
/// asks for `/api/items?sort=popular&limit=HOME_POPULAR`; the server preloads that answer
/// and these items' images with Home's HTML.
pub const HOME_POPULAR: u32 = 2;

/// What an order of `quantity` units costs, and what the balance would be after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quote {
    /// Points in all.
    pub points: i64,
    /// Cash in all, if the item has a cash part.
    pub cash: Option<crate::cash::Cash>,
    /// `balance - points` (negative means the member is short by that much).
    pub balance_after: i64,
}

/// Prices an order; `None` if the quantity is outside 1–`MAX_ORDER_QUANTITY` or the
/// total overflows. The API charges exactly this; the app shows it before confirming.
pub fn quote(unit_points: i64, unit_cash: Option<crate::cash::Cash>, quantity: i64, balance: i64) -> Option<Quote> {
    if !(1..=MAX_ORDER_QUANTITY).contains(&quantity) {
        return None;
    }
    let points = unit_points.checked_mul(quantity)?;
    let cash = match unit_cash {
        Some(c) => Some(c.checked_mul(quantity)?),
        None => None,
    };
    Some(Quote { points, cash, balance_after: balance.checked_sub(points)? })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_cover_every_price_exactly_once() {
        for p in [0, 1, 500, 501, 2_000, 2_001, 10_000, 10_001, 1_000_000] {
            let n = PriceBand::ALL.iter().filter(|b| b.contains(p)).count();
            assert_eq!(n, 1, "price {p} is in {n} bands");
        }
        assert!(PriceBand::UpTo500.contains(500));
        assert!(PriceBand::UpTo2000.contains(501));
        assert!(PriceBand::Over10000.contains(10_001));
    }

    #[test]
    fn quotes() {
        let q = quote(990, Some(crate::cash::Cash::from_fen(990)), 3, 5_000).unwrap();
        assert_eq!(q.points, 2_970);
        assert_eq!(q.cash.unwrap().to_string(), "29.70");
        assert_eq!(q.balance_after, 2_030);
        assert_eq!(quote(290, None, 2, 100).unwrap().balance_after, -480);
        assert_eq!(quote(290, None, 0, 100), None);
        assert_eq!(quote(290, None, MAX_ORDER_QUANTITY + 1, 100), None);
        assert_eq!(quote(i64::MAX, None, 2, 0), None);
    }

    #[test]
    fn wire_names_match_serde() {
        for b in PriceBand::ALL {
            assert_eq!(serde_json::to_value(b).unwrap(), b.as_str());
        }
        for s in Sort::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
    }
}
