//! Read-path benchmark (not a test): the real server over loopback HTTP against a tiny
//! bare axum server doing the same I/O, same machine, same run, same load generator.
//!
//! - `GET /api/me` against a bare handler doing one pooled read
//!   (goal: ≥ 0.5 of the bare throughput);
//! - a successful `POST /api/orders` (redeem) against a bare handler doing one conditional
//!   write transaction (`UPDATE … WHERE balance >= 1 RETURNING`, commit) begun as the mall
//!   begins one (`db::begin`: `BEGIN IMMEDIATE` on SQLite's one-connection writer; `BEGIN`
//!   on PostgreSQL's pool).
//!
//! The engine: an SQLite file, or the PostgreSQL database named by `BENCH_DATABASE_URL`
//! (`bench/postgres.sh` starts one, fsync on); the bare server uses the same engine with
//! the mall's pool settings.
//!
//! Prints requests/s and p50/p99 for each and the ratios mall / bare.
//! The load generator is a minimal HTTP/1.1 client on kept-alive connections (like wrk),
//! in the same process, so it takes as little of the machine from the servers as it can.
//! Run: `make bench-read` (`BENCH_SECONDS` per phase, default 5; `BENCH_CONCURRENCY`
//! connections, default 64).

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use std::net::SocketAddr;

use axum::{extract::State, Json, Router};
use mall_api::db::{self, Access, Exec, Pool};
use mall_api::{clock::Clock, config::Config, startup::Application};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

/// The demo member whose balance is read and spent.
const MEMBER: i64 = 2;
/// The demo item redeemed (its stock and limit are raised first).
const ITEM: i64 = 3;
/// Distinct members spending in the redeem phase (each with its own session).
const SPENDERS: i64 = 7;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// One phase's numbers.
struct Run {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    failed: usize,
}

/// Sends one HTTP/1.1 request on a kept-alive connection and reads the whole answer
/// (by its `Content-Length`); returns the status. A minimal client, so the load generator
/// costs little of the machine next to the servers (as wrk would).
async fn exchange(stream: &mut TcpStream, buf: &mut Vec<u8>, request: &[u8]) -> u16 {
    stream.write_all(request).await.expect("request written");
    buf.clear();
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = std::str::from_utf8(&buf[..end]).expect("ASCII head");
            let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("status line");
            let length: usize = head
                .lines()
                .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("content-length")).map(|(_, v)| v.trim()))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + length {
                assert!(stream.read_buf(buf).await.expect("answer read") > 0, "connection closed");
            }
            return status;
        }
        assert!(stream.read_buf(buf).await.expect("answer read") > 0, "connection closed");
    }
}

/// Sends the requests `request(i)` makes to `addr` from `concurrency` connections for
/// `seconds` (after a one-second warm-up) and measures throughput and the latency of the
/// answers that succeeded.
async fn load<F>(addr: SocketAddr, seconds: u64, concurrency: usize, request: F) -> Run
where
    F: Fn(usize) -> Vec<u8> + Send + Sync + 'static,
{
    let request = Arc::new(request);
    let counter = Arc::new(AtomicUsize::new(0));
    let phase = |secs: f64| {
        let (request, counter) = (request.clone(), counter.clone());
        async move {
            let deadline = Instant::now() + Duration::from_secs_f64(secs);
            let tasks: Vec<_> = (0..concurrency)
                .map(|_| {
                    let (request, counter) = (request.clone(), counter.clone());
                    tokio::spawn(async move {
                        let mut stream = TcpStream::connect(addr).await.expect("connect");
                        stream.set_nodelay(true).expect("nodelay");
                        let mut buf = Vec::with_capacity(4096);
                        let mut latencies = Vec::new();
                        let mut failed = 0;
                        while Instant::now() < deadline {
                            let bytes = request(counter.fetch_add(1, Ordering::Relaxed));
                            let t = Instant::now();
                            if (200..300).contains(&exchange(&mut stream, &mut buf, &bytes).await) {
                                latencies.push(t.elapsed());
                            } else {
                                failed += 1;
                            }
                        }
                        (latencies, failed)
                    })
                })
                .collect();
            let mut all = Vec::new();
            let mut failed = 0;
            for t in tasks {
                let (l, f) = t.await.expect("load task");
                all.extend(l);
                failed += f;
            }
            (all, failed)
        }
    };
    phase(1.0).await;
    let started = Instant::now();
    let (mut latencies, failed) = phase(seconds as f64).await;
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let pct = |p: f64| latencies.get(((latencies.len() as f64 - 1.0) * p).round() as usize).map_or(f64::NAN, |d| d.as_secs_f64() * 1e3);
    Run { per_second: latencies.len() as f64 / elapsed, p50_ms: pct(0.5), p99_ms: pct(0.99), failed }
}

