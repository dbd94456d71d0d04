//! The host shop's side: points deduction at its checkout (积分抵扣: quote → hold →
//! capture / release / refund) and purchase refunds that take points back. Server to
//! server and signed; the app never reads these.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// `POST /api/host/deductions/quote` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuoteRequest {
    /// The member paying.
    pub member_id: i64,
    /// The order's amount in yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "120.00"))]
    #[serde(deserialize_with = "crate::cash::bounded_yuan")]
    pub order_amount: Decimal,
}

/// What a member could deduct from an order now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quote {
    /// The member.
    pub member_id: i64,
    /// Spendable points now.
    pub balance: i64,
    /// The most points the order may use (0: none, below the minimum).
    pub max_points: i64,
    /// What those points take off, in yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "60.00"))]
    pub max_cash_off: Decimal,
    /// The fewest points a deduction may use.
    pub min_points: i64,
    /// Yuan per point.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "0.01"))]
    pub point_value: Decimal,
}

/// `POST /api/host/deductions` body: hold `points` for the host's order `order_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HoldRequest {
    /// The member paying.
    pub member_id: i64,
    /// The host's order id (1–64 characters): one deduction per order.
    pub order_id: String,
    /// The order's amount in yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "120.00"))]
    #[serde(deserialize_with = "crate::cash::bounded_yuan")]
    pub order_amount: Decimal,
    /// Points to use.
    pub points: i64,
}

/// Where a deduction stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum DeductionStatus {
    /// The points are held: capture or release before `expires_at`.
    Held,
    /// The host took the points (the order was paid).
    Captured,
    /// The points went back to the member (released, or the hold expired).
    Released,
}

/// A deduction as the host sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deduction {
    /// The mall's id for it.
    pub id: i64,
    /// The host's order id.
    pub order_id: String,
    /// The member.
    pub member_id: i64,
    /// The order's amount in yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "120.00"))]
    pub order_amount: Decimal,
    /// Points held or captured.
    pub points: i64,
    /// What they take off, in yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "6.00"))]
    pub cash_off: Decimal,
    /// Where it stands (an expired hold reads `released`).
    pub status: DeductionStatus,
    /// When an uncaptured hold counts as released (RFC 3339, shop time).
    pub expires_at: String,
    /// Points refunded after capture so far.
    pub refunded_points: i64,
    /// The member's spendable points after this step.
    pub balance: i64,
}

/// `POST /api/host/deductions/{id}/refund` body: `points` (default: all that is left).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeductionRefund {
    /// Points to give back (whole or partial); all that is left when absent.
    #[serde(default)]
    pub points: Option<i64>,
}

/// `POST /api/hooks/refund` body: the host refunded (part of) a purchase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RefundReport {
    /// The host's id for this refund (1–64 characters).
    pub refund_id: String,
    /// The purchase refunded.
    pub purchase_id: String,
    /// Cash refunded, in yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "30.00"))]
    #[serde(deserialize_with = "crate::cash::bounded_yuan")]
    pub amount: Decimal,
}

/// `POST /api/hooks/refund` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundOutcome {
    /// The refund.
    pub refund_id: String,
    /// The purchase.
    pub purchase_id: String,
    /// Points this refund took from the balance.
    pub points_taken: i64,
    /// Pending points this refund cancelled (a refund inside the return window).
    pub pending_cancelled: i64,
    /// Points it could not take (the balance was short): the member's shortfall grew by this.
    pub shortfall_added: i64,
    /// The member's spendable points after.
    pub balance: i64,
}

/// A purchase whose points are pending (inside its return window).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingPurchase {
    /// The host's purchase id.
    pub purchase_id: String,
    /// Points that will arrive.
    pub points: i64,
    /// When they arrive (RFC 3339, shop time).
    pub settles_at: String,
    /// When the purchase was reported.
    pub reported_at: String,
}

/// `GET /api/pending`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingList {
    /// Pending purchases, soonest to settle first.
    pub pending: Vec<PendingPurchase>,
    /// Their points together.
    pub total: i64,
}

/// Points a purchase's refunds take back in all: `floor(points × refunded ÷ paid)`,
/// rounded in the member's favour, never more than the points.
pub fn take_back(points: i64, refunded: Decimal, paid: Decimal) -> i64 {
    if paid <= Decimal::ZERO || refunded <= Decimal::ZERO {
        return 0;
    }
    let share = (Decimal::from(points) * refunded.min(paid) / paid).floor();
    i64::try_from(share).unwrap_or(points).clamp(0, points)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Rules;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn deduction_is_capped_by_share_balance_and_minimum() {
        let rules = Rules::default();
        // 50 % of ¥120 = ¥60 = 6,000 points.
        assert_eq!(rules.deduction_max_points(d("120.00"), 10_000), 6_000);
        assert_eq!(rules.deduction_max_points(d("120.00"), 2_500), 2_500);
        // ¥1.99 × 50 % = 99.5 points → 99, below the 100 minimum.
        assert_eq!(rules.deduction_max_points(d("1.99"), 10_000), 0);
        assert_eq!(rules.deduction_max_points(d("2.00"), 10_000), 100);
        assert_eq!(rules.deduction_max_points(d("120.00"), 99), 0);
        assert_eq!(rules.deduction_max_points(d("0"), 10_000), 0);
    }

    #[test]
    fn cash_off_is_never_rounded_up() {
        let mut rules = Rules::default();
        assert_eq!(rules.cash_off(150), d("1.50"));
        rules.point_value = d("0.003");
        assert_eq!(rules.cash_off(3), d("0.00"), "¥0.009 off is ¥0.00");
        assert_eq!(rules.cash_off(7), d("0.02"));
    }

    #[test]
    fn refunds_take_back_in_the_members_favour() {
        assert_eq!(take_back(148, d("33.33"), d("99.99")), 49, "148 × ⅓ = 49.33 → 49");
        assert_eq!(take_back(148, d("99.99"), d("99.99")), 148);
        assert_eq!(take_back(148, d("120"), d("99.99")), 148, "never beyond the points");
        assert_eq!(take_back(148, d("0"), d("99.99")), 0);
        assert_eq!(take_back(1, d("0.99"), d("1.00")), 0);
    }
}
