//! History paging with 10,000 entries: seeds one member with 10,000 history entries in a
//! real SQLite file, then times `GET /api/history` over real HTTP, first pages and
//! cursor pages through the whole list. Target: p99 ≤ 5 ms on the 2-core machine.
//! Run: `cargo bench -p mall-api --bench history`.

use std::time::{Duration, Instant};

use mall_api::{clock::Clock, config::Config, db, domain::ledger, startup::Application};
use mall_core::dto::EntryKind;

const ENTRIES: i64 = 10_000;
const ROUNDS: usize = 3;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let app = Application::build_with_clock(Config::for_tests(url), Clock::default()).await.unwrap();
    let base = format!("http://{}", app.local_addr());
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped());

    let seeding = Instant::now();
    let mut tx = db::begin(&state.writer).await.unwrap();
    for i in 0..ENTRIES {
        let kind = if i % 3 == 0 { EntryKind::Checkin } else { EntryKind::Purchase };
        let (rules, at) = state.moment();
        ledger::earn(&mut tx, &rules, 1, ledger::Earning { kind, points: 1 + i % 50, growth: 0 }, at, None).await.unwrap();
    }
    tx.commit().await.unwrap();
    println!("seeded {ENTRIES} entries for member 1 in {:.1} s", seeding.elapsed().as_secs_f64());

    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    client.post(format!("{base}/api/session/demo")).json(&serde_json::json!({"member_id": 1})).send().await.unwrap();

    let mut first = Vec::new();
    let mut paged = Vec::new();
    for _ in 0..ROUNDS {
        let mut cursor: Option<String> = None;
        loop {
            let url = match &cursor {
                Some(c) => format!("{base}/api/history?cursor={c}"),
                None => format!("{base}/api/history"),
            };
            let t = Instant::now();
            let res = client.get(url).send().await.unwrap();
            assert!(res.status().is_success());
            let page: serde_json::Value = res.json().await.unwrap();
            let took = t.elapsed();
            if cursor.is_none() {
                first.push(took)
            } else {
                paged.push(took)
            }
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_string()),
                None => break,
            }
        }
    }
    for _ in 0..200 {
        let t = Instant::now();
        client.get(format!("{base}/api/history")).send().await.unwrap().bytes().await.unwrap();
        first.push(t.elapsed());
    }
    let mut all: Vec<Duration> = first.iter().chain(paged.iter()).copied().collect();
    all.sort();
    first.sort();
    paged.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("history pages of 20 over HTTP ({} requests):", all.len());
    println!(
        "  first page : p50 {:.2} ms  p99 {:.2} ms  ({} requests)",
        ms(percentile(&first, 0.5)),
        ms(percentile(&first, 0.99)),
        first.len()
    );
    println!(
        "  cursor page: p50 {:.2} ms  p99 {:.2} ms  ({} requests)",
        ms(percentile(&paged, 0.5)),
        ms(percentile(&paged, 0.99)),
        paged.len()
    );
    let p99 = ms(percentile(&all, 0.99));
    println!("  all        : p50 {:.2} ms  p99 {:.2} ms  → p99 / 5 ms target = {:.2}", ms(percentile(&all, 0.5)), p99, p99 / 5.0);
}
