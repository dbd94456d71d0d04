//! The points ledger. Every change to a balance goes through here, inside the caller's
//! write transaction: credits create lots, debits take from the soonest-expiring lots and
//! record which, expiry empties lots that are due. Balance = sum of history = sum of
//! open lot remainders.
//!
//! What time alone makes due is recorded by writes only: every `earn` and `debit` first
//! catches up (`catch_up`: checkout holds and unpaid orders that lapsed go back, purchases whose return
//! window ended settle, lots that are due expire), and so does the sweep. Reads never
//! write: they compute the same result (`db::lots::BalanceParts`), and history shows it
//! as pending entries, so the sum of history equals the balance shown at every read.

use chrono_tz::Tz;
use mall_core::{checkout, checkout::DeductionStatus, dto::EntryKind, notice::BalanceNotice};

use crate::{
    clock,
    db::{self, earning::PurchaseRow, history::EntryRef, Access, Tx},
};

/// A refused or failed ledger step.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// The balance does not cover the debit.
    #[error("this needs {needed} points and the balance is {balance}; {} short", .needed - .balance)]
    Insufficient {
        /// Points the debit needs.
        needed: i64,
        /// The balance there is.
        balance: i64,
    },
    /// Lots and balance disagree (a bug or a damaged database).
    #[error("ledger out of balance: member {member_id} lots short by {short} points")]
    OutOfBalance {
        /// Whose ledger.
        member_id: i64,
        /// Points the lots were short by.
        short: i64,
    },
    /// The database failed.
    #[error("ledger database error")]
    Db(#[from] sqlx::Error),
}

/// The moment of a change, the zone that decides its local day and month, and the tier
/// thresholds in force then (growth added at that moment reaches its tier under them).
#[derive(Debug, Clone, Copy)]
pub struct At {
    /// Unix seconds.
    pub secs: i64,
    /// The mall's zone.
    pub zone: Tz,
    /// The tier thresholds of the rules in force at `secs`.
    pub tiers: mall_core::TierTable,
}

impl At {
    /// `YYYY-MM` of the local month.
    pub fn month(&self) -> String {
        clock::local_month(self.zone, self.secs)
    }
}

/// What a history entry points at, with a label to show.
#[derive(Debug, Clone, Default)]
pub struct Reference {
    /// `order`, `code`, `sale`…
    pub kind: String,
    /// Its id.
    pub id: String,
    /// Label in Chinese.
    pub label_zh: Option<String>,
    /// Label in English.
    pub label_en: Option<String>,
}

impl Reference {
    /// A reference without a label.
    pub fn to(kind: &str, id: impl Into<String>) -> Reference {
        Reference { kind: kind.into(), id: id.into(), label_zh: None, label_en: None }
    }

    /// A reference labelled in both languages.
    pub fn labelled(kind: &str, id: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Reference {
        Reference { kind: kind.into(), id: id.into(), label_zh: Some(zh.into()), label_en: Some(en.into()) }
    }

    fn as_ref(&self) -> EntryRef<'_> {
        EntryRef { kind: &self.kind, id: &self.id, label_zh: self.label_zh.as_deref(), label_en: self.label_en.as_deref() }
    }
}

/// The balance the member can spend at `at`: the stored balance minus due lots, read
/// without writing (on any connection, the read pool included).
pub async fn spendable_balance(conn: &mut impl Access, member_id: i64, at: At) -> Result<i64, sqlx::Error> {
    db::lots::spendable_balance(conn, member_id, at.secs).await
}

/// The outcome of a debit.
#[derive(Debug, Clone, Copy)]
pub struct Debit {
    /// The history entry written.
    pub history_id: i64,
    /// The balance right after.
    pub balance_after: i64,
}

async fn write_history(
    tx: &mut Tx,
    member_id: i64,
    kind: EntryKind,
    amount: i64,
    balance_after: i64,
    at: At,
    reference: Option<&Reference>,
) -> Result<i64, sqlx::Error> {
    let month = at.month();
    let entry = db::history::NewEntry {
        member_id,
        kind,
        amount,
        balance_after,
        reference: reference.map(Reference::as_ref),
        created_at: at.secs,
        month: &month,
    };
    let entry_id = db::history::insert(tx, &entry).await?;
    let notice = BalanceNotice { balance: balance_after, delta: amount, kind, entry_id };
    let data = serde_json::to_string(&notice).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    db::events::record(tx, member_id, "balance", &data, at.secs).await?;
    if notice.is_arrival() {
        let arrived = mall_core::webhook::PointsArrived { points: amount, balance: balance_after, kind, entry_id };
        super::outbox::record(tx, member_id, mall_core::webhook::EventType::PointsArrived, &arrived, at.secs).await?;
    }
    Ok(entry_id)
}

