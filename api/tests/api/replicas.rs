//! Two application instances on one database, as replicas behind a load balancer: each
//! has its own pools, rate limiter, sold-out flags and admission gates, and one member's
//! requests land on both (the session is in the database; the cookie goes to either).
//! The races of `concurrency.rs`, `points.rs` and `sales.rs` again, split across the
//! two: no oversell, no double spend, one check-in a day, one code per grab, one use
//! per code, and two sweeps at once expire each lot once. On both engines (two processes
//! on one SQLite file queue on its write lock; on PostgreSQL they run side by side).
//!
//! With PostgreSQL only, faults: two real server processes under holds and grabs, one
//! killed with `kill -9`, then PostgreSQL itself restarted `-m immediate` (a crash): the
//! other keeps answering, its pools reconnect without a restart, and every acknowledged
//! move is still there with every balance equal to its history. On a cluster of its own
//! (`scripts/pg-cluster.sh`, fsync and synchronous commit on), not the suite's.

use futures::future::join_all;
use mall_api::{db, domain::ledger};
use reqwest::StatusCode;
use serde_json::json;

use crate::{
    helpers::{balance, json, redeem, spawn_app, spawn_replica, TestApp},
    points::check_in,
    sales::{grab, merchant, schedule},
};

/// `a` for even `i`, `b` for odd: the load balancer's round robin.
fn pick<'a>(i: usize, a: &'a TestApp, b: &'a TestApp) -> &'a TestApp {
    if i.is_multiple_of(2) {
        a
    } else {
        b
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_never_oversell() {
    let a = spawn_app().await;
    let b = spawn_replica(&a).await;
    a.set_item(1, 10, 5).await;
    let price = a.scalar("SELECT points FROM items WHERE id = $1", 1).await;
    let mut members = Vec::new();
    for i in 0..40 {
        let id = a.add_member(price * 3, 0).await;
        members.push((id, pick(i, &a, &b).login(id).await));
    }
    let results = join_all(members.iter().enumerate().map(|(i, (_, c))| {
        let app = pick(i, &a, &b);
        async move { redeem(c, app, 1, 1, &format!("race-{i}")).await.status() }
    }))
    .await;
    assert_eq!(results.iter().filter(|s| **s == StatusCode::CREATED).count(), 10, "{results:?}");
    assert_eq!(results.iter().filter(|s| **s == StatusCode::CONFLICT).count(), 30, "{results:?}");
    assert_eq!(a.scalar("SELECT stock FROM items WHERE id = $1", 1).await, 0);
    assert_eq!(b.scalar("SELECT COUNT(*) FROM orders WHERE item_id = $1", 1).await, 10);
    for (id, _) in &members {
        a.assert_ledger(*id).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_member_on_two_replicas_spends_once() {
    let a = spawn_app().await;
    let b = spawn_replica(&a).await;
    a.set_item(1, 1000, 99).await;
    let price = a.scalar("SELECT points FROM items WHERE id = $1", 1).await;
    let id = a.add_member(price * 3 + price / 2, 0).await;
    let c = a.login(id).await;
    // Twenty taps with different keys, alternating replicas: three fit the balance.
    let taps = join_all((0..20).map(|i| {
        let (c, app) = (&c, pick(i, &a, &b));
        async move { redeem(c, app, 1, 1, &format!("tap-{i}")).await.status() }
    }))
    .await;
    assert_eq!(taps.iter().filter(|s| **s == StatusCode::CREATED).count(), 3, "{taps:?}");
    assert_eq!(taps.iter().filter(|s| **s == StatusCode::CONFLICT).count(), 17, "{taps:?}");
    assert_eq!(balance(&c, &b).await, price / 2);
    a.assert_ledger(id).await;

    // One key retried on both replicas at once: one order, the others replay its answer.
    let top_up = a.add_member(price * 2, 0).await; // a second member with points for two
    let c2 = a.login(top_up).await;
    let retries = join_all((0..10).map(|i| {
        let (c2, app) = (&c2, pick(i, &a, &b));
        async move {
            let res = redeem(c2, app, 1, 1, "same-key").await;
            (res.status(), res.headers().contains_key("idempotent-replayed"), json(res).await["id"].clone())
        }
    }))
    .await;
    assert!(retries.iter().all(|(s, _, _)| *s == StatusCode::CREATED), "{retries:?}");
    assert_eq!(retries.iter().filter(|(_, replayed, _)| !replayed).count(), 1, "{retries:?}");
    assert!(retries.iter().all(|(_, _, order)| *order == retries[0].2), "one order id in every answer: {retries:?}");
    assert_eq!(a.scalar("SELECT COUNT(*) FROM orders WHERE member_id = $1", top_up).await, 1);
    assert_eq!(balance(&c2, &a).await, price);
    a.assert_ledger(top_up).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_check_in_a_day_across_replicas() {
    let a = spawn_app().await;
    let b = spawn_replica(&a).await;
    let c = a.login(5).await;
    let before = balance(&c, &a).await;
    let results = join_all((0..40).map(|i| check_in(&c, pick(i, &a, &b)))).await;
    let created = results.iter().filter(|(s, _)| *s == StatusCode::CREATED).count();
    let repeats = results.iter().filter(|(s, body)| *s == StatusCode::OK && body["checked_in"] == false).count();
    assert_eq!((created, repeats), (1, 39), "{results:?}");
    let credited = results.iter().find(|(s, _)| *s == StatusCode::CREATED).unwrap().1["points"].as_i64().unwrap();
    assert_eq!(balance(&c, &b).await, before + credited);
    assert_eq!(a.scalar("SELECT COUNT(*) FROM checkins WHERE member_id = $1", 5).await, 1);
    a.assert_ledger(5).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn grabs_on_two_replicas_issue_exactly_the_stock() {
    let a = spawn_app().await;
    let b = spawn_replica(&a).await;
    let sale = schedule(&a, "replicas", 0, 5, 10, 1).await;
    let mut members = Vec::new();
    for i in 0..40 {
        let id = a.add_member(100, 0).await;
        members.push((id, pick(i, &a, &b).login(id).await));
    }
    // Every member grabs twice, once on each replica, with one key: a retry.
    let results = join_all(
        members.iter().flat_map(|(_, c)| [(c, &a), (c, &b)]).map(|(c, app)| async move { grab(c, app, sale, "k").await.status() }),
    )
    .await;
    assert!(results.iter().all(|s| [StatusCode::CREATED, StatusCode::CONFLICT, StatusCode::TOO_MANY_REQUESTS].contains(s)), "{results:?}");
    // A replayed or refused attempt gives its admission back only after others were
    // turned away (429): a unit may wait for the next tap, which takes it.
    for (round, (_, c)) in members.iter().enumerate() {
        if a.scalar("SELECT remaining FROM sales WHERE id = $1", sale).await == 0 {
            break;
        }
        grab(c, pick(round, &a, &b), sale, &format!("again-{round}")).await;
    }
    assert_eq!(a.scalar("SELECT COUNT(*) FROM codes WHERE sale_id = $1", sale).await, 5);
    assert_eq!(a.scalar("SELECT remaining FROM sales WHERE id = $1", sale).await, 0);
    let most = a.scalar("SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n FROM codes WHERE sale_id = $1 GROUP BY member_id) t", sale);
    assert_eq!(most.await, 1, "one code per member");
    let paid = a
        .scalar("SELECT CAST(COALESCE(-SUM(amount), 0) AS BIGINT) FROM history WHERE kind = 'flash_sale' AND ref_id IN (SELECT code FROM codes WHERE sale_id = $1)", sale)
        .await;
    assert_eq!(paid, 50, "points taken = 5 × price, each with a code");
    for (id, _) in &members {
        a.assert_ledger(*id).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_code_verified_on_two_replicas_is_used_once() {
    let a = spawn_app().await;
    let b = spawn_replica(&a).await;
    let sale = schedule(&a, "verify", 0, 5, 10, 1).await;
    let code = json(grab(&a.login(2).await, &a, sale, "k").await).await["code"]["code"].as_str().unwrap().to_string();
    let results = join_all((0..20).map(|i| {
        let app = pick(i, &a, &b);
        let (client, url, code) = (merchant(app), app.url("/api/merchant/verify"), code.clone());
        async move { client.post(url).json(&json!({ "code": code })).send().await.unwrap().status() }
    }))
    .await;
    assert_eq!(results.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{results:?}");
    assert_eq!(results.iter().filter(|s| **s == StatusCode::CONFLICT).count(), 19, "{results:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_sweeps_at_once_expire_each_lot_once() {
    let a = spawn_app().await;
    let b = spawn_replica(&a).await;
    let mut members = Vec::new();
    for _ in 0..20 {
        members.push(a.add_member(500, 0).await); // one lot, expiring in a year
    }
    let due_total = a.scalar("SELECT CAST(COALESCE(SUM(remaining), 0) AS BIGINT) FROM point_lots WHERE expires_at <= $1", 0).await;
    assert_eq!(due_total, 0);
    a.state.clock.advance(400 * 86_400);
    let now = a.state.clock.now_secs();
    let due = a.scalar("SELECT CAST(COALESCE(SUM(remaining), 0) AS BIGINT) FROM point_lots WHERE expires_at <= $1", now).await;
    assert!(due >= 20 * 500, "every added lot is due ({due})");

    // The sweep of each replica, and each member's expiry on both replicas' writers
    // directly (past the one-process lock: the member's row lock alone must hold).
    let direct = join_all(members.iter().flat_map(|id| [(*id, &a), (*id, &b)]).map(|(id, app)| async move {
        db::transaction(&app.state.writer, move |tx| Box::pin(ledger::catch_up(tx, id, app.state.at()))).await.unwrap()
    }));
    let (swept_a, swept_b, direct) = tokio::join!(a.sweep(), b.sweep(), direct);
    let expired_now =
        a.scalar("SELECT CAST(COALESCE(-SUM(amount), 0) AS BIGINT) FROM history WHERE kind = 'expire' AND created_at >= $1", now).await;
    assert_eq!(expired_now, due, "each due point expired once (sweeps {swept_a} + {swept_b}, direct {direct:?})");
    assert_eq!(a.scalar("SELECT CAST(COALESCE(SUM(remaining), 0) AS BIGINT) FROM point_lots WHERE expires_at <= $1", now).await, 0);
    for id in &members {
        let expiries = a.scalar("SELECT COUNT(*) FROM history WHERE member_id = $1 AND kind = 'expire'", *id).await;
        assert_eq!(expiries, 1, "member {id}: one expire entry");
        a.assert_ledger(*id).await;
    }
}

/// The crash test runs on a cluster of its own, started by `scripts/pg-cluster.sh` with
/// the durability a production database has (not the suite's `PG_FAST` cluster, where an
/// acknowledged commit may not be on disk, nor one other tests are using while it
/// crashes): this test runs the test binary again, for `postgres_crash_inner` only, inside
/// that script. Only when the suite runs on PostgreSQL.
#[test]
fn postgres_faults_under_load() {
    if std::env::var("TEST_POSTGRES_URL").map_or(true, |u| u.is_empty()) {
        return;
    }
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf();
    let started = std::time::Instant::now();
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut run = std::process::Command::new(repo.join("scripts/pg-cluster.sh"))
        .arg("--")
        // This very executable, even if a build replaced the file since it started.
        .arg(format!("/proc/{}/exe", std::process::id()))
        .args(["replicas::postgres_crash_inner", "--exact", "--nocapture", "--test-threads=1"])
        .env("MALL_CRASH_TEST", "1")
        .env_remove("PG_FAST")
        .env_remove("TEST_POSTGRES_URL")
        .current_dir(&repo)
        .stdin(std::process::Stdio::null())
        .stdout(log.reopen().unwrap())
        .stderr(log.reopen().unwrap())
        .spawn()
        .unwrap();
    // Never longer than 4 minutes: then SIGTERM, so the script still stops its cluster.
    let status = loop {
        if let Some(status) = run.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > std::time::Duration::from_secs(240) {
            let _ = std::process::Command::new("kill").args(["-TERM", &run.id().to_string()]).status();
            let _ = run.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    let text = std::fs::read_to_string(log.path()).unwrap();
    assert!(status.is_some_and(|s| s.success()) && text.contains("1 passed"), "the crash test failed ({status:?}):\n{text}");
    println!(
        "{}\ncrash test, its cluster included: {:?}",
        text.lines().filter(|l| l.starts_with("crash:")).collect::<Vec<_>>().join("\n"),
        started.elapsed()
    );
}

/// One acknowledged move (a 201): a hold's deduction id, or a grab's code.
#[derive(Debug, Clone)]
enum Move {
    Hold { id: i64, member: i64, points: i64 },
    Grab { code: String, member: i64 },
}

/// What a worker saw: acknowledged moves with the phase they were answered in, and the
/// answers that were not 201 (statuses; 0 for no answer).
#[derive(Debug, Default)]
struct Seen {
    moves: Vec<(usize, &'static str, Move)>,
    refused: Vec<u16>,
}

/// The phases of the crash test: both replicas up, replica A killed, PostgreSQL
/// restarted (and after).
const PHASES: [&str; 3] = ["both up", "A killed", "after the restart"];

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_crash_inner() {
    use std::{
        sync::{
            atomic::{AtomicBool, AtomicUsize, Ordering},
            Arc, Mutex,
        },
        time::{Duration, Instant},
    };

    use crate::{helpers::sign_v2, production::serve};

    if std::env::var("MALL_CRASH_TEST").as_deref() != Ok("1") {
        return; // only inside `postgres_faults_under_load`
    }
    let url = std::env::var("DATABASE_URL").expect("pg-cluster.sh gives DATABASE_URL");
    let (pgdata, bin, log) = (std::env::var("PGDATA").unwrap(), std::env::var("PG_BIN").unwrap(), std::env::var("PG_LOG").unwrap());
    let os_user = std::env::var("PG_OS_USER").unwrap_or_default();
    let dir = tempfile::tempdir().unwrap();
    let hook_secret = "test-hook-secret-0123456789";
    let vars = [
        ("DATABASE_URL", url.as_str()),
        ("DATABASE_POOL_SIZE", "4"),
        ("HOOK_SECRET", hook_secret),
        ("GRAB_BURST", "100000"),
        ("GRAB_PER_SECOND", "100000"),
    ];
    let mut a = serve(dir.path(), &vars).await;
    let b = serve(dir.path(), &vars).await;
    let (a_base, b_base) = (a.base.clone(), b.base.clone());
    let client = || reqwest::Client::builder().cookie_store(true).timeout(Duration::from_secs(5)).build().unwrap();
    let operator = client();
    let token = mall_api::config::DEV_OPERATOR_TOKEN;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let sale = json!({
        "offer_key": "crash", "offer": {"zh": "测试券", "en": "Test voucher"}, "merchant_id": 1,
        "image": "/img/items/luckin-voucher.svg", "points": 1, "quantity": 100_000, "per_member_limit": 10_000,
        "starts_at": now - 60, "ends_at": now + 3600
    });
    let res = operator.post(format!("{a_base}/api/admin/sales")).bearer_auth(token).json(&sale).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let sale: i64 = res.json().await.unwrap();
    let members: Vec<i64> = (1..=6).collect();
    for (n, m) in members.iter().enumerate() {
        let body = json!({"member_id": m, "amount": 1_000_000, "reason": "crash test"});
        let res = operator
            .post(format!("{b_base}/api/admin/adjustments"))
            .bearer_auth(token)
            .header("idempotency-key", format!("crash-{n}"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
    }

    // Six workers, one member each, alternating replicas: a hold, then a grab, again.
    let phase = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(Mutex::new(Seen::default()));
    let mut workers = Vec::new();
    for (w, member) in members.iter().copied().enumerate() {
        let (phase, stop, seen, bases) = (phase.clone(), stop.clone(), seen.clone(), [a_base.clone(), b_base.clone()]);
        let c = client();
        for base in &bases {
            let res = c.post(format!("{base}/api/session/demo")).json(&json!({"member_id": member})).send().await.unwrap();
            assert_eq!(res.status(), StatusCode::OK);
        }
        workers.push(tokio::spawn(async move {
            let mut n = 0usize;
            while !stop.load(Ordering::SeqCst) {
                n += 1;
                let base = &bases[(n + w) % 2];
                let at = phase.load(Ordering::SeqCst);
                let outcome = if n.is_multiple_of(2) {
                    let path = "/api/host/deductions";
                    let body =
                        json!({"member_id": member, "order_id": format!("C-{w}-{n}"), "order_amount": "100.00", "points": 100}).to_string();
                    let ts = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
                    let sent = c
                        .post(format!("{base}{path}"))
                        .header("content-type", "application/json")
                        .header("x-mall-timestamp", ts.to_string())
                        .header("x-mall-signature", sign_v2(hook_secret, ts, "POST", path, None, &body))
                        .body(body)
                        .send()
                        .await;
                    match sent {
                        Ok(res) if res.status() == StatusCode::CREATED => {
                            let v: serde_json::Value = res.json().await.unwrap();
                            Ok(Move::Hold { id: v["id"].as_i64().unwrap(), member, points: v["points"].as_i64().unwrap() })
                        }
                        Ok(res) => Err(res.status().as_u16()),
                        Err(_) => Err(0),
                    }
                } else {
                    let sent = c.post(format!("{base}/api/sales/{sale}/grab")).header("idempotency-key", format!("g-{w}-{n}")).send().await;
                    match sent {
                        Ok(res) if res.status() == StatusCode::CREATED => {
                            let v: serde_json::Value = res.json().await.unwrap();
                            Ok(Move::Grab { code: v["code"]["code"].as_str().unwrap().replace('-', ""), member })
                        }
                        Ok(res) => Err(res.status().as_u16()),
                        Err(_) => Err(0),
                    }
                };
                let failed = outcome.is_err();
                match outcome {
                    Ok(m) => seen.lock().unwrap().moves.push((at, if base == &bases[0] { "A" } else { "B" }, m)),
                    Err(status) => seen.lock().unwrap().refused.push(status),
                }
                if failed {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        }));
    }
    let acknowledged =
        |phase: usize, replica: &str| seen.lock().unwrap().moves.iter().filter(|(p, r, _)| *p == phase && *r == replica).count();
    let wait_for = |what: &'static str, check: Box<dyn Fn() -> bool + Send>| async move {
        let until = Instant::now() + Duration::from_secs(30);
        while !check() {
            assert!(Instant::now() < until, "{what} within 30 s");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::time::sleep(Duration::from_secs(1)).await;
    let s = seen.clone();
    wait_for(
        "moves on both replicas",
        Box::new(move || {
            let s = s.lock().unwrap();
            ["A", "B"].iter().all(|r| s.moves.iter().any(|(p, x, _)| *p == 0 && x == r))
        }),
    )
    .await;

    // kill -9 replica A in the middle of it.
    a.kill_9();
    phase.store(1, Ordering::SeqCst);
    let killed = Instant::now();
    let s = seen.clone();
    wait_for(
        "B answering after A died",
        Box::new(move || s.lock().unwrap().moves.iter().filter(|(p, r, _)| *p == 1 && *r == "B").count() >= 10),
    )
    .await;
    println!("crash: B acknowledged 10 moves {:?} after A was killed", killed.elapsed());

    // PostgreSQL crashes and comes back, under load.
    let restart = Instant::now();
    let mut pg_ctl = std::process::Command::new(if os_user.is_empty() { format!("{bin}/pg_ctl") } else { "runuser".to_string() });
    if !os_user.is_empty() {
        pg_ctl.args(["-u", &os_user, "--", &format!("{bin}/pg_ctl")]);
    }
    let status = pg_ctl
        .args(["-D", &pgdata, "-l", &log, "-w", "-t", "60", "restart", "-m", "immediate"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "pg_ctl restart");
    phase.store(2, Ordering::SeqCst);
    let restarted = restart.elapsed();
    let s = seen.clone();
    wait_for(
        "B answering after the restart",
        Box::new(move || s.lock().unwrap().moves.iter().filter(|(p, r, _)| *p == 2 && *r == "B").count() >= 10),
    )
    .await;
    println!("crash: PostgreSQL restarted in {restarted:?}; B acknowledged 10 moves {:?} after, same process", restart.elapsed());
    stop.store(true, Ordering::SeqCst);
    for w in workers {
        w.await.unwrap();
    }
    let health = client().get(format!("{b_base}/healthz")).send().await.unwrap().status();
    assert_eq!(health, StatusCode::OK, "B never restarted and is healthy");

    // Every acknowledged move is there, and every balance is its history.
    let per_phase: Vec<String> = (0..3).map(|p| format!("{}: A {}, B {}", PHASES[p], acknowledged(p, "A"), acknowledged(p, "B"))).collect();
    let seen = std::mem::take(&mut *seen.lock().unwrap());
    let db = sqlx::PgPool::connect(&url).await.unwrap();
    for (_, _, m) in &seen.moves {
        match m {
            Move::Hold { id, member, points } => {
                let row: Option<(i64, i64)> =
                    sqlx::query_as("SELECT member_id, points FROM deductions WHERE id = $1").bind(id).fetch_optional(&db).await.unwrap();
                assert_eq!(row, Some((*member, *points)), "acknowledged hold {id}");
            }
            Move::Grab { code, member } => {
                let row: Option<i64> =
                    sqlx::query_scalar("SELECT member_id FROM codes WHERE code = $1").bind(code).fetch_optional(&db).await.unwrap();
                assert_eq!(row, Some(*member), "acknowledged code {code}");
            }
        }
    }
    for m in &members {
        let (balance, history, lots): (i64, i64, i64) = sqlx::query_as(
            "SELECT balance, (SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM history WHERE member_id = $1), \
             (SELECT CAST(COALESCE(SUM(remaining), 0) AS BIGINT) FROM point_lots WHERE member_id = $1) FROM members WHERE id = $1",
        )
        .bind(m)
        .fetch_one(&db)
        .await
        .unwrap();
        assert_eq!((balance, lots), (history, history), "member {m}: balance = Σ history = Σ lots");
    }
    let mut refused = seen.refused.clone();
    refused.sort_unstable();
    refused.dedup();
    // No answer from the dead replica (0), and "try again" (503 with Retry-After) while
    // PostgreSQL restarts: never an internal error.
    assert!(refused.iter().all(|s| [0, 503].contains(s)), "refusals {refused:?}");
    println!(
        "crash: acknowledged moves {} ({}), all found; refused or unanswered {} (statuses {refused:?})",
        seen.moves.len(),
        per_phase.join("; "),
        seen.refused.len()
    );
}
