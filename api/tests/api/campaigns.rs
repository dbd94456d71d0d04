//! Campaigns (issue 27): operators create, list and end them (validated, audited); members
//! see the running ones for their tier; a check-in boost and a member-day bonus are booked
//! as `campaign` entries naming their campaign, and the statistics reconcile to the point;
//! a storm of check-ins and redemptions stops exactly at the budgets.

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{expect_error, json, operator_client as operator, post, spawn_app_at, TestApp};

/// 2026-09-15 12:00 in the shop's zone (Asia/Shanghai), a Tuesday.
const NOW: i64 = 1_789_444_800;
const HOUR: i64 = 3_600;
/// Growth that makes a gold member under the default tiers.
const GOLD: i64 = 5_000;

fn campaign(target: &str, extra: Value) -> Value {
    let mut body = json!({
        "name": { "zh": "双倍积分日", "en": "Double points day" },
        "starts_at": NOW - HOUR,
        "ends_at": NOW + 24 * HOUR,
        "target": target,
        "budget": 1_000,
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

async fn create(app: &TestApp, body: Value) -> reqwest::Response {
    operator(app).post(app.url("/api/admin/campaigns")).json(&body).send().await.unwrap()
}

async fn created(app: &TestApp, body: Value) -> Value {
    let res = create(app, body).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    json(res).await
}

async fn admin_list(app: &TestApp) -> Vec<Value> {
    json(operator(app).get(app.url("/api/admin/campaigns")).send().await.unwrap()).await.as_array().unwrap().clone()
}

async fn check_in(c: &reqwest::Client, app: &TestApp) -> Value {
    let res = post(c, app, "/api/checkins", json!({})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    json(res).await
}

async fn campaign_sum(app: &TestApp, member: i64) -> i64 {
    app.scalar("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM history WHERE member_id = $1 AND kind = 'campaign'", member).await
}

#[tokio::test]
async fn operators_create_list_and_end_campaigns_audited() {
    let app = spawn_app_at(Some(NOW), |_| {}).await;
    let made = created(&app, campaign("checkin", json!({ "percent": 200 }))).await;
    assert_eq!(
        (made["target"].clone(), made["percent"].clone(), made["points"].clone(), made["state"].clone(), made["spent"].clone()),
        (json!("checkin"), json!(200), Value::Null, json!("running"), json!(0))
    );
    assert_eq!(made["audience"], json!({ "tier": null, "exact": false }));
    let later = campaign(
        "member_day",
        json!({ "member_day": { "weekday": 3 }, "points": 88, "starts_at": NOW + 24 * HOUR, "ends_at": NOW + 48 * HOUR }),
    );
    let scheduled = created(&app, later).await;
    assert_eq!((scheduled["state"].clone(), scheduled["member_day"].clone()), (json!("scheduled"), json!({ "weekday": 3 })));
    let price = created(&app, campaign("price", json!({ "category": "dining", "percent": 80 }))).await;
    assert_eq!(price["category"], "dining");

    let list = admin_list(&app).await;
    assert_eq!(
        list.iter().map(|c| c["id"].clone()).collect::<Vec<_>>(),
        [price["id"].clone(), scheduled["id"].clone(), made["id"].clone()]
    );

    let id = made["id"].as_i64().unwrap();
    let ended = operator(&app).post(app.url(&format!("/api/admin/campaigns/{id}/end"))).send().await.unwrap();
    assert_eq!(ended.status(), StatusCode::OK);
    let ended = json(ended).await;
    assert_eq!((ended["state"].clone(), ended["ended_at"].clone()), (json!("ended"), json!(NOW)));
    let again = operator(&app).post(app.url(&format!("/api/admin/campaigns/{id}/end"))).send().await.unwrap();
    expect_error(again, StatusCode::CONFLICT, "invalid_transition").await;
    let unknown = operator(&app).post(app.url("/api/admin/campaigns/9999/end")).send().await.unwrap();
    expect_error(unknown, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'campaign.create' AND $1 > 0", 1).await, 3);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'campaign.end' AND target_id = CAST($1 AS TEXT)", id).await, 1);

    // Members may not; nor may an anonymous caller.
    let member = app.login(1).await;
    assert_eq!(member.get(app.url("/api/admin/campaigns")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    let res = member.post(app.url("/api/admin/campaigns")).json(&campaign("checkin", json!({ "percent": 200 }))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn bad_campaigns_are_refused_field_by_field() {
    let app = spawn_app_at(Some(NOW), |_| {}).await;
    let cases = [
        (campaign("checkin", json!({ "percent": 100 })), "percent"),
        (campaign("checkin", json!({ "percent": 200, "points": 5 })), "percent"),
        (campaign("checkin", json!({ "percent": 200, "ends_at": NOW - 2 * HOUR })), "ends_at"),
        (campaign("checkin", json!({ "percent": 200, "starts_at": NOW - 3 * HOUR, "ends_at": NOW - 2 * HOUR })), "ends_at"),
        (campaign("checkin", json!({ "percent": 200, "budget": 0 })), "budget"),
        (campaign("checkin", json!({ "percent": 200, "name": { "zh": "", "en": "x" } })), "name.zh"),
        (campaign("price", json!({ "percent": 80 })), "category"),
        (campaign("price", json!({ "category": "no-such", "percent": 80 })), "category"),
        (campaign("price", json!({ "item_id": 999_999, "points": 10 })), "item_id"),
        (campaign("price", json!({ "item_id": 1, "percent": 120 })), "percent"),
        (campaign("member_day", json!({ "points": 10 })), "member_day"),
        (campaign("member_day", json!({ "member_day": { "month_day": 32 }, "points": 10 })), "member_day.month_day"),
    ];
    for (body, field) in cases {
        let res = create(&app, body.clone()).await;
        let refused = expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(refused["error"]["details"]["fields"][0]["field"], field, "{body}: {refused}");
    }
    let unknown_field = create(&app, campaign("checkin", json!({ "percent": 200, "colour": "red" }))).await;
    assert_eq!(unknown_field.status(), StatusCode::UNPROCESSABLE_ENTITY, "an unknown field is refused");
    assert!(admin_list(&app).await.is_empty());
    assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'campaign.create' AND $1 > 0", 1).await, 0);
}

#[tokio::test]
async fn members_see_the_running_campaigns_of_their_audience() {
    let app = spawn_app_at(Some(NOW), |_| {}).await;
    let all = created(&app, campaign("checkin", json!({ "percent": 200 }))).await;
    let gold_up = created(&app, campaign("purchase", json!({ "points": 50, "audience": { "tier": "gold" } }))).await;
    let silver_only = created(&app, campaign("checkin", json!({ "points": 5, "audience": { "tier": "silver", "exact": true } }))).await;
    created(&app, campaign("checkin", json!({ "percent": 300, "starts_at": NOW + HOUR }))).await;
    let ended = created(&app, campaign("checkin", json!({ "percent": 150 }))).await;
    operator(&app).post(app.url(&format!("/api/admin/campaigns/{}/end", ended["id"]))).send().await.unwrap();

    let ids = |v: Value| v.as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect::<Vec<_>>();
    let id = |c: &Value| c["id"].as_i64().unwrap();
    let plain = app.add_member(0, 0).await;
    let silver = app.add_member(0, 1_000).await;
    let gold = app.add_member(0, GOLD).await;
    let seen = |member: i64| {
        let app = &app;
        async move { ids(json(app.login(member).await.get(app.url("/api/campaigns")).send().await.unwrap()).await) }
    };
    assert_eq!(seen(plain).await, [id(&all)]);
    assert_eq!(seen(silver).await, [id(&all), id(&silver_only)]);
    assert_eq!(seen(gold).await, [id(&all), id(&gold_up)]);
    let anonymous = app.client().get(app.url("/api/campaigns")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    // Shapes the app reads.
    let listed = json(app.login(gold).await.get(app.url("/api/campaigns")).send().await.unwrap()).await;
    assert_eq!(listed[1]["audience"], json!({ "tier": "gold", "exact": false }));
    assert!(listed[0].get("budget").is_none(), "members do not see the budget");
}

#[tokio::test]
async fn a_check_in_boost_and_a_member_day_bonus_are_booked_and_reconcile() {
    let app = spawn_app_at(Some(NOW), |_| {}).await;
    let double = created(&app, campaign("checkin", json!({ "percent": 200 }))).await;
    // A smaller boost running alongside: the bigger one applies, not both.
    created(&app, campaign("checkin", json!({ "points": 1 }))).await;
    // Tuesday is weekday 2; a Wednesday bonus does not apply today.
    let tuesday = created(&app, campaign("member_day", json!({ "member_day": { "weekday": 2 }, "points": 88 }))).await;
    created(&app, campaign("member_day", json!({ "member_day": { "weekday": 3 }, "points": 500 }))).await;
    // Gold and above only.
    created(&app, campaign("member_day", json!({ "member_day": { "month_day": 15 }, "points": 300, "audience": { "tier": "gold" } })))
        .await;

    // A bigger boost whose budget cannot hold it: never granted, never promised.
    created(&app, campaign("checkin", json!({ "points": 900, "budget": 10 }))).await;

    let member = app.add_member(0, 0).await;
    let c = app.login(member).await;
    let calendar = json(c.get(app.url("/api/checkins")).send().await.unwrap()).await;
    let promised = calendar["today_reward"].as_i64().unwrap();
    let done = check_in(&c, &app).await;
    let reward = done["points"].as_i64().unwrap();
    assert!(reward > 0);
    // The calendar's "today pays" said what the check-in and its campaigns paid, before an
    // early bird's double (which doubles the ×2 boost's share too, not the Tuesday bonus).
    let doubled = if done["early_bird"] == json!(true) { 2 } else { 1 };
    assert_eq!(promised, (reward + done["campaign_points"].as_i64().unwrap() - 88) / doubled + 88, "{calendar}");
    // ×2 adds the reward again (early bird or not: it applies after it), and the Tuesday bonus.
    assert_eq!(done["campaign_points"], reward + 88, "{done}");
    assert_eq!(done["balance"], 2 * reward + 88);
    assert_eq!(campaign_sum(&app, member).await, reward + 88);
    // Each bonus is its own entry naming its campaign.
    let history = json(c.get(app.url("/api/history")).send().await.unwrap()).await;
    let entries: Vec<&Value> = history["entries"].as_array().unwrap().iter().filter(|e| e["kind"] == "campaign").collect();
    assert_eq!(entries.len(), 2, "{history}");
    let refs: Vec<(Value, Value)> = entries.iter().map(|e| (e["reference"]["kind"].clone(), e["reference"]["id"].clone())).collect();
    assert!(refs.contains(&(json!("campaign"), json!(double["id"].to_string()))), "{refs:?}");
    assert!(refs.contains(&(json!("campaign"), json!(tuesday["id"].to_string()))));
    assert!(entries.iter().any(|e| e["reference"]["label"]["en"] == "Double points day"));
    // The earned filter shows them.
    let earned = json(c.get(app.url("/api/history?kind=earned")).send().await.unwrap()).await;
    assert_eq!(earned["entries"].as_array().unwrap().iter().filter(|e| e["kind"] == "campaign").count(), 2);
    // A second check-in the same day gives nothing more.
    let again = json(post(&c, &app, "/api/checkins", json!({})).await).await;
    assert_eq!((again["checked_in"].clone(), again["campaign_points"].clone()), (json!(false), json!(0)));
    app.assert_ledger(member).await;

    // The back office counts them against the budget.
    let list = admin_list(&app).await;
    let of = |id: &Value| list.iter().find(|c| c["id"] == *id).unwrap().clone();
    let d = of(&double["id"]);
    assert_eq!((d["spent"].as_i64(), d["grants"].as_i64(), d["booked"].as_i64()), (Some(reward), Some(1), Some(reward)));
    let t = of(&tuesday["id"]);
    assert_eq!((t["spent"].as_i64(), t["grants"].as_i64(), t["booked"].as_i64()), (Some(88), Some(1), Some(88)));

    reconciles(&app, "2026-09-15", reward + 88).await;
}

/// The statistics of `day` reconcile to the point and count `campaign` entries as issued
/// (at least `campaign_points` of them).
async fn reconciles(app: &TestApp, day: &str, campaign_points: i64) {
    let s = json(operator(app).get(app.url(&format!("/api/admin/stats?from={day}&to={day}"))).send().await.unwrap()).await;
    let p = &s["total"];
    let net = p["issued"].as_i64().unwrap() - p["taken_back"].as_i64().unwrap() - p["spent"].as_i64().unwrap()
        + p["returned"].as_i64().unwrap()
        - p["expired"].as_i64().unwrap()
        - p["held"].as_i64().unwrap();
    assert_eq!(s["closing_points"].as_i64().unwrap(), s["opening_points"].as_i64().unwrap() + net, "{s}");
    assert_eq!(s["closing_points"], s["outstanding_points"], "{s}");
    let (from, to) = (NOW - 12 * HOUR, NOW + 12 * HOUR);
    let issued = app
        .rows(
            "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM history WHERE created_at >= $1 AND created_at < $2 AND amount > 0 \
             AND kind NOT IN ('refund', 'deduction_release', 'deduction_refund')",
            &[from, to],
        )
        .await[0][0];
    assert_eq!(p["issued"], issued, "issued includes the campaign entries: {s}");
    let booked = app
        .rows(
            "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM history WHERE created_at >= $1 AND created_at < $2 AND kind = 'campaign'",
            &[from, to],
        )
        .await[0][0];
    assert!(booked >= campaign_points);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_storm_of_check_ins_and_redemptions_stops_exactly_at_the_budgets() {
    let app = spawn_app_at(Some(NOW), |_| {}).await;
    // Budgets that fit 17 boosts of each kind, for 50 members checking in at once.
    let boost = created(&app, campaign("checkin", json!({ "points": 10, "budget": 170 }))).await;
    let bonus =
        created(&app, campaign("member_day", json!({ "member_day": { "month_day": 15 }, "points": 7, "budget": 7 * 17 + 6 }))).await;
    // And a price campaign whose budget fits 13 discounts of 5 points, while each member
    // also redeems the item at the same moment.
    let item = app
        .scalar("SELECT MIN(id) FROM items WHERE kind = 'virtual' AND cash_fen IS NULL AND min_tier IS NULL AND points >= $1", 100)
        .await;
    app.set_item(item, 100, 1).await;
    let sale = created(&app, campaign("price", json!({ "item_id": item, "points": 5, "budget": 5 * 13 + 3 }))).await;
    let mut members = Vec::new();
    for _ in 0..50 {
        let id = app.add_member(10_000, 0).await;
        members.push((id, app.login(id).await));
    }
    let started = std::time::Instant::now();
    let both = join_all(members.iter().map(|(_, c)| async {
        let (checked, redeemed) = futures_util::join!(check_in(c, &app), crate::helpers::redeem(c, &app, item, 1, "storm"));
        assert_eq!(redeemed.status(), StatusCode::CREATED);
        (checked, json(redeemed).await)
    }))
    .await;
    let elapsed = started.elapsed();
    let (answers, orders): (Vec<Value>, Vec<Value>) = both.into_iter().unzip();
    let discounted = orders.iter().filter(|o| o["points"].as_i64() < orders.iter().filter_map(|o| o["points"].as_i64()).max()).count();
    assert_eq!(discounted, 13, "13 redemptions got the 5 points off, none past the budget");
    let granted: i64 = answers.iter().map(|a| a["campaign_points"].as_i64().unwrap()).sum();
    assert_eq!(granted, 170 + 7 * 17, "every boost granted whole, none past a budget");
    let got = |points: &[i64]| answers.iter().filter(|a| points.contains(&a["campaign_points"].as_i64().unwrap())).count();
    assert_eq!(got(&[10, 17]), 17, "17 members got the check-in boost");
    assert_eq!(got(&[7, 17]), 17, "17 members got the member-day bonus");
    let engine = if std::env::var("TEST_POSTGRES_URL").is_ok() { "PostgreSQL" } else { "SQLite" };
    eprintln!(
        "campaign storm on {engine}: 50 check-ins and 50 redemptions with 47 budget grants in {:.1} ms ({:.0} requests/s)",
        elapsed.as_secs_f64() * 1e3,
        100.0 / elapsed.as_secs_f64()
    );
    let list = admin_list(&app).await;
    let of = |id: &Value| list.iter().find(|c| c["id"] == *id).unwrap().clone();
    let (b, d) = (of(&boost["id"]), of(&bonus["id"]));
    assert_eq!((b["spent"].as_i64(), b["grants"].as_i64(), b["booked"].as_i64()), (Some(170), Some(17), Some(170)));
    assert_eq!(
        (d["spent"].as_i64(), d["grants"].as_i64(), d["booked"].as_i64()),
        (Some(119), Some(17), Some(119)),
        "6 points left: not a whole bonus"
    );
    let p = of(&sale["id"]);
    assert_eq!((p["spent"].as_i64(), p["grants"].as_i64()), (Some(65), Some(13)), "3 points left: not a whole discount");
    let mut total = 0;
    for (id, _) in &members {
        app.assert_ledger(*id).await;
        total += campaign_sum(&app, *id).await;
    }
    assert_eq!(total, 170 + 119);
    reconciles(&app, "2026-09-15", total).await;
}

async fn purchase(app: &TestApp, id: &str, member: i64, paid: &str) -> Value {
    let body = json!({ "purchase_id": id, "member_id": member, "paid": paid });
    let res = app.host("/api/hooks/purchase", &body.to_string(), None).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    json(res).await
}

async fn refund(app: &TestApp, id: &str, purchase: &str, amount: &str) -> Value {
    let res = app.host("/api/hooks/refund", &json!({ "refund_id": id, "purchase_id": purchase, "amount": amount }).to_string(), None).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    json(res).await
}

#[tokio::test]
async fn a_purchase_boost_waits_with_the_purchase_and_follows_its_refunds() {
    let app = spawn_app_at(Some(NOW), |_| {}).await;
    // ×2 on purchase points, a budget for one ¥100 purchase and a half.
    let double = created(&app, campaign("purchase", json!({ "percent": 200, "budget": 150 }))).await;
    let m = app.add_member(0, 0).await;
    let c = app.login(m).await;
    let credit = purchase(&app, "C-1", m, "100.00").await;
    assert_eq!(
        (credit["points"].as_i64(), credit["campaign_points"].as_i64(), credit["pending"].as_bool()),
        (Some(100), Some(100), Some(true))
    );
    let me = json(c.get(app.url("/api/me")).send().await.unwrap()).await;
    assert_eq!((me["balance"].as_i64(), me["pending_points"].as_i64()), (Some(0), Some(200)), "the bonus waits with the purchase");
    // The budget cannot take a second whole bonus: none is given, not a part.
    let second = purchase(&app, "C-2", m, "100.00").await;
    assert_eq!((second["points"].as_i64(), second["campaign_points"].as_i64()), (Some(100), Some(0)));
    // A quarter refunded inside the window cancels a quarter of both.
    let out = refund(&app, "R-1", "C-1", "25.00").await;
    assert_eq!(out["pending_cancelled"], 25 + 25);
    let me = json(c.get(app.url("/api/me")).send().await.unwrap()).await;
    assert_eq!(me["pending_points"], 75 + 75 + 100);
    // The pending list says the same, purchase by purchase.
    let list = json(c.get(app.url("/api/pending")).send().await.unwrap()).await;
    assert_eq!((list["total"].clone(), list["pending"][0]["points"].clone()), (json!(75 + 75 + 100), json!(75 + 75)), "{list}");

    // The window ends: reads show it at once, the sweep books it as a purchase and a campaign entry.
    app.state.clock.set_now(NOW + 8 * 86_400);
    assert_eq!(json(c.get(app.url("/api/me")).send().await.unwrap()).await["balance"], 75 + 75 + 100);
    app.sweep().await;
    assert_eq!(campaign_sum(&app, m).await, 75);
    let entry = app.rows("SELECT amount, CAST(ref_id AS BIGINT) FROM history WHERE member_id = $1 AND kind = 'campaign'", &[m]).await;
    assert_eq!(entry, [vec![75, double["id"].as_i64().unwrap()]], "the entry names its campaign");
    app.assert_ledger(m).await;
    // After the window a refund takes the bonus's share back from the balance.
    let out = refund(&app, "R-2", "C-1", "25.00").await;
    assert_eq!((out["points_taken"].as_i64(), out["balance"].as_i64()), (Some(50), Some(200)));
    app.assert_ledger(m).await;
    // The budget is never refilled; the list counts what was booked.
    let list = admin_list(&app).await;
    assert_eq!((list[0]["spent"].as_i64(), list[0]["grants"].as_i64(), list[0]["booked"].as_i64()), (Some(100), Some(1), Some(75)));
    let s = json(operator(&app).get(app.url("/api/admin/stats?from=2026-09-15&to=2026-09-23")).send().await.unwrap()).await;
    let p = &s["total"];
    let net = p["issued"].as_i64().unwrap() - p["taken_back"].as_i64().unwrap() - p["spent"].as_i64().unwrap()
        + p["returned"].as_i64().unwrap()
        - p["expired"].as_i64().unwrap()
        - p["held"].as_i64().unwrap();
    assert_eq!(s["closing_points"].as_i64().unwrap(), s["opening_points"].as_i64().unwrap() + net, "{s}");
    assert_eq!(s["closing_points"], s["outstanding_points"]);
}

#[tokio::test]
async fn a_price_campaign_discounts_a_redemption_and_is_recorded_on_the_order() {
    let app = spawn_app_at(Some(NOW), |_| {}).await;
    let item = app
        .scalar("SELECT MIN(id) FROM items WHERE kind = 'virtual' AND cash_fen IS NULL AND min_tier IS NULL AND points >= $1", 100)
        .await;
    app.set_item(item, 100, 10).await;
    let price = app.scalar("SELECT points FROM items WHERE id = $1", item).await;
    let off = price / 5;
    // 20% off this item, a budget for three units; a smaller one on its whole category.
    let sale = created(&app, campaign("price", json!({ "item_id": item, "percent": 80, "budget": 3 * off }))).await;
    let m = app.add_member(100 * price, 0).await;
    let c = app.login(m).await;
    let category = json(c.get(app.url(&format!("/api/items/{item}"))).send().await.unwrap()).await["category"].clone();
    assert!(category.is_string(), "{category}");
    let small = created(&app, campaign("price", json!({ "category": category, "points": 1, "budget": 1_000 }))).await;
    // The catalogue shows the price one unit costs now, in the fields it always had.
    let (detail_url, list_url) =
        (app.url(&format!("/api/items/{item}")), app.url(&format!("/api/items?category={}&limit=50", category.as_str().unwrap())));
    let shown = |c: reqwest::Client| {
        let (detail_url, list_url) = (detail_url.clone(), list_url.clone());
        async move {
            let detail = json(c.get(detail_url).send().await.unwrap()).await;
            let list = json(c.get(list_url).send().await.unwrap()).await;
            let listed = list["items"].as_array().unwrap().iter().find(|i| i["id"] == item).map(|i| i["points"].clone());
            assert_eq!(listed.as_ref(), Some(&detail["points"]), "{list}");
            detail["points"].as_i64().unwrap()
        }
    };
    assert_eq!(shown(c.clone()).await, price - off);
    let order = json(crate::helpers::redeem(&c, &app, item, 2, "p1").await).await;
    assert_eq!(order["points"], 2 * (price - off), "{order}");
    let recorded = app.rows("SELECT campaign_id, campaign_discount FROM orders WHERE id = $1", &[order["id"].as_i64().unwrap()]).await;
    assert_eq!(recorded, [vec![sale["id"].as_i64().unwrap(), 2 * off]]);
    // Two more units do not fit the budget whole: the next best campaign applies instead.
    let next = json(crate::helpers::redeem(&c, &app, item, 2, "p2").await).await;
    assert_eq!(next["points"], 2 * (price - 1), "{next}");
    let recorded = app.rows("SELECT campaign_id, campaign_discount FROM orders WHERE id = $1", &[next["id"].as_i64().unwrap()]).await;
    assert_eq!(recorded, [vec![small["id"].as_i64().unwrap(), 2]]);
    // One unit still fits the first budget: it is shown, and charged, at 20% off; then the
    // budget is spent and the category's point off is what the page shows.
    assert_eq!(shown(c.clone()).await, price - off);
    let last = json(crate::helpers::redeem(&c, &app, item, 1, "p3").await).await;
    assert_eq!(last["points"], price - off, "{last}");
    assert_eq!(shown(c.clone()).await, price - 1);
    app.assert_ledger(m).await;
    let list = admin_list(&app).await;
    let of = |id: &Value| list.iter().find(|c| c["id"] == *id).unwrap().clone();
    assert_eq!((of(&sale["id"])["spent"].as_i64(), of(&sale["id"])["booked"].as_i64()), (Some(3 * off), Some(3 * off)));
    assert_eq!((of(&small["id"])["spent"].as_i64(), of(&small["id"])["grants"].as_i64()), (Some(2), Some(1)));
}

#[tokio::test]
async fn a_birthday_bonus_comes_with_the_check_in_on_the_birthday() {
    let app = spawn_app_at(Some(NOW - 40 * 86_400), |_| {}).await;
    let (born, other) = (app.add_member(0, 0).await, app.add_member(0, 0).await);
    let (b, o) = (app.login(born).await, app.login(other).await);
    // Recorded 40 days before (the gift's notice applies to the bonus too).
    let put = |c: &reqwest::Client, day: &'static str| c.put(app.url("/api/me/profile")).json(&json!({ "birthday": day })).send();
    assert_eq!(put(&b, "1990-09-15").await.unwrap().status(), StatusCode::OK);
    assert_eq!(put(&o, "1990-09-16").await.unwrap().status(), StatusCode::OK);
    app.state.clock.set_now(NOW);
    let (b, o) = (app.login(born).await, app.login(other).await);
    created(&app, campaign("member_day", json!({ "member_day": "birthday", "points": 66 }))).await;
    assert_eq!(check_in(&b, &app).await["campaign_points"], 66);
    assert_eq!(check_in(&o, &app).await["campaign_points"], 0, "not its birthday");
    app.assert_ledger(born).await;
}

#[tokio::test]
async fn a_cancelled_discounted_order_gives_back_what_was_paid_and_does_not_refill_the_budget() {
    let app = spawn_app_at(Some(NOW), |_| {}).await;
    let item = app
        .scalar("SELECT MIN(id) FROM items WHERE kind = 'physical' AND cash_fen IS NULL AND min_tier IS NULL AND points >= $1", 100)
        .await;
    app.set_item(item, 100, 10).await;
    let price = app.scalar("SELECT points FROM items WHERE id = $1", item).await;
    let sale = created(&app, campaign("price", json!({ "item_id": item, "points": 20, "budget": 1_000 }))).await;
    let m = app.add_member(10 * price, 0).await;
    let c = app.login(m).await;
    let order = json(crate::helpers::redeem(&c, &app, item, 1, "c1").await).await;
    assert_eq!((order["points"].as_i64(), order["status"].as_str()), (Some(price - 20), Some("pending")), "{order}");
    let res = c.post(app.url(&format!("/api/orders/{}/cancel", order["id"]))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let me = json(c.get(app.url("/api/me")).send().await.unwrap()).await;
    assert_eq!(me["balance"], 10 * price, "the discounted price came back, not the list price");
    let spent = admin_list(&app).await.into_iter().find(|x| x["id"] == sale["id"]).unwrap()["spent"].clone();
    assert_eq!(spent, json!(20), "a cancel does not refill the budget");
    app.assert_ledger(m).await;
}
