//! The periodic sweep: records what time made due for every member (checkout holds and
//! unpaid orders that lapsed, their stock back, purchases whose return window ended, lots that expired: `ledger::catch_up`)
//! and credits the invites those settled purchases earned. Idempotent and safe next to
//! reads and spends (each member's catch-up runs in its own write transaction and only
//! takes what is still there). Reads do not wait for it: they already show the result.

use std::time::Duration;

use futures_util::FutureExt;

use mall_core::Rules;

use super::{
    earning,
    ledger::{self, At, LedgerError},
};
use crate::{clock::Clock, db};

/// Catches up every member with something due at `now` (the work list read on `reader`,
/// each member in its own transaction on `writer`); returns how many members it wrote
/// for. One process sweeps at a time (`db::job::SWEEP`): while another replica sweeps,
/// this returns 0 at once. Correctness does not depend on that lock: `catch_up` locks
/// the member's row, so two sweeps would still record each change once.
pub async fn run_once(reader: &db::Pool, writer: &db::Pool, rules: &Rules, now: At) -> Result<i64, LedgerError> {
    let Some(lock) = db::try_job_lock(reader, db::job::SWEEP).await? else {
        return Ok(0);
    };
    let swept = catch_up_all(reader, writer, rules, now).await;
    db::release_job_lock(lock, db::job::SWEEP).await?;
    swept
}

/// The sweep's work, without the one-process lock.
async fn catch_up_all(reader: &db::Pool, writer: &db::Pool, rules: &Rules, now: At) -> Result<i64, LedgerError> {
    let mut members = {
        let mut conn = reader.acquire().await?;
        let mut all = db::lots::members_with_due(&mut conn, now.secs).await?;
        all.extend(db::deductions::members_with_lapsed(&mut conn, now.secs).await?);
        all.extend(db::orders::members_with_lapsed(&mut conn, now.secs).await?);
        all.extend(db::earning::members_with_matured(&mut conn, now.secs).await?);
        all
    };
    members.sort_unstable();
    members.dedup();
    for &member_id in &members {
        db::transaction(writer, move |tx| ledger::catch_up(tx, member_id, now).boxed()).await?;
    }
    // The events table keeps a day of notices (enough for any reconnect).
    db::events::prune(&mut writer.acquire().await?, now.secs - 86_400).await?;
    let invitees = db::earning::invitees_due(&mut reader.acquire().await?).await?;
    for invitee in invitees {
        let rules = rules.clone();
        db::transaction(writer, move |tx| async move { earning::credit_invite(tx, &rules, invitee, now).await.map(|_| ()) }.boxed())
            .await?;
    }
    Ok(members.len() as i64)
}

/// Runs the sweep every `every` until the process ends, on the clock `clock` in `zone`.
pub fn spawn(reader: db::Pool, writer: db::Pool, clock: Clock, zone: chrono_tz::Tz, rules: Rules, every: Duration) {
    tokio::spawn(async move {
        // The first sweep one period after start (writes catch up on their own meanwhile).
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        loop {
            tick.tick().await;
            match run_once(&reader, &writer, &rules, At { secs: clock.now_secs(), zone }).await {
                Ok(n) if n > 0 => tracing::info!(members = n, "recorded due holds, settlements and expiry"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "sweep failed"),
            }
        }
    });
}
