//! The data-access layer: every SQL statement of the server lives under `db/`, one module
//! per aggregate, as named functions taking a connection, a transaction or a pool and
//! returning `FromRow` rows or plain values. Nothing here knows HTTP or product rules.
//!
//! Two engines, chosen at start-up by `DATABASE_URL`: SQLite (embedded, the default) and
//! PostgreSQL (several API replicas on one database). `Pool`, `Conn` and `Tx` are enums
//! over the two; a query is written once inside `on!` (or `on_pool!`), which compiles it
//! for each engine, so rows and binds stay fully typed (sqlx's `Any` driver would erase
//! them). Where the engines need different SQL (locks, sequences), the function matches
//! on `Exec` itself. The schema is the same on both: BIGINT ids, amounts and Unix-second
//! times, TEXT for the rest (`migrations/sqlite/`, `migrations/postgres/`).
//!
//! Concurrency. SQLite: a read pool plus a one-connection writer, each write transaction
//! `BEGIN IMMEDIATE`, so writers are serialized. PostgreSQL: one pool of N connections,
//! READ COMMITTED; every ledger change locks the member's row first
//! (`members::lock`), stock and limits are conditional updates and capped upserts
//! (re-checked on the newest row version), "once" rules are constraints (the sale overlap
//! an exclusion constraint), and `transaction` retries serialization failures and
//! deadlocks.

pub mod addresses;
pub mod audit;
pub mod campaigns;
pub mod causes;
pub mod checkins;
pub mod codes;
pub mod counters;
pub mod deductions;
pub mod earning;
pub mod engagement;
pub mod events;
pub mod history;
pub mod idempotency;
pub mod images;
pub mod items;
pub mod lots;
pub mod lottery;
pub mod members;
pub mod merchants;
pub mod offers;
pub mod orders;
pub mod outbox;
pub mod profile;
pub mod rules;
pub mod sales;
pub mod sessions;
pub mod staff;
pub mod staff_login;
pub mod stats;

use std::{str::FromStr, time::Duration};

use futures_util::future::BoxFuture;
use sqlx::{
    migrate::Migrator,
    pool::PoolConnection,
    postgres::{PgConnectOptions, PgPoolOptions},
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    PgConnection, Postgres, Sqlite, SqliteConnection, Transaction,
};

/// The SQLite schema, in version order.
static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
/// The PostgreSQL schema: the same versions and tables as `SQLITE_MIGRATIONS`.
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// Which database engine a pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// One file on this machine (the default).
    Sqlite,
    /// A PostgreSQL server, shared by every replica.
    Postgres,
}

impl Engine {
    /// The engine a database URL names, or why the URL cannot be used: names
    /// `DATABASE_URL` and what it accepts, never repeats the value (a server URL may carry
    /// a password).
    pub fn of_url(url: &str) -> Result<Engine, String> {
        if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.strip_prefix("//").unwrap_or(rest);
            if path.trim().is_empty() || path.starts_with('?') {
                return Err(format!("DATABASE_URL names no database file; it must be {ACCEPTED_URLS}"));
            }
            return Ok(Engine::Sqlite);
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return match PgConnectOptions::from_str(url) {
                Ok(_) => Ok(Engine::Postgres),
                Err(e) => Err(format!("DATABASE_URL is not a usable PostgreSQL URL ({}); it must be {ACCEPTED_URLS}", redact(&e, url))),
            };
        }
        let scheme = url
            .split_once(':')
            .map(|(s, _)| s)
            .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)));
        let got = match scheme {
            Some(s) => format!("a {s}: URL"),
            None => "a value that is not a URL".to_string(),
        };
        Err(format!("DATABASE_URL must be {ACCEPTED_URLS}; got {got}"))
    }
}

/// Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
pub(crate) fn like_pattern(q: &str) -> String {
    let mut out = String::from("%");
    for c in q.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// What `DATABASE_URL` accepts.
pub const ACCEPTED_URLS: &str = "an SQLite URL (sqlite://<path>, e.g. sqlite://data/mall.db, sqlite:<path> or sqlite::memory:) \
     or a PostgreSQL URL (postgres://<user>:<password>@<host>:<port>/<database>, with ?sslmode=require for TLS)";

/// A driver's message about a URL, with the URL itself taken out.
fn redact(e: &sqlx::Error, url: &str) -> String {
    e.to_string().replace(url, "<DATABASE_URL>")
}

/// Refuses a database URL this build cannot open (see `Engine::of_url`).
pub fn check_url(url: &str) -> Result<(), String> {
    Engine::of_url(url).map(|_| ())
}

/// A connection pool on either engine.
#[derive(Debug, Clone)]
pub enum Pool {
    /// SQLite.
    Sqlite(sqlx::SqlitePool),
    /// PostgreSQL.
    Postgres(sqlx::PgPool),
}

/// A connection taken from a pool (returned to it when dropped).
#[derive(Debug)]
pub enum Conn {
    /// SQLite.
    Sqlite(PoolConnection<Sqlite>),
    /// PostgreSQL.
    Postgres(PoolConnection<Postgres>),
}

/// An open transaction (rolled back when dropped uncommitted). It remembers whether a
/// statement in it failed on a PostgreSQL serialization failure or deadlock, so
/// `transaction` knows the work may run again.
#[derive(Debug)]
pub struct Tx {
    inner: TxInner,
    conflicted: bool,
    /// Members whose new events wake their streams once this commits.
    wake: Vec<i64>,
    /// Where the other replicas hear of those (PostgreSQL: `events::publish`).
    replicas: Option<sqlx::PgPool>,
    /// The request's idempotency key, until a statement writes it with the answer.
    key: Option<idempotency::PendingKey>,
}

/// The engine's own transaction.
#[derive(Debug)]
enum TxInner {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// A borrowed connection of one engine: what a query runs on.
#[derive(Debug)]
pub enum Exec<'c> {
    /// SQLite.
    Sqlite(&'c mut SqliteConnection),
    /// PostgreSQL.
    Postgres(&'c mut PgConnection),
}

/// Something a query can run on: a pooled connection or a transaction.
pub trait Access: Send {
    /// The engine's connection underneath.
    fn exec(&mut self) -> Exec<'_>;

    /// Sees the outcome of each statement (`on!` reports it); a transaction notes conflicts.
    fn saw<T>(&mut self, _outcome: &Result<T, sqlx::Error>) {}
}

impl Access for Conn {
    fn exec(&mut self) -> Exec<'_> {
        match self {
            Conn::Sqlite(c) => Exec::Sqlite(c),
            Conn::Postgres(c) => Exec::Postgres(c),
        }
    }
}

impl Access for Tx {
    fn exec(&mut self) -> Exec<'_> {
        match &mut self.inner {
            TxInner::Sqlite(t) => Exec::Sqlite(t),
            TxInner::Postgres(t) => Exec::Postgres(t),
        }
    }

    fn saw<T>(&mut self, outcome: &Result<T, sqlx::Error>) {
        if outcome.as_ref().err().is_some_and(is_conflict) {
            self.conflicted = true;
        }
    }
}

/// Runs `$body` with `$c` bound to the engine's own connection (`&mut SqliteConnection`
/// or `&mut PgConnection`) of `$conn` (an `Access`): written once, compiled per engine.
macro_rules! on {
    ($conn:expr, |$c:ident| $body:expr) => {{
        let conn = &mut *$conn;
        let outcome = match $crate::db::Access::exec(conn) {
            $crate::db::Exec::Sqlite($c) => $body,
            $crate::db::Exec::Postgres($c) => $body,
        };
        $crate::db::Access::saw(conn, &outcome);
        outcome
    }};
}
pub(crate) use on;

/// As `on!`, with `$p` bound to the engine's own pool of `$pool` (a `&Pool`): for a
/// single statement that needs no transaction around it.
macro_rules! on_pool {
    ($pool:expr, |$p:ident| $body:expr) => {
        match $pool {
            $crate::db::Pool::Sqlite($p) => $body,
            $crate::db::Pool::Postgres($p) => $body,
        }
    };
}
pub(crate) use on_pool;

impl Pool {
    /// Which engine this is.
    pub fn engine(&self) -> Engine {
        match self {
            Pool::Sqlite(_) => Engine::Sqlite,
            Pool::Postgres(_) => Engine::Postgres,
        }
    }

    /// Takes a connection (waits up to the pool's acquire timeout).
    pub async fn acquire(&self) -> Result<Conn, sqlx::Error> {
        Ok(match self {
            Pool::Sqlite(p) => Conn::Sqlite(p.acquire().await?),
            Pool::Postgres(p) => Conn::Postgres(p.acquire().await?),
        })
    }

    /// Closes every connection (waits for those in use to come back).
    pub async fn close(&self) {
        on_pool!(self, |p| p.close().await)
    }

    /// The migrations this engine's schema is built from.
    pub fn migrator(&self) -> &'static Migrator {
        match self {
            Pool::Sqlite(_) => &SQLITE_MIGRATIONS,
            Pool::Postgres(_) => &POSTGRES_MIGRATIONS,
        }
    }
}

