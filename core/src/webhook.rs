//! Notices that reach members outside the app (issue 26): the mall tells the host shop,
//! which owns the channels (WeChat subscribe messages, SMS, push), by signed webhooks.
//!
//! Each event is written in the transaction of its change (an outbox row) and delivered
//! at least once, in order per member, as a `POST` to `HOST_WEBHOOK_URL` with the JSON
//! body [`Delivery`] and two headers:
//!
//! ```text
//! X-Mall-Timestamp: {Unix seconds of this attempt}
//! X-Mall-Signature: v2={lowercase hex HMAC-SHA256 with HOOK_SECRET of webhook_message(ts, id, body)}
//! ```
//!
//! The signed message ([`webhook_message`]), fields separated by one `\n`, no trailing
//! newline, `body` the exact bytes of the request body:
//!
//! ```text
//! mall-to-host
//! webhook
//! {X-Mall-Timestamp}
//! {id}
//! {body}
//! ```
//!
//! It starts with the outbound tag ([`crate::payment::OUTBOUND_TAG`]): what the host
//! signs for the mall (inbound hooks) starts with `v2\n`, so a signature seen in one
//! direction never matches in the other. The host answers any 2xx once it has the event
//! (and dedupes by `id`: a retry after a lost answer sends the same id again).

use serde::{Deserialize, Serialize};

use crate::{
    cash::Cash,
    dto::{EntryKind, I18nText},
    payment::OUTBOUND_TAG,
    tier::Tier,
};

/// The second line of a webhook's signed message: what the outbound message is.
pub const WEBHOOK_KIND: &str = "webhook";

/// The message a webhook's signature covers (the module's documentation): the outbound
/// tag, `webhook`, the timestamp header's value, the event id and the body.
pub fn webhook_message(timestamp: i64, id: i64, body: &str) -> String {
    format!("{OUTBOUND_TAG}\n{WEBHOOK_KIND}\n{timestamp}\n{id}\n{body}")
}

/// What an event tells (the body's `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    /// Points arrived from outside the app (payload [`PointsArrived`]).
    PointsArrived,
    /// Points expire within 7 days (payload [`PointsExpiring`]); once per member and day.
    PointsExpiring,
    /// An order was shipped (payload [`OrderShipped`]).
    OrderShipped,
    /// A sale the member asked to be reminded of opens for them (payload [`SaleOpening`]);
    /// once per member and sale.
    SaleOpening,
    /// The member reached a higher tier (payload [`TierUp`]).
    TierUp,
    /// A merchant verified one of the member's codes (payload [`CodeVerified`]).
    CodeVerified,
    /// Cash paid for an order is owed back to the member (payload [`CashRefundDue`]).
    CashRefundDue,
}

impl EventType {
    /// Every type, in the catalogue's order.
    pub const ALL: [EventType; 7] = [
        EventType::PointsArrived,
        EventType::PointsExpiring,
        EventType::OrderShipped,
        EventType::SaleOpening,
        EventType::TierUp,
        EventType::CodeVerified,
        EventType::CashRefundDue,
    ];

    /// The stored and sent name (`points_arrived`…).
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::PointsArrived => "points_arrived",
            EventType::PointsExpiring => "points_expiring",
            EventType::OrderShipped => "order_shipped",
            EventType::SaleOpening => "sale_opening",
            EventType::TierUp => "tier_up",
            EventType::CodeVerified => "code_verified",
            EventType::CashRefundDue => "cash_refund_due",
        }
    }

    /// The type of a stored name.
    pub fn parse(name: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

/// The body of one webhook: `{id, type, member_id, created_at, payload}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery<P> {
    /// The event's id: the same on every attempt (the host dedupes by it); ascending per
    /// member in delivery order.
    pub id: i64,
    /// What it tells.
    #[serde(rename = "type")]
    pub kind: EventType,
    /// The member (the host's member id, as in its tickets).
    pub member_id: i64,
    /// When the event happened (or, for a sale opening, when it was due), Unix seconds.
    pub created_at: i64,
    /// The type's payload.
    pub payload: P,
}

/// `points_arrived`: the balance change (the live notice's fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PointsArrived {
    /// The points that arrived.
    pub points: i64,
    /// The balance after.
    pub balance: i64,
    /// Where they came from (`purchase`, `invite`, `adjustment`, `deduction_release`,
    /// `deduction_refund`).
    pub kind: EntryKind,
    /// The history entry.
    pub entry_id: i64,
}

/// `points_expiring`: points that expire within [`EXPIRING_WITHIN_DAYS`] days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PointsExpiring {
    /// The points that expire within the window.
    pub points: i64,
    /// The soonest expiry among them, Unix seconds (the first instant they no longer count).
    pub first_expires_at: i64,
    /// The local day (`YYYY-MM-DD`) this notice is for: one per member and day.
    pub day: String,
}

/// How far ahead `points_expiring` looks, in days.
pub const EXPIRING_WITHIN_DAYS: i64 = 7;

