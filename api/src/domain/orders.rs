//! Redeeming catalogue items, cancelling a pending order, moving a physical order along.
//! A redeem is one transaction: tier check, a conditional stock update, the per-member
//! limit as a conditional upsert, the points from the soonest-expiring lots, order and
//! history.

use chrono_tz::Tz;
use mall_core::{
    cash::Cash,
    catalog::{quote, ItemKind},
    code,
    dto::{EntryKind, I18nText, Order, OrderStatus},
    Rules, Tier,
};
use rand::RngCore;

use futures_util::FutureExt;

use super::{
    audit,
    ledger::{self, At, LedgerError},
    members::{self, MemberError},
    staff::Actor,
};
use crate::{
    clock,
    db::{self, orders::OrderRow, Pool, Tx},
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
    #[error("the order is {}; only pending orders can be cancelled", .0.as_str())]
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
    /// The price does not fit in the numbers.
    #[error("price overflow")]
    PriceOverflow,
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

/// A fresh voucher code from the OS CSPRNG.
fn new_code() -> String {
    let mut random = [0u8; code::RANDOM_LEN];
    rand::rngs::OsRng.fill_bytes(&mut random);
    code::from_random(random)
}

/// Redeems `quantity` of item `item_id` for the member, inside `tx`.
pub async fn redeem(tx: &mut Tx, rules: &Rules, at: At, member_id: i64, item_id: i64, quantity: i64) -> Result<Order, OrderError> {
    members::ensure_not_frozen(tx, member_id).await?;
    let item = db::items::one(tx, item_id).await?.ok_or(OrderError::ItemNotFound(item_id))?;
    if let Some(min) = item.min_tier {
        if members::tier(tx, rules, member_id).await? < min {
            return Err(OrderError::TierLocked(min));
        }
    }
    if !db::items::take_stock(tx, item.id, quantity).await? {
        return Err(OrderError::OutOfStock);
    }
    let limit = item.per_member_limit;
    if quantity > limit || !db::items::count_for(tx, member_id, item.id, quantity, limit).await? {
        return Err(OrderError::LimitReached(limit));
    }
    let price = quote(item.points, item.cash_fen.map(Cash::from_fen), quantity, 0).ok_or(OrderError::PriceOverflow)?;
    let reference = ledger::Reference::labelled("order", "", item.name_zh.clone(), item.name_en.clone());
    let debit = ledger::debit(tx, member_id, EntryKind::Redeem, price.points, at, Some(&reference)).await?;
    let (status, code) = match item.kind {
        ItemKind::Virtual => (OrderStatus::Fulfilled, Some(new_code())),
        ItemKind::Physical => (OrderStatus::Pending, None),
    };
    let new = db::orders::NewOrder {
        member_id,
        item_id: item.id,
        quantity,
        points: price.points,
        cash_fen: item.cash_fen.map(|c| c * quantity),
        status,
        code: code.as_deref(),
        history_id: debit.history_id,
        balance_after: debit.balance_after,
        created_at: at.secs,
    };
    let order_id = db::orders::insert(tx, &new).await?;
    db::history::set_ref_id(tx, debit.history_id, &order_id.to_string()).await?;
    Ok(Order {
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
    })
}

/// Cancels the member's pending order inside `tx`: stock and the per-member count go
/// back, and the points return to the lots they came from (re-expiring at once if those
/// lots have expired meanwhile).
pub async fn cancel(tx: &mut Tx, at: At, member_id: i64, order_id: i64) -> Result<Order, OrderError> {
    let Some(cancelled) = db::orders::cancel_pending(tx, order_id, member_id, at.secs).await? else {
        return Err(match db::orders::status(tx, order_id, Some(member_id)).await? {
            None => OrderError::NotFound,
            Some(status) => OrderError::NotCancellable(status),
        });
    };
    db::items::give_back(tx, member_id, cancelled.item_id, cancelled.quantity).await?;
    let order = db::orders::one(tx, member_id, order_id).await?;
    let reference = ledger::Reference::labelled("order", order_id.to_string(), order.name_zh.clone(), order.name_en.clone());
    ledger::refund(tx, member_id, cancelled.history_id, at, Some(&reference)).await?;
    Ok(order_from(at.zone, order))
}

/// Moves a physical order along pending → shipped → delivered (conditional).
pub async fn advance(writer: &Pool, actor: &Actor, order_id: i64, to: OrderStatus, now: i64) -> Result<(), OrderError> {
    let from = match to {
        OrderStatus::Shipped => OrderStatus::Pending,
        OrderStatus::Delivered => OrderStatus::Shipped,
        _ => return Err(OrderError::NotAStep),
    };
    let actor = actor.clone();
    db::transaction(writer, move |tx| {
        async move {
            if db::orders::advance(tx, order_id, from, to, now).await? {
                let act = audit::Act { actor: &actor, action: "order.status", target_kind: "order", at: now };
                audit::record(tx, act, &order_id.to_string(), Some(&from), Some(&to)).await?;
                return Ok(());
            }
            match db::orders::status(tx, order_id, None).await? {
                None => Err(OrderError::NotFound),
                Some(is) => Err(OrderError::WrongStatus { is, from }),
            }
        }
        .boxed()
    })
    .await
}

/// An order as the member sees it.
pub fn order_from(zone: Tz, row: OrderRow) -> Order {
    Order {
        id: row.id,
        item_id: row.item_id,
        item_name: I18nText { zh: row.name_zh, en: row.name_en },
        image: row.image,
        quantity: row.quantity,
        points: row.points,
        cash: row.cash_fen.map(Cash::from_fen),
        status: row.status,
        code: row.code.as_deref().map(code::display),
        balance_after: row.balance_after,
        created_at: clock::rfc3339(zone, row.created_at),
    }
}
