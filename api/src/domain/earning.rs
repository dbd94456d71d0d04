//! Earning from outside the mall: purchases the host shop reports (points × tier
//! multiplier, floored; each `purchase_id` once) and invites (credited on the invitee's
//! first reported purchase, the inviter capped per month).

use mall_core::{
    dto::EntryKind,
    earning::{Award, CapReason, InviteInfo, PurchaseCredit, PurchaseReport},
    Rules,
};

use super::{
    ledger::{self, At},
    members::{self, MemberError},
};
use crate::db::{self, Access, Pool, Tx};

/// A refused or failed earning step.
#[derive(Debug, thiserror::Error)]
pub enum EarningError {
    /// The report is not usable (the reason).
    #[error("{0}")]
    Invalid(&'static str),
    /// The purchase was already reported.
    #[error("this purchase was already reported")]
    Replayed,
    /// The invite code is unknown or the member's own.
    #[error("that invite code is not valid")]
    InviteInvalid,
    /// The member already accepted an invite.
    #[error("you already accepted an invite")]
    AlreadyInvited,
    /// The member lookup failed.
    #[error(transparent)]
    Member(#[from] MemberError),
    /// The database failed.
    #[error("earning database error")]
    Db(#[from] sqlx::Error),
}

/// Credits a reported purchase inside `tx` (and, on the member's first, the invite).
pub async fn purchase(tx: &mut Tx, rules: &Rules, at: At, report: &PurchaseReport) -> Result<PurchaseCredit, EarningError> {
    if report.paid <= rust_decimal::Decimal::ZERO || report.purchase_id.is_empty() || report.purchase_id.len() > 64 {
        return Err(EarningError::Invalid("paid must be positive and purchase_id 1–64 characters"));
    }
    let tier = members::tier(tx, rules, report.member_id).await?;
    let points = rules.purchase_points(report.paid, tier);
    let growth = rules.purchase_growth(report.paid);
    let paid_fen: i64 = (report.paid * rust_decimal::Decimal::ONE_HUNDRED).trunc().try_into().unwrap_or(i64::MAX);
    let purchase =
        db::earning::NewPurchase { purchase_id: &report.purchase_id, member_id: report.member_id, paid_fen, points, created_at: at.secs };
    if !db::earning::insert_purchase(tx, &purchase).await? {
        return Err(EarningError::Replayed);
    }
    let reference = ledger::Reference::to("purchase", report.purchase_id.clone());
    ledger::earn(tx, rules, report.member_id, ledger::Earning { kind: EntryKind::Purchase, points, growth }, at, Some(&reference)).await?;
    let invite = credit_invite(tx, rules, report.member_id, at).await?;
    Ok(PurchaseCredit { points, growth, invite })
}

/// On the invitee's first purchase, credits the invite (inviter capped per month).
async fn credit_invite(tx: &mut Tx, rules: &Rules, invitee: i64, at: At) -> Result<Option<Award>, sqlx::Error> {
    if db::earning::purchase_count(tx, invitee).await? != 1 {
        return Ok(None);
    }
    // Marking the invite credited is conditional, so it happens once.
    let Some(inviter) = db::earning::credit_invite(tx, invitee, at.secs).await? else { return Ok(None) };
    let reference = ledger::Reference::to("invite", invitee.to_string());
    let welcome = ledger::Earning { kind: EntryKind::Invite, points: rules.invite_invitee_points, growth: 0 };
    ledger::earn(tx, rules, invitee, welcome, at, Some(&reference)).await?;
    if db::counters::bump(tx, &format!("invites:{}", at.month()), inviter, 1, Some(rules.invites_per_month)).await?.is_none() {
        let balance = ledger::spendable_balance(tx, inviter, at).await?;
        return Ok(Some(Award { awarded: 0, growth: 0, reason: Some(CapReason::MonthlyInviteCap), balance }));
    }
    let reward = ledger::Earning { kind: EntryKind::Invite, points: rules.invite_inviter_points, growth: rules.invite_growth };
    let balance = ledger::earn(tx, rules, inviter, reward, at, Some(&reference)).await?;
    Ok(Some(Award { awarded: rules.invite_inviter_points, growth: rules.invite_growth, reason: None, balance }))
}

/// The member's invite code and how many friends used it.
pub async fn invite_info(conn: &mut impl Access, member_id: i64) -> Result<InviteInfo, sqlx::Error> {
    let row = db::members::invites(conn, member_id).await?;
    Ok(InviteInfo { code: row.invite_code.unwrap_or_default(), accepted: row.accepted, credited: row.credited })
}

/// The member accepts a friend's invite code (once per member; never its own).
/// Takes a connection only for as long as each statement needs it (on PostgreSQL the
/// reader and the writer are one pool: holding one while waiting for another can starve it).
pub async fn accept_invite(writer: &Pool, reader: &Pool, member_id: i64, code: &str, now: i64) -> Result<(), EarningError> {
    let code = code.trim().to_ascii_uppercase();
    let inviter = match db::members::by_invite_code(&mut reader.acquire().await?, &code).await? {
        Some(id) if id != member_id => id,
        _ => return Err(EarningError::InviteInvalid),
    };
    if !db::earning::insert_invite(writer, member_id, inviter, now).await? {
        return Err(EarningError::AlreadyInvited);
    }
    Ok(())
}