/// `order_shipped`: the carrier and tracking number the operator entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderShipped {
    /// The mall's order id.
    pub order_id: i64,
    /// The item.
    pub item: I18nText,
    /// The carrier.
    pub carrier: String,
    /// The tracking number.
    pub tracking_no: String,
}

/// `sale_opening`: a reminded sale opens for the member now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaleOpening {
    /// The sale.
    pub sale_id: i64,
    /// What it sells.
    pub offer: I18nText,
    /// Points per code.
    pub points: i64,
    /// When the member may grab, Unix seconds (before `starts_at` with a tier's early access).
    pub opens_at: i64,
    /// The sale's start for everyone, Unix seconds.
    pub starts_at: i64,
    /// Its end, Unix seconds.
    pub ends_at: i64,
}

/// `tier_up`: the member reached a higher tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierUp {
    /// The tier before.
    pub from: Tier,
    /// The tier now.
    pub to: Tier,
}

/// `code_verified`: a merchant used one of the member's codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeVerified {
    /// The code, as shown (`XXXX-XXXX-XXXX`).
    pub code: String,
    /// The merchant that used it.
    pub used_by: String,
}

/// `cash_refund_due`: the mall owes cash back on a paid order (a cancel, or a voided unit
/// of a voucher bought with a cash part); the host refunds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CashRefundDue {
    /// The mall's order id.
    pub order_id: i64,
    /// The host's payment id of the order.
    pub payment_id: Option<String>,
    /// What this change adds to the amount owed, yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "9.90"))]
    pub amount: Cash,
    /// Everything the order owes back now, yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "9.90"))]
    pub total_due: Cash,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Not yet answered with a 2xx: waiting for its time, its turn or its next attempt.
    Pending,
    /// The host answered 2xx.
    Delivered,
    /// No 2xx within a day of its due time: given up (an operator may resend it).
    Failed,
}

impl DeliveryState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Failed => "failed",
        }
    }
}

/// A delivery as the operator sees it (`GET /api/admin/deliveries`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminDelivery {
    /// The event id (the body's `id`).
    pub id: i64,
    /// What it tells.
    #[serde(rename = "type")]
    pub kind: EventType,
    /// The member.
    pub member_id: i64,
    /// Where it stands.
    pub state: DeliveryState,
    /// When it happened (RFC 3339).
    pub created_at: String,
    /// When it may first be sent (a sale opening's moment; otherwise its creation).
    pub due_at: String,
    /// Attempts made so far.
    pub attempts: i64,
    /// When the next attempt is due (pending only; it also waits for the member's earlier
    /// events).
    pub next_attempt_at: Option<String>,
    /// When a pending delivery is given up.
    pub give_up_at: String,
    /// The last attempt's moment.
    pub last_attempt_at: Option<String>,
    /// The last answer's HTTP status (none: no answer, e.g. a timeout or refused connection).
    pub last_status: Option<i64>,
    /// The start of the last answer's body, or what went wrong (at most 200 characters).
    pub last_answer: Option<String>,
    /// When the host answered 2xx.
    pub delivered_at: Option<String>,
    /// The payload, as the JSON text sent.
    pub payload: String,
}

/// `GET /api/admin/deliveries` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminDeliveryPage {
    /// The deliveries, newest first.
    pub deliveries: Vec<AdminDelivery>,
    /// Pass as `cursor` for the next page.
    pub next_cursor: Option<String>,
}

/// `GET /api/admin/deliveries` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct AdminDeliveryQuery {
    /// Only deliveries in this state.
    pub state: Option<DeliveryState>,
    /// Only this member's.
    pub member_id: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–50 (default 20).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 50))]
    pub limit: Option<u32>,
}

/// The wait before attempt `n + 1` after `n` failed attempts, in seconds: 30 s doubling
/// (30 s, 1 min, 2 min … ) up to an hour between attempts. Attempts go on until a day
/// after the event was due; then it is failed.
pub fn backoff_seconds(failed_attempts: i64) -> i64 {
    let doubling = failed_attempts.saturating_sub(1).clamp(0, 20) as u32;
    (BACKOFF_FIRST_SECONDS << doubling).min(BACKOFF_MAX_SECONDS)
}

/// The wait after the first failed attempt, in seconds.
pub const BACKOFF_FIRST_SECONDS: i64 = 30;
/// The longest wait between two attempts, in seconds.
pub const BACKOFF_MAX_SECONDS: i64 = 3_600;
/// How long an event is tried from its due time (or from a resend), in seconds: a day.
pub const GIVE_UP_AFTER_SECONDS: i64 = 86_400;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_is_tagged_outbound() {
        assert_eq!(webhook_message(1_700_000_000, 42, "{}"), "mall-to-host\nwebhook\n1700000000\n42\n{}");
        assert!(!webhook_message(1, 1, "").starts_with("v2\n"));
    }

    #[test]
    fn backoff_doubles_to_an_hour() {
        let waits: Vec<i64> = (1..=9).map(backoff_seconds).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(backoff_seconds(1_000), 3_600);
    }

    #[test]
    fn types_round_trip_their_names() {
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(t));
            assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"{}\"", t.as_str()));
        }
    }
}
