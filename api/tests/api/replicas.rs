//! Two application instances on one database, as replicas behind a load balancer: each
//! has its own pools, rate limiter, sold-out flags and admission gates, and one member's
//! requests land on both (the session is in the database; the cookie goes to either).
//! The races of `concurrency.rs`, `points.rs` and `sales.rs` again, split across the
//! two: no oversell, no double spend, one check-in a day, one code per grab, one use
//! per code, and two sweeps at once expire each lot once. On both engines (two processes
//! on one SQLite file queue on its write lock; on PostgreSQL they run side by side).

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