/// Credits `amount` points as a new lot expiring at `expires_at`; returns the balance
/// after. A raw step (no expiry first): the seed and `earn` use it.
pub async fn credit(
    tx: &mut Tx,
    member_id: i64,
    kind: EntryKind,
    amount: i64,
    at: At,
    expires_at: i64,
    reference: Option<&Reference>,
) -> Result<i64, sqlx::Error> {
    db::members::lock(tx, member_id).await?;
    let balance_after = db::lots::add_balance(tx, member_id, amount).await?;
    db::lots::insert(tx, member_id, amount, at.secs, expires_at).await?;
    write_history(tx, member_id, kind, amount, balance_after, at, reference).await?;
    Ok(balance_after)
}

/// Takes `amount` points (> 0) from the member after catching up: a conditional update
/// that refuses to go below zero, then the soonest-expiring open lots, each recorded in
/// `lot_debits`.
pub async fn debit(
    tx: &mut Tx,
    member_id: i64,
    kind: EntryKind,
    amount: i64,
    at: At,
    reference: Option<&Reference>,
) -> Result<Debit, LedgerError> {
    catch_up(tx, member_id, at).await?;
    take(tx, member_id, kind, amount, at, reference).await
}

/// The debit itself, for a caller that caught the member up earlier in this transaction
/// (`catch_up`, or `record_due` after a read that locked the member's row with its
/// standing: `db::members::lock_standing`, `db::items::for_redeem`). One round trip
/// (`db::lots::take`).
pub async fn take(
    tx: &mut Tx,
    member_id: i64,
    kind: EntryKind,
    amount: i64,
    at: At,
    reference: Option<&Reference>,
) -> Result<Debit, LedgerError> {
    let month = at.month();
    let Some(taken) = db::lots::take(tx, member_id, amount, kind, reference.map(Reference::as_ref), at.secs, &month).await? else {
        let balance = db::lots::stored_balance(tx, member_id).await?;
        return Err(LedgerError::Insufficient { needed: amount, balance });
    };
    if taken.drawn != amount {
        return Err(LedgerError::OutOfBalance { member_id, short: amount - taken.drawn });
    }
    Ok(Debit { history_id: taken.history_id, balance_after: taken.balance_after })
}

/// Records what time made due for the member by `now`, in the order reads assume:
/// checkout holds that lapsed go back into their lots (`deduction_release`), unpaid orders
/// that lapsed give their stock and points back (`refund`, status `lapsed`), purchases
/// whose return window ended settle (their points, growth and the shortfall they pay),
/// then due lots expire. Idempotent: a second call finds nothing due. One statement when
/// nothing is due (the member's row locked and the check in one round trip).
pub async fn catch_up(tx: &mut Tx, member_id: i64, now: At) -> Result<(), LedgerError> {
    if db::members::lock_standing(tx, member_id, now.secs).await?.is_some_and(|s| s.due) {
        record_due(tx, member_id, now).await?;
    }
    Ok(())
}

/// What `catch_up` records when something is due, for a member whose row this
/// transaction locked (`db::members::lock_standing` said `due`).
pub async fn record_due(tx: &mut Tx, member_id: i64, now: At) -> Result<(), LedgerError> {
    for hold in db::deductions::lapsed(tx, member_id, now.secs).await? {
        if db::deductions::close(tx, hold.id, DeductionStatus::Released, hold.expires_at).await? {
            let reference = Reference::to("deduction", hold.id.to_string());
            put_back(tx, member_id, hold.hold_entry, 0..hold.points, EntryKind::DeductionRelease, now, &reference).await?;
        }
    }
    for order in db::orders::lapsing(tx, member_id, now.secs).await? {
        if let Some(lapsed) = db::orders::lapse(tx, order.id, now.secs).await? {
            db::items::give_back(tx, member_id, lapsed.item_id, lapsed.quantity).await?;
            let (zh, en) = db::items::names(tx, lapsed.item_id).await?;
            let reference = Reference::labelled("order", order.id.to_string(), zh, en);
            return_debit(tx, member_id, lapsed.history_id, now, Some(&reference)).await?;
        }
    }
    for purchase in db::earning::matured(tx, member_id, now.secs).await? {
        if db::earning::mark_settled(tx, &purchase.purchase_id, now.secs).await? {
            settle_purchase(tx, &purchase, now).await?;
        }
    }
    expire_due(tx, member_id, now).await?;
    Ok(())
}

