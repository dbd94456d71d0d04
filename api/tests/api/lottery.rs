//! Lottery (积分抽奖) over HTTP: the running lottery with its odds and stock, draws
//! (idempotent; the cost taken; a prize credited), the daily limit, operators opening and
//! closing lotteries, and a storm of draws that never takes a prize below zero stock nor
//! a member past the daily limit; an item prize needs the member's address before the
//! draw, takes from the item's catalogue stock, and nothing ships without an address.

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{address_of, balance, expect_error, json, operator_client, post, spawn_app, TestApp};

async fn current(c: &reqwest::Client, app: &TestApp) -> Value {
    json(c.get(app.url("/api/lotteries/current")).send().await.unwrap()).await
}

async fn draw(c: &reqwest::Client, app: &TestApp, id: i64, key: &str) -> reqwest::Response {
    c.post(app.url(&format!("/api/lotteries/{id}/draws"))).header("Idempotency-Key", key).send().await.unwrap()
}

#[tokio::test]
async fn the_demo_lottery_publishes_its_odds_and_draws_cost_points_until_the_daily_limit() {
    let app = spawn_app().await;
    let c = app.login(2).await;
    let lottery = current(&c, &app).await;
    assert_eq!((lottery["cost_points"].as_i64(), lottery["draws_left_today"].as_i64()), (Some(50), Some(5)));
    let prizes = lottery["prizes"].as_array().unwrap();
    let kinds: Vec<&str> = prizes.iter().map(|p| p["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["points", "item", "points", "coupon", "points", "points"]);
    assert_eq!(prizes[0]["stock_left"], 0, "the jackpot is out: the page says so before drawing");
    assert_eq!(lottery["no_prize_bp"], 10_000 - 20 - 50 - 300 - 500 - 3_000, "an out-of-stock prize counts as no prize");
    let id = lottery["id"].as_i64().unwrap();

    // The demo lottery has an item prize, which ships: no address, no draw, nothing taken.
    let before = balance(&c, &app).await;
    expect_error(draw(&c, &app, id, "d-0").await, StatusCode::UNPROCESSABLE_ENTITY, "address_required").await;
    assert_eq!(balance(&c, &app).await, before);
    assert_eq!(current(&c, &app).await["draws_left_today"], 5);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM lottery_draws WHERE member_id = $1", 2).await, 0);
    address_of(&c, &app).await;

    let res = draw(&c, &app, id, "d-1").await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let first = json(res).await;
    let won = first["prize"]["points"].as_i64().unwrap_or(0);
    assert_eq!(first["balance"].as_i64().unwrap(), before - 50 + won);
    assert_eq!(first["draws_left_today"], 4);
    let replay = draw(&c, &app, id, "d-1").await;
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(json(replay).await, first, "a retry is the same draw");
    for k in 2..=5 {
        assert_eq!(draw(&c, &app, id, &format!("d-{k}")).await.status(), StatusCode::CREATED);
    }
    expect_error(draw(&c, &app, id, "d-6").await, StatusCode::CONFLICT, "limit_reached").await;
    assert_eq!(current(&c, &app).await["draws_left_today"], 0);
    let draws = app.scalar("SELECT COUNT(*) FROM lottery_draws WHERE member_id = $1", 2).await;
    let cost = app.scalar("SELECT CAST(-SUM(amount) AS BIGINT) FROM history WHERE member_id = $1 AND kind = 'lottery_draw'", 2).await;
    assert_eq!((draws, cost), (5, 250));
    expect_error(draw(&c, &app, 999, "d-7").await, StatusCode::NOT_FOUND, "not_found").await;
    app.assert_ledger(2).await;
}

#[tokio::test]
async fn operators_open_a_lottery_that_replaces_the_running_one_and_close_it() {
    let app = spawn_app().await;
    let op = operator_client(&app);
    let c = app.login(3).await;
    let old = current(&c, &app).await["id"].as_i64().unwrap();
    let prize =
        |bp: i64| json!({"name": {"zh": "十积分", "en": "Ten points"}, "kind": "points", "points": 10, "probability_bp": bp, "stock": 3});
    let body =
        |bp: i64| json!({"name": {"zh": "周末抽奖", "en": "Weekend draw"}, "cost_points": 10, "draws_per_day": 100, "prizes": [prize(bp)]});
    expect_error(c.post(app.url("/api/admin/lotteries")).json(&body(10_000)).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden")
        .await;
    expect_error(
        op.post(app.url("/api/admin/lotteries")).json(&body(10_001)).send().await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let res = op.post(app.url("/api/admin/lotteries")).json(&body(10_000)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let id = json(res).await["id"].as_i64().unwrap();
    assert_eq!(current(&c, &app).await["id"], id);
    expect_error(draw(&c, &app, old, "o-1").await, StatusCode::NOT_FOUND, "not_found").await;

    // A certain prize with 3 in stock: three wins, then "no prize" because it is out.
    let results: Vec<Value> = join_all((0..4).map(|k| {
        let c = c.clone();
        let app = &app;
        async move { json(draw(&c, app, id, &format!("w-{k}")).await).await }
    }))
    .await;
    assert_eq!(results.iter().filter(|r| r["prize"].is_object()).count(), 3);
    assert_eq!(results.iter().filter(|r| r["out_of_stock"] == true).count(), 1);
    assert_eq!(op.post(app.url(&format!("/api/admin/lotteries/{id}/close"))).send().await.unwrap().status(), StatusCode::NO_CONTENT);
    expect_error(c.get(app.url("/api/lotteries/current")).send().await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;
    app.assert_ledger(3).await;
}

#[tokio::test]
async fn a_storm_of_draws_never_passes_the_stock_nor_the_daily_limit() {
    let app = spawn_app().await;
    let op = operator_client(&app);
    let prize = json!({"name": {"zh": "五积分", "en": "Five points"}, "kind": "points", "points": 5, "probability_bp": 10_000, "stock": 7});
    let body = json!({"name": {"zh": "压力测试", "en": "Storm"}, "cost_points": 1, "draws_per_day": 3, "prizes": [prize]});
    let id = json(op.post(app.url("/api/admin/lotteries")).json(&body).send().await.unwrap()).await["id"].as_i64().unwrap();
    let members: Vec<i64> = join_all((0..5).map(|_| app.add_member(100, 0))).await;
    let clients: Vec<reqwest::Client> = join_all(members.iter().map(|m| app.login(*m))).await;
    // Each of 5 members tries 5 draws at once: at most 3 each, and 7 prizes in all.
    let replies = join_all(clients.iter().flat_map(|c| (0..5).map(move |k| (c, k))).map(|(c, k)| {
        let app = &app;
        async move { draw(c, app, id, &format!("s{k}")).await.status() }
    }))
    .await;
    let drawn = replies.iter().filter(|s| **s == StatusCode::CREATED).count() as i64;
    assert_eq!(drawn, 15, "3 a day for each of 5 members");
    let won = app.scalar("SELECT COUNT(*) FROM lottery_draws WHERE lottery_id = $1 AND prize_id IS NOT NULL", id).await;
    let stock = app.scalar("SELECT stock FROM lottery_prizes WHERE lottery_id = $1", id).await;
    assert_eq!((won, stock), (7, 0), "never below zero stock");
    for m in members {
        let per_member = app.scalar("SELECT COUNT(*) FROM lottery_draws WHERE member_id = $1", m).await;
        assert!(per_member <= 3, "member {m}: {per_member} draws");
        app.assert_ledger(m).await;
    }
}

/// A physical item of the demo catalogue.
const PRIZE_ITEM: i64 = 15;

#[tokio::test]
async fn an_item_prize_takes_the_catalogue_stock_under_a_storm() {
    let app = spawn_app().await;
    let op = operator_client(&app);
    // The prize's own count (5) is a cap; the goods are the item's stock (2).
    let prize = json!({"name": {"zh": "实物", "en": "Goods"}, "kind": "item", "item_id": PRIZE_ITEM, "probability_bp": 10_000, "stock": 5});
    let body = json!({"name": {"zh": "实物抽奖", "en": "Goods draw"}, "cost_points": 1, "draws_per_day": 3, "prizes": [prize]});
    let id = json(op.post(app.url("/api/admin/lotteries")).json(&body).send().await.unwrap()).await["id"].as_i64().unwrap();
    app.rows("UPDATE items SET stock = 2 WHERE id = $1 RETURNING id", &[PRIZE_ITEM]).await;
    let redeemed = app.scalar("SELECT redeemed FROM items WHERE id = $1", PRIZE_ITEM).await;
    let members: Vec<i64> = join_all((0..4).map(|_| app.add_member(100, 0))).await;
    let clients: Vec<reqwest::Client> = join_all(members.iter().map(|m| app.login(*m))).await;
    join_all(clients.iter().map(|c| address_of(c, &app))).await;
    assert_eq!(current(&clients[0], &app).await["prizes"][0]["stock_left"], 2, "the smaller of the cap and the item's stock");
    let replies = join_all(clients.iter().flat_map(|c| (0..3).map(move |k| (c, k))).map(|(c, k)| {
        let app = &app;
        async move { json(draw(c, app, id, &format!("g{k}")).await).await }
    }))
    .await;
    let won = replies.iter().filter(|r| r["prize"]["kind"] == "item").count() as i64;
    assert_eq!(won, 2, "{replies:?}");
    assert_eq!(replies.iter().filter(|r| r["out_of_stock"] == true).count(), 10);
    let stock = app.rows("SELECT stock, redeemed FROM items WHERE id = $1", &[PRIZE_ITEM]).await;
    assert_eq!(stock[0], vec![0, redeemed + 2], "one stock: the catalogue's");
    assert_eq!(app.scalar("SELECT stock FROM lottery_prizes WHERE lottery_id = $1", id).await, 3, "the cap counts what was won");
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM orders o JOIN lottery_draws d ON d.id = o.draw_id WHERE d.lottery_id = $1 AND o.ship_to_json IS NOT NULL",
            id
        )
        .await,
        2
    );
    let lottery = current(&clients[0], &app).await;
    assert_eq!((lottery["prizes"][0]["stock_left"].clone(), lottery["no_prize_bp"].clone()), (json!(0), json!(10_000)));
    for m in members {
        app.assert_ledger(m).await;
    }
}

#[tokio::test]
async fn nothing_ships_without_an_address() {
    let app = spawn_app().await;
    let op = operator_client(&app);
    let prize = json!({"name": {"zh": "实物", "en": "Goods"}, "kind": "item", "item_id": PRIZE_ITEM, "probability_bp": 10_000, "stock": 5});
    let body = json!({"name": {"zh": "实物抽奖", "en": "Goods draw"}, "cost_points": 1, "draws_per_day": 3, "prizes": [prize]});
    let id = json(op.post(app.url("/api/admin/lotteries")).json(&body).send().await.unwrap()).await["id"].as_i64().unwrap();
    let c = app.login(1).await;
    address_of(&c, &app).await;
    let won = json(draw(&c, &app, id, "a").await).await;
    let order = won["order_id"].as_i64().expect("an item prize names its order");
    // An order from before the rule: no address.
    app.rows("UPDATE orders SET ship_to_json = NULL WHERE id = $1 RETURNING id", &[order]).await;
    let ship = json!({ "carrier": "中通快递", "tracking_no": "ZT-0001" });
    expect_error(
        post(&op, &app, &format!("/api/admin/orders/{order}/ship"), ship.clone()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "address_required",
    )
    .await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM orders WHERE id = $1 AND status = 'pending'", order).await, 1);
    // It can never ship, so the shop may cancel it, with a reason (audited); such an old
    // prize took no catalogue stock, so none goes back.
    let stock = app.scalar("SELECT stock FROM items WHERE id = $1", PRIZE_ITEM).await;
    let reason = json!({ "reason": "没有收货地址，奖品无法寄出" });
    let cancelled = post(&op, &app, &format!("/api/admin/orders/{order}/cancel"), reason.clone()).await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    assert_eq!(json(cancelled).await["status"], "cancelled");
    assert_eq!(app.scalar("SELECT stock FROM items WHERE id = $1", PRIZE_ITEM).await, stock);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'order.cancel' AND target_id = CAST($1 AS TEXT)", order).await, 1);
    // With its address it ships; a prize that can ship is not cancelled.
    let won = json(draw(&c, &app, id, "b").await).await;
    let order = won["order_id"].as_i64().unwrap();
    expect_error(post(&op, &app, &format!("/api/admin/orders/{order}/cancel"), reason).await, StatusCode::CONFLICT, "not_cancellable")
        .await;
    assert_eq!(post(&op, &app, &format!("/api/admin/orders/{order}/ship"), ship).await.status(), StatusCode::OK);
}
