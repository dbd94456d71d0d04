//! Earning from outside the mall: purchases the host shop reports (points × tier
//! multiplier, floored; each `purchase_id` once; pending until the return window ends),
//! refunds that take those points back (each `refund_id` once), and invites (credited
//! once the invitee's first reported purchase settles, the inviter capped per month).

use futures_util::FutureExt;
use mall_core::{
    checkout::{self, RefundOutcome, RefundReport},
    dto::EntryKind,
    earning::{Award, CapReason, InviteInfo, PurchaseCredit, PurchaseReport},
    Rules,
};
use rust_decimal::Decimal;

use super::{
    campaigns::{self, CampaignError},
    ledger::{self, At, LedgerError},
    members::{self, MemberError},
};
use crate::{
    clock,
    db::{self, Access, Pool, Tx},
};

/// A refused or failed earning step.
#[derive(Debug, thiserror::Error)]
pub enum EarningError {
    /// The report is not usable (the reason).
    #[error("{0}")]
    Invalid(&'static str),
    /// The purchase was already reported (with no answer kept to replay).
    #[error("this purchase_id was already reported")]
    Replayed,
    /// The refund was already reported (with no answer kept to replay).
    #[error("this refund_id was already reported")]
    RefundReplayed,
    /// No purchase with this id.
    #[error("no purchase {0} was reported")]
    PurchaseNotFound(String),
    /// Refunds beyond what the purchase paid.
    #[error("refunds would come to ¥{refunded}, more than the ¥{paid} paid")]
    RefundExceedsPaid {
        /// What all refunds would come to.
        refunded: Decimal,
        /// What the purchase paid.
        paid: Decimal,
    },
    /// The invite code is unknown or the member's own.
    #[error("that invite code is not valid")]
    InviteInvalid,
    /// The member already accepted an invite.
    #[error("you already accepted an invite")]
    AlreadyInvited,
    /// The member already bought: invites are for members who have not.
    #[error("invites are for new customers: you have already made a purchase")]
    InviteTooLate,
    /// The member lookup failed.
    #[error(transparent)]
    Member(#[from] MemberError),
    /// A ledger step failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// A campaign step failed.
    #[error(transparent)]
    Campaign(#[from] CampaignError),
    /// The database failed.
    #[error("earning database error")]
    Db(#[from] sqlx::Error),
}

/// Yuan with at most two decimals as fen; `None` otherwise (or out of range).
pub fn fen(yuan: Decimal) -> Option<i64> {
    let fen = yuan * Decimal::ONE_HUNDRED;
    (fen.fract().is_zero()).then(|| i64::try_from(fen.trunc()).ok()).flatten()
}

/// An id the host sends (`purchase_id`, `refund_id`, `order_id`): 1–64 characters, none
/// hidden (`text::readable`, as every text the mall may show).
pub fn valid_host_id(id: &str) -> bool {
    (1..=64).contains(&id.chars().count()) && mall_core::text::readable(id)
}

/// Records a reported purchase inside `tx`: pending until `settles_at` (the return
/// window), or settled at once when that is not in the future; a settlement credits the
/// invite it makes due.
pub async fn purchase(tx: &mut Tx, rules: &Rules, at: At, report: &PurchaseReport) -> Result<PurchaseCredit, EarningError> {
    let paid_fen = fen(report.paid).filter(|f| *f > 0);
    let (Some(paid_fen), true) = (paid_fen, valid_host_id(&report.purchase_id)) else {
        return Err(EarningError::Invalid("paid must be a positive amount in yuan (at most 2 decimals) and purchase_id 1–64 characters"));
    };
    let settles_at = match &report.settles_at {
        Some(text) => chrono::DateTime::parse_from_rfc3339(text)
            .map_err(|_| EarningError::Invalid("settles_at must be an RFC 3339 time such as 2026-12-08T12:00:00+08:00"))?
            .timestamp(),
        None => at.secs + rules.return_window_days * 86_400,
    }
    .max(at.secs);
    // Before the purchase row: an invite accepted at the same time is decided by this
    // lock (`accept_invite`).
    db::members::lock(tx, report.member_id).await?;
    let tier = members::tier(tx, rules, report.member_id).await?;
    let points = rules.purchase_points(report.paid, tier);
    let growth = rules.purchase_growth(report.paid);
    // A campaign's bonus on the tiered points (`campaign::stack`), its budget taken now
    // (a replay rolls this transaction back, the budget with it).
    let base: i64 = (report.paid.trunc() * Decimal::from(rules.purchase_points_per_yuan)).try_into().unwrap_or(0);
    let boost = campaigns::on_purchase(tx, rules, at, tier, base).await?;
    let purchase = db::earning::NewPurchase {
        purchase_id: &report.purchase_id,
        member_id: report.member_id,
        paid_fen,
        points,
        growth,
        created_at: at.secs,
        settles_at,
        lot_expires_at: clock::lot_expiry(at.zone, settles_at, rules.lot_lifetime_months),
        campaign_id: boost.map(|(id, _)| id),
        campaign_points: boost.map_or(0, |(_, n)| n),
    };
    if !db::earning::insert_purchase(tx, &purchase).await? {
        return Err(EarningError::Replayed);
    }
    ledger::catch_up(tx, report.member_id, at).await?;
    let invite = credit_invite(tx, rules, report.member_id, at).await?;
    Ok(PurchaseCredit {
        points,
        growth,
        invite,
        campaign_points: purchase.campaign_points,
        pending: settles_at > at.secs,
        settles_at: clock::rfc3339(at.zone, settles_at),
    })
}

/// Takes back what a refund of a purchase makes due: `floor(points × Σ refunded ÷ paid)`
/// less what earlier refunds took. Inside the return window that cancels pending points;
/// after it, the points leave the balance, and what the balance cannot cover becomes the
/// member's shortfall.
pub async fn refund(tx: &mut Tx, at: At, report: &RefundReport) -> Result<RefundOutcome, EarningError> {
    let amount_fen = fen(report.amount).filter(|f| *f > 0);
    let (Some(amount_fen), true) = (amount_fen, valid_host_id(&report.refund_id)) else {
        return Err(EarningError::Invalid("amount must be a positive amount in yuan (at most 2 decimals) and refund_id 1–64 characters"));
    };
    let member_id = match db::earning::purchase(tx, &report.purchase_id).await? {
        Some(p) => p.member_id,
        None => return Err(EarningError::PurchaseNotFound(report.purchase_id.clone())),
    };
    // Settles the purchase first if its window has ended.
    ledger::catch_up(tx, member_id, at).await?;
    let p =
        db::earning::purchase(tx, &report.purchase_id).await?.ok_or_else(|| EarningError::PurchaseNotFound(report.purchase_id.clone()))?;
    let (paid, refunded) = (Decimal::new(p.paid_fen, 2), Decimal::new(p.refunded_fen + amount_fen, 2));
    if refunded > paid {
        return Err(EarningError::RefundExceedsPaid { refunded, paid });
    }
    // The campaign bonus goes back in the same share as the points.
    let campaign = (checkout::take_back(p.campaign_points, refunded, paid) - p.campaign_taken_back).max(0);
    let due = (checkout::take_back(p.points, refunded, paid) - p.taken_back).max(0) + campaign;
    let (mut taken, mut cancelled, mut shortfall) = (0, 0, 0);
    if p.settled_at.is_none() {
        cancelled = due;
    } else {
        taken = due.min(db::lots::stored_balance(tx, member_id).await?);
        shortfall = due - taken;
        if taken > 0 {
            let reference = ledger::Reference::to("purchase", p.purchase_id.clone());
            ledger::debit(tx, member_id, EntryKind::PurchaseReversal, taken, at, Some(&reference)).await?;
        }
        if shortfall > 0 {
            db::lots::add_shortfall(tx, member_id, shortfall).await?;
        }
    }
    let record = db::earning::NewRefund {
        refund_id: &report.refund_id,
        purchase_id: &p.purchase_id,
        amount_fen,
        taken,
        cancelled,
        shortfall,
        campaign,
        created_at: at.secs,
    };
    if !db::earning::insert_refund(tx, &record).await? {
        return Err(EarningError::RefundReplayed);
    }
    Ok(RefundOutcome {
        refund_id: report.refund_id.clone(),
        purchase_id: p.purchase_id,
        points_taken: taken,
        pending_cancelled: cancelled,
        shortfall_added: shortfall,
        balance: ledger::spendable_balance(tx, member_id, at).await?,
    })
}

/// Credits the invitee's invite once it is due: their first reported purchase has
/// settled (the inviter capped per month).
pub async fn credit_invite(tx: &mut Tx, rules: &Rules, invitee: i64, at: At) -> Result<Option<Award>, LedgerError> {
    // Marking the invite credited is conditional, so it happens once.
    let Some(inviter) = db::earning::credit_invite(tx, invitee, at.secs).await? else { return Ok(None) };
    let reference = ledger::Reference::to("invite", invitee.to_string());
    let welcome = ledger::Earning { kind: EntryKind::Invite, points: rules.invite_invitee_points, growth: 0 };
    ledger::earn(tx, rules, invitee, welcome, at, Some(&reference)).await?;
    let (scope, month_ends) = (format!("invites:{}", at.month()), Some(crate::clock::month_counter_expiry(at.zone, at.secs)));
    if db::counters::bump_until(tx, &scope, inviter, 1, Some(rules.invites_per_month), month_ends).await?.is_none() {
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
    Ok(InviteInfo { code: row.invite_code.unwrap_or_default(), accepted: row.accepted, credited: row.credited, invited: row.invited > 0 })
}

/// The member accepts a friend's invite code (once per member; never its own; only
/// before their first purchase). The refusal after a purchase is decided inside the
/// accepting transaction: it locks the member's row (as recording a purchase does first)
/// and inserts the invite only if no purchase of theirs exists, so of an accept and a
/// purchase report racing, the accept is recorded only if it took the lock first.
/// The code is looked up on the reader before the write transaction (on PostgreSQL the
/// reader and the writer are one pool: holding one while waiting for another can starve it).
pub async fn accept_invite(writer: &Pool, reader: &Pool, member_id: i64, code: &str, now: i64) -> Result<(), EarningError> {
    let code = code.trim().to_ascii_uppercase();
    let inviter = match db::members::by_invite_code(&mut reader.acquire().await?, &code).await? {
        Some(id) if id != member_id => id,
        _ => return Err(EarningError::InviteInvalid),
    };
    db::transaction(writer, move |tx| {
        async move {
            db::members::lock(tx, member_id).await?;
            if db::earning::insert_invite(tx, member_id, inviter, now).await? {
                Ok(())
            } else if db::earning::invited(tx, member_id).await? {
                Err(EarningError::AlreadyInvited)
            } else {
                Err(EarningError::InviteTooLate)
            }
        }
        .boxed()
    })
    .await
}
