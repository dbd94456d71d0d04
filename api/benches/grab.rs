//! Flash-sale load: the real server (in this process, over real HTTP on loopback) and
//! 10,000 grab attempts from 2,000 members at a sale with stock 100, at high concurrency.
//! Then checks: exactly 100 codes, at most one per member, points taken = 100 × price,
//! every code has its history entry, stock 0. Prints attempts/s and p50/p99 latency, and
//! the same load (as many requests, as many at once, to as many servers) sent first to the
//! bare baseline's conditional write transaction (`bench/bare.rs`) on the same database:
//! the grab's p99 over the bare write's p99 (goal ≤ 2). `BENCH_ROUNDS` rounds (default 3),
//! each a new sale with its own baseline right before it, then the median ratio.
//! Targets on the 2-core machine, load generator included: ≥ 5,000 attempts/s, p99 ≤ 50 ms.
//! Run: `cargo bench -p mall-api --bench grab`. `BENCH_DATABASE_URL` runs it on that
//! PostgreSQL database instead of an SQLite file; `BENCH_REPLICAS=2` starts two
//! application instances on the database (own pools, limiters, gates) and alternates the
//! attempts between them, as a load balancer would (`bench/postgres.sh` does both).
//! `BENCH_SMOKE=1` is the smoke size `make test` runs (600 attempts by 200 members at
//! stock 50): the same sale made through the same API and the same books, checked, so a
//! bench broken by an API change fails the tests; its timings mean nothing.
//!
//! The sale is made as an operator makes one: a partner merchant (`POST
//! /api/admin/merchants`), then the sale of its codes (`POST /api/admin/sales`).

use std::time::{Duration, Instant};

use futures::{stream, StreamExt};
use mall_api::{
    clock::Clock,
    config::Config,
    db::{self, Access, Exec, Pool},
    domain::ledger,
    startup::Application,
};
use mall_core::dto::EntryKind;

#[path = "../../bench/bare.rs"]
mod bare;

const PRICE: i64 = 10;

/// The run's size: the full benchmark, or the smoke size (`BENCH_SMOKE=1`).
struct Size {
    members: i64,
    attempts: usize,
    stock: i64,
    concurrency: usize,
    /// One round (the smoke size), or `BENCH_ROUNDS` (default 3) and their median.
    rounds: usize,
}

impl Size {
    fn from_env() -> Size {
        if std::env::var("BENCH_SMOKE").is_ok_and(|v| !v.is_empty() && v != "0") {
            Size { members: 200, attempts: 600, stock: 50, concurrency: 32, rounds: 1 }
        } else {
            let rounds = std::env::var("BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(3usize).max(1);
            Size { members: 2_000, attempts: 10_000, stock: 100, concurrency: 128, rounds }
        }
    }
}

/// Sends an operator's request and expects `201 Created`; its JSON answer.
async fn created(req: reqwest::RequestBuilder, what: &str) -> serde_json::Value {
    let res = req.send().await.unwrap_or_else(|e| panic!("{what}: {e}"));
    let status = res.status();
    let body = res.text().await.unwrap_or_default();
    assert_eq!(status, reqwest::StatusCode::CREATED, "{what}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{what}: {e}: {body}"))
}

