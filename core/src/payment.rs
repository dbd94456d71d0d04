//! The cash part of a price (积分+现金), paid through the host shop's own payment. The mall
//! takes no card data: a redeem of an item with a cash part makes an order that waits
//! (`awaiting_payment`, points and stock held); the member asks the mall for a payment
//! request signed for the host (`POST /api/orders/{id}/payment`), the host's pay page
//! collects the cash, and the host's server confirms (`POST /api/hooks/payment`).
//!
//! Two directions, one secret (`HOOK_SECRET`), never the same message. What the host
//! signs for the mall (inbound) starts with `v2\n`; what the mall signs for the host
//! (outbound) starts with the direction tag [`OUTBOUND_TAG`] and names its kind, so a
//! signature seen in one direction matches nothing in the other.
//!
//! The canonical message of a payment request ([`PaymentRequest::message`]), fields
//! separated by one `\n`, no trailing newline:
//!
//! ```text
//! mall-to-host
//! payment-request
//! {order_id}
//! {payment_id}
//! {amount}          yuan with exactly two decimals, e.g. 9.90
//! {currency}        CNY
//! {expires_at}      Unix seconds
//! {return_url}
//! ```
//!
//! `signature` is the lowercase hex HMAC-SHA256 of that message with the hook secret.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::cash::Cash;

/// The first line of everything the mall signs for the host (outbound). Inbound
/// signatures cover a message starting `v2\n`: the two can never be the same bytes.
pub const OUTBOUND_TAG: &str = "mall-to-host";

/// The second line of a payment request's message: what the outbound message is.
pub const PAYMENT_REQUEST_KIND: &str = "payment-request";

/// The one currency of the cash part.
pub const CURRENCY: &str = "CNY";

/// The `type` of the message the app posts to a framing host page (`window.postMessage`):
/// `{"type": "mall.payment_request", "request": PaymentRequest}`.
pub const POST_MESSAGE_TYPE: &str = "mall.payment_request";

/// The path of the mall's page of one order, where the host sends the member back
/// (`return_url` is the mall's origin followed by this).
pub fn return_path(order_id: i64) -> String {
    format!("/orders/{order_id}")
}

/// A payment request the mall signed for the host's pay page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentRequest {
    /// The mall's order id.
    pub order_id: i64,
    /// The mall's id of this payment (the same for every request of one order).
    pub payment_id: String,
    /// The cash to collect, yuan with two decimals.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "9.90"))]
    pub amount: Cash,
    /// Always `CNY`.
    pub currency: String,
    /// Unix seconds: after this the order has lapsed and a confirmation is refused
    /// (409 `order_lapsed`); the pay page should not take money after it.
    pub expires_at: i64,
    /// Where the host sends the member back after paying (the mall's order page).
    pub return_url: String,
    /// Lowercase hex HMAC-SHA256 with the hook secret of [`PaymentRequest::message`].
    pub signature: String,
}

impl PaymentRequest {
    /// The canonical message the signature covers (the module's documentation).
    pub fn message(&self) -> String {
        signing_message(self.order_id, &self.payment_id, self.amount, &self.currency, self.expires_at, &self.return_url)
    }

    /// The request as query parameters of the host's pay page, in this order:
    /// `order_id, payment_id, amount, currency, expires_at, return_url, signature`
    /// (values not yet percent-encoded).
    pub fn query_pairs(&self) -> [(&'static str, String); 7] {
        [
            ("order_id", self.order_id.to_string()),
            ("payment_id", self.payment_id.clone()),
            ("amount", self.amount.to_string()),
            ("currency", self.currency.clone()),
            ("expires_at", self.expires_at.to_string()),
            ("return_url", self.return_url.clone()),
            ("signature", self.signature.clone()),
        ]
    }
}

/// The canonical message of a payment request of these fields.
pub fn signing_message(order_id: i64, payment_id: &str, amount: Cash, currency: &str, expires_at: i64, return_url: &str) -> String {
    format!("{OUTBOUND_TAG}\n{PAYMENT_REQUEST_KIND}\n{order_id}\n{payment_id}\n{amount}\n{currency}\n{expires_at}\n{return_url}")
}

/// `POST /api/orders/{id}/payment`: the signed request and where to send the member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentStart {
    /// The signed request.
    pub request: PaymentRequest,
    /// The host's pay page (`HOST_PAY_URL`) with the request as query parameters: the
    /// app sends the member there with a GET (a plain navigation).
    pub pay_url: String,
    /// The host origins (`HOST_ORIGINS`) that may frame the mall: when the app runs in a
    /// frame of one of them, it may post `{"type": POST_MESSAGE_TYPE, "request": …}` to
    /// its parent with that origin as the target instead of navigating.
    pub frame_origins: Vec<String>,
}

/// `POST /api/hooks/payment`: the host's server confirms that it collected the cash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PaymentConfirmation {
    /// The `payment_id` of the payment request.
    pub payment_id: String,
    /// The `order_id` of the payment request.
    pub order_id: i64,
    /// The cash collected, yuan (must equal the request's `amount`).
    #[serde(deserialize_with = "crate::cash::bounded_yuan")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "9.90"))]
    pub paid: Decimal,
}

/// The answer to a confirmation (`POST /api/hooks/payment`): the order took the payment.
/// A repeated confirmation of the same payment answers the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentReceipt {
    /// The mall's order id.
    pub order_id: i64,
    /// The payment.
    pub payment_id: String,
    /// The cash recorded, yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "9.90"))]
    pub paid: Cash,
    /// When the mall recorded it (RFC 3339).
    pub paid_at: String,
    /// Where the order went on: `fulfilled` (a voucher: its codes issued) or `pending`
    /// (a physical item, in the shipping queue), or where it is now.
    pub status: crate::dto::OrderStatus,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_is_tagged_and_one_field_a_line() {
        let r = PaymentRequest {
            order_id: 42,
            payment_id: "pay_0123".into(),
            amount: Cash::from_fen(990),
            currency: CURRENCY.into(),
            expires_at: 1_767_225_600,
            return_url: "https://mall.example/orders/42".into(),
            signature: String::new(),
        };
        assert_eq!(r.message(), "mall-to-host\npayment-request\n42\npay_0123\n9.90\nCNY\n1767225600\nhttps://mall.example/orders/42");
        assert!(!r.message().starts_with("v2\n"), "never an inbound message");
        assert_eq!(r.query_pairs()[2], ("amount", "9.90".to_string()));
        assert_eq!(return_path(42), "/orders/42");
    }

    #[test]
    fn a_confirmation_reads_yuan_and_refuses_strangers() {
        let c: PaymentConfirmation = serde_json::from_str(r#"{"payment_id":"p","order_id":1,"paid":"9.90"}"#).unwrap();
        assert_eq!(c.paid, Decimal::new(990, 2));
        assert!(serde_json::from_str::<PaymentConfirmation>(r#"{"payment_id":"p","order_id":1,"paid":"9.90","x":1}"#).is_err());
        assert!(serde_json::from_str::<PaymentConfirmation>(r#"{"payment_id":"p","order_id":1,"paid":"1000000000"}"#).is_err());
    }
}
