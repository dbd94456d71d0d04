//! From an empty database to the first sale, as a shop going live does it: the real binary
//! in production (`DEMO_LOGIN=false`, no demo data, its own secrets, no development clock)
//! on an empty database of the engine under test; the first operator from the command
//! line; then, through the API only, a category, a partner merchant and its account, an
//! uploaded image, an item, a flash sale opening a few seconds later; a member handed over
//! by the host with a signed ticket redeems the item and grabs a code when the sale opens;
//! the merchant signs in, verifies both codes and finds them in its settlement.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::TimeZone;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::{
    helpers::TestDb,
    production::{own_secret, serve, staff_cli},
};

/// A PNG's signature and a little more: what an upload is recognised by.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00";

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

/// A client that keeps its cookies (one browser).
fn browser() -> Client {
    Client::builder().cookie_store(true).build().unwrap()
}

/// Sends `body` and expects `status`; the answer's JSON.
async fn send(req: reqwest::RequestBuilder, status: StatusCode, what: &str) -> Value {
    let res = req.send().await.unwrap();
    let got = res.status();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{what}: {body}");
    body
}

#[tokio::test]
async fn from_an_empty_database_to_the_first_sale() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let (ticket, hook) = (own_secret("ticket"), own_secret("hook"));
    let vars = [
        ("DEMO_LOGIN", "false"),
        ("TICKET_SECRET", ticket.as_str()),
        ("HOOK_SECRET", hook.as_str()),
        ("DATABASE_URL", db.url.as_str()),
        ("MALL_TIME_ZONE", "Asia/Shanghai"),
    ];
    // The first start creates the schema and nothing else.
    let server = serve(dir.path(), &vars).await;
    let base = server.base.clone();
    let url = |path: &str| format!("{base}{path}");
    let anyone = Client::new();
    let categories = send(anyone.get(url("/api/categories")), StatusCode::OK, "categories").await;
    assert_eq!(categories, json!([]), "an empty shop");

    // The first operator comes from the command line (the password on standard input).
    let (code, out) = staff_cli(
        dir.path(),
        &db.url,
        &["add", "--username", "boss", "--role", "operator", "--name", "店长"],
        "the owner's long password\n",
    );
    assert_eq!(code, Some(0), "{out}");
    let boss = browser();
    let me = send(
        boss.post(url("/api/staff/session")).json(&json!({"username": "boss", "password": "the owner's long password"})),
        StatusCode::OK,
        "the operator signs in",
    )
    .await;
    assert_eq!(me["role"], "operator");

    // A category, an image, a partner merchant and its account.
    let category = json!({"slug": "coffee", "name": {"zh": "咖啡", "en": "Coffee"}});
    send(boss.post(url("/api/admin/categories")).json(&category), StatusCode::CREATED, "category").await;
    let image =
        send(boss.post(url("/api/admin/images")).header("content-type", "image/png").body(PNG.to_vec()), StatusCode::CREATED, "image")
            .await;
    let image = image["url"].as_str().unwrap().to_string();
    let merchant = json!({
        "slug": "corner-cafe", "name": {"zh": "街角咖啡", "en": "Corner Café"}, "logo": image,
        "address": {"zh": "上海市徐汇区", "en": "Xuhui, Shanghai"}, "settlement": "4.00"
    });
    let merchant = send(boss.post(url("/api/admin/merchants")).json(&merchant), StatusCode::CREATED, "merchant").await;
    let merchant_id = merchant["id"].as_i64().unwrap();
    let account = json!({"username": "cafe", "password": "the cafe's long password", "role": "merchant", "merchant_id": merchant_id});
    send(boss.post(url("/api/admin/staff")).json(&account), StatusCode::CREATED, "merchant account").await;

    // An item with the uploaded image: the café's voucher.
    let item = json!({
        "category": "coffee", "kind": "virtual", "name": {"zh": "美式咖啡券", "en": "Americano voucher"},
        "description": {"zh": "任意门店可用", "en": "At any shop"}, "image": image, "points": 100, "cash": null,
        "stock": 20, "per_member_limit": 2, "min_tier": null, "merchant_id": merchant_id
    });
    let item = send(boss.post(url("/api/admin/items")).json(&item), StatusCode::CREATED, "item").await;
    let item_id = item["id"].as_i64().unwrap();

    // A flash sale of the café opening a few seconds from now (production has no
    // development clock: the test waits for real seconds).
    let opens = now() + 4;
    let sale = json!({
        "offer_key": "corner-latte", "offer": {"zh": "拿铁兑换码", "en": "Latte code"}, "merchant_id": merchant_id,
        "image": image, "points": 50, "quantity": 10, "per_member_limit": 1, "starts_at": opens, "ends_at": opens + 3_600
    });
    let sale_id = send(boss.post(url("/api/admin/sales")).json(&sale), StatusCode::CREATED, "sale").await.as_i64().unwrap();

    // A member handed over by the host with a signed ticket (new here: the register bonus).
    let member = browser();
    let expires_at = now() + 300;
    let signature = mall_api::routes::session::sign_ticket(&ticket, 1001, expires_at);
    let ticket_body = json!({"member_id": 1001, "expires_at": expires_at, "signature": signature});
    let me = send(member.post(url("/api/session/exchange")).json(&ticket_body), StatusCode::OK, "ticket exchange").await;
    let start = me["balance"].as_i64().unwrap();
    assert!(start >= 150, "the register bonus pays for both: {me}");
    let listed = send(member.get(url("/api/items?category=coffee")), StatusCode::OK, "items").await;
    assert_eq!(listed["items"][0]["id"], item_id, "{listed}");
    let order = send(
        member.post(url("/api/orders")).header("Idempotency-Key", "first-order").json(&json!({"item_id": item_id, "quantity": 1})),
        StatusCode::CREATED,
        "redeem",
    )
    .await;
    let voucher_code = order["code"].as_str().unwrap().to_string();

    // The sale: not yet, then open.
    let early =
        send(member.post(url(&format!("/api/sales/{sale_id}/grab"))).header("Idempotency-Key", "early"), StatusCode::CONFLICT, "early")
            .await;
    assert_eq!(early["error"]["code"], "sale_not_started", "{early}");
    let wait = (opens - now()).max(0) as u64;
    tokio::time::sleep(Duration::from_millis(wait * 1000 + 1_100)).await;
    let day = send(member.get(url("/api/sales")), StatusCode::OK, "sales").await;
    let listed = day["sales"].as_array().unwrap().iter().find(|s| s["id"] == sale_id).cloned();
    assert_eq!(listed.map(|s| s["state"].clone()), Some(json!("live")), "{day}");
    let grabbed =
        send(member.post(url(&format!("/api/sales/{sale_id}/grab"))).header("Idempotency-Key", "grab"), StatusCode::CREATED, "grab").await;
    let sale_code = grabbed["code"]["code"].as_str().unwrap().to_string();
    assert_eq!(grabbed["balance"].as_i64(), Some(start - 150));

    // The merchant signs in, verifies both and finds them in its statement.
    let cafe = browser();
    send(
        cafe.post(url("/api/staff/session")).json(&json!({"username": "cafe", "password": "the cafe's long password"})),
        StatusCode::OK,
        "the merchant signs in",
    )
    .await;
    for code in [&voucher_code, &sale_code] {
        let verified = send(cafe.post(url("/api/merchant/verify")).json(&json!({"code": code})), StatusCode::OK, "verify").await;
        assert_eq!(verified["used_by"], "街角咖啡");
    }
    let today = chrono_tz::Asia::Shanghai.timestamp_opt(now(), 0).unwrap().format("%Y-%m-%d").to_string();
    let statement = send(cafe.get(url(&format!("/api/merchant/settlement?from={today}&to={today}"))), StatusCode::OK, "settlement").await;
    assert_eq!((statement["verified"].as_i64(), statement["total"].as_str()), (Some(2), Some("8.00")), "{statement}");
    let codes = send(cafe.get(url("/api/merchant/codes?status=used")), StatusCode::OK, "codes").await;
    let used: Vec<&str> = codes["codes"].as_array().unwrap().iter().map(|c| c["code"].as_str().unwrap()).collect();
    assert!(used.contains(&voucher_code.as_str()) && used.contains(&sale_code.as_str()), "{codes}");
    // Every step of the set-up is in the audit log, by the people who did it.
    let audit = send(boss.get(url("/api/admin/audit")), StatusCode::OK, "audit").await;
    let steps: Vec<(String, String)> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["actor"].as_str().unwrap().to_string(), e["action"].as_str().unwrap().to_string()))
        .collect();
    for (actor, action) in [
        ("console", "staff.create"),
        ("boss", "category.create"),
        ("boss", "image.upload"),
        ("boss", "merchant.create"),
        ("boss", "staff.create"),
        ("boss", "item.create"),
        ("boss", "sale.schedule"),
        ("cafe", "code.verify"),
    ] {
        assert!(steps.contains(&(actor.to_string(), action.to_string())), "{actor} {action}: {steps:?}");
    }
    drop(server);
}
