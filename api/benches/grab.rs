//! Flash-sale load: the real server (in this process, over real HTTP on loopback) and
//! 10,000 grab attempts from 2,000 members at a sale with stock 100, at high concurrency.
//! Then checks: exactly 100 codes, at most one per member, points taken = 100 × price,
//! every code has its history entry, stock 0. Prints attempts/s and p50/p99 latency.
//! Target on the 2-core machine, load generator included: ≥ 5,000 attempts/s, p99 ≤ 50 ms.
//! Run: `cargo bench -p mall-api --bench grab`. `BENCH_DATABASE_URL` runs it on that
//! PostgreSQL database instead of an SQLite file; `BENCH_REPLICAS=2` starts two
//! application instances on the database (own pools, limiters, gates) and alternates the
//! attempts between them, as a load balancer would (`bench/postgres.sh` does both).

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use futures::{stream, StreamExt};
use mall_api::{
    clock::Clock,
    config::Config,
    db::{self, Access, Exec, Pool},
    domain::ledger,
    startup::Application,
};
use mall_core::dto::EntryKind;

const MEMBERS: i64 = 2_000;
const ATTEMPTS: usize = 10_000;
const STOCK: i64 = 100;
const PRICE: i64 = 10;
const CONCURRENCY: usize = 128;

#[tokio::main(flavor = "multi_thread")]
async fn main() {
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
        config.seed_demo = false;
        let app = Application::build_with_clock(config, clock.clone()).await.unwrap();
        bases.push(format!("http://{}", app.local_addr()));
        states.push(app.state().clone());
        tokio::spawn(app.run_until_stopped());
    }
    let (base, state) = (bases[0].clone(), states[0].clone());

    // Members with points, and one session each.
    let now = state.clock.now_secs();
    let mut tx = db::begin(&state.writer).await.unwrap();
    for id in 1..=MEMBERS {
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
    let client = reqwest::Client::builder().pool_max_idle_per_host(CONCURRENCY).build().unwrap();
    let mut cookies = Vec::with_capacity(MEMBERS as usize);
    for id in 1..=MEMBERS {
        let res = client.post(format!("{base}/api/session/demo")).json(&serde_json::json!({"member_id": id})).send().await.unwrap();
        let cookie = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
        cookies.push(cookie);
    }
    let sale: i64 = client
        .post(format!("{base}/api/admin/sales"))
        .bearer_auth(state.config.operator_token.clone().unwrap())
        .json(&serde_json::json!({
            "offer_key": "bench", "offer": {"zh": "压测券", "en": "Bench voucher"}, "merchant": {"zh": "店", "en": "Shop"},
            "image": "/img/items/luckin-voucher.svg", "points": PRICE, "quantity": STOCK, "per_member_limit": 1,
            "starts_at": now - 1, "ends_at": now + 3600
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    // 10,000 attempts: each member tries five times, interleaved.
    let cookies = Arc::new(cookies);
    let started = Instant::now();
    let results: Vec<(u16, Duration)> = stream::iter(0..ATTEMPTS)
        .map(|i| {
            let client = client.clone();
            let cookies = cookies.clone();
            let url = format!("{}/api/sales/{sale}/grab", bases[i % replicas]);
            async move {
                let member = i % MEMBERS as usize;
                let t = Instant::now();
                let res =
                    client.post(url).header("cookie", &cookies[member]).header("idempotency-key", format!("a{i}")).send().await.unwrap();
                let status = res.status().as_u16();
                res.bytes().await.unwrap();
                (status, t.elapsed())
            }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let elapsed = started.elapsed();

    let mut latencies: Vec<Duration> = results.iter().map(|r| r.1).collect();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1e3;
    let count = |code: u16| results.iter().filter(|r| r.0 == code).count();
    let rate = ATTEMPTS as f64 / elapsed.as_secs_f64();
    println!(
        "{ATTEMPTS} grab attempts by {MEMBERS} members, stock {STOCK}, concurrency {CONCURRENCY}, on {:?}, {replicas} replica(s)",
        state.pool.engine()
    );
    println!(
        "  201 created {}  409 refused {}  429 limited {}  other {}",
        count(201),
        count(409),
        count(429),
        ATTEMPTS - count(201) - count(409) - count(429)
    );
    println!("  {rate:.0} attempts/s over {:.2} s   (target ≥ 5,000/s: ratio {:.2})", elapsed.as_secs_f64(), rate / 5_000.0);
    let first = results.iter().filter(|r| r.0 == 201).count() as f64;
    println!("  {:.0} successful grabs/s (the {STOCK} codes over the whole run)", first / elapsed.as_secs_f64());
    println!("  latency p50 {:.2} ms  p99 {:.2} ms   (target p99 ≤ 50 ms: ratio {:.2})", pct(0.5), pct(0.99), pct(0.99) / 50.0);

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
    let paid =
        one("SELECT CAST(COALESCE(-SUM(h.amount), 0) AS BIGINT) FROM history h JOIN codes c ON c.history_id = h.id WHERE c.sale_id = $1")
            .await;
    let entries = one("SELECT COUNT(*) FROM history WHERE kind = 'flash_sale' AND $1 > 0").await;
    let taken = one("SELECT CAST(COALESCE(SUM(1000 - balance), 0) AS BIGINT) FROM members WHERE $1 > 0").await;
    println!("  codes {codes}, members holding one {holders}, stock left {stock}, points taken {taken} (history says {paid}), flash-sale entries {entries}");
    let ok = codes == STOCK
        && holders == STOCK
        && stock == 0
        && paid == STOCK * PRICE
        && taken == STOCK * PRICE
        && entries == STOCK
        && count(201) as i64 == STOCK;
    println!("  books {}", if ok { "balance: OK" } else { "DO NOT BALANCE" });
    assert!(ok, "the sale's books do not balance");
}
