//! The mall's earning rules and the pure arithmetic on them. The server keeps them as
//! versions in its database (operators schedule new ones, `PUT /api/admin/rules`; each
//! action uses the version in force at its own moment) and serves the one in force at
//! `GET /api/rules`; the app reads it from there and never hard-codes a number.
//!
//! Stored versions are read back with these types: a field added later needs a
//! `#[serde(default …)]` (older versions lack it), a field removed needs a migration of
//! the stored versions (unknown fields are refused).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{
    error::FieldError,
    tier::{Tier, TierTable},
};

/// What an earning task gives and how often.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TaskRule {
    /// `share`, `review`, `profile`.
    pub task: String,
    /// Points per claim.
    pub points: i64,
    /// Growth per claim.
    pub growth: i64,
    /// Claims a local day (None: no daily cap).
    pub per_day: Option<i64>,
    /// Points over the member's lifetime (None: no lifetime cap).
    pub lifetime_points: Option<i64>,
    /// Claims over the member's lifetime (1 for once-only tasks).
    pub lifetime_claims: Option<i64>,
}

/// Per-tier perks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TierPerks {
    /// The tier.
    pub tier: Tier,
    /// Purchase-points multiplier.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1.5"))]
    pub multiplier: Decimal,
    /// Free make-up check-ins a month.
    pub free_makeups: i64,
    /// May redeem tier-only items of its tier.
    pub tier_items: bool,
    /// Minutes of early flash-sale access.
    pub early_sale_minutes: i64,
}

/// Every number the mall runs on. Operators tune most of them at run time (a new
/// version); [`FIXED_FIELDS`] only change with a release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Tier thresholds (growth).
    pub tiers: TierTable,
    /// Perks of each tier, lowest first.
    pub perks: Vec<TierPerks>,
    /// Welcome points and growth.
    pub register_points: i64,
    /// Welcome growth.
    pub register_growth: i64,
    /// Check-in reward for day 1…7 of a streak; the ladder restarts after the last day.
    pub checkin_ladder: Vec<i64>,
    /// Growth per check-in.
    pub checkin_growth: i64,
    /// The first N check-ins of a local day earn double (0 = off).
    pub early_bird_count: i64,
    /// Points a make-up check-in costs (when no free one is left).
    pub makeup_cost: i64,
    /// Make-ups a member may do in a month.
    pub makeups_per_month: i64,
    /// Earning tasks.
    pub tasks: Vec<TaskRule>,
    /// Rewarded tasks a member may claim in a local day, all tasks together.
    pub tasks_per_day: i64,
    /// Points to the inviter when the invitee's first purchase is reported.
    pub invite_inviter_points: i64,
    /// Points to the invitee at the same moment.
    pub invite_invitee_points: i64,
    /// Growth to the inviter.
    pub invite_growth: i64,
    /// Invites credited to one inviter a month.
    pub invites_per_month: i64,
    /// Purchase points per whole yuan, before the tier multiplier.
    pub purchase_points_per_yuan: i64,
    /// Purchase growth per whole yuan.
    pub purchase_growth_per_yuan: i64,
    /// Value of one point in yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "0.01"))]
    pub point_value: Decimal,
    /// Lots expire at the end of the local day this many months after earning.
    pub lot_lifetime_months: u32,
    /// "Expiring soon" looks this many days ahead.
    pub expiring_soon_days: i64,
    /// The largest share of a host order that points may pay (积分抵扣), 0–1.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "0.5"))]
    pub deduction_max_share: Decimal,
    /// The fewest points a deduction may use.
    pub deduction_min_points: i64,
    /// Minutes a deduction hold lasts before it counts as released.
    pub deduction_hold_minutes: i64,
    /// Days a purchase's points stay pending (the host's return window) by default.
    pub return_window_days: i64,
    /// The fewest points a donation may give.
    pub donation_min_points: i64,
    /// Days a voucher's wallet code stays valid after it is issued.
    pub coupon_valid_days: i64,
    /// The birthday gift, once a year on the member's birthday (0: none).
    #[serde(default = "default_birthday_points")]
    pub birthday_points: i64,
}

/// The birthday gift of versions stored before it existed.
fn default_birthday_points() -> i64 {
    100
}

