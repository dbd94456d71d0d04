//! Points accounting: the one table that puts every history entry in a bucket (issued,
//! taken back, spent, returned, expired), used by the statistics and by the history
//! filter; and the statistics an operator reads (数据统计).

use serde::{Deserialize, Serialize};

use crate::{
    cash::Cash,
    dto::{EntryKind, HistoryFilter, I18nText},
    staff::MerchantRef,
};

/// Where a history entry counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    /// Points given: register, check-in, task, purchase, invite, a campaign's bonus, a
    /// positive adjustment.
    Issued,
    /// Points the shop took back: a negative adjustment.
    TakenBack,
    /// Points a member spent: redeem, flash sale, make-up, donation.
    Spent,
    /// Points that came back: an order cancelled (`refund`).
    Returned,
    /// Points that expired.
    Expired,
    /// Points held for a checkout deduction (negative) or released (positive); a capture
    /// moves held points to spent without an entry.
    Held,
}

impl Bucket {
    /// The bucket of an entry of `kind` and signed `amount`.
    pub fn of(kind: EntryKind, amount: i64) -> Bucket {
        match kind {
            EntryKind::Register
            | EntryKind::Checkin
            | EntryKind::Task
            | EntryKind::Purchase
            | EntryKind::Invite
            | EntryKind::LotteryPrize
            | EntryKind::Birthday
            | EntryKind::Campaign => Bucket::Issued,
            EntryKind::Adjustment if amount >= 0 => Bucket::Issued,
            EntryKind::Adjustment | EntryKind::PurchaseReversal => Bucket::TakenBack,
            EntryKind::Redeem | EntryKind::FlashSale | EntryKind::Makeup | EntryKind::Donation | EntryKind::LotteryDraw => Bucket::Spent,
            EntryKind::Refund | EntryKind::DeductionRefund => Bucket::Returned,
            EntryKind::Expire => Bucket::Expired,
            EntryKind::DeductionHold | EntryKind::DeductionRelease => Bucket::Held,
        }
    }

    /// Whether the history filter `filter` shows an entry of this bucket.
    pub fn shown_by(self, filter: HistoryFilter) -> bool {
        match filter {
            HistoryFilter::Earned => matches!(self, Bucket::Issued | Bucket::Returned),
            HistoryFilter::Spent => matches!(self, Bucket::Spent | Bucket::TakenBack | Bucket::Held),
            HistoryFilter::Expired => self == Bucket::Expired,
        }
    }
}

/// Points per bucket, each a positive number.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BucketTotals {
    /// Given.
    pub issued: i64,
    /// Taken back by the shop.
    pub taken_back: i64,
    /// Spent by members.
    pub spent: i64,
    /// Returned by cancelled orders.
    pub returned: i64,
    /// Expired.
    pub expired: i64,
    /// Points that went into checkout holds, net of holds released (a release is the
    /// negative part).
    #[serde(default)]
    pub held: i64,
}

impl BucketTotals {
    /// Adds an entry of `kind` and signed `amount`.
    pub fn add(&mut self, kind: EntryKind, amount: i64) {
        let points = amount.abs();
        match Bucket::of(kind, amount) {
            Bucket::Issued => self.issued += points,
            Bucket::TakenBack => self.taken_back += points,
            Bucket::Spent => self.spent += points,
            Bucket::Returned => self.returned += points,
            Bucket::Expired => self.expired += points,
            Bucket::Held => self.held -= amount,
        }
    }

    /// Adds another day's totals.
    pub fn plus(self, o: BucketTotals) -> BucketTotals {
        BucketTotals {
            issued: self.issued + o.issued,
            taken_back: self.taken_back + o.taken_back,
            spent: self.spent + o.spent,
            returned: self.returned + o.returned,
            expired: self.expired + o.expired,
            held: self.held + o.held,
        }
    }

    /// The change in outstanding points these totals make:
    /// issued − taken back − spent + returned − expired − held.
    pub fn net(self) -> i64 {
        self.issued - self.taken_back - self.spent + self.returned - self.expired - self.held
    }
}

/// One shop day of the statistics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayStats {
    /// The day, `YYYY-MM-DD` (shop time).
    pub day: String,
    /// Points per bucket.
    pub points: BucketTotals,
    /// Outstanding points at the end of the day.
    pub closing_points: i64,
    /// Members with any points change that day.
    pub active_members: i64,
    /// Check-ins (make-ups included).
    pub checkins: i64,
    /// Catalogue orders placed.
    pub redemptions: i64,
    /// Flash-sale codes issued.
    pub codes_issued: i64,
    /// Codes merchants verified.
    pub codes_verified: i64,
    /// Cash the host collected for the cash part of orders confirmed that day (before any
    /// refund), in yuan.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "9.90"))]
    pub cash_collected: Cash,
}