/// Sends `attempts` requests, `concurrency` at a time, the `i`th made by `request(i)`;
/// each answer's status and latency, and how long it all took.
async fn fire<F>(attempts: usize, concurrency: usize, request: F) -> (Vec<(u16, Duration)>, Duration)
where
    F: Fn(usize) -> reqwest::RequestBuilder,
{
    let started = Instant::now();
    let results = stream::iter(0..attempts)
        .map(|i| {
            let req = request(i);
            async move {
                let t = Instant::now();
                let res = req.send().await.unwrap();
                let status = res.status().as_u16();
                res.bytes().await.unwrap();
                (status, t.elapsed())
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    (results, started.elapsed())
}

/// The `p` quantile of the latencies of `results`, in ms.
fn quantile(results: &[(u16, Duration)], p: f64) -> f64 {
    let mut latencies: Vec<Duration> = results.iter().map(|r| r.1).collect();
    latencies.sort();
    latencies[((latencies.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1e3
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let Size { members, attempts, stock: quantity, concurrency, rounds } = Size::from_env();
    let dir = tempfile::tempdir().unwrap();
    let url = match std::env::var("BENCH_DATABASE_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => format!("sqlite://{}", dir.path().join("grab.db").display()),
    };
    let replicas: usize = std::env::var("BENCH_REPLICAS").ok().and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
    let clock = Clock::default();
    let mut bases = Vec::new();
    let mut states = Vec::new();
    for _ in 0..replicas {
        let mut config = Config::for_tests(url.clone());
        // An empty mall: no demo data, so no demo merchant for the test merchant token.
        config.seed_demo = false;
        config.merchants.clear();
        let app = Application::build_with_clock(config, clock.clone()).await.unwrap();
        bases.push(format!("http://{}", app.local_addr()));
        states.push(app.state().clone());
        tokio::spawn(app.run_until_stopped());
    }
    let (base, state) = (bases[0].clone(), states[0].clone());

    // Members with points, and one session each.
    let now = state.clock.now_secs();
    let mut tx = db::begin(&state.writer).await.unwrap();
    for id in 1..=members {
        let insert = "INSERT INTO members (id, name_zh, name_en, growth, balance, created_at) VALUES ($1, 'b', 'b', 0, 0, $2)";
        match tx.exec() {
            Exec::Sqlite(c) => sqlx::query(insert).bind(id).bind(now).execute(c).await.map(|_| ()),
            Exec::Postgres(c) => sqlx::query(insert).bind(id).bind(now).execute(c).await.map(|_| ()),
        }
        .unwrap();
        let (rules, at) = state.moment();
        ledger::earn(&mut tx, &rules, id, ledger::Earning { kind: EntryKind::Adjustment, points: 1_000, growth: 0 }, at, None)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let client = reqwest::Client::builder().pool_max_idle_per_host(concurrency).build().unwrap();
    let mut cookies = Vec::with_capacity(members as usize);
    for id in 1..=members {
        let res = client.post(format!("{base}/api/session/demo")).json(&serde_json::json!({"member_id": id})).send().await.unwrap();
        assert!(res.status().is_success(), "demo login of member {id}: {}", res.status());
        let cookie = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
        cookies.push(cookie);
    }
    let operator = state.config.operator_token.clone().unwrap();
    let merchant = created(
        client.post(format!("{base}/api/admin/merchants")).bearer_auth(&operator).json(&serde_json::json!({
            "slug": "bench-shop", "name": {"zh": "压测店", "en": "Bench shop"}, "logo": "/img/items/luckin-voucher.svg",
            "address": {"zh": "", "en": ""}, "settlement": "1.00"
        })),
        "the sale's merchant",
    )
    .await;
    let mut bare_urls = Vec::new();
    for _ in 0..replicas {
        bare_urls.push(format!("http://{}/me", bare::start(&url).await));
    }
    // Rounds (each a new sale, its bare baseline sent right before it), then the median.
    let (mut ratios, mut taken_before, mut entries_before) = (Vec::new(), 0, 0);
    for round in 1..=rounds {
        let sale = created(
            client.post(format!("{base}/api/admin/sales")).bearer_auth(&operator).json(&serde_json::json!({
                "offer_key": format!("bench-{round}"), "offer": {"zh": "压测券", "en": "Bench voucher"}, "merchant_id": merchant["id"],
                "image": "/img/items/luckin-voucher.svg", "points": PRICE, "quantity": quantity, "per_member_limit": 1,
                "starts_at": state.clock.now_secs() - 1, "ends_at": state.clock.now_secs() + 3600
            })),
            "the sale",
        )
        .await;
        let sale = sale.as_i64().expect("the new sale's id");

        // The baseline: as many conditional write transactions, as many at once, to as many
        // bare servers on the same database.
        let (bare_results, bare_elapsed) = fire(attempts, concurrency, |i| client.post(&bare_urls[i % replicas])).await;
        assert!(bare_results.iter().all(|r| r.0 == 200), "the bare server failed requests");

        // The attempts (10,000 at full size): each member tries several times, interleaved.
        let (results, elapsed) = fire(attempts, concurrency, |i| {
            let member = i % members as usize;
            client
                .post(format!("{}/api/sales/{sale}/grab", bases[i % replicas]))
                .header("cookie", &cookies[member])
                .header("idempotency-key", format!("a{round}-{i}"))
        })
        .await;

        let count = |code: u16| results.iter().filter(|r| r.0 == code).count();
        let rate = attempts as f64 / elapsed.as_secs_f64();
        println!(
            "{attempts} grab attempts by {members} members, stock {quantity}, concurrency {concurrency}, on {:?}, {replicas} replica(s), round {round} of {rounds}",
            state.pool.engine()
        );
        let other = attempts - count(201) - count(409) - count(429);
        println!("  201 created {}  409 refused {}  429 limited {}  other {other}", count(201), count(409), count(429));
        println!("  {rate:.0} attempts/s over {:.2} s   (target ≥ 5,000/s: ratio {:.2})", elapsed.as_secs_f64(), rate / 5_000.0);
        let first = results.iter().filter(|r| r.0 == 201).count() as f64;
        println!("  {:.0} successful grabs/s (the {quantity} codes over the whole run)", first / elapsed.as_secs_f64());
        let (p50, p99) = (quantile(&results, 0.5), quantile(&results, 0.99));
        println!("  latency p50 {p50:.2} ms  p99 {p99:.2} ms   (target p99 ≤ 50 ms: ratio {:.2})", p99 / 50.0);
        let bare_p99 = quantile(&bare_results, 0.99);
        println!(
            "  bare conditional write tx: {:.0} req/s, p50 {:.2} ms  p99 {bare_p99:.2} ms;  grab p99 / bare p99 = {:.2} (goal ≤ 2)",
            attempts as f64 / bare_elapsed.as_secs_f64(),
            quantile(&bare_results, 0.5),
            p99 / bare_p99
        );

        // The books.
        let one = |sql: &'static str| {
            let pool = state.pool.clone();
            async move {
                let value: i64 = match &pool {
                    Pool::Sqlite(p) => sqlx::query_scalar(sql).bind(sale).fetch_one(p).await.unwrap(),
                    Pool::Postgres(p) => sqlx::query_scalar(sql).bind(sale).fetch_one(p).await.unwrap(),
                };
                value
            }
        };
        let codes = one("SELECT COUNT(*) FROM codes WHERE sale_id = $1").await;
        let holders = one("SELECT COUNT(DISTINCT member_id) FROM codes WHERE sale_id = $1").await;
        let stock = one("SELECT remaining FROM sales WHERE id = $1").await;
        let paid = one(
            "SELECT CAST(COALESCE(-SUM(h.amount), 0) AS BIGINT) FROM history h JOIN codes c ON c.history_id = h.id WHERE c.sale_id = $1",
        )
        .await;
        let entries = one("SELECT COUNT(*) FROM history WHERE kind = 'flash_sale' AND $1 > 0").await - entries_before;
        let taken = one("SELECT CAST(COALESCE(SUM(1000 - balance), 0) AS BIGINT) FROM members WHERE $1 > 0").await - taken_before;
        println!("  codes {codes}, members holding one {holders}, stock left {stock}, points taken {taken} (history says {paid}), flash-sale entries {entries}");
        let ok = codes == quantity
            && holders == quantity
            && stock == 0
            && paid == quantity * PRICE
            && taken == quantity * PRICE
            && entries == quantity
            && count(201) as i64 == quantity
            && other == 0;
        println!("  books {}", if ok { "balance: OK" } else { "DO NOT BALANCE" });
        assert!(ok, "the sale's books do not balance");
        ratios.push(p99 / bare_p99);
        taken_before += taken;
        entries_before += entries;
    }
    if rounds > 1 {
        println!("median of {rounds} rounds: grab p99 / bare p99 = {:.2} (goal ≤ 2)", bare::median(&mut ratios));
    }
}
