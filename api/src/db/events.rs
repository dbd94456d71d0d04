//! Live notices: the `member_events` rows a member's event stream reads, and the wake-ups
//! that tell a stream to read them. An event row is written in the transaction of its
//! change; the wake-up goes out only once that transaction committed (`Tx::commit`): to
//! the process's own streams at once, and on PostgreSQL to the other replicas' listeners
//! by `pg_notify`, sent after the commit by the process's publisher.
//!
//! A `pg_notify` inside a write transaction would make its commit take PostgreSQL's one
//! notification lock, held until the commit is flushed: every notifying commit of the
//! database waits for the one before (with `pgbench`, 10 clients updating their own rows
//! ran at 9,100 commits/s without a notification and 4,100 with one), and a redeem
//! waited there holding its member's and its item's rows. The publisher sends the
//! wake-ups of many commits in one notification instead. When a process stops between a
//! commit and its notification, the other replicas' streams find the event at their next
//! heartbeat (events are never lost, only wake-ups).

use std::{
    collections::HashMap,
    sync::{Arc, LazyLock, Mutex, OnceLock},
};

use sqlx::postgres::{PgListener, PgPool};
use tokio::sync::{broadcast, mpsc};

use super::{on, Access, Engine, Pool, Tx};

/// The PostgreSQL channel of wake-ups; the payload is `sender:id,id,…` (see [`payload`]).
pub(super) const CHANNEL: &str = "member_events";

/// Member ids per notification: at most 20 bytes each, within PostgreSQL's 8,000-byte
/// payload.
const IDS_PER_NOTIFICATION: usize = 300;

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
    on!(tx, |c| sqlx::query("INSERT INTO member_events (member_id, kind, data, created_at) VALUES ($1, $2, $3, $4)")
        .bind(member_id)
        .bind(kind)
        .bind(data)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    tx.wake_after_commit(member_id);
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

/// This process's mark on its notifications: its listener skips them (its own streams
/// were woken at commit).
fn sender() -> &'static str {
    static SENDER: LazyLock<String> = LazyLock::new(|| format!("{:016x}", rand::random::<u64>()));
    &SENDER
}

/// A notification's payload: the sender, then the member ids.
fn payload(sender: &str, members: &[i64]) -> String {
    let ids: Vec<String> = members.iter().map(i64::to_string).collect();
    format!("{sender}:{}", ids.join(","))
}

/// The member ids of a notification another process sent (none of this process's own;
/// a bare id, as replicas before the publisher sent, is read too).
fn woken_by(payload: &str) -> Vec<i64> {
    let ids = match payload.split_once(':') {
        Some((from, _)) if from == sender() => return Vec::new(),
        Some((_, ids)) => ids,
        None => payload,
    };
    ids.split(',').filter_map(|id| id.parse().ok()).collect()
}

/// Tells the other replicas (through the process's publisher for `pool`, started on
/// first use) that the members have new events: called once their transaction
/// committed.
pub(super) fn publish(pool: &PgPool, members: &[i64]) {
    /// Each pool's publisher, by the address of its connection options (the same for
    /// every clone of a pool, and kept alive by its publisher's clone).
    static PUBLISHERS: LazyLock<Mutex<HashMap<usize, mpsc::UnboundedSender<i64>>>> = LazyLock::new(Mutex::default);
    let key = Arc::as_ptr(&pool.connect_options()) as usize;
    let mut publishers = PUBLISHERS.lock().unwrap_or_else(|e| e.into_inner());
    for &member in members {
        let sent = publishers.get(&key).is_some_and(|p| p.send(member).is_ok());
        if !sent {
            // None yet, or its task ended (its runtime or its pool did): a new one.
            let (to, from) = mpsc::unbounded_channel();
            tokio::spawn(run_publisher(pool.clone(), from));
            let _ = to.send(member);
            publishers.insert(key, to);
        }
    }
}

/// Sends the wake-ups queued for `pool`, the ones of every commit since its last
/// notification in one, until the pool closes. A notification that fails is logged; the
/// other replicas' streams find those events at their next heartbeat.
async fn run_publisher(pool: PgPool, mut queued: mpsc::UnboundedReceiver<i64>) {
    while let Some(first) = queued.recv().await {
        let mut members = vec![first];
        while let Ok(more) = queued.try_recv() {
            members.push(more);
        }
        members.sort_unstable();
        members.dedup();
        for chunk in members.chunks(IDS_PER_NOTIFICATION) {
            let sent = sqlx::query("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(payload(sender(), chunk)).execute(&pool).await;
            match sent {
                Ok(_) => {}
                Err(sqlx::Error::PoolClosed) => return,
                Err(e) => tracing::warn!(error = %e, members = chunk.len(), "wake-ups not sent to the other replicas"),
            }
        }
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

/// On PostgreSQL, listens for the other replicas' wake-ups and passes them to this
/// process's streams, until the process ends. When its connection drops, the wake-ups of
/// that moment are lost: it sends [`RESYNC`] (now, and again once it listens again), so
/// each dispatcher reads once which members had events; streams also re-read at each
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
                    for member_id in woken_by(note.payload()) {
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