impl Default for Rules {
    fn default() -> Self {
        let perk = |tier, m: i64, free_makeups, tier_items, early| TierPerks {
            tier,
            multiplier: Decimal::new(m, 1),
            free_makeups,
            tier_items,
            early_sale_minutes: early,
        };
        let task = |task: &str, points, growth, per_day, lifetime_points, lifetime_claims| TaskRule {
            task: task.into(),
            points,
            growth,
            per_day,
            lifetime_points,
            lifetime_claims,
        };
        Rules {
            tiers: TierTable::default(),
            perks: vec![
                perk(Tier::Member, 10, 0, false, 0),
                perk(Tier::Silver, 12, 1, false, 0),
                perk(Tier::Gold, 15, 1, true, 5),
                perk(Tier::Diamond, 20, 2, true, 5),
            ],
            register_points: 500,
            register_growth: 50,
            checkin_ladder: vec![5, 5, 10, 10, 15, 15, 30],
            checkin_growth: 5,
            early_bird_count: 100,
            makeup_cost: 20,
            makeups_per_month: 2,
            tasks: vec![
                task("share", 5, 1, Some(3), Some(100), None),
                task("review", 10, 2, Some(5), None, None),
                task("profile", 20, 5, None, None, Some(1)),
            ],
            tasks_per_day: 15,
            invite_inviter_points: 100,
            invite_invitee_points: 50,
            invite_growth: 10,
            invites_per_month: 20,
            purchase_points_per_yuan: 1,
            purchase_growth_per_yuan: 1,
            point_value: Decimal::new(1, 2),
            lot_lifetime_months: 12,
            expiring_soon_days: 30,
            deduction_max_share: Decimal::new(5, 1),
            deduction_min_points: 100,
            deduction_hold_minutes: 15,
            return_window_days: 7,
            donation_min_points: 10,
            coupon_valid_days: 30,
            birthday_points: default_birthday_points(),
        }
    }
}

impl Rules {
    /// The perks of a tier.
    pub fn perks_of(&self, tier: Tier) -> &TierPerks {
        self.perks.iter().find(|p| p.tier == tier).unwrap_or(&self.perks[0])
    }

    /// The task rule with this name.
    pub fn task(&self, name: &str) -> Option<&TaskRule> {
        self.tasks.iter().find(|t| t.task == name)
    }

    /// The check-in reward on day `streak` (1-based) of a streak, doubled for early birds.
    /// The ladder restarts after its last day, so day 8 pays like day 1.
    pub fn checkin_reward(&self, streak: i64, early_bird: bool) -> i64 {
        let base = self.checkin_ladder.get(ladder_step(streak, self.checkin_ladder.len())).copied().unwrap_or(0);
        if early_bird {
            base * 2
        } else {
            base
        }
    }

    /// Purchase points for a payment, floored: whole yuan × points per yuan × the tier
    /// multiplier, rounded down in the member's disfavour by less than one point.
    pub fn purchase_points(&self, paid: Decimal, tier: Tier) -> i64 {
        if paid <= Decimal::ZERO {
            return 0;
        }
        let base = paid.trunc() * Decimal::from(self.purchase_points_per_yuan);
        (base * self.perks_of(tier).multiplier).floor().try_into().unwrap_or(0)
    }

    /// Cash that `points` take off an order: points × point value, in fen, never rounded
    /// up.
    pub fn cash_off(&self, points: i64) -> Decimal {
        (Decimal::from(points.max(0)) * self.point_value).round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero)
    }

    /// The most points a deduction on an order of `order_amount` may use, with `balance`
    /// spendable: the share cap (cash off never above the share) and the balance; 0 when
    /// that is below the minimum.
    pub fn deduction_max_points(&self, order_amount: Decimal, balance: i64) -> i64 {
        if order_amount <= Decimal::ZERO || self.point_value <= Decimal::ZERO {
            return 0;
        }
        let by_share: i64 = (order_amount * self.deduction_max_share / self.point_value).floor().try_into().unwrap_or(0);
        let max = by_share.min(balance.max(0));
        if max < self.deduction_min_points {
            0
        } else {
            max
        }
    }

    /// Purchase growth for a payment (whole yuan, no multiplier).
    pub fn purchase_growth(&self, paid: Decimal) -> i64 {
        if paid <= Decimal::ZERO {
            return 0;
        }
        (paid.trunc() * Decimal::from(self.purchase_growth_per_yuan)).try_into().unwrap_or(0)
    }
}

