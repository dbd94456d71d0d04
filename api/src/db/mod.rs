//! The data-access layer: every SQL statement of the server lives under `db/`, one module
//! per aggregate, as named functions taking a connection, a transaction or a pool and
//! returning `FromRow` rows or plain values. Nothing here knows HTTP or product rules.
//!
//! The SQL is written for SQLite, the one engine today. It keeps to what PostgreSQL also
//! accepts where that costs nothing (`$n` placeholders, `RETURNING`, `ON CONFLICT`), but it
//! has never been run on PostgreSQL: that is the next step, behind these functions.
//!
//! This module opens the database: a read pool and a one-connection writer, both with the
//! settings SQLite needs for a server (WAL, synchronous=NORMAL, foreign keys, a busy
//! timeout), migrated at start-up; and `transaction` runs one write transaction.

pub mod checkins;
pub mod codes;
pub mod counters;
pub mod earning;
pub mod history;
pub mod idempotency;
pub mod items;
pub mod lots;
pub mod members;
pub mod orders;
pub mod sales;
pub mod sessions;

use std::{str::FromStr, time::Duration};

use futures_util::future::BoxFuture;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

/// The database engine behind the mall.
pub type Db = sqlx::Sqlite;
/// A connection pool.
pub type Pool = sqlx::SqlitePool;
/// One connection (a transaction derefs to it).
pub type Conn = sqlx::SqliteConnection;
/// An open transaction.
pub type Tx<'a> = sqlx::Transaction<'a, Db>;

/// What `DATABASE_URL` accepts today.
pub const ACCEPTED_URLS: &str = "an SQLite URL: sqlite://<path> (e.g. sqlite://data/mall.db), sqlite:<path> or sqlite::memory:";

/// Refuses a database URL this build cannot open, naming `DATABASE_URL` and what it
/// accepts. The value itself is not repeated (a server URL may carry a password).
pub fn check_url(url: &str) -> Result<(), String> {
    let path = url.strip_prefix("sqlite:").map(|rest| rest.strip_prefix("//").unwrap_or(rest));
    match path {
        Some(p) if !p.trim().is_empty() && !p.starts_with('?') => Ok(()),
        Some(_) => Err(format!("DATABASE_URL names no database file; it must be {ACCEPTED_URLS}")),
        None => {
            let scheme = url
                .split_once(':')
                .map(|(s, _)| s)
                .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)));
            let got = match scheme {
                Some(s) => format!("a {s}: URL"),
                None => "a value that is not a URL".to_string(),
            };
            Err(format!("DATABASE_URL must be {ACCEPTED_URLS}; got {got} (PostgreSQL is not supported yet)"))
        }
    }
}

/// The connection settings for `url` (refused unless `check_url` accepts it).
fn options(url: &str) -> Result<SqliteConnectOptions, sqlx::Error> {
    check_url(url).map_err(|e| sqlx::Error::Configuration(e.into()))?;
    Ok(SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10)))
}

/// Opens (creating if needed) and migrates the database at `url`: the pool for reads
/// (WAL lets them run beside the writer).
pub async fn connect(url: &str) -> Result<Pool, sqlx::Error> {
    let options = options(url)?;
    if let Some(parent) = options.get_filename().parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
        }
    }
    let pool = SqlitePoolOptions::new().max_connections(8).acquire_timeout(Duration::from_secs(10)).connect_with(options).await?;
    sqlx::migrate!("../migrations").run(&pool).await?;
    Ok(pool)
}

/// The pool for write transactions: one connection, so writers queue in the pool
/// (fair, woken at once) instead of spinning in SQLite's busy handler, whose sleeps
/// (up to 100 ms) would dominate tail latency under load. Open after `connect`.
pub async fn writer(url: &str) -> Result<Pool, sqlx::Error> {
    SqlitePoolOptions::new().max_connections(1).acquire_timeout(Duration::from_secs(10)).connect_with(options(url)?).await
}

/// Starts a write transaction (on the writer pool). SQLite's default (deferred) transaction
/// takes the write lock only at its first write, and one that read first fails with
/// SQLITE_BUSY if another writer got in between, whatever the busy timeout; `BEGIN
/// IMMEDIATE` takes the lock up front, so writers queue instead. Prefer `transaction`.
pub async fn begin(pool: &Pool) -> Result<Tx<'static>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// A read transaction on the read pool: its statements see one snapshot (WAL), and it
/// never takes the writer.
pub async fn snapshot(reader: &Pool) -> Result<Tx<'static>, sqlx::Error> {
    reader.begin().await
}

/// Runs `work` in one write transaction on `writer`: commits when it returns `Ok`, rolls
/// back (by dropping the transaction) when it returns `Err`. The one place a write
/// transaction starts and ends (PostgreSQL will retry serialization failures here).
pub async fn transaction<T, E, F>(writer: &Pool, work: F) -> Result<T, E>
where
    E: From<sqlx::Error>,
    F: for<'t> FnOnce(&'t mut Tx<'static>) -> BoxFuture<'t, Result<T, E>>,
{
    let mut tx = begin(writer).await?;
    let value = work(&mut tx).await?;
    tx.commit().await?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::check_url;

    #[test]
    fn sqlite_urls_are_accepted_and_nothing_else() {
        for ok in ["sqlite://data/mall.db", "sqlite:///tmp/mall.db", "sqlite:mall.db", "sqlite::memory:", "sqlite://data/mall.db?mode=rwc"]
        {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in
            ["postgres://localhost/mall", "mysql://x", "data/mall.db", "", "sqlite:", "sqlite://", "sqlite://?mode=rwc", "SQLITE://x"]
        {
            let e = check_url(bad).unwrap_err();
            assert!(e.starts_with("DATABASE_URL") && e.contains("sqlite://"), "{bad}: {e}");
        }
    }
}
