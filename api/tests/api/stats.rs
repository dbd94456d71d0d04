//! Statistics after a scripted shop day: every bucket equals the history it comes from,
//! closing = opening + the day's net change = the outstanding points (Σ spendable
//! balances), activity counts, codes per merchant, top items, the CSV, and refusals.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{expect_error, json, operator_client as operator, post, redeem, spawn_app_at, TestApp};

/// 2026-03-16 08:00 in Shanghai.
const MORNING: i64 = 1_773_619_200;

async fn stats(app: &TestApp, query: &str) -> reqwest::Response {
    operator(app).get(app.url(&format!("/api/admin/stats?{query}"))).send().await.unwrap()
}

#[tokio::test]
async fn a_scripted_day_reconciles_to_the_point() {
    let app = spawn_app_at(Some(MORNING), |_| {}).await;
    let op = operator(&app);
    // The day: two check-ins, two redeems and a cancel, a grab verified by its merchant,
    // a negative adjustment, and points that fall due during the day.
    let (a, b) = (app.login(1).await, app.login(2).await);
    for c in [&a, &b] {
        assert_eq!(post(c, &app, "/api/checkins", json!({})).await.status(), StatusCode::CREATED);
    }
    let physical = app
        .scalar(
            "SELECT MIN(id) FROM items WHERE kind = 'physical' AND cash_fen IS NULL AND stock > 0 AND min_tier IS NULL AND points < $1",
            5_000,
        )
        .await;
    let kept = json(redeem(&a, &app, 1, 1, "r1").await).await;
    let cancelled = json(redeem(&b, &app, physical, 1, "r2").await).await;
    assert_eq!(post(&b, &app, &format!("/api/orders/{}/cancel", cancelled["id"]), json!({})).await.status(), StatusCode::OK);
    let live = app.scalar("SELECT id FROM sales WHERE offer_key = 'coffee-live' AND $1 > 0", 1).await;
    let grab = b.post(app.url(&format!("/api/sales/{live}/grab"))).header("Idempotency-Key", "g").send().await.unwrap();
    let code = json(grab).await["code"]["code"].as_str().unwrap().to_string();
    // The live sale is 瑞幸咖啡's: its own account verifies the code.
    let luckin = crate::staff::staff(&app, "luckin").await;
    let verify = luckin.post(app.url("/api/merchant/verify")).json(&json!({ "code": code })).send().await.unwrap();
    assert_eq!(verify.status(), StatusCode::OK);
    let adjust = op
        .post(app.url("/api/admin/adjustments"))
        .header("Idempotency-Key", "adj")
        .json(&json!({ "member_id": 3, "amount": -50, "reason": "correction" }))
        .send()
        .await
        .unwrap();
    assert_eq!(adjust.status(), StatusCode::CREATED);
    // A member whose 80 points fall due at 10:00: pending (not recorded) until a write
    // records it.
    let due = MORNING + 2 * 3600;
    let expiring = app.add_member(0, 0).await;
    let mut tx = mall_api::db::begin(&app.state.writer).await.unwrap();
    let kind = mall_core::dto::EntryKind::Adjustment;
    mall_api::domain::ledger::credit(&mut tx, expiring, kind, 80, app.state.at(), due, None).await.unwrap();
    tx.commit().await.unwrap();
    let day_end = MORNING + 16 * 3600;

    let s = json(stats(&app, "from=2026-03-16&to=2026-03-16").await).await;
    let day = &s["days"][0];
    assert_eq!(s["days"].as_array().unwrap().len(), 1);
    // Each bucket equals the history it comes from (recorded on that day).
    let range = [MORNING - 8 * 3600, day_end];
    let by_kind = app.rows("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM history WHERE created_at >= $1 AND created_at < $2 AND kind IN ('checkin') ", &range).await[0][0];
    assert!(by_kind > 0);
    let issued = app.rows("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM history WHERE created_at >= $1 AND created_at < $2 AND amount > 0 AND kind <> 'refund'", &range).await[0][0];
    let spent = app.rows("SELECT CAST(COALESCE(-SUM(amount), 0) AS BIGINT) FROM history WHERE created_at >= $1 AND created_at < $2 AND kind IN ('redeem', 'flash_sale', 'makeup')", &range).await[0][0];
    let returned = app
        .rows(
            "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM history WHERE created_at >= $1 AND created_at < $2 AND kind = 'refund'",
            &range,
        )
        .await[0][0];
    assert_eq!(day["points"]["issued"], issued, "{s}");
    assert_eq!(day["points"]["spent"], spent);
    assert_eq!(day["points"]["returned"], returned);
    assert_eq!(day["points"]["taken_back"], 50);
    assert_eq!(s["total"], day["points"]);
    let points = &s["total"];
    let net = points["issued"].as_i64().unwrap() - points["taken_back"].as_i64().unwrap() - points["spent"].as_i64().unwrap()
        + points["returned"].as_i64().unwrap()
        - points["expired"].as_i64().unwrap();
    assert_eq!(s["closing_points"].as_i64().unwrap(), s["opening_points"].as_i64().unwrap() + net, "closing = opening + net");
    // The day reaches now: it closes at the outstanding points, the sum of what members can spend.
    let mut spendable = 0;
    for id in (1..=7).chain([expiring]) {
        let c = app.login(id).await;
        spendable += json(c.get(app.url("/api/me")).send().await.unwrap()).await["balance"].as_i64().unwrap();
    }
    assert_eq!(s["outstanding_points"], spendable);
    assert_eq!(s["closing_points"], spendable);
    assert_eq!(day["closing_points"], spendable);
    assert_eq!((s["checkins"].as_i64(), s["checked_in_members"].as_i64(), s["members"].as_i64()), (Some(2), Some(2), Some(8)));
    assert_eq!(s["checkin_rate_bp"], 2 * 10_000 / 8);
    assert_eq!(s["redemptions"], 2);
    assert_eq!(s["top_items"][0]["item_id"], kept["item_id"], "the cancelled order does not count: {s}");
    let luckin =
        s["codes_by_merchant"].as_array().unwrap().iter().find(|m| m["merchant"]["name"]["en"] == "Luckin Coffee").unwrap().clone();
    assert_eq!((luckin["issued"].as_i64(), luckin["verified"].as_i64()), (Some(1), Some(1)), "{luckin}");
    let coffee = s["sales"].as_array().unwrap().iter().find(|x| x["sale_id"] == live).unwrap().clone();
    assert_eq!(coffee["sold"], 1);
    let liability = s["liability"].as_str().unwrap();
    assert_eq!(liability, format!("{}.{:02}", spendable / 100, spendable % 100), "1 point = ¥0.01 by default");

    // Later: the due lot expires; the stats of the same day still reconcile, before and after the sweep.
    assert_eq!(s["total"]["expired"], 0, "nothing due yet at 08:00");
    app.state.clock.set_now(due + 60);
    let pending = json(stats(&app, "from=2026-03-16&to=2026-03-16").await).await;
    assert_eq!(pending["total"]["expired"], 80, "due points count as expired at once");
    assert_eq!(pending["closing_points"].as_i64().unwrap(), spendable - 80);
    app.sweep().await;
    let recorded = json(stats(&app, "from=2026-03-16&to=2026-03-16").await).await;
    assert_eq!(recorded["total"], pending["total"], "recording the expiry changes nothing");
    assert_eq!(
        (recorded["closing_points"].clone(), recorded["outstanding_points"].clone()),
        (pending["closing_points"].clone(), pending["closing_points"].clone())
    );
}