impl Tx {
    /// Makes the transaction's changes permanent.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self.inner {
            TxInner::Sqlite(t) => t.commit().await?,
            TxInner::Postgres(t) => t.commit().await?,
        }
        for &member_id in &self.wake {
            let _ = events::wakeups().send(member_id);
        }
        if let (Some(pool), false) = (&self.replicas, self.wake.is_empty()) {
            events::publish(pool, &self.wake);
        }
        Ok(())
    }

    /// Carries the request's idempotency key until its answer is written with it.
    pub fn await_answer(&mut self, key: idempotency::PendingKey) {
        self.key = Some(key);
    }

    /// The key still waiting for its answer, if any.
    pub fn pending_key(&self) -> Option<&idempotency::PendingKey> {
        self.key.as_ref()
    }

    /// Takes the key still waiting for its answer (its writer holds it now).
    pub fn take_pending_key(&mut self) -> Option<idempotency::PendingKey> {
        self.key.take()
    }

    /// Wakes the member's event streams once this transaction commits.
    fn wake_after_commit(&mut self, member_id: i64) {
        if !self.wake.contains(&member_id) {
            self.wake.push(member_id);
        }
    }
}

impl From<TxInner> for Tx {
    fn from(inner: TxInner) -> Tx {
        Tx { inner, conflicted: false, wake: Vec::new(), key: None, replicas: None }
    }
}

/// The SQLite connection settings for `url`.
fn sqlite_options(url: &str) -> Result<SqliteConnectOptions, sqlx::Error> {
    Ok(SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10)))
}

/// The pools of one database: `reader` for reads, `writer` for write transactions. On
/// SQLite they differ (WAL readers beside one writer connection); on PostgreSQL they are
/// the same pool of `size` connections.
#[derive(Debug, Clone)]
pub struct Pools {
    /// For reads.
    pub reader: Pool,
    /// For write transactions (`transaction`).
    pub writer: Pool,
}

/// Opens (creating an SQLite file if needed) and migrates the database at `url`. `size`
/// is the PostgreSQL pool's connection count (per replica; SQLite keeps 8 readers and one
/// writer). Two replicas starting at once are safe: sqlx migrates under a lock.
pub async fn connect(url: &str, size: u32) -> Result<Pools, sqlx::Error> {
    let engine = Engine::of_url(url).map_err(|e| sqlx::Error::Configuration(e.into()))?;
    let pools = match engine {
        Engine::Sqlite => {
            let options = sqlite_options(url)?;
            if let Some(parent) = options.get_filename().parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
                }
            }
            let reader = SqlitePoolOptions::new().max_connections(8).acquire_timeout(Duration::from_secs(10));
            let reader = Pool::Sqlite(reader.connect_with(options.clone()).await?);
            // Writers queue in this one-connection pool (fair, woken at once) instead of
            // spinning in SQLite's busy handler, whose sleeps (up to 100 ms) would dominate
            // tail latency under load.
            let writer = SqlitePoolOptions::new().max_connections(1).acquire_timeout(Duration::from_secs(10));
            Pools { reader, writer: Pool::Sqlite(writer.connect_with(options).await?) }
        }
        Engine::Postgres => {
            let options = PgConnectOptions::from_str(url)?.application_name("mall-api");
            let pool = PgPoolOptions::new().max_connections(size.max(1)).acquire_timeout(Duration::from_secs(10));
            let pool = Pool::Postgres(pool.connect_with(options).await?);
            Pools { reader: pool.clone(), writer: pool }
        }
    };
    migrate(&pools.writer).await?;
    Ok(pools)
}

/// Runs the pending migrations. SQLite: with foreign keys off, then checked once — SQLite's
/// own procedure for rebuilding a table that other rows refer to (a CHECK or a key cannot
/// change in place). With them on, dropping such a table counts its referrers' deferred
/// violations and a rename does not undo them, so `0010` (it rebuilds `lottery_prizes`
/// that way) failed on a database holding a won draw. A reference a migration really
/// broke is still refused, by the check. A start with nothing to migrate skips the check
/// (it reads every reference of the database).
async fn migrate(writer: &Pool) -> Result<(), sqlx::Error> {
    match writer {
        Pool::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        Pool::Sqlite(p) => {
            let mut conn = p.acquire().await?;
            let ledger: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'")
                .fetch_one(&mut *conn)
                .await?;
            let applied: i64 = match ledger {
                0 => 0,
                _ => {
                    sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success").fetch_one(&mut *conn).await?
                }
            };
            if SQLITE_MIGRATIONS.iter().all(|m| m.version <= applied) {
                // Nothing pending: the migrator only checks the applied ones are unchanged.
                SQLITE_MIGRATIONS.run(&mut *conn).await?;
                return Ok(());
            }
            sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut *conn).await?;
            let migrated = SQLITE_MIGRATIONS.run(&mut *conn).await;
            let broken = sqlx::query("PRAGMA foreign_key_check").fetch_all(&mut *conn).await;
            sqlx::query("PRAGMA foreign_keys = ON").execute(&mut *conn).await?;
            migrated?;
            let broken = broken?;
            if let Some(row) = broken.first() {
                use sqlx::Row;
                let table: String = row.try_get(0)?;
                let parent: String = row.try_get(2)?;
                return Err(sqlx::Error::Protocol(format!(
                    "after the migrations, {} row(s) refer to rows that do not exist (first: {table} → {parent})",
                    broken.len()
                )));
            }
        }
    }
    Ok(())
}

