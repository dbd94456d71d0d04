//! Read-path benchmark (not a test): the real server over loopback HTTP against a tiny
//! bare axum server doing the same I/O (`bench/bare.rs`), same machine, same run, same
//! load generator.
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
//! Prints requests/s and p50/p99 for each and the ratios mall / bare, in rounds (each mall
//! phase right after its bare twin), then the median ratio of the rounds.
//! The load generator is a minimal HTTP/1.1 client on kept-alive connections (like wrk),
//! in the same process, so it takes as little of the machine from the servers as it can.
//! Run: `make bench-read` (`BENCH_ROUNDS`, default 3; `BENCH_SECONDS` per phase, default
//! 5; `BENCH_CONCURRENCY` connections, default 64; `BENCH_SPENDERS` members redeeming,
//! default 7; `BENCH_SPENT_LOTS`, default 0, 100 in the smoke size: lots the reading
//! member earned and spent before the run, half of them past their expiry, as a member's
//! lots after years of check-ins). `BENCH_SMOKE=1` is the smoke size `make test` runs: one round of 200
//! requests per phase from 8 connections, no warm-up, every answer of the mall checked
//! (200 and a `Me` of the member; 201 and an `Order` of the item), then the orders
//! counted in the database; any failure exits non-zero. So a bench broken by an API change
//! fails the tests; its timings mean nothing.

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use std::net::SocketAddr;

mod bare;

use mall_api::db::Pool;
use mall_api::{clock::Clock, config::Config, startup::Application};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

/// The demo member whose balance is read and spent.
const MEMBER: i64 = 2;
/// The demo item redeemed (its stock and limit are raised first).
const ITEM: i64 = 3;
/// Distinct members spending in the redeem phase (each with its own session), unless
/// `BENCH_SPENDERS` says otherwise: the demo's seven, then members the host vouches for.
const SPENDERS: u64 = 7;
/// The demo's members (logged in by the demo login); later spenders come by host ticket.
const DEMO_MEMBERS: i64 = 7;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// How long a phase lasts: seconds after a one-second warm-up (the benchmark), or a
/// number of requests without one (the smoke size).
#[derive(Clone, Copy)]
enum Budget {
    Seconds(u64),
    Requests(usize),
}

/// Checks a successful answer's body; says what is wrong.
type Check = fn(&[u8]) -> Result<(), String>;

/// One phase's numbers.
struct Run {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    succeeded: usize,
    failed: usize,
    /// The first answers that failed (status and body), at most 3.
    failures: Vec<String>,
}

/// Sends one HTTP/1.1 request on a kept-alive connection and reads the whole answer
/// (by its `Content-Length`); returns the status and where the body is in `buf`. A minimal
/// client, so the load generator costs little of the machine next to the servers (as wrk
/// would).
async fn exchange(stream: &mut TcpStream, buf: &mut Vec<u8>, request: &[u8]) -> (u16, std::ops::Range<usize>) {
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
            return (status, end + 4..end + 4 + length);
        }
        assert!(stream.read_buf(buf).await.expect("answer read") > 0, "connection closed");
    }
}