/// The fields of [`Rules`] a rules version cannot change: the contract with the host shop
/// (what a point is worth, how much of an order points may pay, the fewest points a
/// deduction uses, how long a hold lasts, the return window), changed only by a release.
/// The task names and the tiers of the perks are fixed too (the app and the server know them
/// by name).
pub const FIXED_FIELDS: [&str; 5] =
    ["point_value", "deduction_max_share", "deduction_min_points", "deduction_hold_minutes", "return_window_days"];

/// The most points (or growth) one rule may give or cost at a time.
pub const MAX_POINTS: i64 = 1_000_000;
/// The highest tier threshold (growth).
pub const MAX_THRESHOLD: i64 = 1_000_000_000;
/// The longest check-in ladder, in days.
pub const MAX_LADDER_DAYS: usize = 31;

impl Rules {
    /// Field-level refusals of rules an operator proposes: every number in its bounds (no
    /// negative points, a check-in ladder of 1–31 days, tier thresholds strictly
    /// increasing above 0, multipliers 0.1–10, lots living 1–120 months, codes valid
    /// 1–3650 days…), each tier's perks once in tier order. Empty when they are valid.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut within = |field: &str, value: i64, min: i64, max: i64| {
            if !(min..=max).contains(&value) {
                errors.push(FieldError::new(field, format!("must be a whole number from {min} to {max}, not {value}")));
            }
        };
        within("register_points", self.register_points, 0, MAX_POINTS);
        within("register_growth", self.register_growth, 0, MAX_POINTS);
        within("checkin_growth", self.checkin_growth, 0, MAX_POINTS);
        within("early_bird_count", self.early_bird_count, 0, MAX_POINTS);
        within("makeup_cost", self.makeup_cost, 0, MAX_POINTS);
        within("makeups_per_month", self.makeups_per_month, 0, 31);
        within("tasks_per_day", self.tasks_per_day, 0, 1_000);
        within("invite_inviter_points", self.invite_inviter_points, 0, MAX_POINTS);
        within("invite_invitee_points", self.invite_invitee_points, 0, MAX_POINTS);
        within("invite_growth", self.invite_growth, 0, MAX_POINTS);
        within("invites_per_month", self.invites_per_month, 0, 1_000);
        within("purchase_points_per_yuan", self.purchase_points_per_yuan, 0, 1_000);
        within("purchase_growth_per_yuan", self.purchase_growth_per_yuan, 0, 1_000);
        within("lot_lifetime_months", i64::from(self.lot_lifetime_months), 1, 120);
        within("expiring_soon_days", self.expiring_soon_days, 1, 365);
        within("donation_min_points", self.donation_min_points, 1, MAX_POINTS);
        within("coupon_valid_days", self.coupon_valid_days, 1, 3_650);
        within("birthday_points", self.birthday_points, 0, MAX_POINTS);
        for (i, points) in self.checkin_ladder.iter().enumerate() {
            within(&format!("checkin_ladder[{i}]"), *points, 0, MAX_POINTS);
        }
        for (i, t) in self.tasks.iter().enumerate() {
            within(&format!("tasks[{i}].points"), t.points, 0, MAX_POINTS);
            within(&format!("tasks[{i}].growth"), t.growth, 0, MAX_POINTS);
            if let Some(n) = t.per_day {
                within(&format!("tasks[{i}].per_day"), n, 1, 1_000);
            }
            if let Some(n) = t.lifetime_points {
                within(&format!("tasks[{i}].lifetime_points"), n, 1, MAX_THRESHOLD);
            }
            if let Some(n) = t.lifetime_claims {
                within(&format!("tasks[{i}].lifetime_claims"), n, 1, MAX_POINTS);
            }
        }
        for (i, p) in self.perks.iter().enumerate() {
            within(&format!("perks[{i}].free_makeups"), p.free_makeups, 0, 31);
            within(&format!("perks[{i}].early_sale_minutes"), p.early_sale_minutes, 0, 24 * 60);
        }
        for (i, threshold) in self.tiers.thresholds.iter().enumerate() {
            within(&format!("tiers.thresholds[{i}]"), *threshold, 1, MAX_THRESHOLD);
        }
        if !(1..=MAX_LADDER_DAYS).contains(&self.checkin_ladder.len()) {
            errors.push(FieldError::new(
                "checkin_ladder",
                format!("must have 1 to {MAX_LADDER_DAYS} days, not {}", self.checkin_ladder.len()),
            ));
        }
        if !self.tiers.thresholds.windows(2).all(|w| w[0] < w[1]) {
            errors.push(FieldError::new("tiers.thresholds", "must be strictly increasing (silver, gold, diamond; member starts at 0)"));
        }
        if self.perks.iter().map(|p| p.tier).ne(Tier::ALL) {
            errors.push(FieldError::new("perks", "must name each tier once, lowest first: member, silver, gold, diamond"));
        }
        let (low, high) = (Decimal::new(1, 1), Decimal::from(10));
        for (i, p) in self.perks.iter().enumerate() {
            if !(low..=high).contains(&p.multiplier) {
                errors.push(FieldError::new(format!("perks[{i}].multiplier"), format!("must be from 0.1 to 10, not {}", p.multiplier)));
            }
        }
        errors
    }

    /// Refusals of `self` replacing `current`: what [`validate`](Self::validate) refuses,
    /// and every field that only a release may change ([`FIXED_FIELDS`], the task names)
    /// and that differs. Empty when the change may be scheduled.
    pub fn check_change(&self, current: &Rules) -> Vec<FieldError> {
        let mut errors = self.validate();
        let fixed =
            |field: &str| FieldError::new(field, "is fixed by the release (the host shop's contract); it cannot change at run time");
        let differs = [
            self.point_value != current.point_value,
            self.deduction_max_share != current.deduction_max_share,
            self.deduction_min_points != current.deduction_min_points,
            self.deduction_hold_minutes != current.deduction_hold_minutes,
            self.return_window_days != current.return_window_days,
        ];
        errors.extend(FIXED_FIELDS.iter().zip(differs).filter(|(_, d)| *d).map(|(field, _)| fixed(field)));
        if self.tasks.iter().map(|t| &t.task).ne(current.tasks.iter().map(|t| &t.task)) {
            let names: Vec<&str> = current.tasks.iter().map(|t| t.task.as_str()).collect();
            errors.push(FieldError::new("tasks", format!("must list the release's tasks in its order: {}", names.join(", "))));
        }
        errors
    }
}

