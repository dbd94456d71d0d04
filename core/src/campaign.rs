//! Campaigns (营销活动): double-points days, festival and member-day bonuses, category
//! boosts, each with a points budget that is never overshot.
//!
//! A campaign runs in a window `[starts_at, ends_at)` (Unix seconds; the shop's day decides
//! a member day) until it ends or an operator ends it, for an audience (everyone, a tier
//! and above, or one tier), and aims at one [`Target`]:
//! - `checkin`: the daily check-in's reward, boosted by a multiplier or an amount;
//! - `purchase`: the points of a purchase the host shop reports, boosted the same way (the
//!   bonus waits with the purchase and is taken back by its refunds, as its points are);
//! - `price`: a category's or an item's points price, discounted by a multiplier below 100%
//!   or an amount off;
//! - `member_day`: a fixed bonus given with the member's check-in on a weekday, a day of
//!   the month or the member's birthday (the check-in is once a day, so is the bonus).
//!
//! **Stacking** ([`stack`], the one rule): the campaign applies to the reward as the rules
//! already give it: base × the tier multiplier (floored), doubled for an early bird; a
//! multiplier of `p`% then adds `floor(reward × (p − 100) / 100)`, an amount adds itself.
//! The bonus is booked as its own `campaign` entry naming its campaign. Of several
//! campaigns running for one target, the one giving the most applies (ties: the older);
//! when its budget cannot take the whole bonus the next one is tried, and none is split.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{catalog_admin::name_fits, dto::I18nText, error::FieldError, tier::Tier};

/// The longest campaign name, in characters (each language).
pub const NAME_MAX: usize = 40;
/// The longest window, in seconds (a year and a day).
pub const WINDOW_MAX_SECS: i64 = 366 * 86_400;
/// The largest budget, in points.
pub const BUDGET_MAX: i64 = 1_000_000_000;
/// The largest reward multiplier, in percent (×10).
pub const PERCENT_MAX: i64 = 1_000;
/// The largest fixed bonus or amount off, in points.
pub const POINTS_MAX: i64 = 1_000_000;

/// What a campaign boosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// The daily check-in's reward.
    Checkin,
    /// The points of a reported purchase.
    Purchase,
    /// A category's or an item's points price (a discount).
    Price,
    /// A fixed bonus with the check-in on a member day.
    MemberDay,
}

impl Target {
    /// The wire (and database) name.
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Checkin => "checkin",
            Target::Purchase => "purchase",
            Target::Price => "price",
            Target::MemberDay => "member_day",
        }
    }
}

/// The day a member-day bonus is given (shop time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MemberDay {
    /// A weekday: 1 (Monday) to 7 (Sunday).
    Weekday(u8),
    /// A day of the month, 1 to 31 (a month without it has none).
    MonthDay(u8),
    /// The member's recorded birthday (29 February on 28 February in other years).
    Birthday,
}

impl MemberDay {
    /// Whether `weekday` (1 = Monday) and `month_day` of today, with `birthday_today`,
    /// make today this member day.
    pub fn is_today(self, weekday: u8, month_day: u8, birthday_today: bool) -> bool {
        match self {
            MemberDay::Weekday(d) => d == weekday,
            MemberDay::MonthDay(d) => d == month_day,
            MemberDay::Birthday => birthday_today,
        }
    }
}

/// Who a campaign is for: everyone (no tier), a tier and above, or one tier (`exact`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Audience {
    /// The lowest tier (or, with `exact`, the only one); none: every member.
    #[serde(default)]
    pub tier: Option<Tier>,
    /// Only members of exactly `tier`.
    #[serde(default)]
    pub exact: bool,
}

impl Audience {
    /// Whether a member of `tier` is in the audience.
    pub fn admits(self, tier: Tier) -> bool {
        match self.tier {
            None => true,
            Some(t) if self.exact => t == tier,
            Some(t) => tier.rank() >= t.rank(),
        }
    }
}

/// How a campaign changes its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Boost {
    /// A multiplier in percent: 200 doubles a reward, 80 takes 20% off a price.
    Percent(i64),
    /// An amount: points added to a reward, a fixed bonus, or points off a price.
    Points(i64),
}

