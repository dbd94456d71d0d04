//! Redeeming catalogue items, cancelling a pending order, and the operator's order queue
//! (ship with a carrier and tracking number, deliver, cancel with a reason).
//! A redeem is one transaction in few round trips: the member's row locked with its
//! standing and the item with what decides the order (one statement), the per-member limit
//! as a conditional upsert, the debit (`ledger::take`), the order, a voucher's codes, and
//! last the conditional stock update (the item's row is the one every redeem of it waits on).

use mall_core::{
    cash::Cash,
    catalog::{quote, ItemKind},
    code,
    dto::{EntryKind, I18nText, Order, OrderStatus, RedeemRequest, ShipTo},
    fulfilment::{AdminOrder, ShipRequest},
    webhook, Rules, Tier,
};

use super::{
    audit, campaigns, idempotency,
    ledger::{self, At, LedgerError},
    members::MemberError,
    outbox,
    staff::Actor,
    wallet,
};
use crate::{
    clock,
    db::{self, codes::Source, orders::OrderRow, Access, Tx},
};

/// A refused or failed order step.
#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    /// No item with this id.
    #[error("no item with id {0}")]
    ItemNotFound(i64),
    /// The item is for this tier and above.
    #[error("this item is for {} members and above", .0.as_str())]
    TierLocked(Tier),
    /// Not enough stock for the quantity.
    #[error("not enough stock left for this quantity")]
    OutOfStock,
    /// The member would pass the item's per-member limit.
    #[error("each member may redeem at most {0} of this item")]
    LimitReached(i64),
    /// No such order (of this member).
    #[error("order not found")]
    NotFound,
    /// Only pending orders can be cancelled; this one is not.
    #[error("the order is {}; it can no longer be cancelled", .0.as_str())]
    NotCancellable(OrderStatus),
    /// Operators may only ship (a pending order) or deliver (a shipped one).
    #[error("operators may only ship or deliver")]
    NotAStep,
    /// The order is not where the step starts.
    #[error("the order is {}, not {}", .is.as_str(), .from.as_str())]
    WrongStatus {
        /// Where the order is.
        is: OrderStatus,
        /// Where it had to be.
        from: OrderStatus,
    },
    /// A lottery prize: it was not bought, so it cannot be cancelled for points.
    #[error("a lottery prize cannot be cancelled")]
    Prize,
    /// Every code drawn for a voucher collided (the code space is exhausted).
    #[error("no free voucher code could be found")]
    CodeSpaceExhausted,
    /// The price does not fit in the numbers.
    #[error("price overflow")]
    PriceOverflow,
    /// A voucher of a partner merchant an operator deactivated.
    #[error("this voucher's merchant is inactive")]
    MerchantInactive,
    /// The item has a cash part and no host payment is configured to collect it.
    #[error("this item's cash part cannot be paid here: the shop has no host payment configured")]
    CashUnavailable,
    /// A payment asked for (or confirmed) for an order that does not await one.
    #[error("the order is {}: it does not await a payment", .0.as_str())]
    NotAwaitingPayment(OrderStatus),
    /// The order was not paid in time: its points and stock came back.
    #[error("the order lapsed unpaid: its points and stock came back (refund the member's payment)")]
    Lapsed,
    /// No order has this payment.
    #[error("no order {0} with this payment_id")]
    PaymentNotFound(i64),
    /// The host confirmed another amount than the order's cash part.
    #[error("paid must be the order's cash part, {0}")]
    AmountMismatch(Cash),
    /// No such address in the member's book.
    #[error("no address {0} in your address book")]
    AddressNotFound(i64),
    /// A physical item was redeemed without an address.
    #[error("a physical item ships: send address_id, an address of your address book")]
    AddressRequired,
    /// The order has no address to ship to.
    #[error("this order has no address to ship to")]
    NoShipTo,
    /// A carrier or tracking number, or a reason, that is not acceptable.
    #[error("{0}")]
    Invalid(&'static str),
    /// The ledger refused or failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The member lookup failed.
    #[error(transparent)]
    Member(#[from] MemberError),
    /// The database failed.
    #[error("order database error")]
    Db(#[from] sqlx::Error),
}

/// Redeems `quantity` of item `item_id` for the member, inside `tx`.
/// A physical item ships to `address_id` (the order keeps a copy of it). An item with a
/// cash part is refused unless `payment_window` (seconds; a host payment is configured):
/// its order then awaits the host's payment until then, points and stock held, nothing
/// issued or shipped.
pub async fn redeem(
    tx: &mut Tx,
    rules: &Rules,
    at: At,
    member_id: i64,
    req: &RedeemRequest,
    payment_window: Option<i64>,
) -> Result<Order, OrderError> {
    let (item_id, quantity) = (req.item_id, req.quantity);
    // The member (its row locked: every ledger step locks it before an item's row) and the
    // item with what else decides the order, in one statement; when it finds nothing, the
    // member's standing alone tells whether the member or the item is missing.
    let (standing, row) = match db::items::for_redeem(tx, member_id, item_id, at.secs).await? {
        Some((standing, row)) => (standing, Some(row)),
        None => (db::members::lock_standing(tx, member_id, at.secs).await?.ok_or(MemberError::NotFound(member_id))?, None),
    };
    if let Some(reason) = standing.frozen_reason {
        return Err(MemberError::Frozen(reason).into());
    }
    let row = row.ok_or(OrderError::ItemNotFound(item_id))?;
    let item = row.item;
    let pay_by = match (item.cash_fen, payment_window) {
        (None, _) => None,
        (Some(_), Some(window)) => Some(at.secs + window),
        (Some(_), None) => return Err(OrderError::CashUnavailable),
    };
    if !row.merchant_active {
        return Err(OrderError::MerchantInactive);
    }
    let ship_to = match (item.kind, req.address_id) {
        (ItemKind::Physical, Some(id)) => {
            let a = db::addresses::one(tx, member_id, id).await?.ok_or(OrderError::AddressNotFound(id))?;
            Some(ShipTo { name: a.name, phone: a.phone, region: a.region, detail: a.detail })
        }
        (ItemKind::Physical, None) => return Err(OrderError::AddressRequired),
        (ItemKind::Virtual, _) => None,
    };
    let ship_to_json = ship_to.as_ref().map(|s| serde_json::to_string(s).unwrap_or_default());
    let tier = rules.tiers.held(standing.growth, Tier::from_rank(standing.tier_reached));
    if let Some(min) = item.min_tier.filter(|min| tier < *min) {
        return Err(OrderError::TierLocked(min));
    }
    // What time made due is recorded first: lapsed unpaid orders (the member's, or others'
    // of this item) give their units back.
    if standing.due {
        ledger::record_due(tx, member_id, at).await?;
    }
    if row.lapsed_orders {
        lapse_unpaid_of_item(tx, at, member_id, item.id).await?;
    }
    // Unless those changed it, the stock as read tells a refusal early (the conditional
    // update at the end decides).
    if !standing.due && !row.lapsed_orders && item.stock < quantity {
        return Err(OrderError::OutOfStock);
    }
    let limit = item.per_member_limit;
    if quantity > limit || !db::items::count_for(tx, member_id, item.id, quantity, limit).await? {
        return Err(OrderError::LimitReached(limit));
    }
    // A price campaign for this item or its category: its discount on each unit, its
    // budget taken for all of them (the whole discount or none; a cancel does not refill it).
    let campaign = match row.price_campaign {
        true => campaigns::on_price(tx, at, tier, item.id, &item.category, item.points, quantity).await?,
        false => None,
    };
    let unit_points = item.points - campaign.map_or(0, |(_, off)| off);
    let price = quote(unit_points, item.cash_fen.map(Cash::from_fen), quantity, 0).ok_or(OrderError::PriceOverflow)?;
    let reference = ledger::Reference::labelled("order", "", item.name_zh.clone(), item.name_en.clone());
    let debit = ledger::take(tx, member_id, EntryKind::Redeem, price.points, at, Some(&reference)).await?;
    let status = match (pay_by, item.kind) {
        (Some(_), _) => OrderStatus::AwaitingPayment,
        (None, ItemKind::Virtual) => OrderStatus::Fulfilled,
        (None, ItemKind::Physical) => OrderStatus::Pending,
    };
    let payment_id = pay_by.map(|_| new_payment_id());
    let new = db::orders::NewOrder {
        member_id,
        item_id: item.id,
        quantity,
        points: price.points,
        cash_fen: item.cash_fen.map(|c| c * quantity),
        status,
        history_id: debit.history_id,
        balance_after: debit.balance_after,
        created_at: at.secs,
        ship_to_json: ship_to_json.as_deref(),
        draw_id: None,
        pay_by,
        payment_id: payment_id.as_deref(),
        campaign_id: campaign.map(|(id, _)| id),
        campaign_discount: campaign.map_or(0, |(_, off)| off * quantity),
    };
    // A voucher's first code is drawn now and issued with its order, which shows it.
    let drawn = matches!((status, item.kind), (OrderStatus::Fulfilled, ItemKind::Virtual)).then(|| wallet::new_code(None));
    let first = drawn.as_deref().map(|code| db::orders::FirstCode {
        code,
        merchant_id: item.merchant_id,
        valid_until: voucher_valid_until(rules, at),
    });
    let (order_id, issued) = db::orders::insert_bought(tx, &new, first).await?;
    let code = match drawn {
        Some(drawn) => {
            let source = Source::Order { item_id: item.id, order_id };
            let first = issued.then_some(drawn);
            Some(issue_vouchers(tx, rules, at, member_id, &item, source, quantity, debit.history_id, first).await?)
        }
        None => None,
    };
    let order = Order {
        id: order_id,
        item_id: item.id,
        item_name: I18nText { zh: item.name_zh, en: item.name_en },
        image: item.image,
        quantity,
        points: price.points,
        cash: price.cash,
        status,
        code: code.as_deref().map(code::display),
        balance_after: debit.balance_after,
        created_at: clock::rfc3339(at.zone, at.secs),
        ship_to,
        carrier: None,
        tracking_no: None,
        cancel_reason: None,
        pay_by: pay_by.map(|t| clock::rfc3339(at.zone, t)),
        paid_at: None,
    };
    // The item's row last, with the request's key and this answer, so concurrent redeems
    // of one item wait on it the shortest time: one round trip and the commit (taken
    // with the order, it held every redeem of the item 30 % slower on PostgreSQL).
    let answer = tx.pending_key().and_then(|_| idempotency::answer_json(&order).ok());
    if !db::items::take_stock(tx, item.id, quantity, answer.as_deref()).await? {
        return Err(OrderError::OutOfStock);
    }
    Ok(order)
}

/// A new payment id: `pay_` and 32 hex digits from the OS's CSPRNG.
fn new_payment_id() -> String {
    format!("pay_{}", uuid::Uuid::new_v4().simple())
}

/// Records the lapse of every unpaid order of item `item_id` whose time ran out, so its
/// units are back in stock before a redeem takes some (reads already count them back).
/// The redeeming member's row is locked first, then the others' by id: two members
/// redeeming one item while each has a lapsed order of it unrecorded may deadlock, and
/// PostgreSQL's deadlock error runs the transaction again (`db::transaction`). Rare: the
/// sweep and every write of those members record their lapses too.
async fn lapse_unpaid_of_item(tx: &mut Tx, at: At, member_id: i64, item_id: i64) -> Result<(), OrderError> {
    let lapsing = db::orders::lapsing_of_item(tx, item_id, at.secs).await?;
    // The redeeming member was caught up already (its own lapses are its due work).
    let mut members: Vec<i64> = lapsing.iter().map(|o| o.member_id).filter(|m| *m != member_id).collect();
    members.dedup();
    for other in members {
        ledger::catch_up(tx, other, at).await?;
    }
    Ok(())
}

/// Issues `quantity` wallet codes of voucher `item` (valid the rules' `coupon_valid_days`,
/// verified by the item's merchant) and shows the first on the order; returns it.
/// `issued`: its first code, issued already (with its order, `db::orders::insert_bought`).
#[allow(clippy::too_many_arguments)]
pub async fn issue_vouchers(
    tx: &mut Tx,
    rules: &Rules,
    at: At,
    member_id: i64,
    item: &db::items::ItemRow,
    source: Source,
    quantity: i64,
    history_id: i64,
    issued: Option<String>,
) -> Result<String, OrderError> {
    let issue = wallet::Issue {
        member_id,
        source,
        merchant_id: item.merchant_id,
        valid_from: at.secs,
        valid_until: voucher_valid_until(rules, at),
        history_id,
    };
    let mut first = issued;
    for _ in i64::from(first.is_some())..quantity {
        let code = wallet::issue(tx, &issue, None).await?.ok_or(OrderError::CodeSpaceExhausted)?;
        first.get_or_insert(code);
    }
    first.ok_or(OrderError::CodeSpaceExhausted)
}

/// The end of the validity of a voucher's code issued at `at`: the rules'
/// `coupon_valid_days` later.
fn voucher_valid_until(rules: &Rules, at: At) -> i64 {
    at.secs + rules.coupon_valid_days * 86_400
}

/// Cancels the member's pending order, or one awaiting payment, inside `tx`: stock and
/// the per-member count go back (a paid one owes its cash back), and the points return to the lots they came from (re-expiring at once if those
/// lots have expired meanwhile).
pub async fn cancel(tx: &mut Tx, at: At, member_id: i64, order_id: i64) -> Result<Order, OrderError> {
    // An unpaid order that lapsed is recorded as such first (it gave everything back).
    ledger::catch_up(tx, member_id, at).await?;
    let Some(cancelled) = db::orders::cancel_pending(tx, order_id, member_id, at.secs).await? else {
        return Err(match db::orders::status(tx, order_id, Some(member_id)).await? {
            None => OrderError::NotFound,
            Some(OrderStatus::Pending) if db::orders::is_prize(tx, order_id).await? => OrderError::Prize,
            Some(OrderStatus::Lapsed) => OrderError::Lapsed,
            Some(status) => OrderError::NotCancellable(status),
        });
    };
    db::items::give_back(tx, member_id, cancelled.item_id, cancelled.quantity).await?;
    let order = db::orders::one(tx, member_id, order_id).await?;
    let reference = ledger::Reference::labelled("order", order_id.to_string(), order.name_zh.clone(), order.name_en.clone());
    ledger::refund(tx, member_id, cancelled.history_id, at, Some(&reference)).await?;
    outbox::note_refund_due(tx, member_id, order_id, None, at.secs).await?;
    Ok(order_from(at, order))
}

/// One of the member's orders as it reads at `at` (`NotFound` when it is not the member's).
pub async fn one(conn: &mut impl Access, at: At, member_id: i64, order_id: i64) -> Result<Order, OrderError> {
    let row = db::orders::find(conn, member_id, order_id).await?.ok_or(OrderError::NotFound)?;
    Ok(order_from(at, row))
}

/// An order as the member sees it at `at` (an unpaid order whose time ran out reads
/// `lapsed` before a write records it).
pub fn order_from(at: At, row: OrderRow) -> Order {
    let zone = at.zone;
    let status = match (row.status, row.pay_by) {
        (OrderStatus::AwaitingPayment, Some(pay_by)) if pay_by <= at.secs => OrderStatus::Lapsed,
        (status, _) => status,
    };
    Order {
        id: row.id,
        item_id: row.item_id,
        item_name: I18nText { zh: row.name_zh, en: row.name_en },
        image: row.image,
        quantity: row.quantity,
        points: row.points,
        cash: row.cash_fen.map(Cash::from_fen),
        status,
        code: row.code.as_deref().map(code::display),
        balance_after: row.balance_after,
        created_at: clock::rfc3339(zone, row.created_at),
        ship_to: row.ship_to_json.as_deref().and_then(|j| serde_json::from_str(j).ok()),
        carrier: row.carrier,
        tracking_no: row.tracking_no,
        cancel_reason: row.cancel_reason,
        pay_by: row.pay_by.map(|t| clock::rfc3339(zone, t)),
        paid_at: row.paid_at.map(|t| clock::rfc3339(zone, t)),
    }
}

/// An order in the operator's queue at `at`.
pub fn queue_order(at: At, row: db::orders::QueueRow) -> AdminOrder {
    let (payment_id, cash_paid, cash_refund_due) =
        (row.order.payment_id.clone(), row.order.paid_fen.map(Cash::from_fen), row.order.cash_refund_due_fen.map(Cash::from_fen));
    AdminOrder {
        order: order_from(at, row.order),
        member_id: row.member_id,
        member_name: I18nText { zh: row.member_zh, en: row.member_en },
        payment_id,
        cash_paid,
        cash_refund_due,
    }
}

/// The operator's queue: orders by status and search text, newest first.
pub async fn queue(
    conn: &mut impl Access,
    at: At,
    status: Option<OrderStatus>,
    q: Option<&str>,
    before: i64,
    limit: i64,
) -> Result<Vec<AdminOrder>, OrderError> {
    let q = q.map(str::trim).filter(|q| !q.is_empty());
    let filter = db::orders::QueueFilter {
        status,
        id: q.and_then(|q| q.parse().ok()).unwrap_or(-1),
        text: q.map(db::like_pattern),
        before,
        limit,
        now: at.secs,
    };
    Ok(db::orders::queue(conn, &filter).await?.into_iter().map(|r| queue_order(at, r)).collect())
}

/// The order now, for an answer and the audit log.
async fn queued(tx: &mut Tx, at: At, id: i64) -> Result<AdminOrder, OrderError> {
    Ok(queue_order(at, db::orders::queue_one(tx, id).await?.ok_or(OrderError::NotFound)?))
}

/// Ships a pending order with its carrier and tracking number; the member sees both.
/// Nothing ships without an address: an order without one is refused (`NoShipTo`).
pub async fn ship(tx: &mut Tx, actor: &Actor, at: At, id: i64, req: &ShipRequest) -> Result<AdminOrder, OrderError> {
    let (carrier, tracking) = (req.carrier.trim(), req.tracking_no.trim());
    if !(1..=30).contains(&carrier.chars().count())
        || !mall_core::text::readable(carrier)
        || !(4..=40).contains(&tracking.len())
        || !tracking.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(OrderError::Invalid(
            "carrier must be 1–30 characters without control or direction characters, and tracking_no 4–40 letters, digits and dashes",
        ));
    }
    let before = queued(tx, at, id).await?;
    // The member before the order row, as the member's own cancel takes them.
    db::members::lock(tx, before.member_id).await?;
    if !db::orders::ship(tx, id, carrier, tracking, at.secs).await? {
        return Err(match before.order.status {
            OrderStatus::Pending => OrderError::NoShipTo,
            is => OrderError::WrongStatus { is, from: OrderStatus::Pending },
        });
    }
    let after = queued(tx, at, id).await?;
    let shipped = webhook::OrderShipped {
        order_id: id,
        item: after.order.item_name.clone(),
        carrier: carrier.to_string(),
        tracking_no: tracking.to_string(),
    };
    outbox::record(tx, after.member_id, webhook::EventType::OrderShipped, &shipped, at.secs).await?;
    let act = audit::Act { actor, action: "order.ship", target_kind: "order", at: at.secs };
    audit::record(tx, act, &id.to_string(), Some(&before), Some(&after)).await?;
    Ok(after)
}

/// Marks a shipped order delivered.
pub async fn deliver(tx: &mut Tx, actor: &Actor, at: At, id: i64) -> Result<AdminOrder, OrderError> {
    let before = queued(tx, at, id).await?;
    if !db::orders::advance(tx, id, OrderStatus::Shipped, OrderStatus::Delivered, at.secs).await? {
        return Err(OrderError::WrongStatus { is: before.order.status, from: OrderStatus::Shipped });
    }
    let after = queued(tx, at, id).await?;
    let act = audit::Act { actor, action: "order.deliver", target_kind: "order", at: at.secs };
    audit::record(tx, act, &id.to_string(), Some(&before), Some(&after)).await?;
    Ok(after)
}

/// Cancels a pending, shipped or awaiting order for the shop, with a reason the member
/// sees: stock and the per-member count go back, the points return to their lots, and a
/// paid order's cash becomes `cash_refund_due` (the host refunds it). A lottery prize is
/// refused (`Prize`) unless it can never ship: pending without an address.
pub async fn cancel_by_shop(tx: &mut Tx, actor: &Actor, at: At, id: i64, reason: &str) -> Result<AdminOrder, OrderError> {
    let reason = reason.trim();
    if !(1..=200).contains(&reason.chars().count()) || !mall_core::text::readable(reason) {
        return Err(OrderError::Invalid("reason must be 1–200 characters, without control or direction characters"));
    }
    let before = queued(tx, at, id).await?;
    // The member before the order row, as the member's own cancel and a payment take them.
    db::members::lock(tx, before.member_id).await?;
    let Some((member_id, cancelled)) = db::orders::cancel_by_shop(tx, id, reason, at.secs).await? else {
        if db::orders::is_prize(tx, id).await? {
            // A prize is not bought: only one that can never ship (no address) is cancelled.
            if db::orders::cancel_unshippable_prize(tx, id, reason, at.secs).await?.is_none() {
                return Err(OrderError::Prize);
            }
            let after = queued(tx, at, id).await?;
            let act = audit::Act { actor, action: "order.cancel", target_kind: "order", at: at.secs };
            audit::record(tx, act, &id.to_string(), Some(&before), Some(&after)).await?;
            return Ok(after);
        }
        return Err(OrderError::NotCancellable(before.order.status));
    };
    db::items::give_back(tx, member_id, cancelled.item_id, cancelled.quantity).await?;
    let name = &before.order.item_name;
    let reference = ledger::Reference::labelled("order", id.to_string(), name.zh.clone(), name.en.clone());
    ledger::refund(tx, member_id, cancelled.history_id, at, Some(&reference)).await?;
    outbox::note_refund_due(tx, member_id, id, None, at.secs).await?;
    let after = queued(tx, at, id).await?;
    let act = audit::Act { actor, action: "order.cancel", target_kind: "order", at: at.secs };
    audit::record(tx, act, &id.to_string(), Some(&before), Some(&after)).await?;
    Ok(after)
}