/// `PUT /api/admin/rules`: a new version of the rules, from now or from a later moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RulesChange {
    /// Every rule, as `GET /api/rules` gives them; the fixed ones ([`FIXED_FIELDS`])
    /// unchanged.
    pub rules: Rules,
    /// When it takes effect (RFC 3339, later than now, at most two years ahead); absent:
    /// now.
    #[serde(default)]
    pub effective_at: Option<String>,
    /// Why (1–200 characters), kept with the version and in the audit log.
    pub reason: String,
}

/// One version of the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RulesVersion {
    /// Its number: 1 is the release's rules, each change takes the next.
    pub version: i64,
    /// When it takes (or took) effect, RFC 3339 in the mall's zone.
    pub effective_at: String,
    /// The rules.
    pub rules: Rules,
    /// When it was written, RFC 3339 in the mall's zone.
    pub created_at: String,
    /// Who wrote it: a staff username, `token:operator`, or `release` for version 1.
    pub actor: String,
    /// Why.
    pub reason: String,
}

/// `GET /api/admin/rules`: the rules in force now, those scheduled, and those before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RulesOverview {
    /// The version in force now.
    pub in_force: RulesVersion,
    /// Versions that take effect later, soonest first.
    pub scheduled: Vec<RulesVersion>,
    /// Versions whose time came before the one in force, newest first (a version
    /// superseded at its very moment was never in force).
    pub history: Vec<RulesVersion>,
}

/// The length of the run of consecutive days ending at `day`, given the days (as day
/// numbers) already checked in, in any order; `day` itself counts as checked.
pub fn streak_ending(checked: &[i64], day: i64) -> i64 {
    let mut streak = 1;
    let mut d = day - 1;
    while checked.contains(&d) {
        streak += 1;
        d -= 1;
    }
    streak
}

