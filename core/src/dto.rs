//! The JSON bodies of the API, shared by the server (which writes them) and the app
//! (which reads them). Times are RFC 3339 strings with the mall's UTC offset.

use crate::cash::Cash;
use serde::{Deserialize, Serialize};

use crate::catalog::{ItemKind, PriceBand, Sort};
use crate::tier::Tier;

/// A text in both of the mall's languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct I18nText {
    /// Simplified Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

/// `GET /api/time`: the server's clock, for countdowns that do not trust the phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServerTime {
    /// Milliseconds since the Unix epoch.
    pub epoch_ms: i64,
    /// The same instant, RFC 3339, in the mall's zone.
    pub now: String,
    /// The IANA zone that decides the local day (e.g. `Asia/Shanghai`).
    pub zone: String,
}

/// `GET /healthz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok` when the database answered.
    pub status: String,
}

/// A seeded member offered by the development login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DemoMember {
    /// Member id.
    pub id: i64,
    /// Display name.
    pub name: I18nText,
    /// Current tier.
    pub tier: Tier,
    /// Points balance.
    pub balance: i64,
}

/// `POST /api/session/demo`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DemoLoginRequest {
    /// The seeded member to log in as.
    pub member_id: i64,
}

/// `POST /api/session/exchange`: a ticket the host app signed for one member.
/// The signature is lowercase hex HMAC-SHA256 over `"{member_id}.{expires_at}"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TicketExchangeRequest {
    /// The member the host vouches for.
    pub member_id: i64,
    /// Unix seconds after which the ticket is refused.
    pub expires_at: i64,
    /// Hex HMAC-SHA256 of `"{member_id}.{expires_at}"` with the shared secret.
    pub signature: String,
}

/// The tier a member is working towards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NextTier {
    /// The next tier.
    pub tier: Tier,
    /// The growth it starts at.
    pub growth_from: i64,
}

/// `GET /api/me`: who is logged in and the authoritative balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    /// Member id.
    pub id: i64,
    /// Display name.
    pub name: I18nText,
    /// Current tier (from growth).
    pub tier: Tier,
    /// Growth (成长值): never spent, never expires.
    pub growth: i64,
    /// The growth the current tier starts at under the rules in force, at most the
    /// member's growth (a tier kept after its threshold was raised counts from there).
    pub tier_growth_from: i64,
    /// The next tier, if any.
    pub next_tier: Option<NextTier>,
    /// Spendable points.
    pub balance: i64,
    /// Points that expire within the next 30 days.
    pub expiring_soon: i64,
    /// Purchase points still inside their return window: not spendable yet.
    #[serde(default)]
    pub pending_points: i64,
    /// Points refunds could not take back: later earnings settle them first.
    #[serde(default)]
    pub shortfall_points: i64,
    /// The local date (`YYYY-MM-DD`) the first of those expire on.
    pub expiring_on: Option<String>,
}

/// A catalogue category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Category {
    /// Slug used in `?category=`.
    pub slug: String,
    /// Display name.
    pub name: I18nText,
}

/// `GET /api/items` query. All filters are optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ItemQuery {
    /// Category slug.
    pub category: Option<String>,
    /// Price band.
    pub band: Option<PriceBand>,
    /// Sort order (default `popular`).
    pub sort: Option<Sort>,
    /// Only items the logged-in member can afford now (needs a session).
    pub affordable: Option<bool>,
    /// Search in the names (both languages).
    pub q: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–50 (default 20).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 50))]
    pub limit: Option<u32>,
}

impl ItemQuery {
    /// Home's popular row: the request the app makes and the server preloads with Home.
    pub fn home_popular() -> ItemQuery {
        ItemQuery { sort: Some(crate::catalog::Sort::Popular), limit: Some(crate::catalog::HOME_POPULAR), ..Default::default() }
    }