#[tokio::test]
async fn ranges_are_checked_and_the_csv_has_a_line_per_day() {
    let app = spawn_app_at(Some(MORNING), |_| {}).await;
    for bad in ["from=2026-03-17&to=2026-03-16", "from=2026-01-01&to=2026-12-31", "from=today&to=2026-03-16", "from=2026-03-16"] {
        let res = stats(&app, bad).await;
        assert!(matches!(res.status(), StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST), "{bad}: {}", res.status());
    }
    let week = json(stats(&app, "from=2026-03-10&to=2026-03-16").await).await;
    assert_eq!(week["days"].as_array().unwrap().len(), 7);
    let mut closing = week["opening_points"].as_i64().unwrap();
    for d in week["days"].as_array().unwrap() {
        let p: &Value = &d["points"];
        closing += p["issued"].as_i64().unwrap() - p["taken_back"].as_i64().unwrap() - p["spent"].as_i64().unwrap()
            + p["returned"].as_i64().unwrap()
            - p["expired"].as_i64().unwrap();
        assert_eq!(d["closing_points"], closing, "day by day: {d}");
    }
    let csv = operator(&app).get(app.url("/api/admin/stats.csv?from=2026-03-10&to=2026-03-16")).send().await.unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("\u{feff}day,issued,"), "{text}");
    assert_eq!(text.lines().count(), 8);
    let member = app.login(1).await;
    expect_error(
        member.get(app.url("/api/admin/stats?from=2026-03-16&to=2026-03-16")).send().await.unwrap(),
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}
