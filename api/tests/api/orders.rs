//! Redeeming: success, every refusal, idempotency, history, and privacy between members.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{expect_error, json, on_db, redeem, spawn_app};

#[tokio::test]
async fn redeem_takes_points_stock_and_writes_history() {
    let app = spawn_app().await;
    let c = app.login(1).await;
    let before = json(c.get(app.url("/api/me")).send().await.unwrap()).await["balance"].as_i64().unwrap();
    let stock = app.scalar("SELECT stock FROM items WHERE id = $1", 1).await;
    let price = app.scalar("SELECT points FROM items WHERE id = $1", 1).await;

    let res = redeem(&c, &app, 1, 2, "key-1").await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let order = json(res).await;
    assert_eq!(order["points"], 2 * price);
    assert_eq!(order["balance_after"], before - 2 * price);
    assert_eq!(order["status"], "fulfilled");
    let code = order["code"].as_str().unwrap();
    assert!(mall_core::code::parse(code).is_ok(), "voucher code {code} is well-formed");

    let me = json(c.get(app.url("/api/me")).send().await.unwrap()).await;
    assert_eq!(me["balance"], before - 2 * price);
    assert_eq!(app.scalar("SELECT stock FROM items WHERE id = $1", 1).await, stock - 2);

    let history = json(c.get(app.url("/api/history")).send().await.unwrap()).await;
    let first = &history["entries"][0];
    assert_eq!(first["kind"], "redeem");
    assert_eq!(first["amount"], -2 * price);
    assert_eq!(first["balance_after"], before - 2 * price);
    assert_eq!(first["reference"]["kind"], "order");
    assert_eq!(first["reference"]["id"], order["id"].as_i64().unwrap().to_string());

    let orders = json(c.get(app.url("/api/orders")).send().await.unwrap()).await;
    assert_eq!(orders["orders"][0]["id"], order["id"]);
    assert_eq!(orders["orders"][0]["code"], order["code"], "the stored order shows its first code");
    let codes = app.rows("SELECT COUNT(*), COUNT(DISTINCT code) FROM codes WHERE order_id = $1", &[order["id"].as_i64().unwrap()]).await;
    assert_eq!(codes, vec![vec![2, 2]], "a code for each unit");
    app.assert_ledger(1).await;
}

/// A voucher's first code is drawn before its order is written and issued with it. A draw
/// that collides with a code issued already leaves that code to its holder: the order is
/// written showing none, and the code issued after it (`codes::insert`) is the one it shows.
#[tokio::test]
async fn a_first_code_that_collides_is_left_to_its_holder() {
    use mall_api::db::{self, codes, orders, Access, Exec};
    let app = spawn_app().await;
    let c = app.login(1).await;
    let held = json(redeem(&c, &app, 1, 1, "held").await).await["id"].as_i64().unwrap();
    let history_id = app.scalar("SELECT history_id FROM orders WHERE id = $1", held).await;
    let code_of = "SELECT code FROM orders WHERE id = $1";
    let taken: String = on_db!(&app.state.writer, |p| sqlx::query_scalar(code_of).bind(held).fetch_one(p).await.unwrap());

    let mut tx = db::begin(&app.state.writer).await.unwrap();
    let new = orders::NewOrder {
        member_id: 1,
        item_id: 1,
        quantity: 1,
        points: 1,
        cash_fen: None,
        status: mall_core::dto::OrderStatus::Fulfilled,
        history_id,
        balance_after: 0,
        created_at: 0,
        ship_to_json: None,
        draw_id: None,
        pay_by: None,
        payment_id: None,
        campaign_id: None,
        campaign_discount: 0,
    };
    let first = orders::FirstCode { code: &taken, merchant_id: None, valid_until: 86_400 };
    let (id, issued) = orders::insert_bought(&mut tx, &new, Some(first)).await.unwrap();
    assert!(!issued, "the code drawn is someone's already");
    let another = codes::NewCode {
        code: "TESTCODE0001",
        member_id: 1,
        source: codes::Source::Order { item_id: 1, order_id: id },
        merchant_id: None,
        valid_from: 0,
        valid_until: 86_400,
        history_id,
    };
    assert!(codes::insert(&mut tx, &another).await.unwrap());
    let owners = "SELECT order_id FROM codes WHERE code = $1";
    let (shown, owner): (Option<String>, i64) = match tx.exec() {
        Exec::Sqlite(c) => (
            sqlx::query_scalar(code_of).bind(id).fetch_one(&mut *c).await.unwrap(),
            sqlx::query_scalar(owners).bind(&taken).fetch_one(&mut *c).await.unwrap(),
        ),
        Exec::Postgres(c) => (
            sqlx::query_scalar(code_of).bind(id).fetch_one(&mut *c).await.unwrap(),
            sqlx::query_scalar(owners).bind(&taken).fetch_one(&mut *c).await.unwrap(),
        ),
    };
    assert_eq!(shown.as_deref(), Some("TESTCODE0001"), "the order shows the code issued after it");
    assert_eq!(owner, held, "the colliding code still belongs to its first order");
}

