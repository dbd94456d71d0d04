//! The point history as the member reads it, newest first. A read never writes: points in
//! lots that are due but not yet recorded as expired appear on the first page as one
//! pending `expire` entry (the one the next write or the sweep records), so the entries
//! always add up to the balance the member is shown.

use chrono_tz::Tz;
use mall_core::{
    dto::{EntryKind, HistoryEntry, HistoryFilter, I18nText, Reference},
    earning::MonthTotal,
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
    let mut rows = Vec::with_capacity(limit as usize + 1);
    let shows_expiry = matches!(kind, None | Some(HistoryFilter::Expired));
    let due = if before.is_none() && shows_expiry { db::lots::due_points(&mut tx, member_id, at.secs).await? } else { 0 };
    if due > 0 {
        rows.push(EntryRow {
            id: db::history::last_id(&mut tx, member_id).await? + 1,
            kind: EntryKind::Expire,
            amount: -due,
            balance_after: db::lots::spendable_balance(&mut tx, member_id, at.secs).await?,
            ref_kind: None,
            ref_id: None,
            label_zh: None,
            label_en: None,
            created_at: at.secs,
            month: at.month(),
        });
    }
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
    if due > 0 {
        let month = at.month();
        match months.iter_mut().find(|m| m.month == month) {
            Some(m) => m.spending += due,
            None => months.insert(0, MonthTotal { month, income: 0, spending: due }),
        }
    }
    Ok((rows.into_iter().map(|row| entry(at.zone, row)).collect(), months))
}