/// Starts a write transaction. SQLite: `BEGIN IMMEDIATE` takes the write lock up front
/// (a deferred transaction that read first fails with SQLITE_BUSY if another writer got
/// in between, whatever the busy timeout). PostgreSQL: READ COMMITTED; row locks and
/// conditional updates do the rest. Prefer `transaction`.
pub async fn begin(writer: &Pool) -> Result<Tx, sqlx::Error> {
    Ok(match writer {
        Pool::Sqlite(p) => TxInner::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?).into(),
        Pool::Postgres(p) => Tx { replicas: Some(p.clone()), ..TxInner::Postgres(p.begin().await?).into() },
    })
}

/// A read transaction: its statements see one snapshot (SQLite's WAL; PostgreSQL's
/// REPEATABLE READ, read only), and it never takes the writer.
pub async fn snapshot(reader: &Pool) -> Result<Tx, sqlx::Error> {
    Ok(match reader {
        Pool::Sqlite(p) => TxInner::Sqlite(p.begin().await?),
        Pool::Postgres(p) => TxInner::Postgres(p.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?),
    }
    .into())
}

/// How many times `transaction` runs work that failed on a serialization failure or a
/// deadlock before it gives up and returns the error.
const ATTEMPTS: u32 = 5;

/// Runs `work` in one write transaction on `writer`: commits when it returns `Ok`, rolls
/// back (by dropping the transaction) when it returns `Err`. On PostgreSQL a transaction
/// in which a statement (or the commit) failed on a serialization failure (40001) or a
/// deadlock (40P01) was rolled back whole, so it runs again, up to `ATTEMPTS` times;
/// each attempt runs a clone of `work` (a closure is `Clone` when what it captures is).
pub async fn transaction<T, E, F>(writer: &Pool, work: F) -> Result<T, E>
where
    E: From<sqlx::Error>,
    F: for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, Result<T, E>> + Clone,
{
    let mut attempt = 1;
    loop {
        let mut tx = begin(writer).await?;
        let outcome = work.clone()(&mut tx).await;
        let again = match outcome {
            Ok(value) => match tx.commit().await {
                Ok(()) => return Ok(value),
                Err(e) if attempt < ATTEMPTS && is_conflict(&e) => e.to_string(),
                Err(e) => return Err(e.into()),
            },
            Err(e) => {
                let conflicted = tx.conflicted;
                drop(tx); // rolls back now, releasing its locks before the pause
                if !(conflicted && attempt < ATTEMPTS) {
                    return Err(e);
                }
                "a statement met a conflict".to_string()
            }
        };
        tracing::debug!(attempt, cause = %again, "transaction runs again");
        tokio::time::sleep(Duration::from_millis(u64::from(attempt) * 2 + rand::random::<u64>() % 5)).await;
        attempt += 1;
    }
}

/// Whether `e` is a PostgreSQL serialization failure or deadlock: the transaction was
/// rolled back and may run again.
pub fn is_conflict(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if matches!(db.code().as_deref(), Some("40001" | "40P01")))
}

/// Whether `e` says the database cannot be reached or dropped the connection (a restart,
/// a crash, a network fault, every connection busy): a retry may succeed. What the
/// statement did is unknown when the connection dropped during a commit, so the answer
/// says "try again" and the request's `Idempotency-Key` makes the retry safe.
pub fn is_unreachable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => true,
        // 08: connection exception; 57P01–57P03: shut down by the administrator, crash
        // shutdown, cannot connect now (starting up or recovering).
        sqlx::Error::Database(db) => db.code().is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
        _ => false,
    }
}

/// Whether `e` is the database refusing a row that breaks a constraint named `name`.
pub fn violates(e: &sqlx::Error, name: &str) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.constraint() == Some(name))
}

