//! The baseline the benchmarks measure the mall against, in the same run: a tiny axum
//! server doing the I/O of the path measured and nothing else, on the same engine with
//! the mall's pool settings (`db::connect`: on SQLite 8 readers and one writer; on
//! PostgreSQL one pool).
//!
//! - `GET /me`: one pooled read of an account row;
//! - `POST /me`: one conditional write transaction on it (`UPDATE … WHERE balance >= 1
//!   RETURNING`, commit), begun as the mall begins one (`db::begin`: `BEGIN IMMEDIATE` on
//!   SQLite's one-connection writer; `BEGIN` on PostgreSQL's pool). Every request writes
//!   the same row, as every grab of a sale and every redeem of an item does.
//!
//! Several bare servers may share one database (as the mall's replicas do): the table is
//! created once.

use std::net::SocketAddr;

use axum::{extract::State, Json, Router};
use mall_api::db::{self, Access, Exec, Pool};

/// The account row read and written.
const ACCOUNT: i64 = 2;

/// The bare server's pools.
#[derive(Clone)]
struct Bare {
    read: Pool,
    write: Pool,
}

#[derive(serde::Serialize, sqlx::FromRow)]
struct Account {
    id: i64,
    name: String,
    balance: i64,
}

/// One pooled read.
async fn read(State(bare): State<Bare>) -> Json<Account> {
    let sql = "SELECT id, name, balance FROM accounts WHERE id = $1";
    let account = match &bare.read {
        Pool::Sqlite(p) => sqlx::query_as(sql).bind(ACCOUNT).fetch_one(p).await.unwrap(),
        Pool::Postgres(p) => sqlx::query_as(sql).bind(ACCOUNT).fetch_one(p).await.unwrap(),
    };
    Json(account)
}

/// One conditional write transaction.
async fn write(State(bare): State<Bare>) -> Json<i64> {
    let mut tx = db::begin(&bare.write).await.unwrap();
    let sql = "UPDATE accounts SET balance = balance - 1 WHERE id = $1 AND balance >= 1 RETURNING balance";
    let balance: i64 = match tx.exec() {
        Exec::Sqlite(c) => sqlx::query_scalar(sql).bind(ACCOUNT).fetch_one(c).await.unwrap(),
        Exec::Postgres(c) => sqlx::query_scalar(sql).bind(ACCOUNT).fetch_one(c).await.unwrap(),
    };
    tx.commit().await.unwrap();
    Json(balance)
}

/// Starts a bare server on `url` (creating its table and row if they are not there) on a
/// free loopback port; its address.
pub async fn start(url: &str) -> SocketAddr {
    let db::Pools { reader: read_pool, writer } = db::connect(url, 10).await.unwrap();
    let create =
        "CREATE TABLE IF NOT EXISTS accounts (id BIGINT PRIMARY KEY, name TEXT NOT NULL, balance BIGINT NOT NULL CHECK (balance >= 0))";
    let insert = "INSERT INTO accounts (id, name, balance) VALUES ($1, 'bench', 1000000000) ON CONFLICT (id) DO NOTHING";
    match &writer {
        Pool::Sqlite(p) => {
            sqlx::query(create).execute(p).await.unwrap();
            sqlx::query(insert).bind(ACCOUNT).execute(p).await.unwrap();
        }
        Pool::Postgres(p) => {
            sqlx::query(create).execute(p).await.unwrap();
            sqlx::query(insert).bind(ACCOUNT).execute(p).await.unwrap();
        }
    }
    let router = Router::new().route("/me", axum::routing::get(read).post(write)).with_state(Bare { read: read_pool, write: writer });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    addr
}

/// The middle of a bench's per-round ratios (the upper middle of an even count).
pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
