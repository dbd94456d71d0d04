//! The cash part of a price, paid through the host's own payment (`mall_core::payment`).
//! A redeem of an item with a cash part makes an order `awaiting_payment` (`orders::redeem`:
//! points and stock held like any redeem, nothing issued or shipped); the member asks for a
//! payment request signed for the host ([`request`], a read); the host confirms
//! ([`confirm`]) and the order goes on as after a points-only redeem, in the confirmation's
//! transaction. An order not paid by `pay_by` lapses: reads show it `lapsed` with its
//! points and stock back at once, and the member's next write or the sweep records it
//! (`ledger::catch_up`), as for a checkout hold.

use hmac::{Hmac, Mac};
use mall_core::{
    cash::Cash,
    catalog::ItemKind,
    dto::OrderStatus,
    payment::{self, PaymentConfirmation, PaymentReceipt, PaymentRequest, PaymentStart},
    Rules,
};
use sha2::Sha256;

use super::{
    earning::fen,
    ledger::{self, At},
    orders::{self, OrderError},
};
use crate::{
    clock,
    db::{self, codes::Source, Access, Tx},
};

/// What signing a payment request needs from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct HostPay<'a> {
    /// `HOST_PAY_URL`.
    pub pay_url: &'a str,
    /// `HOOK_SECRET`: the one secret shared with the host, used in both directions.
    pub secret: &'a str,
    /// `HOST_ORIGINS`.
    pub frame_origins: &'a [String],
}

/// Lowercase hex HMAC-SHA256 of `message` with `secret`.
pub fn sign(secret: &str, message: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The signed payment request of the member's order `order_id`, and the pay page's address
/// with it: only while the order awaits payment. `mall_origin` is the mall's own origin
/// (`https://mall.example`), which the return URL starts with. A read: asking again gives
/// the same request (the payment id and the expiry are the order's).
pub async fn request(
    conn: &mut impl Access,
    host: HostPay<'_>,
    at: At,
    member_id: i64,
    order_id: i64,
    mall_origin: &str,
) -> Result<PaymentStart, OrderError> {
    let row = db::orders::find(conn, member_id, order_id).await?.ok_or(OrderError::NotFound)?;
    let (payment_id, pay_by, cash) = (row.payment_id.clone(), row.pay_by, row.cash_fen);
    match orders::order_from(at, row).status {
        OrderStatus::AwaitingPayment => {}
        OrderStatus::Lapsed => return Err(OrderError::Lapsed),
        status => return Err(OrderError::NotAwaitingPayment(status)),
    }
    let (Some(payment_id), Some(expires_at), Some(cash)) = (payment_id, pay_by, cash) else {
        return Err(OrderError::NotAwaitingPayment(OrderStatus::AwaitingPayment));
    };
    let mut request = PaymentRequest {
        order_id,
        payment_id,
        amount: Cash::from_fen(cash),
        currency: payment::CURRENCY.to_string(),
        expires_at,
        return_url: format!("{mall_origin}{}", payment::return_path(order_id)),
        signature: String::new(),
    };
    request.signature = sign(host.secret, &request.message());
    let query: Vec<String> = request.query_pairs().iter().map(|(k, v)| format!("{k}={}", percent_encode(v))).collect();
    let separator = if host.pay_url.contains('?') { '&' } else { '?' };
    let pay_url = format!("{}{separator}{}", host.pay_url, query.join("&"));
    Ok(PaymentStart { request, pay_url, frame_origins: host.frame_origins.to_vec() })
}

/// `text` percent-encoded for a query value (RFC 3986: everything but the unreserved
/// characters).
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Records the host's confirmation of a payment inside `tx` and moves the order on as a
/// points-only redeem goes: a voucher's codes are issued (`fulfilled`), a physical item
/// joins the shipping queue (`pending`). Once: a second confirmation of a paid order
/// answers the same receipt. A confirmation after the lapse is refused (the host refunds).
pub async fn confirm(tx: &mut Tx, rules: &Rules, at: At, req: &PaymentConfirmation) -> Result<PaymentReceipt, OrderError> {
    let target = db::orders::by_payment(tx, req.order_id, &req.payment_id).await?.ok_or(OrderError::PaymentNotFound(req.order_id))?;
    // The member's row first; an unpaid order whose time ran out is recorded as lapsed.
    ledger::catch_up(tx, target.member_id, at).await?;
    let row = db::orders::any(tx, target.id).await?.ok_or(OrderError::PaymentNotFound(req.order_id))?;
    if row.paid_at.is_some() {
        return receipt(tx, at, target.id).await;
    }
    match row.status {
        OrderStatus::AwaitingPayment => {}
        OrderStatus::Lapsed => return Err(OrderError::Lapsed),
        status => return Err(OrderError::NotAwaitingPayment(status)),
    }
    let expected = row.cash_fen.unwrap_or(0);
    let paid =
        fen(req.paid).filter(|f| *f > 0).ok_or(OrderError::Invalid("paid must be a positive amount in yuan (at most 2 decimals)"))?;
    if paid != expected {
        return Err(OrderError::AmountMismatch(Cash::from_fen(expected)));
    }
    if !db::orders::record_payment(tx, target.id, &req.payment_id, paid, at.secs).await? {
        return receipt(tx, at, target.id).await;
    }
    let item = db::items::staff_one(tx, row.item_id).await?.ok_or(OrderError::ItemNotFound(row.item_id))?.detail.item;
    let next = match item.kind {
        ItemKind::Virtual => OrderStatus::Fulfilled,
        ItemKind::Physical => OrderStatus::Pending,
    };
    if !db::orders::paid(tx, target.id, next, at.secs).await? {
        return Err(OrderError::Lapsed);
    }
    if item.kind == ItemKind::Virtual {
        let source = Source::Order { item_id: item.id, order_id: target.id };
        orders::issue_vouchers(tx, rules, at, target.member_id, &item, source, row.quantity, target.history_id, None).await?;
    }
    receipt(tx, at, target.id).await
}

/// The receipt of order `id`'s recorded payment.
async fn receipt(tx: &mut Tx, at: At, id: i64) -> Result<PaymentReceipt, OrderError> {
    let row = db::orders::any(tx, id).await?.ok_or(OrderError::NotFound)?;
    let (Some(payment_id), Some(paid_fen), Some(paid_at)) = (row.payment_id.clone(), row.paid_fen, row.paid_at) else {
        return Err(OrderError::NotFound);
    };
    Ok(PaymentReceipt {
        order_id: id,
        payment_id,
        paid: Cash::from_fen(paid_fen),
        paid_at: clock::rfc3339(at.zone, paid_at),
        status: orders::order_from(at, row).status,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(percent_encode("https://mall.example/orders/4?x=1&y"), "https%3A%2F%2Fmall.example%2Forders%2F4%3Fx%3D1%26y");
        assert_eq!(percent_encode("pay_0a-9.~"), "pay_0a-9.~");
        assert_eq!(percent_encode("积"), "%E7%A7%AF");
    }
}