/// Credits a settled purchase: its points less what refunds cancelled (a lot whose clock
/// started when the window ended), its campaign bonus likewise (a `campaign` entry), its
/// growth on the cash kept, then the shortfall.
async fn settle_purchase(tx: &mut Tx, p: &PurchaseRow, at: At) -> Result<(), LedgerError> {
    let (paid, refunded) = (rust_decimal::Decimal::new(p.paid_fen, 2), rust_decimal::Decimal::new(p.refunded_fen, 2));
    let growth = p.growth - checkout::take_back(p.growth, refunded, paid);
    if growth > 0 {
        super::outbox::add_growth(tx, p.member_id, growth, &at.tiers, at.secs).await?;
    }
    let points = p.points - p.taken_back;
    let expires = p.lot_expires_at.unwrap_or(i64::MAX);
    if points > 0 {
        let reference = Reference::to("purchase", p.purchase_id.clone());
        credit(tx, p.member_id, EntryKind::Purchase, points, at, expires, Some(&reference)).await?;
    }
    // Its campaign's bonus, less what refunds cancelled: its own entry naming the campaign.
    let bonus = p.campaign_points - p.campaign_taken_back;
    if let (Some(campaign_id), true) = (p.campaign_id, bonus > 0) {
        let reference = super::campaigns::reference(tx, campaign_id).await?;
        credit(tx, p.member_id, EntryKind::Campaign, bonus, at, expires, Some(&reference)).await?;
    }
    // Settled after its lot's time ran out, the lot is due at once (the catch-up's
    // expiry takes it) and pays no shortfall.
    if points + bonus.max(0) > 0 && expires > at.secs {
        settle_shortfall(tx, p.member_id, points.max(0) + bonus.max(0), at).await?;
    }
    Ok(())
}

/// Lets a credit of `credited` points pay the member's shortfall first (a
/// `purchase_reversal` of at most the credit).
async fn settle_shortfall(tx: &mut Tx, member_id: i64, credited: i64, at: At) -> Result<(), LedgerError> {
    let owed = db::lots::shortfall(tx, member_id).await?.min(credited);
    if owed > 0 {
        let reference = Reference::labelled("shortfall", "", "退款未扣足的积分", "points a refund could not take back");
        take(tx, member_id, EntryKind::PurchaseReversal, owed, at, Some(&reference)).await?;
        db::lots::add_shortfall(tx, member_id, -owed).await?;
    }
    Ok(())
}

/// Empties the member's lots that expired by `now`, with one `expire` history entry;
/// returns the points expired. Idempotent: a second call finds nothing due.
async fn expire_due(tx: &mut Tx, member_id: i64, now: At) -> Result<i64, sqlx::Error> {
    let due = db::lots::due(tx, member_id, now.secs).await?;
    let total: i64 = due.iter().map(|l| l.remaining).sum();
    if total == 0 {
        return Ok(0);
    }
    let balance_after = db::lots::add_balance(tx, member_id, -total).await?;
    let history_id = write_history(tx, member_id, EntryKind::Expire, -total, balance_after, now, None).await?;
    for lot in due {
        db::lots::add_remaining(tx, lot.id, -lot.remaining).await?;
        db::lots::record_debit(tx, history_id, lot.id, lot.remaining).await?;
    }
    Ok(total)
}

/// Puts the points of debit `debit_history_id` back into the lots they came from, as a
/// `refund` entry; lots that have expired meanwhile expire again at once (an `expire`
/// entry). Returns the points refunded.
pub async fn refund(tx: &mut Tx, member_id: i64, debit_history_id: i64, at: At, reference: Option<&Reference>) -> Result<i64, LedgerError> {
    db::members::lock(tx, member_id).await?;
    let total = return_debit(tx, member_id, debit_history_id, at, reference).await?;
    if total > 0 {
        catch_up(tx, member_id, at).await?;
    }
    Ok(total)
}

/// The refund itself, without catching up: the points of the debit back into their lots
/// as a `refund` entry (lots that have expired meanwhile expire at the caller's catch-up).
async fn return_debit(
    tx: &mut Tx,
    member_id: i64,
    debit_history_id: i64,
    at: At,
    reference: Option<&Reference>,
) -> Result<i64, sqlx::Error> {
    let taken = db::lots::debits_of(tx, debit_history_id).await?;
    let total: i64 = taken.iter().map(|t| t.amount).sum();
    if total == 0 {
        return Ok(0);
    }
    for t in &taken {
        db::lots::add_remaining(tx, t.lot_id, t.amount).await?;
    }
    let balance_after = db::lots::add_balance(tx, member_id, total).await?;
    write_history(tx, member_id, EntryKind::Refund, total, balance_after, at, reference).await?;
    Ok(total)
}