/// `POST /api/admin/campaigns` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewCampaign {
    /// Its name, 1–40 characters in each language.
    pub name: I18nText,
    /// Window start, Unix seconds.
    pub starts_at: i64,
    /// Window end (exclusive), Unix seconds: after the start (at most 366 days) and in the
    /// future.
    pub ends_at: i64,
    /// What it boosts.
    pub target: Target,
    /// `price`: the category whose items it discounts (or `item_id`).
    #[serde(default)]
    pub category: Option<String>,
    /// `price`: the item it discounts (or `category`).
    #[serde(default)]
    pub item_id: Option<i64>,
    /// `member_day`: the day.
    #[serde(default)]
    pub member_day: Option<MemberDay>,
    /// A multiplier in percent: 101–1000 on a check-in or purchase reward (200 = ×2),
    /// 1–99 on a price (80 = 20% off). Exactly one of `percent` and `points`.
    #[serde(default)]
    pub percent: Option<i64>,
    /// An amount: points added to a check-in or purchase reward, the member-day bonus
    /// (the only form it takes), or points off a price.
    #[serde(default)]
    pub points: Option<i64>,
    /// Points it may give in all (bonuses, or discounts on prices), 1 to 1,000,000,000.
    pub budget: i64,
    /// Who it is for; absent: everyone.
    #[serde(default)]
    pub audience: Audience,
}

impl NewCampaign {
    /// Every rule the form can check alone, each refused field named (the server checks
    /// the same, then that the window ends in the future and the category or item exists).
    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut refuse = |field: &str, message: &str| errors.push(FieldError::new(field, message));
        if !name_fits(&self.name.zh, NAME_MAX) {
            refuse("name.zh", "must be 1 to 40 characters, none of them hidden");
        }
        if !name_fits(&self.name.en, NAME_MAX) {
            refuse("name.en", "must be 1 to 40 characters, none of them hidden");
        }
        if self.ends_at <= self.starts_at {
            refuse("ends_at", "must be after starts_at");
        } else if self.ends_at.saturating_sub(self.starts_at) > WINDOW_MAX_SECS {
            refuse("ends_at", "a campaign lasts at most 366 days");
        }
        if !(1..=BUDGET_MAX).contains(&self.budget) {
            refuse("budget", "must be 1 to 1,000,000,000 points");
        }
        let price = self.target == Target::Price;
        match (price, &self.category, self.item_id) {
            (true, Some(_), Some(_)) | (true, None, None) => refuse("category", "a price campaign names a category or an item, not both"),
            (true, Some(slug), None) if slug.trim().is_empty() => refuse("category", "must be a category's slug"),
            (true, None, Some(id)) if id <= 0 => refuse("item_id", "must be an item's id"),
            (false, Some(_), _) => refuse("category", "only a price campaign names a category"),
            (false, _, Some(_)) => refuse("item_id", "only a price campaign names an item"),
            _ => {}
        }
        match (self.target, self.member_day) {
            (Target::MemberDay, None) => refuse("member_day", "a member-day campaign names its day"),
            (Target::MemberDay, Some(MemberDay::Weekday(d))) if !(1..=7).contains(&d) => {
                refuse("member_day.weekday", "must be 1 (Monday) to 7 (Sunday)")
            }
            (Target::MemberDay, Some(MemberDay::MonthDay(d))) if !(1..=31).contains(&d) => {
                refuse("member_day.month_day", "must be 1 to 31")
            }
            (Target::MemberDay, _) => {}
            (_, Some(_)) => refuse("member_day", "only a member-day campaign names a day"),
            (_, None) => {}
        }
        match (self.percent, self.points) {
            (Some(_), Some(_)) | (None, None) => refuse("percent", "give exactly one of percent and points"),
            (Some(p), None) => match self.target {
                Target::MemberDay => refuse("percent", "a member-day bonus is an amount of points"),
                Target::Price if !(1..=99).contains(&p) => refuse("percent", "a price's multiplier is 1 to 99 percent"),
                Target::Checkin | Target::Purchase if !(101..=PERCENT_MAX).contains(&p) => {
                    refuse("percent", "a reward's multiplier is 101 to 1000 percent")
                }
                _ => {}
            },
            (None, Some(n)) if !(1..=POINTS_MAX).contains(&n) => refuse("points", "must be 1 to 1,000,000 points"),
            (None, Some(_)) => {}
        }
        errors
    }

    /// The boost, when exactly one of `percent` and `points` is given.
    pub fn boost(&self) -> Option<Boost> {
        match (self.percent, self.points) {
            (Some(p), None) => Some(Boost::Percent(p)),
            (None, Some(n)) => Some(Boost::Points(n)),
            _ => None,
        }
    }
}

