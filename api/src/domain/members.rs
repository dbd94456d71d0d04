//! Members: creating one (an invite code of its own and the welcome bonus, once), and the
//! lookups every route shares (does it exist, which tier is it, is it frozen, its lots).

use mall_core::{code::ALPHABET, dto::EntryKind, earning::Lot, Rules, Tier};
use rand::Rng;

use super::ledger::{self, At};
use crate::{
    clock,
    db::{self, Access, Tx},
};

/// Characters in an invite code.
const INVITE_CODE_LEN: usize = 8;

/// A member lookup that failed.
#[derive(Debug, thiserror::Error)]
pub enum MemberError {
    /// No member has this id.
    #[error("no member with id {0}")]
    NotFound(i64),
    /// The member is frozen (the reason an operator gave): it may not spend.
    #[error("this account is frozen: {0}")]
    Frozen(String),
    /// The database failed.
    #[error("member database error")]
    Db(#[from] sqlx::Error),
}

/// A random invite code from the look-alike-free alphabet.
pub fn new_invite_code() -> String {
    let mut rng = rand::rngs::OsRng;
    (0..INVITE_CODE_LEN).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}

/// Creates member `id` (a host-shop member seen for the first time) with the register
/// bonus. Returns false if the member already existed (the insert is the "once").
pub async fn create(tx: &mut Tx, rules: &Rules, id: i64, at: ledger::At) -> Result<bool, ledger::LedgerError> {
    let (zh, en, code) = (format!("会员{id}"), format!("Member {id}"), new_invite_code());
    let member = db::members::NewMember {
        id,
        name_zh: &zh,
        name_en: &en,
        growth: 0,
        tier_reached: Tier::Member,
        created_at: at.secs,
        invite_code: &code,
    };
    let fresh = db::members::insert(tx, &member).await?;
    if fresh {
        let welcome = ledger::Earning { kind: EntryKind::Register, points: rules.register_points, growth: rules.register_growth };
        ledger::earn(tx, rules, id, welcome, at, None).await?;
    }
    Ok(fresh)
}

/// Refuses an unknown member id with `NotFound`.
pub async fn exists(conn: &mut impl Access, id: i64) -> Result<(), MemberError> {
    db::members::growth(conn, id).await?.map(|_| ()).ok_or(MemberError::NotFound(id))
}

/// The member's tier: the one its growth gives under `rules`, or the higher one it
/// reached before (a raised threshold demotes nobody); `NotFound` for an unknown id.
pub async fn tier(conn: &mut impl Access, rules: &Rules, id: i64) -> Result<Tier, MemberError> {
    let (growth, reached) = db::members::standing(conn, id).await?.ok_or(MemberError::NotFound(id))?;
    Ok(rules.tiers.held(growth, Tier::from_rank(reached)))
}

/// Refuses a frozen member (the spending steps call it first: redeem, grab, make-up).
pub async fn ensure_not_frozen(conn: &mut impl Access, id: i64) -> Result<(), MemberError> {
    match db::members::frozen_reason(conn, id).await? {
        Some(reason) => Err(MemberError::Frozen(reason)),
        None => Ok(()),
    }
}

/// The member's lots that still count at `at`, soonest to expire first (at most `limit`).
pub async fn lots(conn: &mut impl Access, rules: &Rules, at: At, member_id: i64, limit: i64) -> Result<Vec<Lot>, sqlx::Error> {
    let rows = db::lots::open(conn, member_id, at.secs, limit).await?;
    let horizon = at.secs + rules.expiring_soon_days * 86_400;
    Ok(rows
        .into_iter()
        .map(|lot| Lot {
            id: lot.id,
            remaining: lot.remaining,
            amount: lot.amount,
            earned_at: clock::rfc3339(at.zone, lot.earned_at),
            expires_on: clock::last_local_day(at.zone, lot.expires_at),
            expiring_soon: lot.expires_at <= horizon,
        })
        .collect())
}

/// The member's spendable balance at `at`, inside a write (the audit log's "before").
pub async fn spendable(tx: &mut Tx, id: i64, at: At) -> Result<i64, MemberError> {
    exists(tx, id).await?;
    Ok(ledger::spendable_balance(tx, id, at).await?)
}