/// Takes the lock that lets one process at a time run a periodic job named by `key`
/// (the expiry sweep), for as long as the returned connection is held; `None` when
/// another process holds it. SQLite is one process: always granted. PostgreSQL: a
/// session advisory lock, released with `release_job_lock` or when the connection
/// closes (a crashed replica cannot keep it).
pub async fn try_job_lock(pool: &Pool, key: i64) -> Result<Option<Conn>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let granted = match conn.exec() {
        Exec::Sqlite(_) => true,
        Exec::Postgres(c) => sqlx::query_scalar("SELECT pg_try_advisory_lock($1)").bind(key).fetch_one(c).await?,
    };
    Ok(granted.then_some(conn))
}

/// Releases a lock taken by `try_job_lock`.
pub async fn release_job_lock(mut conn: Conn, key: i64) -> Result<(), sqlx::Error> {
    if let Exec::Postgres(c) = conn.exec() {
        let released: bool = sqlx::query_scalar("SELECT pg_advisory_unlock($1)").bind(key).fetch_one(&mut *c).await?;
        if !released {
            // Not held any more (cannot happen while the connection lives): do not return
            // a connection in an unknown state to the pool.
            if let Conn::Postgres(c) = conn {
                c.detach();
            }
        }
    }
    Ok(())
}

/// Waits for the lock named by `key` and holds it until the transaction ends: one
/// process at a time passes (the demo seed of an empty database). PostgreSQL: a
/// transaction advisory lock; SQLite: nothing, a write transaction already excludes the
/// others.
pub async fn lock_in(tx: &mut Tx, key: i64) -> Result<(), sqlx::Error> {
    if let Exec::Postgres(c) = tx.exec() {
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(key).execute(c).await?;
    }
    Ok(())
}

/// Marks the savepoint `name` in `tx`: `rollback_to(tx, name)` undoes what followed and
/// the transaction goes on (a capped task event keeps its answer, not its counter bumps).
pub async fn savepoint(tx: &mut Tx, name: &'static str) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query(&format!("SAVEPOINT {name}")).execute(c).await.map(|_| ()))
}

/// Undoes what `tx` did since the savepoint `name` (`savepoint`).
pub async fn rollback_to(tx: &mut Tx, name: &'static str) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query(&format!("ROLLBACK TO SAVEPOINT {name}")).execute(c).await.map(|_| ()))
}

/// Advisory lock keys of the jobs that run in one process at a time.
pub mod job {
    /// Loading the demo data into an empty database.
    pub const SEED: i64 = 0x6d61_6c6c_0001;
    /// The expiry sweep.
    pub const SWEEP: i64 = 0x6d61_6c6c_0002;
}

/// Moves PostgreSQL's id sequences past ids written explicitly (the demo seed writes
/// member and item ids), so the next generated id is free. SQLite needs nothing: its rowid follows
/// the largest id.
pub async fn sync_id_sequences(tx: &mut Tx) -> Result<(), sqlx::Error> {
    if let Exec::Postgres(c) = tx.exec() {
        for table in ["members", "items", "point_lots", "history", "orders", "sales", "merchants", "staff", "audit_log"] {
            let sql =
                format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)");
            sqlx::query(&sql).execute(&mut *c).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{check_url, Engine};

    #[test]
    fn sqlite_and_postgres_urls_are_accepted_and_nothing_else() {
        for ok in ["sqlite://data/mall.db", "sqlite:///tmp/mall.db", "sqlite:mall.db", "sqlite::memory:", "sqlite://data/mall.db?mode=rwc"]
        {
            assert_eq!(Engine::of_url(ok), Ok(Engine::Sqlite), "{ok}");
        }
        for ok in ["postgres://mall@127.0.0.1:5432/mall", "postgresql://u:secret@db.example/mall?sslmode=require"] {
            assert_eq!(Engine::of_url(ok), Ok(Engine::Postgres), "{ok}");
        }
        for bad in ["mysql://x", "data/mall.db", "", "sqlite:", "sqlite://", "sqlite://?mode=rwc", "SQLITE://x"] {
            let e = check_url(bad).unwrap_err();
            assert!(e.starts_with("DATABASE_URL") && e.contains("sqlite://") && e.contains("postgres://"), "{bad}: {e}");
        }
    }

    #[test]
    fn a_bad_postgres_url_is_refused_without_repeating_it() {
        let url = "postgres://u:s3cr3t@db.example/mall?sslmode=sometimes";
        let e = check_url(url).unwrap_err();
        assert!(e.starts_with("DATABASE_URL") && !e.contains("s3cr3t"), "{e}");
    }
}
