//! The database: one pool, opened with the settings SQLite needs for a server
//! (WAL, synchronous=NORMAL, foreign keys, a busy timeout), migrated at start-up.
//! Queries elsewhere use SQL that SQLite and PostgreSQL both accept.

pub mod seed;

use std::{str::FromStr, time::Duration};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

/// The database engine behind the mall.
pub type Db = sqlx::Sqlite;
/// A connection pool.
pub type Pool = sqlx::SqlitePool;
/// One connection (a transaction derefs to it).
pub type Conn = sqlx::SqliteConnection;
/// An open transaction.
pub type Tx<'a> = sqlx::Transaction<'a, Db>;

/// The connection settings for `url`.
fn options(url: &str) -> Result<SqliteConnectOptions, sqlx::Error> {
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

/// Starts a write transaction (on the writer pool). SQLite's default (deferred) transaction takes the write
/// lock only at its first write, and one that read first fails with SQLITE_BUSY if another
/// writer got in between, whatever the busy timeout; `BEGIN IMMEDIATE` takes the lock up
/// front, so writers queue on the busy timeout instead. (PostgreSQL: plain `BEGIN`.)
pub async fn begin(pool: &Pool) -> Result<Tx<'static>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// Whether a database error is the violation of the named constraint (unique or check).
pub fn is_constraint(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation() || d.is_check_violation())
}
