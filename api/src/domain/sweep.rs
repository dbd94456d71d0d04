//! The periodic expiry sweep: records the expiry of every member's due lots. Idempotent and
//! safe next to reads and spends (each member's expiry runs in its own write transaction,
//! and `expire_due` only takes what is still there). Reads do not wait for it: they
//! already show due lots as expired.

use std::time::Duration;

use futures_util::FutureExt;

use super::ledger::{self, At};
use crate::{clock::Clock, db};

/// Expires every lot due at `now` (the work list read on `reader`, each member's expiry
/// in its own transaction on `writer`); returns how many members had points expire. One
/// process sweeps at a time (`db::job::SWEEP`): while another replica sweeps, this
/// returns 0 at once. Correctness does not depend on that lock: `expire_due` locks the
/// member's row, so two sweeps would still expire each lot once.
pub async fn run_once(reader: &db::Pool, writer: &db::Pool, now: At) -> Result<i64, sqlx::Error> {
    let Some(lock) = db::try_job_lock(reader, db::job::SWEEP).await? else {
        return Ok(0);
    };
    let swept = expire_all(reader, writer, now).await;
    db::release_job_lock(lock, db::job::SWEEP).await?;
    swept
}

/// The sweep's work, without the one-process lock.
async fn expire_all(reader: &db::Pool, writer: &db::Pool, now: At) -> Result<i64, sqlx::Error> {
    let members = db::lots::members_with_due(&mut reader.acquire().await?, now.secs).await?;
    let mut expired = 0;
    for member_id in members {
        let points = db::transaction(writer, |tx| ledger::expire_due(tx, member_id, now).boxed()).await?;
        if points > 0 {
            expired += 1;
        }
    }
    Ok(expired)
}

/// Runs the sweep every `every` until the process ends, on the clock `clock` in `zone`.
pub fn spawn(reader: db::Pool, writer: db::Pool, clock: Clock, zone: chrono_tz::Tz, every: Duration) {
    tokio::spawn(async move {
        // The first sweep one period after start (writes expire on their own meanwhile).
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        loop {
            tick.tick().await;
            match run_once(&reader, &writer, At { secs: clock.now_secs(), zone }).await {
                Ok(n) if n > 0 => tracing::info!(members = n, "expired points"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "expiry sweep failed"),
            }
        }
    });
}
