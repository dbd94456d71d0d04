//! The periodic expiry sweep: empties due lots of every member. Idempotent and safe next
//! to reads and spends (each member's expiry runs in its own transaction, and
//! `expire_due` only takes what is still there).

use std::time::Duration;

use crate::{ledger, startup::AppState};

/// Expires every due lot now; returns how many members had points expire.
pub async fn run_once(state: &AppState) -> Result<i64, sqlx::Error> {
    let now = state.at();
    let members: Vec<(i64,)> = sqlx::query_as("SELECT DISTINCT member_id FROM point_lots WHERE remaining > 0 AND expires_at <= $1")
        .bind(now.secs)
        .fetch_all(&state.pool)
        .await?;
    let mut expired = 0;
    for (member_id,) in members {
        let mut tx = crate::db::begin(&state.writer).await?;
        if ledger::expire_due(&mut tx, member_id, now).await? > 0 {
            expired += 1;
        }
        tx.commit().await?;
    }
    Ok(expired)
}

/// Runs the sweep every `every` until the process ends.
pub fn spawn(state: AppState, every: Duration) {
    tokio::spawn(async move {
        // The first sweep one period after start (reads and spends expire on their own meanwhile).
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        loop {
            tick.tick().await;
            match run_once(&state).await {
                Ok(n) if n > 0 => tracing::info!(members = n, "expired points"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "expiry sweep failed"),
            }
        }
    });
}