    /// The query's parameters in a fixed order, unencoded (both sides build the same URL
    /// from these, so a preloaded answer matches the app's request).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let text = self.q.as_deref().map(str::trim).filter(|t| !t.is_empty());
        [
            ("category", self.category.clone()),
            ("band", self.band.map(|b| b.as_str().to_string())),
            ("sort", self.sort.map(|s| s.as_str().to_string())),
            ("affordable", (self.affordable == Some(true)).then(|| "true".to_string())),
            ("q", text.map(str::to_string)),
            ("cursor", self.cursor.clone()),
            ("limit", self.limit.map(|n| n.to_string())),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some((name, value?)))
        .collect()
    }
}

/// One catalogue card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemSummary {
    /// Item id.
    pub id: i64,
    /// Category slug.
    pub category: String,
    /// Name.
    pub name: I18nText,
    /// Image path under the app's origin.
    pub image: String,
    /// Points price for one.
    pub points: i64,
    /// Cash part of the price for one, in yuan, if any.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "9.90"))]
    pub cash: Option<Cash>,
    /// Units left.
    pub stock: i64,
    /// Units redeemed so far (popularity).
    pub redeemed: i64,
    /// The lowest tier that may redeem it, if restricted.
    pub min_tier: Option<Tier>,
    /// Virtual (code) or physical (shipped).
    pub kind: ItemKind,
}

/// A label and value of an item's specifications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Spec {
    /// What it is.
    pub label: I18nText,
    /// Its value.
    pub value: I18nText,
}

/// `GET /api/items/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemDetail {
    /// The card fields.
    #[serde(flatten)]
    pub summary: ItemSummary,
    /// Description.
    pub description: I18nText,
    /// Specifications.
    pub specs: Vec<Spec>,
    /// Most units one member may redeem, over all its orders.
    pub per_member_limit: i64,
    /// Units the logged-in member already redeemed (0 without a session).
    pub redeemed_by_me: i64,
    /// Whether the logged-in member's tier is too low for it.
    pub tier_locked: bool,
    /// Whether its cash part cannot be paid here (no host payment is configured): such an
    /// item is shown but not redeemable.
    #[serde(default)]
    pub cash_unavailable: bool,
}

/// A page of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemPage {
    /// The items.
    pub items: Vec<ItemSummary>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// `POST /api/orders` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RedeemRequest {
    /// The item to redeem.
    pub item_id: i64,
    /// How many (1–99).
    pub quantity: i64,
    /// The member's address a physical item ships to (required for one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_id: Option<i64>,
}

/// Where an order is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum OrderStatus {
    /// Virtual item: the code is ready.
    Fulfilled,
    /// Physical item waiting to ship.
    Pending,
    /// On its way.
    Shipped,
    /// Arrived.
    Delivered,
    /// Cancelled by the member (or the shop); points returned.
    Cancelled,
    /// An item with a cash part: points and stock held until the host confirms the cash
    /// (`POST /api/hooks/payment`); nothing is issued or shipped before. Lapses at `pay_by`.
    AwaitingPayment,
    /// Not paid by `pay_by`: points and stock came back.
    Lapsed,
}

impl OrderStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Fulfilled => "fulfilled",
            OrderStatus::Pending => "pending",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::AwaitingPayment => "awaiting_payment",
            OrderStatus::Lapsed => "lapsed",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<OrderStatus> {
        [Self::Fulfilled, Self::Pending, Self::Shipped, Self::Delivered, Self::Cancelled, Self::AwaitingPayment, Self::Lapsed]
            .into_iter()
            .find(|o| o.as_str() == s)
    }
}

/// A redemption order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Order {
    /// Order id.
    pub id: i64,
    /// The item.
    pub item_id: i64,
    /// The item's name at the time.
    pub item_name: I18nText,
    /// The item's image.
    pub image: String,
    /// Units.
    pub quantity: i64,
    /// Points paid in all.
    pub points: i64,
    /// Cash due in all, if the item had a cash part.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "9.90"))]
    pub cash: Option<Cash>,
    /// Status.
    pub status: OrderStatus,
    /// Voucher code for virtual items.
    pub code: Option<String>,
    /// The member's balance right after this order.
    pub balance_after: i64,
    /// When it was placed (RFC 3339).
    pub created_at: String,
    /// Where a physical item ships to (the order's own copy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_to: Option<ShipTo>,
    /// The carrier, once shipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrier: Option<String>,
    /// The tracking number, once shipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_no: Option<String>,
    /// Why the shop cancelled it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    /// While `awaiting_payment` (and after, for an order with a cash part): when it lapses
    /// unless the host confirms the cash (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_by: Option<String>,
    /// When the host confirmed the cash part (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_at: Option<String>,
}