#[tokio::test]
async fn spending_takes_the_soonest_expiring_lot_first() {
    let app = spawn_app().await;
    let c = app.login(1).await;
    let soonest: i64 =
        app.scalar("SELECT id FROM point_lots WHERE member_id = $1 AND remaining > 0 ORDER BY expires_at, id LIMIT 1", 1).await;
    let before = app.scalar("SELECT remaining FROM point_lots WHERE id = $1", soonest).await;
    let price = app.scalar("SELECT points FROM items WHERE id = $1", 1).await;
    assert!(before >= price, "seed: the oldest lot covers one item");
    assert_eq!(redeem(&c, &app, 1, 1, "fifo").await.status(), StatusCode::CREATED);
    assert_eq!(app.scalar("SELECT remaining FROM point_lots WHERE id = $1", soonest).await, before - price);
    app.assert_ledger(1).await;
}

#[tokio::test]
async fn physical_items_start_pending() {
    let app = spawn_app().await;
    let c = app.login(2).await;
    let item = app
        .scalar("SELECT MIN(id) FROM items WHERE kind = 'physical' AND cash_fen IS NULL AND stock > 0 AND min_tier IS NULL AND id > $1", 0)
        .await;
    let order = json(redeem(&c, &app, item, 1, "phys").await).await;
    assert_eq!(order["status"], "pending");
    assert!(order["code"].is_null());
}

