//! Physical rewards: the member's address book, a redeem that ships to an address (the
//! order keeps its copy), the operator's queue (filters, search, ship with tracking,
//! deliver, cancel with a reason: stock and points back), and the CSV export.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{balance, expect_error, json, operator_client as operator, post, spawn_app, TestApp};

fn address(name: &str) -> Value {
    json!({ "name": name, "phone": "138 0013 8000", "region": "上海市 静安区", "detail": "南京西路 1266 号 2 楼" })
}

async fn physical_item(app: &TestApp) -> i64 {
    app.scalar(
        "SELECT MIN(id) FROM items WHERE kind = 'physical' AND cash_fen IS NULL AND stock > 0 AND min_tier IS NULL AND points < $1",
        5_000,
    )
    .await
}

async fn redeem_to(c: &Client, app: &TestApp, item: i64, address: Option<i64>, key: &str) -> reqwest::Response {
    c.post(app.url("/api/orders"))
        .header("Idempotency-Key", key)
        .json(&json!({ "item_id": item, "quantity": 1, "address_id": address }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_address_book() {
    let app = spawn_app().await;
    let c = app.login(1).await;
    let first = json(post(&c, &app, "/api/addresses", address("林晓雨")).await).await;
    assert_eq!(first["is_default"], true, "the first address is the default");
    let mut second = address("林先生");
    second["is_default"] = json!(true);
    let second = json(post(&c, &app, "/api/addresses", second).await).await;
    let list = json(c.get(app.url("/api/addresses")).send().await.unwrap()).await;
    assert_eq!(list[0]["id"], second["id"], "the default first: {list}");
    assert_eq!(list[1]["is_default"], false);
    let mut bad = address("x");
    bad["phone"] = json!("call me");
    expect_error(post(&c, &app, "/api/addresses", bad).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    let id = first["id"].as_i64().unwrap();
    let put = |c: &Client, body: Value| c.put(app.url(&format!("/api/addresses/{id}"))).json(&body).send();
    let changed = json(put(&c, address("林晓雨（公司）")).await.unwrap()).await;
    assert_eq!(changed["name"], "林晓雨（公司）");
    // Another member cannot see, change or delete it.
    let other = app.login(2).await;
    expect_error(put(&other, address("x")).await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;
    let del = other.delete(app.url(&format!("/api/addresses/{id}"))).send().await.unwrap();
    expect_error(del, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(json(other.get(app.url("/api/addresses")).send().await.unwrap()).await, json!([]));
    // Deleting the default makes the other one the default.
    let sid = second["id"].as_i64().unwrap();
    assert_eq!(c.delete(app.url(&format!("/api/addresses/{sid}"))).send().await.unwrap().status(), StatusCode::NO_CONTENT);
    let list = json(c.get(app.url("/api/addresses")).send().await.unwrap()).await;
    assert_eq!((list.as_array().unwrap().len(), list[0]["is_default"].as_bool()), (1, Some(true)), "{list}");
    expect_error(app.client().get(app.url("/api/addresses")).send().await.unwrap(), StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn a_parcel_ships_to_the_address_and_the_member_sees_the_tracking() {
    let app = spawn_app().await;
    let op = operator(&app);
    let c = app.login(2).await;
    let item = physical_item(&app).await;
    let addr = json(post(&c, &app, "/api/addresses", address("王建国")).await).await["id"].as_i64().unwrap();
    let other = json(post(&app.login(3).await, &app, "/api/addresses", address("陈静")).await).await["id"].as_i64().unwrap();
    let refused = redeem_to(&c, &app, item, Some(other), "someone-elses").await;
    expect_error(refused, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let none = redeem_to(&c, &app, item, None, "no-address").await;
    expect_error(none, StatusCode::UNPROCESSABLE_ENTITY, "address_required").await;
    assert_eq!(redeem_to(&c, &app, 1, None, "voucher").await.status(), StatusCode::CREATED, "a voucher needs no address");

    let order = json(redeem_to(&c, &app, item, Some(addr), "parcel").await).await;
    let id = order["id"].as_i64().unwrap();
    assert_eq!(order["ship_to"]["name"], "王建国", "{order}");
    // Changing the address book later does not move the parcel.
    c.put(app.url(&format!("/api/addresses/{addr}"))).json(&address("别人")).send().await.unwrap();

    let queue = json(op.get(app.url("/api/admin/orders?status=pending")).send().await.unwrap()).await;
    let row = queue["orders"].as_array().unwrap().iter().find(|o| o["id"] == id).unwrap().clone();
    assert_eq!((row["member_id"].as_i64(), row["ship_to"]["name"].as_str()), (Some(2), Some("王建国")), "{row}");
    let by_name = json(op.get(app.url("/api/admin/orders?q=%E7%8E%8B%E5%BB%BA%E5%9B%BD")).send().await.unwrap()).await;
    assert!(by_name["orders"].as_array().unwrap().iter().any(|o| o["id"] == id), "found by the member's name");

    let ship = |body: Value| op.post(app.url(&format!("/api/admin/orders/{id}/ship"))).json(&body).send();
    expect_error(
        ship(json!({ "carrier": "", "tracking_no": "SF1" })).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let shipped = json(ship(json!({ "carrier": "顺丰速运", "tracking_no": "SF1234567890" })).await.unwrap()).await;
    assert_eq!((shipped["status"].as_str(), shipped["tracking_no"].as_str()), (Some("shipped"), Some("SF1234567890")));
    expect_error(
        ship(json!({ "carrier": "顺丰速运", "tracking_no": "SF1234567890" })).await.unwrap(),
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    let mine = json(c.get(app.url("/api/orders")).send().await.unwrap()).await;
    let seen = mine["orders"].as_array().unwrap().iter().find(|o| o["id"] == id).unwrap().clone();
    assert_eq!(
        (seen["carrier"].as_str(), seen["tracking_no"].as_str()),
        (Some("顺丰速运"), Some("SF1234567890")),
        "the member sees the tracking"
    );
    let by_tracking = json(op.get(app.url("/api/admin/orders?q=sf12345")).send().await.unwrap()).await;
    assert_eq!(by_tracking["orders"][0]["id"], id);

    let delivered = json(post(&op, &app, &format!("/api/admin/orders/{id}/deliver"), json!({})).await).await;
    assert_eq!(delivered["status"], "delivered");
    let cancel = post(&op, &app, &format!("/api/admin/orders/{id}/cancel"), json!({ "reason": "too late" })).await;
    expect_error(cancel, StatusCode::CONFLICT, "not_cancellable").await;
    let audit = json(op.get(app.url("/api/admin/audit")).send().await.unwrap()).await;
    let actions: Vec<&str> = audit["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(&actions[..2], ["order.deliver", "order.ship"], "{actions:?}");
}

#[tokio::test]
async fn the_shop_cancels_with_a_reason_and_everything_goes_back() {
    let app = spawn_app().await;
    let op = operator(&app);
    let c = app.login(2).await;
    let item = physical_item(&app).await;
    let before = balance(&c, &app).await;
    let stock = app.scalar("SELECT stock FROM items WHERE id = $1", item).await;
    let addr = crate::helpers::address_of(&c, &app).await;
    let order = json(redeem_to(&c, &app, item, Some(addr), "to-cancel").await).await;
    let id = order["id"].as_i64().unwrap();
    post(&op, &app, &format!("/api/admin/orders/{id}/ship"), json!({ "carrier": "中通快递", "tracking_no": "ZT-0001" })).await;
    let bad = post(&op, &app, &format!("/api/admin/orders/{id}/cancel"), json!({ "reason": " " })).await;
    expect_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let cancelled =
        json(post(&op, &app, &format!("/api/admin/orders/{id}/cancel"), json!({ "reason": "包裹丢失 / parcel lost" })).await).await;
    assert_eq!((cancelled["status"].as_str(), cancelled["cancel_reason"].as_str()), (Some("cancelled"), Some("包裹丢失 / parcel lost")));
    assert_eq!(balance(&c, &app).await, before, "points back");
    assert_eq!(app.scalar("SELECT stock FROM items WHERE id = $1", item).await, stock, "stock back");
    app.assert_ledger(2).await;
    let missing = post(&op, &app, "/api/admin/orders/999999/cancel", json!({ "reason": "x" })).await;
    expect_error(missing, StatusCode::NOT_FOUND, "not_found").await;
    let member = app.login(1).await;
    expect_error(member.get(app.url("/api/admin/orders")).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn the_csv_export_has_a_bom_and_no_formulas() {
    let app = spawn_app().await;
    let op = operator(&app);
    let c = app.login(2).await;
    let mut risky = address("=HYPERLINK(\"http://evil\")");
    risky["detail"] = json!("+86 \"quoted\" road");
    let addr = json(post(&c, &app, "/api/addresses", risky).await).await["id"].as_i64().unwrap();
    let item = physical_item(&app).await;
    redeem_to(&c, &app, item, Some(addr), "csv").await;
    let res = op.get(app.url("/api/admin/orders.csv?status=pending")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let body = res.bytes().await.unwrap();
    assert!(body.starts_with(b"\xEF\xBB\xBForder_id,"), "UTF-8 BOM and a header row");
    let text = String::from_utf8(body.to_vec()).unwrap();
    assert!(text.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""), "{text}");
    assert!(!text.contains(",\"=") && !text.contains(",="), "no cell starts a formula: {text}");
    assert!(text.contains("上海市 静安区 +86 \"\"quoted\"\" road"), "quotes doubled: {text}");
    assert_eq!(text.lines().count(), 2, "one pending order: {text}");
}