/// Where a parcel goes (an order keeps its own copy, so a later edit of the address book
/// does not move a parcel already sent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShipTo {
    /// Recipient, 1–30 characters.
    pub name: String,
    /// Phone number: 5–20 of digits, spaces, `+` and `-`.
    pub phone: String,
    /// Province, city and district, 1–60 characters.
    pub region: String,
    /// Street, building and room, 1–120 characters.
    pub detail: String,
}

impl ShipTo {
    /// Checks the fields (the server and the app's form apply the same rule); the
    /// reason in English.
    pub fn validate(&self) -> Result<(), &'static str> {
        let len = |s: &str| s.trim().chars().count();
        if !(1..=30).contains(&len(&self.name)) || !crate::text::readable(&self.name) {
            return Err("name must be 1–30 characters, without control or direction characters");
        }
        let digits = self.phone.chars().filter(char::is_ascii_digit).count();
        if !(5..=20).contains(&len(&self.phone))
            || digits < 5
            || !self.phone.trim().chars().all(|c| c.is_ascii_digit() || " +-".contains(c))
        {
            return Err("phone must be 5–20 digits (spaces, + and - allowed)");
        }
        if !(1..=60).contains(&len(&self.region))
            || !(1..=120).contains(&len(&self.detail))
            || !crate::text::readable(&self.region)
            || !crate::text::readable(&self.detail)
        {
            return Err("region must be 1–60 characters and detail 1–120, without control or direction characters");
        }
        Ok(())
    }
}

/// A page of orders, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderPage {
    /// The orders.
    pub orders: Vec<Order>,
    /// Pass as `cursor` for the next page.
    pub next_cursor: Option<String>,
}

/// What a history entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum EntryKind {
    /// Welcome bonus.
    Register,
    /// Daily check-in.
    Checkin,
    /// Earning task (share, review, profile).
    Task,
    /// Purchase in the host shop.
    Purchase,
    /// Invite reward.
    Invite,
    /// Points returned by a cancelled order.
    Refund,
    /// Operator adjustment.
    Adjustment,
    /// Catalogue redemption.
    Redeem,
    /// Flash-sale grab.
    FlashSale,
    /// Make-up check-in.
    Makeup,
    /// Points that expired.
    Expire,
    /// Points held for a deduction at the host's checkout (积分抵扣), negative.
    DeductionHold,
    /// A hold released (or expired) before capture: the points back, positive.
    DeductionRelease,
    /// A captured deduction refunded by the host: the points back, positive.
    DeductionRefund,
    /// Purchase points taken back by a refund of the purchase (or a shortfall settled).
    PurchaseReversal,
    /// Points given to a cause (积分捐赠).
    Donation,
    /// The cost of a lottery draw (积分抽奖).
    LotteryDraw,
    /// Points won in a lottery.
    LotteryPrize,
    /// The birthday gift (once a year).
    Birthday,
    /// A campaign's bonus (its reference names the campaign).
    Campaign,
}

impl EntryKind {
    /// All kinds.
    pub const ALL: [EntryKind; 20] = [
        Self::Register,
        Self::Checkin,
        Self::Task,
        Self::Purchase,
        Self::Invite,
        Self::Refund,
        Self::Adjustment,
        Self::Redeem,
        Self::FlashSale,
        Self::Makeup,
        Self::Expire,
        Self::DeductionHold,
        Self::DeductionRelease,
        Self::DeductionRefund,
        Self::PurchaseReversal,
        Self::Donation,
        Self::LotteryDraw,
        Self::LotteryPrize,
        Self::Birthday,
        Self::Campaign,
    ];

