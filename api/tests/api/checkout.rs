//! The host's checkout (积分抵扣) and refunds: holds, captures, releases, refunds, hold
//! expiry worked out on read, pending purchase points, refunds that take points back and
//! the shortfall, under the one replay rule of signed hooks; on both engines.

use futures::future::join_all;
use mall_api::{db, domain::ledger};
use mall_core::dto::EntryKind;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{expect_error, json, spawn_app, spawn_replica, TestApp};

async fn me(app: &TestApp, member: i64) -> Value {
    let c = app.login(member).await;
    json(c.get(app.url("/api/me")).send().await.unwrap()).await
}

async fn hold(app: &TestApp, member: i64, order: &str, amount: &str, points: i64) -> reqwest::Response {
    let body = json!({"member_id": member, "order_id": order, "order_amount": amount, "points": points}).to_string();
    app.host("/api/host/deductions", &body, None).await
}

/// Entries written for member `$1`.
const HISTORY_COUNT: &str = "SELECT COUNT(*) FROM history WHERE member_id = $1";

#[tokio::test]
async fn a_full_deduction_flow_quote_hold_capture_refund() {
    let app = spawn_app().await;
    let m = app.add_member(10_000, 0).await;
    let quote =
        json(app.host("/api/host/deductions/quote", &json!({"member_id": m, "order_amount": "120.00"}).to_string(), None).await).await;
    assert_eq!(quote["balance"], 10_000);
    assert_eq!(quote["max_points"], 6_000, "50 % of ¥120 at 100 points per yuan");
    assert_eq!(quote["max_cash_off"], "60.00");

    let res = hold(&app, m, "O-1", "120.00", 2_000).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let held = json(res).await;
    assert_eq!(held["status"], "held");
    assert_eq!(held["cash_off"], "20.00");
    assert_eq!(held["balance"], 8_000, "the points leave the balance at once");
    assert_eq!(me(&app, m).await["balance"], 8_000);
    let id = held["id"].as_i64().unwrap();

    // The same order and body: the first answer; another body: refused.
    let replay = hold(&app, m, "O-1", "120.00", 2_000).await;
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(json(replay).await, held);
    expect_error(hold(&app, m, "O-1", "120.00", 1_000).await, StatusCode::CONFLICT, "order_id_reused").await;

    let captured = json(app.host(&format!("/api/host/deductions/{id}/capture"), "", None).await).await;
    assert_eq!(captured["status"], "captured");
    assert_eq!(captured["balance"], 8_000, "a capture does not touch the balance");
    let again = app.host(&format!("/api/host/deductions/{id}/capture"), "", None).await;
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    expect_error(app.host(&format!("/api/host/deductions/{id}/release"), "", None).await, StatusCode::CONFLICT, "deduction_captured").await;

    // Refunds: partial, replayed, beyond, then the rest.
    let path = format!("/api/host/deductions/{id}/refund");
    let part = json(app.host(&path, r#"{"points":500}"#, Some("r-1")).await).await;
    assert_eq!(part["refunded_points"], 500);
    assert_eq!(part["balance"], 8_500);
    let replay = app.host(&path, r#"{"points":500}"#, Some("r-1")).await;
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(me(&app, m).await["balance"], 8_500, "a replayed refund gives nothing twice");
    expect_error(app.host(&path, r#"{"points":1501}"#, Some("r-2")).await, StatusCode::UNPROCESSABLE_ENTITY, "refund_exceeds_capture")
        .await;
    expect_error(app.host(&path, r#"{"points":5}"#, None).await, StatusCode::BAD_REQUEST, "idempotency_key_missing").await;
    let rest = json(app.host(&path, "", Some("r-3")).await).await;
    assert_eq!(rest["refunded_points"], 2_000);
    assert_eq!(rest["balance"], 10_000);
    let kinds = app
        .rows("SELECT amount FROM history WHERE member_id = $1 AND kind IN ('deduction_hold', 'deduction_refund') ORDER BY id", &[m])
        .await;
    assert_eq!(kinds, vec![vec![-2_000], vec![500], vec![1_500]]);
    app.assert_ledger(m).await;
}

#[tokio::test]
async fn deduction_refusals() {
    let app = spawn_app().await;
    let m = app.add_member(1_000, 0).await;
    expect_error(hold(&app, m, "R-1", "120.00", 99).await, StatusCode::UNPROCESSABLE_ENTITY, "deduction_below_minimum").await;
    expect_error(hold(&app, m, "R-1", "3.00", 151).await, StatusCode::UNPROCESSABLE_ENTITY, "deduction_over_share").await;
    expect_error(hold(&app, m, "R-1", "120.00", 1_001).await, StatusCode::CONFLICT, "insufficient_points").await;
    expect_error(hold(&app, 999_999, "R-1", "120.00", 100).await, StatusCode::NOT_FOUND, "member_not_found").await;
    expect_error(hold(&app, m, "R-1", "1.001", 100).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    expect_error(app.host("/api/host/deductions", "{not json", None).await, StatusCode::BAD_REQUEST, "invalid_json").await;
    expect_error(app.host("/api/host/deductions/999/capture", "", None).await, StatusCode::NOT_FOUND, "deduction_not_found").await;
    // A bad or stale signature.
    let body = json!({"member_id": m, "order_id": "R-2", "order_amount": "120.00", "points": 100}).to_string();
    let now = app.state.clock.now_secs();
    let sent = |ts: i64, sig: String| {
        reqwest::Client::new()
            .post(app.url("/api/host/deductions"))
            .header("content-type", "application/json")
            .header("x-mall-timestamp", ts.to_string())
            .header("x-mall-signature", sig)
            .body(body.clone())
            .send()
    };
    let path = "/api/host/deductions";
    expect_error(sent(now, app.sign(now, path, None, "{}")).await.unwrap(), StatusCode::UNAUTHORIZED, "signature_invalid").await;
    expect_error(sent(now - 3_600, app.sign(now - 3_600, path, None, &body)).await.unwrap(), StatusCode::UNAUTHORIZED, "stale_request")
        .await;

    // Refund before capture; capture after release.
    let id = json(hold(&app, m, "R-3", "120.00", 300).await).await["id"].as_i64().unwrap();
    expect_error(
        app.host(&format!("/api/host/deductions/{id}/refund"), "", Some("k")).await,
        StatusCode::CONFLICT,
        "deduction_not_captured",
    )
    .await;
    let released = json(app.host(&format!("/api/host/deductions/{id}/release"), "", None).await).await;
    assert_eq!(released["status"], "released");
    assert_eq!(released["balance"], 1_000);
    let again = app.host(&format!("/api/host/deductions/{id}/release"), "", None).await;
    assert_eq!(again.status(), StatusCode::OK, "a second release answers the first");
    expect_error(app.host(&format!("/api/host/deductions/{id}/capture"), "", None).await, StatusCode::CONFLICT, "deduction_released").await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM deductions WHERE member_id = $1", m).await, 1, "refused holds left nothing");
    app.assert_ledger(m).await;
}

#[tokio::test]
async fn a_lapsed_hold_counts_as_released_on_read_and_returns_to_lots_that_expire_again() {
    let app = spawn_app().await;
    let m = app.add_member(0, 0).await;
    let now = app.state.clock.now_secs();
    // Lot A expires in 10 minutes, lot B in a year; a hold of 1,500 takes A then 500 of B.
    let mut tx = db::begin(&app.state.writer).await.unwrap();
    ledger::credit(&mut tx, m, EntryKind::Adjustment, 1_000, app.state.at(), now + 600, None).await.unwrap();
    ledger::credit(&mut tx, m, EntryKind::Adjustment, 1_000, app.state.at(), now + 365 * 86_400, None).await.unwrap();
    tx.commit().await.unwrap();
    let id = json(hold(&app, m, "L-1", "100.00", 1_500).await).await["id"].as_i64().unwrap();
    assert_eq!(me(&app, m).await["balance"], 500);

    app.state.clock.advance(20 * 60);
    let entries_before = app.scalar(HISTORY_COUNT, m).await;
    // On read: B's 500 come back; A's 1,000 come back and expire with A.
    assert_eq!(me(&app, m).await["balance"], 1_000);
    let c = app.login(m).await;
    let history = json(c.get(app.url("/api/history")).send().await.unwrap()).await;
    let top: Vec<(String, i64)> = history["entries"]
        .as_array()
        .unwrap()
        .iter()
        .take(2)
        .map(|e| (e["kind"].as_str().unwrap().to_string(), e["amount"].as_i64().unwrap()))
        .collect();
    assert_eq!(top, vec![("expire".to_string(), -1_000), ("deduction_release".to_string(), 1_500)]);
    let sum: i64 = history["entries"].as_array().unwrap().iter().map(|e| e["amount"].as_i64().unwrap()).sum();
    assert_eq!(sum, 1_000, "the history adds up to the balance shown");
    assert_eq!(app.scalar(HISTORY_COUNT, m).await, entries_before, "no GET wrote");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM deductions WHERE id = $1 AND status = 'held'", id).await, 1);

    expect_error(app.host(&format!("/api/host/deductions/{id}/capture"), "", None).await, StatusCode::CONFLICT, "deduction_released").await;
    app.sweep().await;
    assert_eq!(me(&app, m).await["balance"], 1_000);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM deductions WHERE id = $1 AND status = 'released'", id).await, 1);
    app.assert_ledger(m).await;
}

async fn storm(app: &TestApp, other: &TestApp, m: i64) {
    let replies = join_all((0..20).map(|i| {
        let target = if i % 2 == 0 { app } else { other };
        async move { hold(target, m, &format!("S-{m}-{i}"), "200.00", 100).await.status() }
    }))
    .await;
    let held = replies.iter().filter(|s| **s == StatusCode::CREATED).count();
    let refused = replies.iter().filter(|s| **s == StatusCode::CONFLICT).count();
    assert_eq!((held, refused), (3, 17), "{replies:?}");
    assert_eq!(me(app, m).await["balance"], 50);
    app.assert_ledger(m).await;
}

#[tokio::test]
async fn twenty_simultaneous_holds_for_a_balance_that_covers_three() {
    let app = spawn_app().await;
    let m = app.add_member(350, 0).await;
    storm(&app, &app, m).await;
}

#[tokio::test]
async fn twenty_simultaneous_holds_across_two_instances() {
    let app = spawn_app().await;
    let replica = spawn_replica(&app).await;
    let m = app.add_member(350, 0).await;
    storm(&app, &replica, m).await;
}

async fn purchase(app: &TestApp, id: &str, member: i64, paid: &str, settles_at: Option<&str>) -> Value {
    let mut body = json!({"purchase_id": id, "member_id": member, "paid": paid});
    if let Some(at) = settles_at {
        body["settles_at"] = json!(at);
    }
    let res = app.host("/api/hooks/purchase", &body.to_string(), None).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    json(res).await
}

async fn refund(app: &TestApp, id: &str, purchase: &str, amount: &str) -> reqwest::Response {
    app.host("/api/hooks/refund", &json!({"refund_id": id, "purchase_id": purchase, "amount": amount}).to_string(), None).await
}

#[tokio::test]
async fn purchase_points_wait_for_the_return_window_and_a_refund_inside_it_cancels_them() {
    let app = spawn_app().await;
    let m = app.add_member(100, 0).await;
    let credit = purchase(&app, "W-1", m, "99.99", None).await;
    assert_eq!(credit["pending"], true);
    assert_eq!(credit["points"], 99);
    let mine = me(&app, m).await;
    assert_eq!((mine["balance"].as_i64(), mine["pending_points"].as_i64(), mine["growth"].as_i64()), (Some(100), Some(99), Some(0)));
    let c = app.login(m).await;
    let pending = json(c.get(app.url("/api/pending")).send().await.unwrap()).await;
    assert_eq!(pending["total"], 99);
    assert_eq!(pending["pending"][0]["purchase_id"], "W-1");

    // A third refunded inside the window: floor(99 × 33.33 ÷ 99.99) = 33 cancelled.
    let res = refund(&app, "W-1-r1", "W-1", "33.33").await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let out = json(res).await;
    assert_eq!((out["pending_cancelled"].as_i64(), out["points_taken"].as_i64()), (Some(33), Some(0)));
    assert_eq!(me(&app, m).await["pending_points"], 66);

    // The window ends: on read the points are there (no write), then the sweep records them.
    app.state.clock.advance(7 * 86_400 + 1);
    let mine = me(&app, m).await;
    assert_eq!((mine["balance"].as_i64(), mine["pending_points"].as_i64()), (Some(166), Some(0)));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM purchases WHERE settled_at IS NULL AND member_id = $1", m).await, 1);
    app.sweep().await;
    let mine = me(&app, m).await;
    assert_eq!(mine["balance"], 166);
    assert_eq!(mine["growth"], 66, "growth on the cash kept, from settlement");
    // The rest refunded after settlement: 99 − 33 = 66 taken back.
    let out = json(refund(&app, "W-1-r2", "W-1", "66.66").await).await;
    assert_eq!(out["points_taken"], 66);
    assert_eq!(me(&app, m).await["balance"], 100);
    expect_error(refund(&app, "W-1-r3", "W-1", "0.01").await, StatusCode::UNPROCESSABLE_ENTITY, "refund_exceeds_paid").await;
    expect_error(refund(&app, "W-1-r2", "W-1", "1.00").await, StatusCode::CONFLICT, "refund_id_reused").await;
    let replay = refund(&app, "W-1-r2", "W-1", "66.66").await;
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    expect_error(refund(&app, "X-r", "nope", "1.00").await, StatusCode::NOT_FOUND, "purchase_not_found").await;
    app.assert_ledger(m).await;
}

#[tokio::test]
async fn a_refund_the_balance_cannot_cover_leaves_a_shortfall_that_later_earnings_settle_first() {
    let app = spawn_app().await;
    let m = app.add_member(0, 0).await;
    purchase(&app, "SF-1", m, "500.00", Some("2020-01-01T00:00:00Z")).await;
    assert_eq!(me(&app, m).await["balance"], 500);
    // The member spends 400 on a held-and-captured deduction.
    let id = json(hold(&app, m, "SF-O", "1000.00", 400).await).await["id"].as_i64().unwrap();
    app.host(&format!("/api/host/deductions/{id}/capture"), "", None).await;
    // The whole purchase is refunded: 500 due, 100 there.
    let out = json(refund(&app, "SF-1-r", "SF-1", "500.00").await).await;
    assert_eq!((out["points_taken"].as_i64(), out["shortfall_added"].as_i64(), out["balance"].as_i64()), (Some(100), Some(400), Some(0)));
    assert_eq!(me(&app, m).await["shortfall_points"], 400);
    // A later purchase of 300 points pays the shortfall first.
    purchase(&app, "SF-2", m, "300.00", Some("2020-01-01T00:00:00Z")).await;
    let mine = me(&app, m).await;
    assert_eq!((mine["balance"].as_i64(), mine["shortfall_points"].as_i64()), (Some(0), Some(100)));
    // A pending purchase pays it on read as it matures, and on the sweep.
    purchase(&app, "SF-3", m, "250.00", None).await;
    app.state.clock.advance(7 * 86_400 + 1);
    assert_eq!(me(&app, m).await["balance"], 150);
    app.sweep().await;
    let mine = me(&app, m).await;
    assert_eq!((mine["balance"].as_i64(), mine["shortfall_points"].as_i64()), (Some(150), Some(0)));
    app.assert_ledger(m).await;
}
