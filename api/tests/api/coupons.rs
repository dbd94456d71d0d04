//! Coupons over HTTP: a redeemed voucher issues one wallet code per unit, valid the
//! rules' coupon days, verified only by the item's merchant, and shown as expired after;
//! lottery prizes of items (an order of no points, not cancellable) and coupons (a wallet
//! code).

use chrono::TimeZone;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::{
    helpers::{address_of, expect_error, json, operator_client, post, redeem, spawn_app, TestApp},
    staff::staff,
};

async fn wallet(c: &reqwest::Client, app: &TestApp) -> Vec<Value> {
    json(c.get(app.url("/api/codes")).send().await.unwrap()).await.as_array().unwrap().clone()
}

#[tokio::test]
async fn a_redeemed_voucher_gives_wallet_codes_for_thirty_days_verified_only_by_its_merchant() {
    let app = spawn_app().await;
    let c = app.login(1).await;
    // Item 2 is the Luckin ¥9 voucher, honoured by merchant `luckin`.
    let res = redeem(&c, &app, 2, 2, "v-1").await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let order = json(res).await;
    let codes = wallet(&c, &app).await;
    let vouchers: Vec<&Value> = codes.iter().filter(|w| w["offer"]["en"] == "Luckin Coffee ¥9 voucher").collect();
    assert_eq!(vouchers.len(), 2, "one code per unit: {codes:?}");
    assert!(vouchers.iter().any(|w| w["code"] == order["code"]), "the order shows its first code");
    assert_eq!((vouchers[0]["sale_id"].clone(), vouchers[0]["merchant"]["zh"].as_str()), (Value::Null, Some("瑞幸咖啡")));
    let order_id = order["id"].as_i64().unwrap();
    let (from, until) = (
        app.scalar("SELECT MIN(valid_from) FROM codes WHERE order_id = $1", order_id).await,
        app.scalar("SELECT MIN(valid_until) FROM codes WHERE order_id = $1", order_id).await,
    );
    assert_eq!(until - from, 30 * 86_400, "valid the rules' coupon_valid_days");

    let code = vouchers[0]["code"].as_str().unwrap().to_string();
    let other = staff(&app, "starbucks").await;
    expect_error(
        post(&other, &app, "/api/merchant/verify", json!({ "code": code })).await,
        StatusCode::FORBIDDEN,
        "code_of_other_merchant",
    )
    .await;
    let luckin = staff(&app, "luckin").await;
    assert_eq!(post(&luckin, &app, "/api/merchant/verify", json!({ "code": code })).await.status(), StatusCode::OK);
    let own = json(luckin.get(app.url("/api/merchant/codes?status=used")).send().await.unwrap()).await;
    assert_eq!(own["codes"][0]["code"], code.as_str());
    // The statistics count it for its merchant, as the settlement does.
    let zone = app.state.config.zone;
    let today = zone.timestamp_opt(app.state.clock.now_secs(), 0).unwrap().format("%Y-%m-%d").to_string();
    let stats = json(operator_client(&app).get(app.url(&format!("/api/admin/stats?from={today}&to={today}"))).send().await.unwrap()).await;
    let row =
        stats["codes_by_merchant"].as_array().unwrap().iter().find(|m| m["merchant"]["name"]["en"] == "Luckin Coffee").unwrap().clone();
    assert_eq!((row["issued"].as_i64(), row["verified"].as_i64()), (Some(2), Some(1)), "{row}");

    // Thirty days on, the unused one is expired: the wallet moves it to 已失效.
    app.state.clock.advance(30 * 86_400);
    let (c, luckin) = (app.login(1).await, staff(&app, "luckin").await);
    let later = wallet(&c, &app).await;
    let statuses: Vec<&str> =
        later.iter().filter(|w| w["offer"]["en"] == "Luckin Coffee ¥9 voucher").map(|w| w["status"].as_str().unwrap()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == "expired").count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == "used").count(), 1, "{statuses:?}");
    let rest = vouchers.iter().map(|w| w["code"].as_str().unwrap()).find(|c| *c != code).unwrap().to_string();
    expect_error(post(&luckin, &app, "/api/merchant/verify", json!({ "code": rest })).await, StatusCode::CONFLICT, "code_expired").await;
    app.assert_ledger(1).await;
}