/// A GET with a cookie (or none).
fn get(path: &str, cookie: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: bench\r\nCookie: {cookie}\r\n\r\n").into_bytes()
}

/// A POST with a cookie, an idempotency key and a JSON body.
fn post(path: &str, cookie: &str, key: &str, body: &str) -> Vec<u8> {
    format!(
        "POST {path} HTTP/1.1\r\nHost: bench\r\nCookie: {cookie}\r\nIdempotency-Key: {key}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// The bare baseline's pools, opened as the mall opens its own (`db::connect`: on SQLite
/// 8 readers and one writer with the mall's settings; on PostgreSQL one pool).
#[derive(Clone)]
struct Bare {
    read: Pool,
    write: Pool,
}

/// Runs `$body` with `$c` bound to the engine's own connection or pool.
macro_rules! on_engine {
    ($pool:expr, |$c:ident| $body:expr) => {
        match $pool {
            Pool::Sqlite($c) => $body,
            Pool::Postgres($c) => $body,
        }
    };
}

#[derive(serde::Serialize, sqlx::FromRow)]
struct Account {
    id: i64,
    name: String,
    balance: i64,
}

/// One pooled read.
async fn bare_read(State(bare): State<Bare>) -> Json<Account> {
    let sql = "SELECT id, name, balance FROM accounts WHERE id = $1";
    let account = on_engine!(&bare.read, |p| sqlx::query_as(sql).bind(MEMBER).fetch_one(p).await.unwrap());
    Json(account)
}

/// One conditional write transaction.
async fn bare_write(State(bare): State<Bare>) -> Json<i64> {
    let mut tx = db::begin(&bare.write).await.unwrap();
    let sql = "UPDATE accounts SET balance = balance - 1 WHERE id = $1 AND balance >= 1 RETURNING balance";
    let balance: i64 = match tx.exec() {
        Exec::Sqlite(c) => sqlx::query_scalar(sql).bind(MEMBER).fetch_one(c).await.unwrap(),
        Exec::Postgres(c) => sqlx::query_scalar(sql).bind(MEMBER).fetch_one(c).await.unwrap(),
    };
    tx.commit().await.unwrap();
    Json(balance)
}

async fn bare_server(url: &str) -> SocketAddr {
    let db::Pools { reader: read, writer: write } = db::connect(url, 10).await.unwrap();
    let create = "CREATE TABLE accounts (id BIGINT PRIMARY KEY, name TEXT NOT NULL, balance BIGINT NOT NULL CHECK (balance >= 0))";
    on_engine!(&write, |p| sqlx::query(create).execute(p).await.unwrap().rows_affected());
    let insert = "INSERT INTO accounts (id, name, balance) VALUES ($1, 'bench', 1000000000)";
    on_engine!(&write, |p| sqlx::query(insert).bind(MEMBER).execute(p).await.unwrap().rows_affected());
    let router = Router::new().route("/me", axum::routing::get(bare_read).post(bare_write)).with_state(Bare { read, write });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    addr
}

/// A session cookie for a demo member.
async fn login(client: &reqwest::Client, base: &str, member: i64) -> String {
    let res = client.post(format!("{base}/api/session/demo")).json(&serde_json::json!({ "member_id": member })).send().await.unwrap();
    assert!(res.status().is_success(), "demo login: {}", res.status());
    res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string()
}

fn line(name: &str, r: &Run) {
    println!("  {name:<34} {:>8.0} req/s   p50 {:>6.2} ms   p99 {:>6.2} ms   failed {}", r.per_second, r.p50_ms, r.p99_ms, r.failed);
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let seconds = env_number("BENCH_SECONDS", 5);
    let concurrency = env_number("BENCH_CONCURRENCY", 64) as usize;
    let dir = tempfile::tempdir().unwrap();
    let (url, bare_url) = match std::env::var("BENCH_DATABASE_URL") {
        // One database on the server: the bare table sits beside the mall's.
        Ok(url) if !url.is_empty() => (url.clone(), url),
        _ => (format!("sqlite://{}", dir.path().join("mall.db").display()), format!("sqlite://{}", dir.path().join("bare.db").display())),
    };
    let config = Config::for_tests(url);
    let operator = config.operator_token.clone().unwrap();
    let app = Application::build_with_clock(config, Clock::default()).await.unwrap();
    let mall = app.local_addr();
    let base = format!("http://{mall}");
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped());
    let bare = bare_server(&bare_url).await;

    let client = reqwest::Client::builder().pool_max_idle_per_host(concurrency).build().unwrap();
    // Enough stock and points for every redeem of the run (test set-up, not measured).
    let raise = "UPDATE items SET stock = 100000000, per_member_limit = 100000000 WHERE id = $1";
    on_engine!(&state.writer, |p| sqlx::query(raise).bind(ITEM).execute(p).await.unwrap().rows_affected());
    let mut cookies = Vec::new();
    for member in 1..=SPENDERS {
        let res = client
            .post(format!("{base}/api/admin/adjustments"))
            .bearer_auth(&operator)
            .header("idempotency-key", format!("bench-{member}"))
            .json(&serde_json::json!({ "member_id": member, "amount": 10_000_000, "reason": "bench" }))
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "adjustment: {}", res.status());
        cookies.push(login(&client, &base, member).await);
    }
    let me_cookie = login(&client, &base, MEMBER).await;

    let engine = format!("{:?}", state.pool.engine());
    println!("read path on {engine}, {seconds} s per phase, {concurrency} connections, real servers over loopback HTTP");
    let bare_get = load(bare, seconds, concurrency, |_| get("/me", "")).await;
    line("bare: one pooled read", &bare_get);
    let me = load(mall, seconds, concurrency, move |_| get("/api/me", &me_cookie)).await;
    line("mall: GET /api/me", &me);
    let bare_post = load(bare, seconds, concurrency, |i| post("/me", "", &i.to_string(), "{}")).await;
    line("bare: one conditional write tx", &bare_post);
    let body = format!("{{\"item_id\":{ITEM},\"quantity\":1}}");
    let redeem = load(mall, seconds, concurrency, move |i| post("/api/orders", &cookies[i % cookies.len()], &format!("r{i}"), &body)).await;
    line("mall: POST /api/orders (redeem)", &redeem);
    println!(
        "  ratio GET /api/me / bare read:   throughput {:.2} (goal ≥ 0.5), p99 {:.2}× the bare p99",
        me.per_second / bare_get.per_second,
        me.p99_ms / bare_get.p99_ms
    );
    println!(
        "  ratio redeem / bare write:       throughput {:.2}, p99 {:.2}× the bare p99",
        redeem.per_second / bare_post.per_second,
        redeem.p99_ms / bare_post.p99_ms
    );
    assert_eq!(me.failed + redeem.failed, 0, "the mall refused requests that should have succeeded");
}
