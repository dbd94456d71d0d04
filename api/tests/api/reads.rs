//! Reads never write: every GET answers from the read pool, due lots show as expired
//! without recording anything, and the history adds up to the balance shown; the next
//! write records the expiry once.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{balance, json, spawn_app, TestApp};

/// Everything a write could change, in one row of numbers.
async fn fingerprint(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM history",
        "SELECT CAST(COALESCE(SUM(balance), 0) AS BIGINT) FROM members",
        "SELECT CAST(COALESCE(SUM(remaining), 0) AS BIGINT) FROM point_lots",
        "SELECT COUNT(*) FROM lot_debits",
        "SELECT CAST(COALESCE(SUM(value), 0) AS BIGINT) FROM counters",
        "SELECT COUNT(*) FROM sessions",
        "SELECT COUNT(*) FROM idempotency",
        "SELECT COUNT(*) FROM checkins",
        "SELECT CAST(COALESCE(SUM(stock), 0) AS BIGINT) FROM items",
        "SELECT CAST(COALESCE(SUM(remaining), 0) AS BIGINT) FROM sales",
    ] {
        out.push(app.rows(sql, &[]).await[0][0]);
    }
    out
}

/// Every entry of the member's history, all pages.
async fn all_history(c: &reqwest::Client, app: &TestApp) -> Vec<Value> {
    let mut entries = Vec::new();
    let mut url = app.url("/api/history?limit=50");
    loop {
        let page = json(c.get(&url).send().await.unwrap()).await;
        entries.extend(page["entries"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(cursor) => url = app.url(&format!("/api/history?limit=50&cursor={cursor}")),
            None => return entries,
        }
    }
}

#[tokio::test]
async fn get_requests_write_nothing_and_show_due_points_as_expired() {
    let app = spawn_app().await;
    let c = app.login(1).await;
    let stored = app.scalar("SELECT balance FROM members WHERE id = $1", 1).await;
    let first_expiry = app.scalar("SELECT MIN(expires_at) FROM point_lots WHERE member_id = $1 AND remaining > 0", 1).await;
    app.state.clock.set_now(first_expiry + 1);
    let due = app
        .scalar(
            &format!("SELECT CAST(SUM(remaining) AS BIGINT) FROM point_lots WHERE member_id = $1 AND expires_at <= {}", first_expiry + 1),
            1,
        )
        .await;
    assert!(due > 0, "member 1 has a lot due");

    let before = fingerprint(&app).await;
    let shown = balance(&c, &app).await;
    assert_eq!(shown, stored - due, "the balance leaves out due lots");
    let entries = all_history(&c, &app).await;
    assert_eq!(entries[0]["kind"], "expire", "the pending expiry is the newest entry");
    assert_eq!(entries[0]["amount"], -due);
    assert_eq!(entries[0]["balance_after"], shown);
    assert_eq!(entries.iter().map(|e| e["amount"].as_i64().unwrap()).sum::<i64>(), shown, "history adds up to the balance shown");
    let expired = json(c.get(app.url("/api/history?kind=expired")).send().await.unwrap()).await;
    assert_eq!(expired["entries"][0]["amount"], -due);
    let lots = json(c.get(app.url("/api/lots")).send().await.unwrap()).await;
    assert_eq!(lots.as_array().unwrap().iter().map(|l| l["remaining"].as_i64().unwrap()).sum::<i64>(), shown, "lots add up too");
    for path in [
        "/healthz",
        "/api/time",
        "/api/rules",
        "/api/openapi.json",
        "/api/demo/members",
        "/api/categories",
        "/api/items",
        "/api/items?affordable=true",
        "/api/items/1",
        "/api/orders",
        "/api/checkins",
        "/api/tasks",
        "/api/invite",
        "/api/sales",
        "/api/codes",
    ] {
        assert_eq!(c.get(app.url(path)).send().await.unwrap().status(), StatusCode::OK, "{path}");
    }
    assert_eq!(fingerprint(&app).await, before, "a GET changed the database");

    // The member's next write records the expiry, once; the balance is what reads showed.
    let res = c.post(app.url("/api/checkins")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let paid = json(res).await["points"].as_i64().unwrap();
    assert_eq!(app.scalar("SELECT COUNT(*) FROM history WHERE member_id = $1 AND kind = 'expire'", 1).await, 1);
    assert_eq!(balance(&c, &app).await, shown + paid);
    let entries = all_history(&c, &app).await;
    assert_eq!(entries.iter().filter(|e| e["kind"] == "expire").count(), 1, "the recorded expiry replaced the pending one");
    assert_eq!(entries.iter().map(|e| e["amount"].as_i64().unwrap()).sum::<i64>(), shown + paid);
    app.assert_ledger(1).await;
}