/// Which step of a `len`-step check-in ladder day `streak` of a streak is on (day 1 is step 0;
/// the ladder repeats). The server pays by it and the app highlights it.
pub fn ladder_step(streak: i64, len: usize) -> usize {
    ((streak.max(1) - 1) % len.max(1) as i64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn ladder_doubles_day_seven_and_restarts() {
        let r = Rules::default();
        let week: Vec<i64> = (1..=8).map(|d| r.checkin_reward(d, false)).collect();
        assert_eq!(week, vec![5, 5, 10, 10, 15, 15, 30, 5]);
        assert_eq!(r.checkin_reward(3, true), 20);
        assert_eq!(r.checkin_reward(14, false), 30);
    }

    #[test]
    fn skipping_days_never_beats_a_true_streak() {
        let r = Rules::default();
        // Any pattern over 28 days: total reward ≤ the reward of checking in every day.
        let full: i64 = (1..=28).map(|d| r.checkin_reward(d, false)).sum();
        for mask in [0b1010_1010u32, 0b1101_1011, 0b0111_0111, 0b1111_1110, 0b1001_0010] {
            let mut days = Vec::new();
            let mut total = 0;
            for day in 0..28i64 {
                if mask >> (day % 8) & 1 == 1 {
                    total += r.checkin_reward(streak_ending(&days, day), false);
                    days.push(day);
                }
            }
            assert!(total <= full, "mask {mask:b}: {total} > {full}");
        }
    }

    #[test]
    fn streaks() {
        assert_eq!(streak_ending(&[], 10), 1);
        assert_eq!(streak_ending(&[9, 8, 6], 10), 3);
        assert_eq!(streak_ending(&[8], 10), 1);
    }

    #[test]
    fn the_release_rules_are_valid_and_bad_fields_are_named() {
        let r = Rules::default();
        assert_eq!(r.validate(), vec![]);
        assert_eq!(r.check_change(&r), vec![]);
        let mut bad = r.clone();
        bad.checkin_ladder[2] = -1;
        bad.tiers.thresholds = [1_000, 1_000, 20_000];
        bad.perks[1].multiplier = Decimal::new(11, 0);
        bad.lot_lifetime_months = 0;
        bad.coupon_valid_days = 3_651;
        bad.register_points = -5;
        let fields: Vec<String> = bad.validate().into_iter().map(|e| e.field).collect();
        for f in
            ["checkin_ladder[2]", "tiers.thresholds", "perks[1].multiplier", "lot_lifetime_months", "coupon_valid_days", "register_points"]
        {
            assert!(fields.iter().any(|x| x == f), "{f} not in {fields:?}");
        }
        let mut long = r.clone();
        long.checkin_ladder = vec![1; 32];
        assert_eq!(long.validate()[0].field, "checkin_ladder");
        long.checkin_ladder.clear();
        assert_eq!(long.validate()[0].field, "checkin_ladder");
        let mut order = r.clone();
        order.perks.swap(0, 1);
        assert_eq!(order.validate()[0].field, "perks");
        let mut zero = r.clone();
        zero.tiers.thresholds[0] = 0;
        assert!(zero.validate().iter().any(|e| e.field == "tiers.thresholds[0]"));
    }

    #[test]
    fn the_host_contract_cannot_change_at_run_time() {
        let r = Rules::default();
        let mut changed = r.clone();
        changed.point_value = Decimal::new(2, 2);
        changed.deduction_min_points = 50;
        changed.tasks[0].task = "like".into();
        changed.checkin_ladder = vec![10; 7];
        changed.purchase_points_per_yuan = 2;
        let fields: Vec<String> = changed.check_change(&r).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["point_value", "deduction_min_points", "tasks"]);
    }

    #[test]
    fn a_change_reads_back_and_refuses_unknown_fields() {
        let body = serde_json::json!({ "rules": Rules::default(), "reason": "x" });
        let change: RulesChange = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(change.effective_at, None);
        let mut typo = body;
        typo["rules"]["checkin_ladderr"] = serde_json::json!([1]);
        assert!(serde_json::from_value::<RulesChange>(typo).is_err());
    }

    #[test]
    fn purchase_points_floor_with_multiplier() {
        let r = Rules::default();
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(r.purchase_points(d("99.99"), Tier::Member), 99);
        assert_eq!(r.purchase_points(d("99.99"), Tier::Silver), 118); // 99 × 1.2 = 118.8
        assert_eq!(r.purchase_points(d("10"), Tier::Gold), 15);
        assert_eq!(r.purchase_points(d("0.99"), Tier::Diamond), 0);
        assert_eq!(r.purchase_points(d("-5"), Tier::Diamond), 0);
        assert_eq!(r.purchase_growth(d("99.99")), 99);
    }
}