/// Sends the requests `request(i)` makes to `addr` from `concurrency` connections for the
/// budget and measures throughput and the latency of the answers that succeeded (a 2xx
/// whose body passes `check`, if any).
async fn load<F>(addr: SocketAddr, budget: Budget, concurrency: usize, check: Option<Check>, request: F) -> Run
where
    F: Fn(usize) -> Vec<u8> + Send + Sync + 'static,
{
    let request = Arc::new(request);
    let counter = Arc::new(AtomicUsize::new(0));
    let phase = |secs: f64, cap: usize| {
        let (request, counter) = (request.clone(), counter.clone());
        let sent = Arc::new(AtomicUsize::new(0));
        async move {
            let deadline = Instant::now() + Duration::from_secs_f64(secs);
            let tasks: Vec<_> = (0..concurrency)
                .map(|_| {
                    let (request, counter, sent) = (request.clone(), counter.clone(), sent.clone());
                    tokio::spawn(async move {
                        let mut stream = TcpStream::connect(addr).await.expect("connect");
                        stream.set_nodelay(true).expect("nodelay");
                        let mut buf = Vec::with_capacity(4096);
                        let mut latencies = Vec::new();
                        let mut failed = 0;
                        let mut failures = Vec::new();
                        while Instant::now() < deadline && sent.fetch_add(1, Ordering::Relaxed) < cap {
                            let bytes = request(counter.fetch_add(1, Ordering::Relaxed));
                            let t = Instant::now();
                            let (status, body) = exchange(&mut stream, &mut buf, &bytes).await;
                            let took = t.elapsed();
                            let verdict = match check {
                                _ if !(200..300).contains(&status) => Err(format!("status {status}")),
                                Some(check) => check(&buf[body.clone()]),
                                None => Ok(()),
                            };
                            match verdict {
                                Ok(()) => latencies.push(took),
                                Err(why) => {
                                    failed += 1;
                                    if failures.len() < 3 {
                                        failures.push(format!("{why}: {}", String::from_utf8_lossy(&buf[body])));
                                    }
                                }
                            }
                        }
                        (latencies, failed, failures)
                    })
                })
                .collect();
            let mut all = Vec::new();
            let mut failed = 0;
            let mut failures = Vec::new();
            for t in tasks {
                let (l, f, why) = t.await.expect("load task");
                all.extend(l);
                failed += f;
                failures.extend(why);
            }
            failures.truncate(3);
            (all, failed, failures)
        }
    };
    let (secs, cap) = match budget {
        Budget::Seconds(secs) => {
            phase(1.0, usize::MAX).await;
            (secs as f64, usize::MAX)
        }
        // An hour: a safety net, the requests end it.
        Budget::Requests(n) => (3600.0, n),
    };
    let started = Instant::now();
    let (mut latencies, failed, failures) = phase(secs, cap).await;
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let pct = |p: f64| latencies.get(((latencies.len() as f64 - 1.0) * p).round() as usize).map_or(f64::NAN, |d| d.as_secs_f64() * 1e3);
    Run { succeeded: latencies.len(), per_second: latencies.len() as f64 / elapsed, p50_ms: pct(0.5), p99_ms: pct(0.99), failed, failures }
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

/// Runs `$body` with `$c` bound to the engine's own connection or pool.
macro_rules! on_engine {
    ($pool:expr, |$c:ident| $body:expr) => {
        match $pool {
            Pool::Sqlite($c) => $body,
            Pool::Postgres($c) => $body,
        }
    };
}

/// A session cookie for a demo member.
async fn login(client: &reqwest::Client, base: &str, member: i64) -> String {
    let res = client.post(format!("{base}/api/session/demo")).json(&serde_json::json!({ "member_id": member })).send().await.unwrap();
    assert!(res.status().is_success(), "demo login: {}", res.status());
    res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string()
}

/// Logs in a member the host vouches for (created on its first ticket); its session cookie.
async fn ticket_login(client: &reqwest::Client, base: &str, secret: &str, member: i64) -> String {
    let expires_at = Clock::default().now_secs() + 60;
    let signature = mall_api::routes::session::sign_ticket(secret, member, expires_at);
    let body = serde_json::json!({ "member_id": member, "expires_at": expires_at, "signature": signature });
    let res = client.post(format!("{base}/api/session/exchange")).json(&body).send().await.unwrap();
    assert!(res.status().is_success(), "ticket login: {}", res.status());
    res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string()
}

fn line(name: &str, r: &Run) {
    println!("  {name:<34} {:>8.0} req/s   p50 {:>6.2} ms   p99 {:>6.2} ms   failed {}", r.per_second, r.p50_ms, r.p99_ms, r.failed);
    for failure in &r.failures {
        println!("    failed: {failure}");
    }
}

/// `GET /api/me`'s answer: the member's own `Me`.
fn check_me(body: &[u8]) -> Result<(), String> {
    let me: mall_core::dto::Me = serde_json::from_slice(body).map_err(|e| format!("not a Me ({e})"))?;
    if me.id != MEMBER {
        return Err(format!("the Me of member {}, not {MEMBER}", me.id));
    }
    Ok(())
}

/// `POST /api/orders`'s answer: an `Order` of one unit of the item.
fn check_order(body: &[u8]) -> Result<(), String> {
    let order: mall_core::dto::Order = serde_json::from_slice(body).map_err(|e| format!("not an Order ({e})"))?;
    if order.item_id != ITEM || order.quantity != 1 {
        return Err(format!("an order of {} × item {}, not 1 × item {ITEM}", order.quantity, order.item_id));
    }
    Ok(())
}

/// The orders of the redeemed item, straight from the database.
async fn orders_of_item(pool: &Pool) -> i64 {
    let sql = "SELECT COUNT(*) FROM orders WHERE item_id = $1";
    on_engine!(pool, |p| sqlx::query_scalar(sql).bind(ITEM).fetch_one(p).await.unwrap())
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let smoke = std::env::var("BENCH_SMOKE").is_ok_and(|v| !v.is_empty() && v != "0");
    let (budget, concurrency) = if smoke {
        (Budget::Requests(200), 8)
    } else {
        (Budget::Seconds(env_number("BENCH_SECONDS", 5)), env_number("BENCH_CONCURRENCY", 64) as usize)
    };
    let dir = tempfile::tempdir().unwrap();
    let (url, bare_url) = match std::env::var("BENCH_DATABASE_URL") {
        // One database on the server: the bare table sits beside the mall's.
        Ok(url) if !url.is_empty() => (url.clone(), url),
        _ => (format!("sqlite://{}", dir.path().join("mall.db").display()), format!("sqlite://{}", dir.path().join("bare.db").display())),
    };
    let config = Config::for_tests(url);
    let operator = config.operator_token.clone().unwrap();
    let ticket_secret = config.ticket_secret.clone();
    let app = Application::build_with_clock(config, Clock::default()).await.unwrap();
    let mall = app.local_addr();
    let base = format!("http://{mall}");
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped());
    let bare = bare::start(&bare_url).await;

    let client = reqwest::Client::builder().pool_max_idle_per_host(concurrency).build().unwrap();
    // Enough stock and points for every redeem of the run (test set-up, not measured).
    let raise = "UPDATE items SET stock = 100000000, per_member_limit = 100000000 WHERE id = $1";
    on_engine!(&state.writer, |p| sqlx::query(raise).bind(ITEM).execute(p).await.unwrap().rows_affected());
    // The reading member's spent lots (test set-up, not measured): no points left, so the
    // balance is unchanged; half expired a year ago, half expire in a year.
    // The smoke size has some, so `make test` runs this set-up on both engines too.
    let spent_lots = env_number("BENCH_SPENT_LOTS", if smoke { 100 } else { 0 }) as i64;
    let spent = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2) \
         INSERT INTO point_lots (member_id, amount, remaining, earned_at, expires_at) \
         SELECT $1, 10, 0, $3, $3 + CASE WHEN i % 2 = 0 THEN 1 ELSE -1 END * 365 * 86400 FROM n";
    let now = Clock::default().now_secs();
    if spent_lots > 0 {
        on_engine!(&state.writer, |p| sqlx::query(spent).bind(MEMBER).bind(spent_lots).bind(now).execute(p).await.unwrap().rows_affected());
    }
    let mut cookies = Vec::new();
    let spenders = env_number("BENCH_SPENDERS", SPENDERS) as i64;
    for member in 1..=spenders {
        let cookie = match member <= DEMO_MEMBERS {
            true => login(&client, &base, member).await,
            false => ticket_login(&client, &base, &ticket_secret, member).await,
        };
        let res = client
            .post(format!("{base}/api/admin/adjustments"))
            .bearer_auth(&operator)
            .header("idempotency-key", format!("bench-{member}"))
            .json(&serde_json::json!({ "member_id": member, "amount": 10_000_000, "reason": "bench" }))
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "adjustment: {}", res.status());
        cookies.push(cookie);
    }
    let me_cookie = login(&client, &base, MEMBER).await;

    let engine = format!("{:?}", state.pool.engine());
    let phases = match budget {
        Budget::Seconds(s) => format!("{s} s per phase"),
        Budget::Requests(n) => format!("smoke size: {n} requests per phase, answers checked"),
    };
    // Rounds of the four phases, each mall phase right after its bare twin: the machine's
    // drift (other load, frequency, the database's own state) moves both alike, and the
    // median ratio of the rounds is the result.
    let rounds = if smoke { 1 } else { env_number("BENCH_ROUNDS", 3).max(1) };
    println!(
        "read path on {engine}, {phases}, {rounds} round(s), {concurrency} connections, {spenders} members redeeming, \
         {spent_lots} spent lots of the reader, real servers over loopback HTTP"
    );
    let orders_before = orders_of_item(&state.pool).await;
    let checked = |check: Check| smoke.then_some(check);
    let body = format!("{{\"item_id\":{ITEM},\"quantity\":1}}");
    let (mut me_ratios, mut redeem_ratios, mut redeemed) = (Vec::new(), Vec::new(), 0);
    for round in 1..=rounds {
        if rounds > 1 {
            println!("  round {round}:");
        }
        let bare_get = load(bare, budget, concurrency, None, |_| get("/me", "")).await;
        line("bare: one pooled read", &bare_get);
        let me_cookie = me_cookie.clone();
        let me = load(mall, budget, concurrency, checked(check_me), move |_| get("/api/me", &me_cookie)).await;
        line("mall: GET /api/me", &me);
        let bare_post = load(bare, budget, concurrency, None, |i| post("/me", "", &i.to_string(), "{}")).await;
        line("bare: one conditional write tx", &bare_post);
        let (cookies, body) = (cookies.clone(), body.clone());
        let redeem = load(mall, budget, concurrency, checked(check_order), move |i| {
            post("/api/orders", &cookies[i % cookies.len()], &format!("r{round}-{i}"), &body)
        })
        .await;
        line("mall: POST /api/orders (redeem)", &redeem);
        println!(
            "  ratio GET /api/me / bare read:   throughput {:.2} (goal ≥ 0.5), p99 {:.2}× the bare p99",
            me.per_second / bare_get.per_second,
            me.p99_ms / bare_get.p99_ms
        );
        println!(
            "  ratio redeem / bare write:       throughput {:.2} (goal ≥ 0.4), p99 {:.2}× the bare p99",
            redeem.per_second / bare_post.per_second,
            redeem.p99_ms / bare_post.p99_ms
        );
        assert_eq!(bare_get.failed + bare_post.failed, 0, "the bare server failed requests");
        assert_eq!(me.failed + redeem.failed, 0, "the mall refused requests that should have succeeded");
        me_ratios.push(me.per_second / bare_get.per_second);
        redeem_ratios.push(redeem.per_second / bare_post.per_second);
        redeemed += redeem.succeeded as i64;
    }
    if rounds > 1 {
        println!(
            "  median of {rounds} rounds: GET /api/me / bare read {:.2} (goal ≥ 0.5), redeem / bare write {:.2} (goal ≥ 0.4)",
            bare::median(&mut me_ratios),
            bare::median(&mut redeem_ratios)
        );
    }
    if smoke {
        let orders = orders_of_item(&state.pool).await - orders_before;
        let verdict = if orders == redeemed { "OK" } else { "WRONG" };
        println!("  answers: GET /api/me 200 and a Me, redeems 201 and an Order; orders of item {ITEM} made {orders} for {redeemed} redeems: {verdict}");
        assert_eq!(orders, redeemed, "every redeem answered 201 made one order");
    }
}