/// A running campaign as a member sees it (`GET /api/campaigns`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Campaign {
    /// Campaign id.
    pub id: i64,
    /// Its name.
    pub name: I18nText,
    /// Window start, Unix seconds.
    pub starts_at: i64,
    /// Window end (exclusive), Unix seconds.
    pub ends_at: i64,
    /// What it boosts.
    pub target: Target,
    /// `price`: the category it discounts.
    pub category: Option<String>,
    /// `price`: the item it discounts.
    pub item_id: Option<i64>,
    /// `member_day`: the day.
    pub member_day: Option<MemberDay>,
    /// The multiplier in percent, when it is one.
    pub percent: Option<i64>,
    /// The amount, when it is one.
    pub points: Option<i64>,
    /// Who it is for.
    pub audience: Audience,
}

impl Campaign {
    /// Its boost (a stored campaign has exactly one form).
    pub fn boost(&self) -> Boost {
        match self.percent {
            Some(p) => Boost::Percent(p),
            None => Boost::Points(self.points.unwrap_or(0)),
        }
    }
}

/// Where a campaign stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CampaignState {
    /// Its window has not opened.
    Scheduled,
    /// Running.
    Running,
    /// Its window closed or an operator ended it.
    Ended,
}

impl CampaignState {
    /// The state at `now` of a window `[starts_at, ends_at)`, ended early at `ended_at`.
    pub fn at(now: i64, starts_at: i64, ends_at: i64, ended_at: Option<i64>) -> CampaignState {
        if ended_at.is_some() || now >= ends_at {
            CampaignState::Ended
        } else if now < starts_at {
            CampaignState::Scheduled
        } else {
            CampaignState::Running
        }
    }
}

/// A campaign as the back office lists it: its terms, budget and what it gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminCampaign {
    /// Its terms.
    #[serde(flatten)]
    pub campaign: Campaign,
    /// Where it stands now.
    pub state: CampaignState,
    /// When an operator ended it (Unix seconds).
    pub ended_at: Option<i64>,
    /// Points it may give in all.
    pub budget: i64,
    /// Points of the budget taken (bonuses granted or discounts given; never refilled).
    pub spent: i64,
    /// Bonuses or discounts granted.
    pub grants: i64,
    /// Points it gave so far: what its `campaign` entries credited (a purchase bonus once
    /// its purchase settles), or what it took off orders' prices.
    pub booked: i64,
    /// When it was created (Unix seconds).
    pub created_at: i64,
}

/// A reward with a campaign stacked on it ([`stack`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stacked {
    /// The reward the rules give: base × tier multiplier (floored), doubled for an early bird.
    pub reward: i64,
    /// The campaign's bonus on top of it (its own entry).
    pub bonus: i64,
}

/// The one stacking rule (see the module's doc): `base` points (a check-in's ladder step,
/// or a purchase's whole yuan × points per yuan) × `tier_multiplier` floored, × 2 for an
/// early bird, is the reward; the campaign's `boost` gives its bonus on that reward.
pub fn stack(base: i64, tier_multiplier: Decimal, early_bird: bool, boost: Option<Boost>) -> Stacked {
    let tiered: i64 = (Decimal::from(base.max(0)) * tier_multiplier).floor().try_into().unwrap_or(0);
    let reward = if early_bird { tiered * 2 } else { tiered };
    Stacked { reward, bonus: boost.map_or(0, |b| bonus(reward, b)) }
}

