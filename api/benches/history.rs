//! History paging with 10,000 entries: seeds one member with 10,000 history entries in a
//! real SQLite file, then times `GET /api/history` over real HTTP, first pages and
//! cursor pages through the whole list. Target: p99 ≤ 5 ms on the 2-core machine.
//! Run: `cargo bench -p mall-api --bench history`. `BENCH_SMOKE=1` is the smoke size
//! `make test` runs (1,000 entries, one walk, 100 more first pages): the same requests,
//! each checked (200, a page of at most 20 entries, newest first, every entry once), so a
//! bench broken by an API change fails the tests; its timings mean nothing.

use std::time::{Duration, Instant};

use mall_api::{
    clock::Clock,
    config::Config,
    db::{self, Pool},
    domain::ledger,
    startup::Application,
};
use mall_core::dto::{EntryKind, HistoryPage};

/// The run's size: entries seeded, walks through them all, first pages more.
fn size() -> (i64, usize, usize) {
    if std::env::var("BENCH_SMOKE").is_ok_and(|v| !v.is_empty() && v != "0") {
        (1_000, 1, 100)
    } else {
        (10_000, 3, 200)
    }
}

/// The member's history entries, straight from the database.
async fn entries_of(pool: &Pool, member: i64) -> i64 {
    let sql = "SELECT COUNT(*) FROM history WHERE member_id = $1";
    match pool {
        Pool::Sqlite(p) => sqlx::query_scalar(sql).bind(member).fetch_one(p).await.unwrap(),
        Pool::Postgres(p) => sqlx::query_scalar(sql).bind(member).fetch_one(p).await.unwrap(),
    }
}

/// Reads one page and checks its shape: 200, at most 20 entries, newest first.
async fn fetch_page(client: &reqwest::Client, url: String) -> HistoryPage {
    let res = client.get(&url).send().await.unwrap();
    let status = res.status();
    let body = res.text().await.unwrap();
    assert_eq!(status, reqwest::StatusCode::OK, "GET {url}: {body}");
    let page: HistoryPage = serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {url}: not a history page ({e}): {body}"));
    assert!(page.entries.len() <= 20, "GET {url}: {} entries on a page of 20", page.entries.len());
    assert!(page.entries.windows(2).all(|w| w[0].id > w[1].id), "GET {url}: not newest first");
    page
}

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

    let (entries, rounds, more_first) = size();
    let seeding = Instant::now();
    let mut tx = db::begin(&state.writer).await.unwrap();
    for i in 0..entries {
        let kind = if i % 3 == 0 { EntryKind::Checkin } else { EntryKind::Purchase };
        let (rules, at) = state.moment();
        ledger::earn(&mut tx, &rules, 1, ledger::Earning { kind, points: 1 + i % 50, growth: 0 }, at, None).await.unwrap();
    }
    tx.commit().await.unwrap();
    println!("seeded {entries} entries for member 1 in {:.1} s", seeding.elapsed().as_secs_f64());

    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let login = client.post(format!("{base}/api/session/demo")).json(&serde_json::json!({"member_id": 1})).send().await.unwrap();
    assert!(login.status().is_success(), "demo login: {}", login.status());

    let mut total = 0;
    let mut first = Vec::new();
    let mut paged = Vec::new();
    for _ in 0..rounds {
        let mut cursor: Option<String> = None;
        let mut seen = 0;
        let mut last: Option<i64> = None;
        loop {
            let url = match &cursor {
                Some(c) => format!("{base}/api/history?cursor={c}"),
                None => format!("{base}/api/history"),
            };
            let t = Instant::now();
            let page = fetch_page(&client, url).await;
            let took = t.elapsed();
            if let (Some(last), Some(first)) = (last, page.entries.first()) {
                assert!(first.id < last, "a cursor page repeats or skips back: {} after {last}", first.id);
            }
            last = page.entries.last().map(|e| e.id).or(last);
            seen += page.entries.len() as i64;
            if cursor.is_none() {
                first.push(took)
            } else {
                paged.push(took)
            }
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        // Counted after the walk: the demo's own entries and any a sweep at start-up added.
        let has = entries_of(&state.pool, 1).await;
        assert!(seen == has && has >= entries, "the walk through the pages saw {seen} entries, the member has {has}");
        total = has;
    }
    for _ in 0..more_first {
        let t = Instant::now();
        let page = fetch_page(&client, format!("{base}/api/history")).await;
        first.push(t.elapsed());
        assert_eq!(page.entries.len(), 20, "a first page of 20");
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
    println!("  answers: every page 200, at most 20 entries, newest first; each walk saw all {total} entries once: OK");
}
