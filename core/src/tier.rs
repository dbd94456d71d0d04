//! Tiers: decided by growth (成长值), which never decreases, under the thresholds in force
//! when the growth arrives. A member keeps the highest tier it reached: a later, higher
//! threshold demotes nobody (the server stores the tier reached, see [`TierTable::held`]).

use serde::{Deserialize, Serialize};

/// A member tier, lowest first (so `Ord` compares rank).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum Tier {
    /// 普通会员.
    Member,
    /// 银卡.
    Silver,
    /// 金卡.
    Gold,
    /// 钻石.
    Diamond,
}

impl Tier {
    /// All tiers, lowest first.
    pub const ALL: [Tier; 4] = [Tier::Member, Tier::Silver, Tier::Gold, Tier::Diamond];

    /// The wire name (`member`, `silver`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Member => "member",
            Tier::Silver => "silver",
            Tier::Gold => "gold",
            Tier::Diamond => "diamond",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The rank, 0 (member) to 3 (diamond): how the server stores the tier reached.
    pub fn rank(self) -> i64 {
        self as i64
    }

    /// The tier of a rank; the nearest tier for a rank out of range.
    pub fn from_rank(rank: i64) -> Tier {
        Tier::ALL[rank.clamp(0, 3) as usize]
    }
}

/// The growth each tier starts at. The server owns one instance (its configuration)
/// and the app reads the numbers from the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TierTable {
    /// Growth needed for Silver, Gold and Diamond, in that order.
    pub thresholds: [i64; 3],
}

impl Default for TierTable {
    fn default() -> Self {
        TierTable { thresholds: [1_000, 5_000, 20_000] }
    }
}

impl TierTable {
    /// The growth a tier starts at.
    pub fn starts_at(&self, tier: Tier) -> i64 {
        match tier {
            Tier::Member => 0,
            Tier::Silver => self.thresholds[0],
            Tier::Gold => self.thresholds[1],
            Tier::Diamond => self.thresholds[2],
        }
    }

    /// The tier a member with this much growth holds.
    pub fn tier_for(&self, growth: i64) -> Tier {
        Tier::ALL.into_iter().rev().find(|t| growth >= self.starts_at(*t)).unwrap_or(Tier::Member)
    }

    /// The tier a member holds: the one its growth gives under these thresholds, or the
    /// higher one it `reached` before (under the thresholds of that moment) — a raised
    /// threshold never demotes.
    pub fn held(&self, growth: i64, reached: Tier) -> Tier {
        self.tier_for(growth).max(reached)
    }

    /// The next tier above `tier`, and the growth it starts at.
    pub fn next_above(&self, tier: Tier) -> Option<(Tier, i64)> {
        Tier::ALL.into_iter().find(|t| *t > tier).map(|t| (t, self.starts_at(t)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_follow_thresholds() {
        let t = TierTable::default();
        assert_eq!(t.tier_for(0), Tier::Member);
        assert_eq!(t.tier_for(999), Tier::Member);
        assert_eq!(t.tier_for(1_000), Tier::Silver);
        assert_eq!(t.tier_for(4_999), Tier::Silver);
        assert_eq!(t.tier_for(5_000), Tier::Gold);
        assert_eq!(t.tier_for(20_000), Tier::Diamond);
        assert_eq!(t.tier_for(i64::MAX), Tier::Diamond);
    }

    #[test]
    fn next_tier() {
        let t = TierTable::default();
        assert_eq!(t.next_above(t.tier_for(0)), Some((Tier::Silver, 1_000)));
        assert_eq!(t.next_above(t.tier_for(6_200)), Some((Tier::Diamond, 20_000)));
        assert_eq!(t.next_above(t.tier_for(20_000)), None);
    }

    #[test]
    fn a_raised_threshold_demotes_nobody() {
        let raised = TierTable { thresholds: [2_000, 8_000, 30_000] };
        assert_eq!(raised.held(6_000, Tier::Gold), Tier::Gold, "reached gold before the raise");
        assert_eq!(raised.held(6_000, Tier::Member), Tier::Silver, "growth counts under the new thresholds");
        assert_eq!(raised.held(9_000, Tier::Silver), Tier::Gold);
        for t in Tier::ALL {
            assert_eq!(Tier::from_rank(t.rank()), t);
        }
        assert_eq!(Tier::from_rank(9), Tier::Diamond);
    }

    #[test]
    fn tiers_rank_in_order_and_round_trip() {
        assert!(Tier::Gold > Tier::Silver);
        for t in Tier::ALL {
            assert_eq!(Tier::parse(t.as_str()), Some(t));
        }
        assert_eq!(Tier::parse("platinum"), None);
    }
}
