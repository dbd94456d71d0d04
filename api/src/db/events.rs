//! Live notices: the `member_events` rows a member's event stream reads, and the wake-ups
//! that tell a stream to read them. An event row is written in the transaction of its
//! change; the wake-up goes out only once that transaction committed: on PostgreSQL by
//! `pg_notify` (delivered at commit, to every replica's listener), on SQLite by the
//! process's own channel when `Tx::commit` succeeds (one process serves a SQLite file).

use std::sync::OnceLock;

use sqlx::postgres::PgListener;
use tokio::sync::broadcast;

use super::{on, Access, Engine, Exec, Pool, Tx};

/// The PostgreSQL channel of wake-ups; the payload is the member id.
pub(super) const CHANNEL: &str = "member_events";

/// A wake-up that names no member: wake-ups may have been lost (the PostgreSQL listener
/// lost its connection), so each replica's dispatcher looks once for recent events.
pub const RESYNC: i64 = -1;

/// The process's wake-ups: member ids with new events (or [`RESYNC`]). Each replica's
/// dispatcher (`domain::streams`) is the one subscriber and wakes that member's streams;
/// when it lags, it reads once which members had events meanwhile (an event is never
/// lost, only a wake-up).
pub fn wakeups() -> &'static broadcast::Sender<i64> {
    static WAKEUPS: OnceLock<broadcast::Sender<i64>> = OnceLock::new();
    WAKEUPS.get_or_init(|| broadcast::channel(1024).0)
}

/// An event as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    /// Its id (the stream's `id:`, for `Last-Event-ID`).
    pub id: i64,
    /// `balance` or `code`.
    pub kind: String,
    /// Its JSON.
    pub data: String,
}

/// Records an event for the member in `tx` and arranges its wake-up after commit.
pub async fn record(tx: &mut Tx, member_id: i64, kind: &str, data: &str, now: i64) -> Result<(), sqlx::Error> {
    macro_rules! insert {
        () => {
            "INSERT INTO member_events (member_id, kind, data, created_at) VALUES ($1, $2, $3, $4)"
        };
    }
    match tx.exec() {
        Exec::Postgres(c) => {
            // The row and its wake-up in one round trip.
            let sql = concat!("WITH e AS (", insert!(), " RETURNING member_id) SELECT pg_notify($5, CAST(member_id AS TEXT)) FROM e");
            let outcome = sqlx::query(sql).bind(member_id).bind(kind).bind(data).bind(now).bind(CHANNEL).execute(c).await;
            tx.saw(&outcome);
            outcome?;
        }
        Exec::Sqlite(c) => {
            let outcome = sqlx::query(insert!()).bind(member_id).bind(kind).bind(data).bind(now).execute(c).await;
            tx.saw(&outcome);
            outcome?;
            tx.wake_after_commit(member_id);
        }
    }
    Ok(())
}

/// A balance notice's JSON (`mall_core::notice::BalanceNotice`: its fields, in order) built
/// by the database from SQL expressions, for a write that records its notice in the round
/// trip that makes the change (`lots::take`). Streams send `data` as stored.
pub(super) fn balance_notice_sql(engine: Engine, balance: &str, delta: &str, kind: &str, entry_id: &str) -> String {
    let fields = format!("'balance', {balance}, 'delta', {delta}, 'kind', {kind}, 'entry_id', {entry_id}");
    match engine {
        Engine::Sqlite => format!("json_object({fields})"),
        Engine::Postgres => format!("CAST(json_build_object({fields}) AS TEXT)"),
    }
}

/// Arranges the wake-up of an event row the caller wrote in `tx` by other means
/// (`balance_notice_sql`); on PostgreSQL the caller's statement sent it (`pg_notify` on
/// [`CHANNEL`]).
pub(super) fn woken_by_commit(tx: &mut Tx, member_id: i64) {
    if let Exec::Sqlite(_) = tx.exec() {
        tx.wake_after_commit(member_id);
    }
}

/// The member's events after `after`, oldest first (at most `limit`).
pub async fn after(conn: &mut impl Access, member_id: i64, after: i64, limit: i64) -> Result<Vec<EventRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as("SELECT id, kind, data FROM member_events WHERE member_id = $1 AND id > $2 ORDER BY id LIMIT $3")
        .bind(member_id)
        .bind(after)
        .bind(limit)
        .fetch_all(c)
        .await)
}

/// The id of the member's newest event (0 without any).
pub async fn last_id(conn: &mut impl Access, member_id: i64) -> Result<i64, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM member_events WHERE member_id = $1")
        .bind(member_id)
        .fetch_one(c)
        .await)
}

/// The members with events recorded at or after `since` (Unix seconds): one read for
/// every stream of a replica whose wake-ups were lost.
pub async fn members_since(conn: &mut impl Access, since: i64) -> Result<Vec<i64>, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar("SELECT DISTINCT member_id FROM member_events WHERE created_at >= $1").bind(since).fetch_all(c).await)
}

/// Drops at most `limit` events older than `before` (Unix seconds); returns how many.
pub async fn prune(conn: &mut impl Access, before: i64, limit: i64) -> Result<u64, sqlx::Error> {
    on!(conn, |c| sqlx::query("DELETE FROM member_events WHERE id IN (SELECT id FROM member_events WHERE created_at < $1 LIMIT $2)")
        .bind(before)
        .bind(limit)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))
}

/// On PostgreSQL, listens for every replica's wake-ups and passes them to this process's
/// streams, until the process ends. When its connection drops, the wake-ups of that
/// moment are lost: it sends [`RESYNC`] (now, and again once it listens again), so each
/// dispatcher reads once which members had events; streams also re-read at each
/// heartbeat. Nothing to do on SQLite.
pub async fn spawn_listener(pool: &Pool) -> Result<(), sqlx::Error> {
    let Pool::Postgres(pg) = pool else { return Ok(()) };
    let mut listener = PgListener::connect_with(pg).await?;
    listener.listen(CHANNEL).await?;
    tokio::spawn(async move {
        let mut lost = false;
        loop {
            // `try_recv` reconnects (and listens again) on the call after a loss.
            match listener.try_recv().await {
                Ok(Some(note)) => {
                    if lost {
                        lost = false;
                        let _ = wakeups().send(RESYNC);
                    }
                    if let Ok(member_id) = note.payload().parse::<i64>() {
                        let _ = wakeups().send(member_id);
                    }
                }
                Ok(None) => {
                    tracing::warn!("event listener lost its connection; reconnecting");
                    lost = true;
                    let _ = wakeups().send(RESYNC);
                    // Once it listens again (a second or so), look again for what came
                    // in between.
                    tokio::spawn(async {
                        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
                        let _ = wakeups().send(RESYNC);
                    });
                }
                Err(e) => {
                    tracing::warn!(error = %e, "event listener cannot reconnect yet");
                    lost = true;
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
            }
        }
    });
    Ok(())
}
