//! The points ledger. Every change to a balance goes through here, inside the caller's
//! transaction: credits create lots, debits take from the soonest-expiring lots and
//! record which, expiry empties lots that are due. Balance = sum of history = sum of
//! open lot remainders.

use chrono_tz::Tz;
use mall_core::{dto::EntryKind, ErrorCode};

use crate::{clock, db::Tx, error::AppError};

/// The moment of a change and the zone that decides its local day and month.
#[derive(Debug, Clone, Copy)]
pub struct At {
    /// Unix seconds.
    pub secs: i64,
    /// The mall's zone.
    pub zone: Tz,
}

impl At {
    /// `YYYY-MM` of the local month.
    pub fn month(&self) -> String {
        clock::local_month(self.zone, self.secs)
    }
}

/// What a history entry points at, with a label to show.
#[derive(Debug, Clone, Default)]
pub struct Reference {
    /// `order`, `code`, `sale`…
    pub kind: String,
    /// Its id.
    pub id: String,
    /// Label in Chinese.
    pub label_zh: Option<String>,
    /// Label in English.
    pub label_en: Option<String>,
}

/// The member's balance as stored (call `expire_due` first for an up-to-date one).
pub async fn balance(conn: &mut crate::db::Conn, member_id: i64) -> Result<i64, sqlx::Error> {
    let (balance,): (i64,) = sqlx::query_as("SELECT balance FROM members WHERE id = $1").bind(member_id).fetch_one(conn).await?;
    Ok(balance)
}

/// The outcome of a debit.
#[derive(Debug, Clone, Copy)]
pub struct Debit {
    /// The history entry written.
    pub history_id: i64,
    /// The balance right after.
    pub balance_after: i64,
}

async fn write_history(
    tx: &mut Tx<'_>,
    member_id: i64,
    kind: EntryKind,
    amount: i64,
    balance_after: i64,
    at: At,
    reference: Option<&Reference>,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO history (member_id, kind, amount, balance_after, ref_kind, ref_id, label_zh, label_en, created_at, month) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(member_id)
    .bind(kind.as_str())
    .bind(amount)
    .bind(balance_after)
    .bind(reference.map(|r| r.kind.as_str()))
    .bind(reference.map(|r| r.id.as_str()))
    .bind(reference.and_then(|r| r.label_zh.as_deref()))
    .bind(reference.and_then(|r| r.label_en.as_deref()))
    .bind(at.secs)
    .bind(at.month())
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Credits `amount` points as a new lot expiring at `expires_at`; returns the balance after.
pub async fn credit(
    tx: &mut Tx<'_>,
    member_id: i64,
    kind: EntryKind,
    amount: i64,
    at: At,
    expires_at: i64,
    reference: Option<&Reference>,
) -> Result<i64, sqlx::Error> {
    let (balance_after,): (i64,) = sqlx::query_as("UPDATE members SET balance = balance + $1 WHERE id = $2 RETURNING balance")
        .bind(amount)
        .bind(member_id)
        .fetch_one(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO point_lots (member_id, amount, remaining, earned_at, expires_at) VALUES ($1, $2, $2, $3, $4)")
        .bind(member_id)
        .bind(amount)
        .bind(at.secs)
        .bind(expires_at)
        .execute(&mut **tx)
        .await?;
    write_history(tx, member_id, kind, amount, balance_after, at, reference).await?;
    Ok(balance_after)
}

/// Takes `amount` points (> 0) from the member: a conditional update that refuses to go
/// below zero, then the soonest-expiring open lots, each recorded in `lot_debits`.
pub async fn debit(
    tx: &mut Tx<'_>,
    member_id: i64,
    kind: EntryKind,
    amount: i64,
    at: At,
    reference: Option<&Reference>,
) -> Result<Debit, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("UPDATE members SET balance = balance - $1 WHERE id = $2 AND balance >= $1 RETURNING balance")
        .bind(amount)
        .bind(member_id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some((balance_after,)) = row else {
        let balance = balance(tx, member_id).await?;
        return Err(AppError::new(
            ErrorCode::InsufficientPoints,
            format!("this needs {amount} points and the balance is {balance}; {} short", amount - balance),
        ));
    };
    let history_id = write_history(tx, member_id, kind, -amount, balance_after, at, reference).await?;
    let lots: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, remaining FROM point_lots WHERE member_id = $1 AND remaining > 0 AND expires_at > $2 \
         ORDER BY expires_at, id",
    )
    .bind(member_id)
    .bind(at.secs)
    .fetch_all(&mut **tx)
    .await?;
    let mut left = amount;
    for (lot_id, remaining) in lots {
        if left == 0 {
            break;
        }
        let take = remaining.min(left);
        sqlx::query("UPDATE point_lots SET remaining = remaining - $1 WHERE id = $2").bind(take).bind(lot_id).execute(&mut **tx).await?;
        sqlx::query("INSERT INTO lot_debits (history_id, lot_id, amount) VALUES ($1, $2, $3)")
            .bind(history_id)
            .bind(lot_id)
            .bind(take)
            .execute(&mut **tx)
            .await?;
        left -= take;
    }
    if left != 0 {
        return Err(AppError::internal(format!("ledger out of balance: member {member_id} lots short by {left} points")));
    }
    Ok(Debit { history_id, balance_after })
}

/// Empties the member's lots that expired by `now`, with one `expire` history entry.
/// Idempotent: a second call finds nothing due.
pub async fn expire_due(tx: &mut Tx<'_>, member_id: i64, now: At) -> Result<i64, sqlx::Error> {
    let due: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, remaining FROM point_lots WHERE member_id = $1 AND remaining > 0 AND expires_at <= $2 ORDER BY expires_at, id",
    )
    .bind(member_id)
    .bind(now.secs)
    .fetch_all(&mut **tx)
    .await?;
    let total: i64 = due.iter().map(|(_, r)| r).sum();
    if total == 0 {
        return Ok(0);
    }
    let (balance_after,): (i64,) = sqlx::query_as("UPDATE members SET balance = balance - $1 WHERE id = $2 RETURNING balance")
        .bind(total)
        .bind(member_id)
        .fetch_one(&mut **tx)
        .await?;
    let history_id = write_history(tx, member_id, EntryKind::Expire, -total, balance_after, now, None).await?;
    for (lot_id, remaining) in due {
        sqlx::query("UPDATE point_lots SET remaining = 0 WHERE id = $1 AND remaining = $2")
            .bind(lot_id)
            .bind(remaining)
            .execute(&mut **tx)
            .await?;
        sqlx::query("INSERT INTO lot_debits (history_id, lot_id, amount) VALUES ($1, $2, $3)")
            .bind(history_id)
            .bind(lot_id)
            .bind(remaining)
            .execute(&mut **tx)
            .await?;
    }
    Ok(total)
}

