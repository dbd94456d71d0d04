//! Members: creating one (an invite code of its own and the welcome bonus, once), and the
//! lookups every route shares (does it exist, which tier is it).

use mall_core::{code::ALPHABET, dto::EntryKind, Rules, Tier};
use rand::Rng;

use super::ledger;
use crate::db::{self, Access, Tx};

/// Characters in an invite code.
const INVITE_CODE_LEN: usize = 8;

/// A member lookup that failed.
#[derive(Debug, thiserror::Error)]
pub enum MemberError {
    /// No member has this id.
    #[error("no member with id {0}")]
    NotFound(i64),
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
pub async fn create(tx: &mut Tx, rules: &Rules, id: i64, at: ledger::At) -> Result<bool, sqlx::Error> {
    let (zh, en, code) = (format!("会员{id}"), format!("Member {id}"), new_invite_code());
    let member = db::members::NewMember { id, name_zh: &zh, name_en: &en, growth: 0, created_at: at.secs, invite_code: &code };
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

/// The member's tier, from its growth; `NotFound` for an unknown id.
pub async fn tier(conn: &mut impl Access, rules: &Rules, id: i64) -> Result<Tier, MemberError> {
    db::members::growth(conn, id).await?.map(|g| rules.tiers.tier_for(g)).ok_or(MemberError::NotFound(id))
}