/// The bonus a boost adds to `reward`: `floor(reward × (p − 100) / 100)` for a multiplier of
/// `p`% (nothing below 100%), the amount itself for an amount.
pub fn bonus(reward: i64, boost: Boost) -> i64 {
    match boost {
        Boost::Percent(p) => i64::try_from(i128::from(reward.max(0)) * i128::from(p.saturating_sub(100).max(0)) / 100).unwrap_or(i64::MAX),
        Boost::Points(n) => n.max(0),
    }
}

/// Points a price campaign takes off a unit price of `price` points: `floor(price × (100 −
/// p) / 100)` for a multiplier of `p`%, the amount for an amount; never the whole price
/// (a discounted item still costs at least 1 point).
pub fn discount(price: i64, boost: Boost) -> i64 {
    let off = match boost {
        Boost::Percent(p) => {
            i64::try_from(i128::from(price.max(0)) * i128::from(100i64.saturating_sub(p).clamp(0, 100)) / 100).unwrap_or(0)
        }
        Boost::Points(n) => n.max(0),
    };
    off.min(price - 1).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(target: Target) -> NewCampaign {
        NewCampaign {
            name: I18nText { zh: "双倍签到".into(), en: "Double check-in".into() },
            starts_at: 1_000,
            ends_at: 2_000,
            target,
            category: None,
            item_id: None,
            member_day: None,
            percent: Some(200),
            points: None,
            budget: 1_000,
            audience: Audience::default(),
        }
    }

    fn fields(c: &NewCampaign) -> Vec<String> {
        c.check().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_good_campaign_of_each_target_passes() {
        assert!(new(Target::Checkin).check().is_empty());
        assert!(NewCampaign { points: Some(50), percent: None, ..new(Target::Purchase) }.check().is_empty());
        assert!(NewCampaign { category: Some("dining".into()), percent: Some(80), ..new(Target::Price) }.check().is_empty());
        assert!(NewCampaign { item_id: Some(3), percent: None, points: Some(100), ..new(Target::Price) }.check().is_empty());
        let day = NewCampaign { member_day: Some(MemberDay::Weekday(3)), percent: None, points: Some(88), ..new(Target::MemberDay) };
        assert!(day.check().is_empty());
        let birthday = NewCampaign { member_day: Some(MemberDay::Birthday), ..day.clone() };
        assert!(birthday.check().is_empty());
    }

    #[test]
    fn each_bad_field_is_named() {
        let bad = NewCampaign {
            name: I18nText { zh: "".into(), en: "x\u{202e}".into() },
            ends_at: 1_000,
            budget: 0,
            percent: Some(100),
            ..new(Target::Checkin)
        };
        assert_eq!(fields(&bad), ["name.zh", "name.en", "ends_at", "budget", "percent"]);
        let long = NewCampaign { ends_at: 1_000 + WINDOW_MAX_SECS + 1, ..new(Target::Checkin) };
        assert_eq!(fields(&long), ["ends_at"]);
        assert_eq!(fields(&NewCampaign { points: Some(5), ..new(Target::Checkin) }), ["percent"]);
        assert_eq!(fields(&NewCampaign { category: Some("dining".into()), ..new(Target::Checkin) }), ["category"]);
        assert_eq!(fields(&new(Target::Price)), ["category", "percent"]);
        assert_eq!(
            fields(&NewCampaign { category: Some("a".into()), item_id: Some(1), percent: Some(50), ..new(Target::Price) }),
            ["category"]
        );
        assert_eq!(fields(&new(Target::MemberDay)), ["member_day", "percent"]);
        let day = NewCampaign { member_day: Some(MemberDay::Weekday(8)), percent: None, points: Some(0), ..new(Target::MemberDay) };
        assert_eq!(fields(&day), ["member_day.weekday", "points"]);
        let month = NewCampaign { member_day: Some(MemberDay::MonthDay(0)), percent: None, points: Some(5), ..new(Target::MemberDay) };
        assert_eq!(fields(&month), ["member_day.month_day"]);
        assert_eq!(fields(&NewCampaign { member_day: Some(MemberDay::Birthday), ..new(Target::Checkin) }), ["member_day"]);
    }

    #[test]
    fn the_wire_shape_is_stable() {
        let day = NewCampaign { member_day: Some(MemberDay::Weekday(3)), percent: None, points: Some(88), ..new(Target::MemberDay) };
        let json = serde_json::to_value(&day).unwrap();
        assert_eq!(json["target"], "member_day");
        assert_eq!(json["member_day"], serde_json::json!({ "weekday": 3 }));
        assert_eq!(serde_json::to_value(MemberDay::Birthday).unwrap(), "birthday");
        let minimal: NewCampaign = serde_json::from_value(serde_json::json!({
            "name": { "zh": "双倍", "en": "Double" }, "starts_at": 1, "ends_at": 2, "target": "checkin", "percent": 200, "budget": 10
        }))
        .unwrap();
        assert_eq!((minimal.audience, minimal.boost()), (Audience::default(), Some(Boost::Percent(200))));
    }

    #[test]
    fn audiences_admit_by_tier() {
        let all = Audience::default();
        let gold_up = Audience { tier: Some(Tier::Gold), exact: false };
        let silver_only = Audience { tier: Some(Tier::Silver), exact: true };
        for t in Tier::ALL {
            assert!(all.admits(t));
        }
        assert_eq!(Tier::ALL.map(|t| gold_up.admits(t)), [false, false, true, true]);
        assert_eq!(Tier::ALL.map(|t| silver_only.admits(t)), [false, true, false, false]);
    }

    #[test]
    fn the_bonus_stacks_on_the_reward_after_the_tier_and_the_early_bird() {
        let gold = Decimal::new(15, 1);
        // A ¥101 purchase of a gold member: 151 points (floored), a ×2 campaign adds 151.
        assert_eq!(stack(101, gold, false, Some(Boost::Percent(200))), Stacked { reward: 151, bonus: 151 });
        // ×1.5 on 151: 75 more (floored, the member's disfavour by less than a point).
        assert_eq!(stack(101, gold, false, Some(Boost::Percent(150))), Stacked { reward: 151, bonus: 75 });
        // An early bird's check-in of 10 is 20; ×2 adds 20; an amount adds itself.
        assert_eq!(stack(10, Decimal::ONE, true, Some(Boost::Percent(200))), Stacked { reward: 20, bonus: 20 });
        assert_eq!(stack(10, Decimal::ONE, true, Some(Boost::Points(7))), Stacked { reward: 20, bonus: 7 });
        assert_eq!(stack(10, Decimal::ONE, false, None), Stacked { reward: 10, bonus: 0 });
        // The reward is the rules' own: the check-in ladder with the early bird, purchase points with the tier.
        let rules = crate::Rules::default();
        for streak in 1..=8 {
            for early in [false, true] {
                let base = rules.checkin_reward(streak, false);
                assert_eq!(stack(base, Decimal::ONE, early, None).reward, rules.checkin_reward(streak, early));
            }
        }
        for tier in Tier::ALL {
            let paid = Decimal::new(12_345, 2);
            let base = (paid.trunc() * Decimal::from(rules.purchase_points_per_yuan)).try_into().unwrap();
            assert_eq!(stack(base, rules.perks_of(tier).multiplier, false, None).reward, rules.purchase_points(paid, tier));
        }
    }

    #[test]
    fn a_discount_never_takes_the_whole_price() {
        assert_eq!(discount(1_000, Boost::Percent(80)), 200);
        assert_eq!(discount(999, Boost::Percent(80)), 199, "floored: the discount, not the price, rounds down");
        assert_eq!(discount(100, Boost::Points(30)), 30);
        assert_eq!(discount(100, Boost::Points(500)), 99);
        assert_eq!(discount(1, Boost::Percent(1)), 0);
    }

    #[test]
    fn states_follow_the_window() {
        assert_eq!(CampaignState::at(5, 10, 20, None), CampaignState::Scheduled);
        assert_eq!(CampaignState::at(10, 10, 20, None), CampaignState::Running);
        assert_eq!(CampaignState::at(20, 10, 20, None), CampaignState::Ended);
        assert_eq!(CampaignState::at(12, 10, 20, Some(11)), CampaignState::Ended);
    }

    #[test]
    fn member_days_match_today() {
        assert!(MemberDay::Weekday(3).is_today(3, 17, false));
        assert!(!MemberDay::MonthDay(18).is_today(3, 17, false));
        assert!(MemberDay::Birthday.is_today(1, 1, true));
    }
}
