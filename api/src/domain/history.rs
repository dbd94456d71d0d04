//! The point history as the member reads it, newest first. A read never writes: what the
//! next write or the sweep will record (lapsed checkout holds coming back, matured
//! purchase points, due lots expiring) appears on the first page as pending entries, so
//! the entries always add up to the balance the member is shown.

use chrono_tz::Tz;
use mall_core::{
    dto::{EntryKind, HistoryEntry, HistoryFilter, I18nText, Reference},
    earning::MonthTotal,
    stats::Bucket,
};

use super::ledger::At;
use crate::{
    clock,
    db::{self, history::EntryRow, Pool},
};

fn entry(zone: Tz, row: EntryRow) -> HistoryEntry {
    let label = match (row.label_zh, row.label_en) {
        (Some(zh), Some(en)) => Some(I18nText { zh, en }),
        _ => None,
    };
    let reference = match (row.ref_kind, row.ref_id) {
        (Some(kind), Some(id)) => Some(Reference { kind, id, label }),
        _ => None,
    };
    HistoryEntry {
        id: row.id,
        kind: row.kind,
        amount: row.amount,
        balance_after: row.balance_after,
        reference,
        created_at: clock::rfc3339(zone, row.created_at),
    }
}

/// Up to `limit` entries older than `before` (the first page without it), with `kind`'s
/// filter, and the whole-month totals of the months they fall in; read in one snapshot.
pub async fn page(
    reader: &Pool,
    at: At,
    member_id: i64,
    before: Option<i64>,
    kind: Option<HistoryFilter>,
    limit: i64,
) -> Result<(Vec<HistoryEntry>, Vec<MonthTotal>), sqlx::Error> {
    let mut tx = db::snapshot(reader).await?;
    let mut rows = Vec::with_capacity(limit as usize + 4);
    let pending = if before.is_none() { pending_rows(&mut tx, member_id, at, kind).await? } else { Vec::new() };
    rows.extend(pending.iter().cloned());
    rows.extend(db::history::page(&mut tx, member_id, before.unwrap_or(i64::MAX), kind, limit).await?);
    let mut months_of: Vec<String> = Vec::new();
    for row in &rows {
        if !months_of.contains(&row.month) {
            months_of.push(row.month.clone());
        }
    }
    let mut months: Vec<MonthTotal> = db::history::month_totals(&mut tx, member_id, &months_of)
        .await?
        .into_iter()
        .map(|m| MonthTotal { month: m.month, income: m.income, spending: m.spending })
        .collect();
    tx.commit().await?;
    let month = at.month();
    for row in &pending {
        let total = match months.iter_mut().find(|m| m.month == month) {
            Some(m) => m,
            None => {
                months.insert(0, MonthTotal { month: month.clone(), income: 0, spending: 0 });
                &mut months[0]
            }
        };
        if row.amount > 0 {
            total.income += row.amount;
        } else {
            total.spending -= row.amount;
        }
    }
    Ok((rows.into_iter().map(|row| entry(at.zone, row)).collect(), months))
}

/// What the member's next write will record (`ledger::catch_up`), as entries for the
/// first page, newest first: lapsed holds and lapsed unpaid orders coming back, matured purchases and the
/// shortfall they pay, due lots expiring. Only those `kind` shows.
async fn pending_rows(tx: &mut db::Tx, member_id: i64, at: At, kind: Option<HistoryFilter>) -> Result<Vec<EntryRow>, sqlx::Error> {
    let parts = db::lots::balance_parts(tx, member_id, at.secs).await?;
    let steps = [
        (EntryKind::DeductionRelease, parts.held_back + parts.held_lapsed),
        (EntryKind::Refund, parts.unpaid_back + parts.unpaid_lapsed),
        (EntryKind::Purchase, parts.matured + parts.matured_expired),
        (EntryKind::PurchaseReversal, -parts.shortfall_settled()),
        (EntryKind::Expire, -(parts.due + parts.held_lapsed + parts.unpaid_lapsed + parts.matured_expired)),
    ];
    let next_id = db::history::last_id(tx, member_id).await? + 1;
    let mut balance = parts.stored;
    let mut rows = Vec::new();
    for (i, (entry_kind, amount)) in steps.into_iter().enumerate() {
        balance += amount;
        if amount == 0 || kind.is_some_and(|k| !Bucket::of(entry_kind, amount).shown_by(k)) {
            continue;
        }
        rows.push(EntryRow {
            id: next_id + i as i64,
            kind: entry_kind,
            amount,
            balance_after: balance,
            ref_kind: None,
            ref_id: None,
            label_zh: None,
            label_en: None,
            created_at: at.secs,
            month: at.month(),
        });
    }
    rows.reverse();
    Ok(rows)
}