#[tokio::test]
async fn a_retry_with_the_same_key_replays_and_moves_nothing() {
    let app = spawn_app().await;
    let c = app.login(1).await;
    let first = redeem(&c, &app, 1, 1, "same-key").await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first = json(first).await;
    let balance = app.scalar("SELECT balance FROM members WHERE id = $1", 1).await;
    let stock = app.scalar("SELECT stock FROM items WHERE id = $1", 1).await;

    let again = redeem(&c, &app, 1, 1, "same-key").await;
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(json(again).await, first);
    assert_eq!(app.scalar("SELECT balance FROM members WHERE id = $1", 1).await, balance);
    assert_eq!(app.scalar("SELECT stock FROM items WHERE id = $1", 1).await, stock);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM orders WHERE member_id = $1", 1).await, 1);

    // Same key, other body: refused, nothing moves.
    expect_error(redeem(&c, &app, 1, 2, "same-key").await, StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused").await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM orders WHERE member_id = $1", 1).await, 1);
    // Keys are per member: another member may use the same string.
    let other = app.login(2).await;
    assert_eq!(redeem(&other, &app, 1, 1, "same-key").await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn every_redeem_refusal() {
    let app = spawn_app().await;
    let c = app.login(1).await;
    let send = |item: i64, qty: i64, key: &'static str| redeem(&c, &app, item, qty, key);

    expect_error(send(99_999, 1, "k1").await, StatusCode::NOT_FOUND, "item_not_found").await;
    let sold_out = app.scalar("SELECT MIN(id) FROM items WHERE stock = 0 AND id > $1", 0).await;
    expect_error(send(sold_out, 1, "k2").await, StatusCode::CONFLICT, "out_of_stock").await;
    let diamond = app.scalar("SELECT MIN(id) FROM items WHERE min_tier = 'diamond' AND id > $1", 0).await;
    expect_error(send(diamond, 1, "k3").await, StatusCode::FORBIDDEN, "tier_locked").await;
    expect_error(send(1, 0, "k4").await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    expect_error(send(1, 100, "k5").await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    app.set_item(1, 100, 2).await;
    assert_eq!(send(1, 2, "k6").await.status(), StatusCode::CREATED);
    expect_error(send(1, 1, "k7").await, StatusCode::CONFLICT, "limit_reached").await;
    app.set_item(3, 100, 5).await;
    expect_error(send(3, 6, "k8").await, StatusCode::CONFLICT, "limit_reached").await;

    let poor = app.login(7).await;
    let body = expect_error(redeem(&poor, &app, 1, 1, "k9").await, StatusCode::CONFLICT, "insufficient_points").await;
    assert!(body["error"]["message"].as_str().unwrap().contains("short"));

    // Refusals move nothing and free their keys.
    app.assert_ledger(1).await;
    app.assert_ledger(7).await;
    assert_eq!(app.scalar("SELECT stock FROM items WHERE id = $1", sold_out).await, 0);

    // Missing key, bad key, no session.
    let res = c.post(app.url("/api/orders")).json(&json!({"item_id": 1, "quantity": 1})).send().await.unwrap();
    expect_error(res, StatusCode::BAD_REQUEST, "idempotency_key_missing").await;
    let res = c
        .post(app.url("/api/orders"))
        .header("Idempotency-Key", "x".repeat(65))
        .json(&json!({"item_id": 1, "quantity": 1}))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::BAD_REQUEST, "bad_request").await;
    let res = app
        .client()
        .post(app.url("/api/orders"))
        .header("Idempotency-Key", "anon")
        .json(&json!({"item_id": 1, "quantity": 1}))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn members_see_only_their_own_orders_and_history() {
    let app = spawn_app().await;
    let alice = app.login(1).await;
    let bob = app.login(2).await;
    let order = json(redeem(&alice, &app, 1, 1, "mine").await).await;
    let bobs_orders = json(bob.get(app.url("/api/orders")).send().await.unwrap()).await;
    assert!(bobs_orders["orders"].as_array().unwrap().iter().all(|o| o["id"] != order["id"]));
    let bobs_history = json(bob.get(app.url("/api/history?limit=50")).send().await.unwrap()).await;
    assert!(bobs_history["entries"].as_array().unwrap().iter().all(|e| e["kind"] != "redeem"));
    // Bob replaying Alice's key redeems for Bob, never returns Alice's order.
    let bobs = json(redeem(&bob, &app, 1, 1, "mine").await).await;
    assert_ne!(bobs["id"], order["id"]);
}

#[tokio::test]
async fn history_pages_and_filters() {
    let app = spawn_app().await;
    let c = app.login(1).await;
    for i in 0..3 {
        assert_eq!(redeem(&c, &app, 1, 1, &format!("h{i}")).await.status(), StatusCode::CREATED);
    }
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = json(c.get(app.url(&format!("/api/history?limit=2{cursor}"))).send().await.unwrap()).await;
        for e in page["entries"].as_array().unwrap() {
            seen.push(e["id"].as_i64().unwrap());
        }
        match page["next_cursor"].as_str() {
            Some(n) => cursor = format!("&cursor={n}"),
            None => break,
        }
    }
    let total = app.scalar("SELECT COUNT(*) FROM history WHERE member_id = $1", 1).await as usize;
    assert_eq!(seen.len(), total);
    assert!(seen.windows(2).all(|w| w[0] > w[1]), "newest first");

    let spent = json(c.get(app.url("/api/history?kind=spent")).send().await.unwrap()).await;
    assert_eq!(spent["entries"].as_array().unwrap().len(), 3);
    let earned = json(c.get(app.url("/api/history?kind=earned")).send().await.unwrap()).await;
    assert!(earned["entries"].as_array().unwrap().iter().all(|e| e["amount"].as_i64().unwrap() > 0));
    expect_error(c.get(app.url("/api/history?kind=gifts")).send().await.unwrap(), StatusCode::BAD_REQUEST, "bad_request").await;
    expect_error(c.get(app.url("/api/history?cursor=-3")).send().await.unwrap(), StatusCode::BAD_REQUEST, "bad_request").await;
}

#[tokio::test]
async fn expired_lots_leave_the_balance_before_a_read() {
    let app = spawn_app().await;
    let c = app.login(1).await;
    let before = json(c.get(app.url("/api/me")).send().await.unwrap()).await;
    let soon = before["expiring_soon"].as_i64().unwrap();
    assert!(soon > 0);
    app.state.clock.advance(31 * 86_400);
    // Sessions last 30 days, so log in again.
    let c = app.login(1).await;
    let after = json(c.get(app.url("/api/me")).send().await.unwrap()).await;
    assert_eq!(after["balance"].as_i64().unwrap(), before["balance"].as_i64().unwrap() - soon);
    let expired = json(c.get(app.url("/api/history?kind=expired")).send().await.unwrap()).await;
    assert_eq!(expired["entries"][0]["amount"], -soon);
    app.assert_ledger(1).await;
}