/// As [`refund`], for points `range` of debit `debit_history_id` only (one code of an
/// order of several shares its order's debit: each void gives back its own stretch, `start`
/// being what the voids before gave back): a `refund` entry, the points back into the lots
/// they came from (longest-living first), lots that have expired meanwhile expiring again
/// at once. Returns the balance after.
pub async fn refund_part(
    tx: &mut Tx,
    member_id: i64,
    debit_history_id: i64,
    range: std::ops::Range<i64>,
    at: At,
    reference: &Reference,
) -> Result<i64, LedgerError> {
    db::members::lock(tx, member_id).await?;
    put_back(tx, member_id, debit_history_id, range, EntryKind::Refund, at, reference).await?;
    catch_up(tx, member_id, at).await?;
    Ok(db::lots::stored_balance(tx, member_id).await?)
}

/// Puts points `range` of checkout hold `hold_entry` back into its lots as a `kind`
/// entry (a release or a refund): the hold's points counted longest-living lot first
/// (the member's favour), so refunds that each put back the next stretch (`start` = what
/// earlier refunds put back) always meet the same lots. Lots that have expired take their
/// points back and expire again at the caller's next catch-up. Returns the balance after.
pub async fn put_back(
    tx: &mut Tx,
    member_id: i64,
    hold_entry: i64,
    range: std::ops::Range<i64>,
    kind: EntryKind,
    at: At,
    reference: &Reference,
) -> Result<i64, sqlx::Error> {
    let amount = range.end - range.start;
    let (mut skip, mut left) = (range.start, amount);
    for lot in db::lots::taken_longest_first(tx, hold_entry).await? {
        let free = lot.amount - skip.min(lot.amount);
        skip -= lot.amount - free;
        let give = free.min(left);
        if give > 0 {
            db::lots::add_remaining(tx, lot.lot_id, give).await?;
            left -= give;
        }
    }
    let balance_after = db::lots::add_balance(tx, member_id, amount).await?;
    write_history(tx, member_id, kind, amount, balance_after, at, Some(reference)).await?;
    Ok(balance_after)
}

/// What one earning event gives: points (a new lot) and growth, under a history kind.
#[derive(Debug, Clone, Copy)]
pub struct Earning {
    /// The history entry's kind.
    pub kind: EntryKind,
    /// Points credited (nothing is written for zero).
    pub points: i64,
    /// Growth added towards the tier.
    pub growth: i64,
}

/// Records due expiry, adds growth and credits a new lot expiring by the rules: the
/// usual earning step. Returns the balance after.
pub async fn earn(
    tx: &mut Tx,
    rules: &mall_core::Rules,
    member_id: i64,
    Earning { kind, points, growth }: Earning,
    at: At,
    reference: Option<&Reference>,
) -> Result<i64, LedgerError> {
    catch_up(tx, member_id, at).await?;
    if growth > 0 {
        super::outbox::add_growth(tx, member_id, growth, &at.tiers, at.secs).await?;
    }
    if points <= 0 {
        return Ok(db::lots::stored_balance(tx, member_id).await?);
    }
    let expires = clock::lot_expiry(at.zone, at.secs, rules.lot_lifetime_months);
    credit(tx, member_id, kind, points, at, expires, reference).await?;
    settle_shortfall(tx, member_id, points, at).await?;
    Ok(db::lots::stored_balance(tx, member_id).await?)
}

/// An operator's adjustment of `amount` points (either sign, not zero) with a reason the
/// member sees in its history: a credit is a new lot, a debit takes from the lots like a
/// spend. Returns the balance after.
pub async fn adjust(tx: &mut Tx, rules: &mall_core::Rules, at: At, member_id: i64, amount: i64, reason: &str) -> Result<i64, LedgerError> {
    let reference = Reference::labelled("adjustment", "", reason, reason);
    if amount > 0 {
        let earning = Earning { kind: EntryKind::Adjustment, points: amount, growth: 0 };
        earn(tx, rules, member_id, earning, at, Some(&reference)).await
    } else {
        Ok(debit(tx, member_id, EntryKind::Adjustment, -amount, at, Some(&reference)).await?.balance_after)
    }
}
