//! Codes as operators handle them: look one up in full (`GET /api/admin/codes/{code}`)
//! and void one (`POST /api/admin/codes/{code}/void`).
//!
//! Only an unused code that is not void already can be voided (an expired unused one
//! too). The void is a conditional update (`… WHERE status = 'issued'`) in the same
//! transaction as what it gives back, after the holder's row is locked, so two voids give
//! back once. A bought code (a flash sale's grab, or a voucher's order) gives its points
//! back as a `refund` entry that names the reason, into the lots they came from, as a
//! cancelled order does; a voucher's unit goes back to the item's stock and out of the
//! member's count. A sale's code does not reopen the sale, and a lottery's coupon prize
//! gives nothing back (it was not bought).

use chrono_tz::Tz;
use mall_core::{
    code::{self, CodeError},
    dto::I18nText,
    sales::{AdminCode, BadVoidReason, CodeStatus, VoidCode},
    staff::MerchantRef,
};

use super::{
    audit,
    ledger::{self, At, LedgerError},
    staff::Actor,
};
use crate::{
    clock,
    db::{self, codes::StaffCodeRow, Access, Tx},
};

/// A refused or failed step on a code.
#[derive(Debug, thiserror::Error)]
pub enum VoidError {
    /// The typed code cannot be one (caught before any lookup).
    #[error("{}", super::sales::typo(.0))]
    CodeInvalid(CodeError),
    /// The reason breaks the rule.
    #[error("{}", .0.message())]
    Reason(BadVoidReason),
    /// No such code.
    #[error("no such code")]
    NotFound,
    /// The code was used at `at` by `by`: it cannot be voided.
    #[error("already used at {at} by {by}")]
    Used {
        /// When, RFC 3339.
        at: String,
        /// Which merchant.
        by: String,
    },
    /// The code was voided already.
    #[error("this code was voided already")]
    Void,
    /// Giving the points back failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The database failed.
    #[error("code database error")]
    Db(#[from] sqlx::Error),
}

/// A code as an operator sees it at `now`.
fn admin_code(zone: Tz, now: i64, row: StaffCodeRow) -> AdminCode {
    let c = row.code;
    let status = match c.status {
        CodeStatus::Issued if c.valid_until <= now => CodeStatus::Expired,
        other => other,
    };
    AdminCode {
        code: code::display(&c.code),
        status,
        member_id: row.member_id,
        offer: I18nText { zh: c.offer_zh, en: c.offer_en },
        merchant: c.merchant_id.map(|id| MerchantRef { id, name: I18nText { zh: c.merchant_zh, en: c.merchant_en } }),
        points_paid: row.points_paid,
        created_at: clock::rfc3339(zone, row.created_at),
        valid_until: clock::rfc3339(zone, c.valid_until),
        used_at: c.used_at.map(|t| clock::rfc3339(zone, t)),
        void_reason: c.void_reason,
    }
}

/// The code as typed (any case, with or without dashes and spaces), in full.
pub async fn look_up(conn: &mut impl Access, zone: Tz, now: i64, typed: &str) -> Result<AdminCode, VoidError> {
    let canon = code::parse(typed).map_err(VoidError::CodeInvalid)?;
    let row = db::codes::staff_one(conn, &canon).await?.ok_or(VoidError::NotFound)?;
    Ok(admin_code(zone, now, row))
}

/// Voids an unused code with a reason the member sees, giving back what it cost (see the
/// module's doc); audited as `code.void`. Returns the code after.
pub async fn void(tx: &mut Tx, actor: &Actor, at: At, typed: &str, request: &VoidCode) -> Result<AdminCode, VoidError> {
    let canon = code::parse(typed).map_err(VoidError::CodeInvalid)?;
    request.check().map_err(VoidError::Reason)?;
    let reason = request.reason.trim();
    let row = db::codes::staff_one(tx, &canon).await?.ok_or(VoidError::NotFound)?;
    // The holder's row first, as every ledger step: a second void waits here, then finds
    // the code void.
    db::members::lock(tx, row.member_id).await?;
    if !db::codes::void(tx, &canon, reason, at.secs).await? {
        let now = db::codes::staff_one(tx, &canon).await?.ok_or(VoidError::NotFound)?;
        return Err(match now.code.status {
            CodeStatus::Used => VoidError::Used {
                at: now.code.used_at.map(|t| clock::rfc3339(at.zone, t)).unwrap_or_default(),
                by: now.code.used_by.unwrap_or_default(),
            },
            _ => VoidError::Void,
        });
    }
    let before = admin_code(at.zone, at.secs, row.clone());
    let (member_id, points) = (row.member_id, row.points_paid);
    if points > 0 {
        let before_this = db::codes::refunded_of_debit(tx, row.history_id, &canon).await?;
        let c = &row.code;
        let reference = ledger::Reference::labelled(
            "code",
            canon.clone(),
            format!("{}（作废：{reason}）", c.offer_zh),
            format!("{} (voided: {reason})", c.offer_en),
        );
        ledger::refund_part(tx, member_id, row.history_id, before_this..before_this + points, at, &reference).await?;
        db::codes::set_refunded(tx, &canon, points).await?;
    }
    if let (Some(item_id), Some(order_id)) = (row.item_id, row.order_id) {
        db::items::give_back(tx, member_id, item_id, 1).await?;
        // A voucher bought with a cash part: its unit's cash is owed back (the host refunds).
        let owed_before = db::orders::any(tx, order_id).await?.and_then(|o| o.cash_refund_due_fen);
        db::orders::add_unit_refund_due(tx, order_id).await?;
        super::outbox::note_refund_due(tx, member_id, order_id, owed_before, at.secs).await?;
    }
    let after = admin_code(at.zone, at.secs, db::codes::staff_one(tx, &canon).await?.ok_or(VoidError::NotFound)?);
    let act = audit::Act { actor, action: "code.void", target_kind: "code", at: at.secs };
    let record = serde_json::json!({ "code": after, "refunded_points": points.max(0) });
    audit::record(tx, act, &canon, Some(&before), Some(&record)).await?;
    Ok(after)
}
