//! Points deduction at the host's checkout (积分抵扣): quote → hold → capture, release or
//! refund. A hold takes the points from the balance at once (`deduction_hold`); one not
//! captured in time counts as released from its end (`ledger::catch_up` records it);
//! release and refund put the points back into the lots they came from.

use mall_core::{
    checkout::{Deduction, DeductionStatus, HoldRequest, Quote, QuoteRequest},
    dto::EntryKind,
    Rules,
};
use rust_decimal::Decimal;

use super::{
    earning::{fen, valid_host_id},
    ledger::{self, At, LedgerError},
    members::{self, MemberError},
};
use crate::{
    clock,
    db::{self, deductions::DeductionRow, Access, Tx},
};

/// A refused or failed deduction step.
#[derive(Debug, thiserror::Error)]
pub enum DeductionError {
    /// The request is not usable (the reason).
    #[error("{0}")]
    Invalid(&'static str),
    /// Fewer points than the minimum.
    #[error("a deduction uses at least {0} points")]
    BelowMinimum(i64),
    /// More points than the order's share allows.
    #[error("this order allows at most {0} points")]
    OverShare(i64),
    /// No such deduction.
    #[error("no deduction {0}")]
    NotFound(i64),
    /// Released (or lapsed): no capture.
    #[error("this deduction was released (or its hold ended): it cannot be captured")]
    Released,
    /// Captured: no release.
    #[error("this deduction was captured: refund it instead")]
    Captured,
    /// Not captured: no refund.
    #[error("only a captured deduction can be refunded")]
    NotCaptured,
    /// A refund beyond what is left of the capture.
    #[error("at most {0} points of this deduction are left to refund")]
    RefundExceedsCapture(i64),
    /// The member lookup failed or the member is frozen.
    #[error(transparent)]
    Member(#[from] MemberError),
    /// A ledger step failed (the balance does not cover the hold).
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The database failed.
    #[error("deduction database error")]
    Db(#[from] sqlx::Error),
}

/// What the member could deduct from an order of `order_amount` now.
pub async fn quote(conn: &mut impl Access, rules: &Rules, at: At, req: &QuoteRequest) -> Result<Quote, DeductionError> {
    fen(req.order_amount)
        .filter(|f| *f > 0)
        .ok_or(DeductionError::Invalid("order_amount must be a positive amount in yuan (at most 2 decimals)"))?;
    members::exists(conn, req.member_id).await?;
    let balance = ledger::spendable_balance(conn, req.member_id, at).await?;
    let max_points = rules.deduction_max_points(req.order_amount, balance);
    Ok(Quote {
        member_id: req.member_id,
        balance,
        max_points,
        max_cash_off: rules.cash_off(max_points),
        min_points: rules.deduction_min_points,
        point_value: rules.point_value,
    })
}

/// Holds `points` of the member's for the host's order: the rules' share and minimum, a
/// member who may spend, a balance that covers it; one deduction per `order_id`.
pub async fn hold(tx: &mut Tx, rules: &Rules, at: At, req: &HoldRequest) -> Result<Deduction, DeductionError> {
    let order_fen = fen(req.order_amount)
        .filter(|f| *f > 0)
        .ok_or(DeductionError::Invalid("order_amount must be a positive amount in yuan (at most 2 decimals)"))?;
    if !valid_host_id(&req.order_id) {
        return Err(DeductionError::Invalid("order_id must be 1–64 characters"));
    }
    if req.points < rules.deduction_min_points {
        return Err(DeductionError::BelowMinimum(rules.deduction_min_points));
    }
    let by_share = rules.deduction_max_points(req.order_amount, i64::MAX);
    if req.points > by_share {
        return Err(DeductionError::OverShare(by_share));
    }
    members::exists(tx, req.member_id).await?;
    members::ensure_not_frozen(tx, req.member_id).await?;
    let reference = ledger::Reference::to("deduction_order", req.order_id.clone());
    let debit = ledger::debit(tx, req.member_id, EntryKind::DeductionHold, req.points, at, Some(&reference)).await?;
    let cash_off_fen = fen(rules.cash_off(req.points)).unwrap_or(0);
    let expires_at = at.secs + rules.deduction_hold_minutes * 60;
    let row = db::deductions::NewDeduction {
        order_id: &req.order_id,
        member_id: req.member_id,
        order_fen,
        points: req.points,
        cash_off_fen,
        hold_entry: debit.history_id,
        created_at: at.secs,
        expires_at,
    };
    // The order's unique key is the "once"; a second hold for it never gets here with the
    // same body (the hook's replay rule answers it first).
    let id = db::deductions::insert(tx, &row).await?.ok_or(DeductionError::Invalid("this order_id already has a deduction"))?;
    view(tx, at, id).await
}

/// Captures a hold (the host's order is paid). Capturing again answers the capture.
pub async fn capture(tx: &mut Tx, at: At, id: i64) -> Result<Deduction, DeductionError> {
    let d = caught_up(tx, at, id).await?;
    match d.status {
        DeductionStatus::Held => {
            db::deductions::close(tx, id, DeductionStatus::Captured, at.secs).await?;
        }
        DeductionStatus::Captured => {}
        DeductionStatus::Released => return Err(DeductionError::Released),
    }
    view(tx, at, id).await
}

/// Releases a hold: the points go back into their lots. Releasing again answers the release.
pub async fn release(tx: &mut Tx, at: At, id: i64) -> Result<Deduction, DeductionError> {
    let d = caught_up(tx, at, id).await?;
    match d.status {
        DeductionStatus::Held => {
            if db::deductions::close(tx, id, DeductionStatus::Released, at.secs).await? {
                let reference = ledger::Reference::to("deduction", id.to_string());
                ledger::put_back(tx, d.member_id, d.hold_entry, 0..d.points, EntryKind::DeductionRelease, at, &reference).await?;
                ledger::catch_up(tx, d.member_id, at).await?;
            }
        }
        DeductionStatus::Released => {}
        DeductionStatus::Captured => return Err(DeductionError::Captured),
    }
    view(tx, at, id).await
}

/// Refunds `points` of a captured deduction (all that is left when `None`) into the lots
/// they came from.
pub async fn refund(tx: &mut Tx, at: At, id: i64, points: Option<i64>) -> Result<Deduction, DeductionError> {
    let d = caught_up(tx, at, id).await?;
    if d.status != DeductionStatus::Captured {
        return Err(DeductionError::NotCaptured);
    }
    let left = d.points - d.refunded;
    let points = points.unwrap_or(left);
    if points <= 0 {
        return Err(DeductionError::Invalid("points must be a positive whole number"));
    }
    if points > left || !db::deductions::add_refunded(tx, id, points).await? {
        return Err(DeductionError::RefundExceedsCapture(left));
    }
    let reference = ledger::Reference::to("deduction", id.to_string());
    ledger::put_back(tx, d.member_id, d.hold_entry, d.refunded..d.refunded + points, EntryKind::DeductionRefund, at, &reference).await?;
    ledger::catch_up(tx, d.member_id, at).await?;
    view(tx, at, id).await
}

/// The deduction after catching its member up (a lapsed hold is recorded as released).
async fn caught_up(tx: &mut Tx, at: At, id: i64) -> Result<DeductionRow, DeductionError> {
    let d = db::deductions::get(tx, id).await?.ok_or(DeductionError::NotFound(id))?;
    ledger::catch_up(tx, d.member_id, at).await?;
    db::deductions::get(tx, id).await?.ok_or(DeductionError::NotFound(id))
}

/// The deduction as the host reads it at `at` (a lapsed hold reads `released`), with the
/// member's spendable balance.
pub async fn view(conn: &mut impl Access, at: At, id: i64) -> Result<Deduction, DeductionError> {
    let d = db::deductions::get(conn, id).await?.ok_or(DeductionError::NotFound(id))?;
    let status = match d.status {
        DeductionStatus::Held if d.expires_at <= at.secs => DeductionStatus::Released,
        s => s,
    };
    Ok(Deduction {
        id: d.id,
        order_id: d.order_id,
        member_id: d.member_id,
        order_amount: Decimal::new(d.order_fen, 2),
        points: d.points,
        cash_off: Decimal::new(d.cash_off_fen, 2),
        status,
        expires_at: clock::rfc3339(at.zone, d.expires_at),
        refunded_points: d.refunded,
        balance: ledger::spendable_balance(conn, d.member_id, at).await?,
    })
}
