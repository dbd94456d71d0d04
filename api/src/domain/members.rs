//! Members: creating one (an invite code of its own and the welcome bonus, once), the
//! lookups every route shares (does it exist, which tier is it, is it frozen), and the
//! back office's member control (search, the member page, freeze).

use mall_core::{
    code::ALPHABET,
    dto::{EntryKind, I18nText},
    earning::Lot,
    staff::{MemberDetail, MemberRow, MemberSearch},
    Rules, Tier,
};
use rand::Rng;

use super::{
    audit,
    ledger::{self, At},
    staff::Actor,
};
use crate::{
    clock,
    db::{self, Access, Pool, Tx},
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

/// Refuses a frozen member (the spending steps call it first: redeem, grab, make-up).
pub async fn ensure_not_frozen(conn: &mut impl Access, id: i64) -> Result<(), MemberError> {
    match db::members::frozen_reason(conn, id).await? {
        Some(reason) => Err(MemberError::Frozen(reason)),
        None => Ok(()),
    }
}

/// The back office's view of a member row.
fn staff_row(rules: &Rules, zone: chrono_tz::Tz, row: db::members::StaffViewRow) -> (MemberRow, Option<String>) {
    let m = row.member;
    let member = MemberRow {
        id: m.id,
        name: I18nText { zh: m.name_zh, en: m.name_en },
        tier: rules.tiers.tier_for(m.growth),
        balance: m.balance,
        frozen: row.frozen_reason,
    };
    (member, row.frozen_at.map(|t| clock::rfc3339(zone, t)))
}

/// The most members a search lists.
const SEARCH_LIMIT: i64 = 50;
/// The most history entries, orders and codes a member page shows.
const DETAIL_ROWS: i64 = 20;

/// Members whose id is `q` or whose name contains it.
pub async fn search(conn: &mut impl Access, rules: &Rules, at: At, q: &str) -> Result<MemberSearch, MemberError> {
    let q = q.trim();
    let id = q.parse::<i64>().unwrap_or(-1);
    let rows = db::members::search(conn, id, q, at.secs, SEARCH_LIMIT).await?;
    Ok(MemberSearch { members: rows.into_iter().map(|r| staff_row(rules, at.zone, r).0).collect() })
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

/// One member as an operator sees it: balance, tier, lots, newest history, orders, codes.
pub async fn detail(reader: &Pool, rules: &Rules, at: At, id: i64) -> Result<MemberDetail, MemberError> {
    let mut conn = reader.acquire().await?;
    let row = db::members::staff_view(&mut conn, id, at.secs).await?.ok_or(MemberError::NotFound(id))?;
    let growth = row.member.growth;
    let (member, frozen_at) = staff_row(rules, at.zone, row);
    let lots = lots(&mut conn, rules, at, id, 200).await?;
    let orders = db::orders::page(&mut conn, id, i64::MAX, DETAIL_ROWS).await?;
    let codes = super::sales::wallet(&mut conn, at.zone, id, at.secs).await?;
    drop(conn);
    let (history, _) = super::history::page(reader, at, id, None, None, DETAIL_ROWS).await?;
    Ok(MemberDetail {
        member,
        growth,
        frozen_at,
        lots,
        history,
        orders: orders.into_iter().map(|o| super::orders::order_from(at.zone, o)).collect(),
        codes: codes.into_iter().take(DETAIL_ROWS as usize).collect(),
    })
}

/// Freezes the member with `reason` (1–200 characters), or unfreezes it (`None`),
/// audited; returns the member as it is now.
pub async fn set_frozen(
    tx: &mut Tx,
    actor: &Actor,
    rules: &Rules,
    at: At,
    id: i64,
    reason: Option<&str>,
) -> Result<MemberRow, MemberError> {
    let before = db::members::staff_view(tx, id, at.secs).await?.ok_or(MemberError::NotFound(id))?;
    let before = staff_row(rules, at.zone, before).0;
    db::members::set_frozen(tx, id, reason.map(|r| (r, at.secs))).await?;
    let after = staff_row(rules, at.zone, db::members::staff_view(tx, id, at.secs).await?.ok_or(MemberError::NotFound(id))?).0;
    let action = if reason.is_some() { "member.freeze" } else { "member.unfreeze" };
    let act = audit::Act { actor, action, target_kind: "member", at: at.secs };
    audit::record(tx, act, &id.to_string(), Some(&before), Some(&after)).await?;
    Ok(after)
}

/// The member's spendable balance at `at`, inside a write (the audit log's "before").
pub async fn spendable(tx: &mut Tx, id: i64, at: At) -> Result<i64, MemberError> {
    exists(tx, id).await?;
    Ok(ledger::spendable_balance(tx, id, at).await?)
}