/// Puts the points of debit `debit_history_id` back into the lots they came from, as a
/// `refund` entry; lots that have expired meanwhile expire again at once (an `expire`
/// entry). Returns the points refunded.
pub async fn refund(
    tx: &mut Tx<'_>,
    member_id: i64,
    debit_history_id: i64,
    at: At,
    reference: Option<&Reference>,
) -> Result<i64, sqlx::Error> {
    let taken: Vec<(i64, i64)> = sqlx::query_as("SELECT lot_id, amount FROM lot_debits WHERE history_id = $1 ORDER BY lot_id")
        .bind(debit_history_id)
        .fetch_all(&mut **tx)
        .await?;
    let total: i64 = taken.iter().map(|(_, a)| a).sum();
    if total == 0 {
        return Ok(0);
    }
    for (lot_id, amount) in &taken {
        sqlx::query("UPDATE point_lots SET remaining = remaining + $1 WHERE id = $2").bind(amount).bind(lot_id).execute(&mut **tx).await?;
    }
    let (balance_after,): (i64,) = sqlx::query_as("UPDATE members SET balance = balance + $1 WHERE id = $2 RETURNING balance")
        .bind(total)
        .bind(member_id)
        .fetch_one(&mut **tx)
        .await?;
    write_history(tx, member_id, EntryKind::Refund, total, balance_after, at, reference).await?;
    expire_due(tx, member_id, at).await?;
    Ok(total)
}

/// Adds growth (never negative: growth only goes up).
pub async fn add_growth(tx: &mut Tx<'_>, member_id: i64, growth: i64) -> Result<(), sqlx::Error> {
    if growth > 0 {
        sqlx::query("UPDATE members SET growth = growth + $1 WHERE id = $2").bind(growth).bind(member_id).execute(&mut **tx).await?;
    }
    Ok(())
}

/// What one earning event gives: points (a new lot) and growth, under a history kind.
#[derive(Debug, Clone, Copy)]
pub struct Earning {
    /// The history entry's kind.
    pub kind: EntryKind,
    /// Points credited (nothing is written for zero).
    pub points: i64,
    /// Growth added towards the tier.
    pub growth: i64,
}

/// Credits a new lot expiring by the rules and adds growth: the usual earning step.
/// Returns the balance after.
pub async fn earn(
    tx: &mut Tx<'_>,
    rules: &mall_core::Rules,
    member_id: i64,
    Earning { kind, points, growth }: Earning,
    at: At,
    reference: Option<&Reference>,
) -> Result<i64, sqlx::Error> {
    add_growth(tx, member_id, growth).await?;
    if points <= 0 {
        return balance(tx, member_id).await;
    }
    let expires = clock::lot_expiry(at.zone, at.secs, rules.lot_lifetime_months);
    credit(tx, member_id, kind, points, at, expires, reference).await
}