#[tokio::test]
async fn lottery_prizes_of_items_and_coupons_make_an_order_and_a_wallet_code() {
    let app = spawn_app().await;
    let op = operator_client(&app);
    let prize = |kind: &str, item: i64| json!({"name": {"zh": "奖品", "en": "Prize"}, "kind": kind, "item_id": item, "probability_bp": 10_000, "stock": 1});
    let lottery = |prizes: Vec<Value>| json!({"name": {"zh": "实物抽奖", "en": "Goods draw"}, "cost_points": 10, "draws_per_day": 9, "prizes": prizes});
    // A coupon prize must be a voucher, an item prize a physical item, and neither gives points.
    for bad in [
        prize("coupon", 15),
        prize("item", 2),
        json!({"name": {"zh": "奖", "en": "P"}, "kind": "coupon", "item_id": 2, "points": 5, "probability_bp": 1, "stock": 1}),
        prize("item", 999),
    ] {
        expect_error(
            op.post(app.url("/api/admin/lotteries")).json(&lottery(vec![bad])).send().await.unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    }
    let res = op.post(app.url("/api/admin/lotteries")).json(&lottery(vec![prize("coupon", 2)])).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let id = json(res).await["id"].as_i64().unwrap();
    let c = app.login(1).await;
    let address = address_of(&c, &app).await;
    let won = json(c.post(app.url(&format!("/api/lotteries/{id}/draws"))).header("Idempotency-Key", "c").send().await.unwrap()).await;
    assert_eq!(won["prize"]["kind"], "coupon");
    let code = won["code"].as_str().expect("a coupon prize names its code").to_string();
    let in_wallet = wallet(&c, &app).await.into_iter().find(|w| w["code"] == code.as_str()).expect("the code is in the wallet");
    assert_eq!((in_wallet["status"].as_str(), in_wallet["merchant"]["en"].as_str()), (Some("issued"), Some("Luckin Coffee")));

    let res = op.post(app.url("/api/admin/lotteries")).json(&lottery(vec![prize("item", 15)])).send().await.unwrap();
    let id = json(res).await["id"].as_i64().unwrap();
    let before = json(c.get(app.url("/api/me")).send().await.unwrap()).await["balance"].as_i64().unwrap();
    let won = json(c.post(app.url(&format!("/api/lotteries/{id}/draws"))).header("Idempotency-Key", "i").send().await.unwrap()).await;
    assert_eq!((won["prize"]["kind"].as_str(), won["balance"].as_i64()), (Some("item"), Some(before - 10)), "only the draw costs");
    let order_id = won["order_id"].as_i64().expect("an item prize names its order");
    let orders = json(c.get(app.url("/api/orders")).send().await.unwrap()).await;
    let order = orders["orders"].as_array().unwrap().iter().find(|o| o["id"] == order_id).expect("in my orders").clone();
    assert_eq!((order["points"].as_i64(), order["status"].as_str(), order["item_id"].as_i64()), (Some(0), Some("pending"), Some(15)));
    assert!(order["ship_to"].is_object(), "ships to the default address {address}: {order}");
    expect_error(c.post(app.url(&format!("/api/orders/{order_id}/cancel"))).send().await.unwrap(), StatusCode::CONFLICT, "not_cancellable")
        .await;
    let shop = staff(&app, "ops").await;
    let res = post(&shop, &app, &format!("/api/admin/orders/{order_id}/cancel"), json!({ "reason": "test" })).await;
    expect_error(res, StatusCode::CONFLICT, "not_cancellable").await;
    app.assert_ledger(1).await;
}
