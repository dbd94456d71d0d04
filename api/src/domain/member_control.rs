//! The back office's member control: search by id or name, the member page (balance,
//! tier, lots, newest history, orders, codes) and freezing, audited.

use mall_core::{
    dto::I18nText,
    staff::{MemberDetail, MemberRow, MemberSearch},
    Rules,
};

use super::{
    audit, history,
    ledger::At,
    members::{self, MemberError},
    orders,
    staff::Actor,
    wallet,
};
use crate::{
    clock,
    db::{self, Access, Pool, Tx},
};

/// The back office's view of a member row.
fn staff_row(rules: &Rules, zone: chrono_tz::Tz, row: db::members::StaffViewRow) -> (MemberRow, Option<String>) {
    let m = row.member;
    let member = MemberRow {
        id: m.id,
        tier: m.tier(&rules.tiers),
        name: I18nText { zh: m.name_zh, en: m.name_en },
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

/// One member as an operator sees it: balance, tier, lots, newest history, orders, codes.
pub async fn detail(reader: &Pool, rules: &Rules, at: At, id: i64) -> Result<MemberDetail, MemberError> {
    let mut conn = reader.acquire().await?;
    let row = db::members::staff_view(&mut conn, id, at.secs).await?.ok_or(MemberError::NotFound(id))?;
    let growth = row.member.growth;
    let (member, frozen_at) = staff_row(rules, at.zone, row);
    let lots = members::lots(&mut conn, rules, at, id, 200).await?;
    let orders = db::orders::page(&mut conn, id, i64::MAX, DETAIL_ROWS).await?;
    let codes = wallet::wallet(&mut conn, at.zone, id, at.secs).await?;
    let parts = db::lots::balance_parts(&mut conn, id, at.secs).await?;
    drop(conn);
    let (history, _) = history::page(reader, at, id, None, None, DETAIL_ROWS).await?;
    Ok(MemberDetail {
        member,
        growth,
        frozen_at,
        pending_points: parts.pending,
        shortfall_points: parts.shortfall - parts.shortfall_settled(),
        lots,
        history,
        orders: orders.into_iter().map(|o| orders::order_from(at, o)).collect(),
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