    /// The wire (and database) name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Register => "register",
            Self::Checkin => "checkin",
            Self::Task => "task",
            Self::Purchase => "purchase",
            Self::Invite => "invite",
            Self::Refund => "refund",
            Self::Adjustment => "adjustment",
            Self::Redeem => "redeem",
            Self::FlashSale => "flash_sale",
            Self::Makeup => "makeup",
            Self::Expire => "expire",
            Self::DeductionHold => "deduction_hold",
            Self::DeductionRelease => "deduction_release",
            Self::DeductionRefund => "deduction_refund",
            Self::PurchaseReversal => "purchase_reversal",
            Self::Donation => "donation",
            Self::LotteryDraw => "lottery_draw",
            Self::LotteryPrize => "lottery_prize",
            Self::Birthday => "birthday",
            Self::Campaign => "campaign",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<EntryKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The history filter tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HistoryFilter {
    /// Credits.
    Earned,
    /// Debits other than expiry.
    Spent,
    /// Expiry.
    Expired,
}

/// `GET /api/history` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    /// Only earned, spent or expired entries.
    pub kind: Option<HistoryFilter>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–50 (default 20).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 50))]
    pub limit: Option<u32>,
}

/// `GET /api/orders` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–50 (default 20).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 50))]
    pub limit: Option<u32>,
}

/// What a history entry refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reference {
    /// `order`, `code`, `sale`…
    pub kind: String,
    /// Its id.
    pub id: String,
    /// A label to show (e.g. the item's name).
    pub label: Option<I18nText>,
}

/// One change to a member's points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    /// Entry id.
    pub id: i64,
    /// What happened.
    pub kind: EntryKind,
    /// Signed change in points.
    pub amount: i64,
    /// Balance right after.
    pub balance_after: i64,
    /// What it refers to.
    pub reference: Option<Reference>,
    /// When (RFC 3339).
    pub created_at: String,
}

/// A page of history, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryPage {
    /// The entries.
    pub entries: Vec<HistoryEntry>,
    /// Pass as `cursor` for the next page.
    pub next_cursor: Option<String>,
    /// Whole-month totals of the months these entries fall in.
    pub months: Vec<crate::earning::MonthTotal>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_query_pairs_keep_one_order_and_drop_what_is_unset() {
        assert_eq!(
            ItemQuery::home_popular().pairs(),
            [("sort", "popular".to_string()), ("limit", crate::catalog::HOME_POPULAR.to_string())]
        );
        let q = ItemQuery { q: Some("  ".into()), affordable: Some(false), category: Some("coupons".into()), ..Default::default() };
        assert_eq!(q.pairs(), [("category", "coupons".to_string())]);
    }

    #[test]
    fn item_detail_flattens_summary_and_cash_is_a_string() {
        let d = ItemDetail {
            summary: ItemSummary {
                id: 1,
                category: "coupons".into(),
                name: I18nText { zh: "券".into(), en: "Voucher".into() },
                image: "/img/a.svg".into(),
                points: 990,
                cash: Some(Cash::from_fen(990)),
                stock: 3,
                redeemed: 0,
                min_tier: Some(Tier::Gold),
                kind: ItemKind::Virtual,
            },
            description: I18nText { zh: "".into(), en: "".into() },
            specs: vec![],
            per_member_limit: 2,
            redeemed_by_me: 0,
            tier_locked: false,
            cash_unavailable: true,
        };
        let v = serde_json::to_value(&d).unwrap();
        assert_eq!(v["points"], 990);
        assert_eq!(v["cash"], "9.90");
        assert_eq!(v["min_tier"], "gold");
        let back: ItemDetail = serde_json::from_value(v).unwrap();
        assert_eq!(back, d);
    }

    #[test]
    fn redeem_request_refuses_unknown_fields() {
        let bad = serde_json::from_str::<RedeemRequest>(r#"{"item_id":1,"quantity":1,"price":0}"#);
        assert!(bad.is_err());
    }

    #[test]
    fn kinds_round_trip() {
        for k in EntryKind::ALL {
            assert_eq!(EntryKind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
    }
}