/// An item among the most redeemed in the range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopItem {
    /// Item id.
    pub item_id: i64,
    /// Its name.
    pub name: I18nText,
    /// Units redeemed (orders not cancelled).
    pub units: i64,
    /// Points paid for them.
    pub points: i64,
}

/// A merchant's codes in the range (`CodesByMerchant` in the OpenAPI document: the
/// merchant's own list is `staff::MerchantCodes`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = CodesByMerchant))]
pub struct MerchantCodes {
    /// The merchant.
    pub merchant: MerchantRef,
    /// Codes issued that it honours (its sales' and its vouchers').
    pub issued: i64,
    /// Codes it verified.
    pub verified: i64,
    /// What the mall owes for the codes it verified: the sum of their settlement values
    /// (each code's value is fixed when it is issued), in yuan.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "45.00"))]
    pub settlement: crate::cash::Cash,
}

/// A flash sale that started in the range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SellThrough {
    /// Sale id.
    pub sale_id: i64,
    /// Offer name.
    pub offer: I18nText,
    /// When it started (RFC 3339, shop time).
    pub starts_at: String,
    /// Codes offered.
    pub quantity: i64,
    /// Codes grabbed.
    pub sold: i64,
}

/// `GET /api/admin/stats?from=&to=`: points accounting and activity over shop days.
/// `closing_points = opening_points + total.net()`, to the point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, `YYYY-MM-DD`.
    pub to: String,
    /// Each day.
    pub days: Vec<DayStats>,
    /// The whole range, per bucket.
    pub total: BucketTotals,
    /// Outstanding points when the range opens.
    pub opening_points: i64,
    /// Outstanding points when it closes (or now, for a range reaching today).
    pub closing_points: i64,
    /// Outstanding points now: the sum of every member's spendable balance.
    pub outstanding_points: i64,
    /// Points in open checkout holds now (not spendable, not yet spent).
    #[serde(default)]
    pub held_points: i64,
    /// What the outstanding and held points are worth at the rules' point value, in yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1234.56"))]
    pub liability: Cash,
    /// Members with any points change in the range.
    pub active_members: i64,
    /// Members now.
    pub members: i64,
    /// Members who checked in at least once in the range.
    pub checked_in_members: i64,
    /// Check-ins in the range.
    pub checkins: i64,
    /// `checked_in_members / members`, in basis points (1/100 of a percent).
    pub checkin_rate_bp: i64,
    /// Catalogue orders placed in the range.
    pub redemptions: i64,
    /// Cash the host collected in the range (the days' `cash_collected`), in yuan.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "19.80"))]
    pub cash_collected: Cash,
    /// Cash of paid orders the shop cancelled, owed back to members through the host now
    /// (every such order, whenever it was cancelled), in yuan.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "9.90"))]
    pub cash_refund_due: Cash,
    /// The most redeemed items (at most 10).
    pub top_items: Vec<TopItem>,
    /// Codes issued and verified per merchant.
    pub codes_by_merchant: Vec<MerchantCodes>,
    /// Flash sales that started in the range.
    pub sales: Vec<SellThrough>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_one_bucket_and_the_filters_follow_it() {
        assert_eq!(Bucket::of(EntryKind::Adjustment, 5), Bucket::Issued);
        assert_eq!(Bucket::of(EntryKind::Adjustment, -5), Bucket::TakenBack);
        assert_eq!(Bucket::of(EntryKind::Refund, 5), Bucket::Returned);
        assert_eq!(Bucket::of(EntryKind::Makeup, -5), Bucket::Spent);
        let mut t = BucketTotals::default();
        for (kind, amount) in [
            (EntryKind::Purchase, 100),
            (EntryKind::Redeem, -30),
            (EntryKind::Refund, 30),
            (EntryKind::Expire, -10),
            (EntryKind::Adjustment, -5),
        ] {
            t.add(kind, amount);
        }
        assert_eq!(t.net(), 100 - 30 + 30 - 10 - 5);
        assert!(Bucket::Returned.shown_by(HistoryFilter::Earned) && Bucket::TakenBack.shown_by(HistoryFilter::Spent));
        for kind in EntryKind::ALL {
            for amount in [1, -1] {
                let filters = [HistoryFilter::Earned, HistoryFilter::Spent, HistoryFilter::Expired];
                let shown = filters.into_iter().filter(|f| Bucket::of(kind, amount).shown_by(*f)).count();
                assert_eq!(shown, 1, "{kind:?} {amount} is under exactly one filter");
            }
        }
    }
}
