//! The operator's catalogue: items created with an uploaded image show in the members'
//! catalogue at once; changes, retirement and stock changes (idempotent, never below zero,
//! also under a race); uploads checked by content and size; every refusal; the audit.

use futures::future::join_all;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{expect_error, json, operator_client as operator, post, redeem, spawn_app, TestApp};

/// A PNG's signature and a little more: what an upload is recognised by.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00";

async fn upload(c: &Client, app: &TestApp, bytes: Vec<u8>, content_type: &str) -> reqwest::Response {
    c.post(app.url("/api/admin/images")).header("content-type", content_type).body(bytes).send().await.unwrap()
}

fn new_item(image: &str) -> Value {
    json!({
        "category": "home", "kind": "physical", "name": {"zh": "竹纤维浴巾", "en": "Bamboo bath towel"},
        "description": {"zh": "柔软吸水", "en": "Soft and absorbent"},
        "specs": [{"label": {"zh": "尺寸", "en": "Size"}, "value": {"zh": "70×140 厘米", "en": "70×140 cm"}}],
        "image": image, "points": 1200, "cash": null, "stock": 10, "per_member_limit": 2, "min_tier": null
    })
}

async fn stock(c: &Client, app: &TestApp, id: i64, delta: i64, key: &str) -> reqwest::Response {
    c.post(app.url(&format!("/api/admin/items/{id}/stock")))
        .header("Idempotency-Key", key)
        .json(&json!({ "delta": delta, "reason": "delivery from the warehouse" }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_item_with_an_uploaded_image_shows_in_the_catalogue_at_once() {
    let app = spawn_app().await;
    let op = operator(&app);
    let res = upload(&op, &app, PNG.to_vec(), "image/png").await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let url = json(res).await["url"].as_str().unwrap().to_string();
    assert!(url.starts_with("/media/") && url.ends_with(".png"), "{url}");
    let again = json(upload(&op, &app, PNG.to_vec(), "image/png").await).await;
    assert_eq!(again["url"], url.as_str(), "the same bytes keep one name");
    let served = app.client().get(app.url(&url)).send().await.unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(served.bytes().await.unwrap().as_ref(), PNG);
    assert_eq!(
        app.client().get(app.url("/media/00000000000000000000000000000000.png")).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );

    let created = post(&op, &app, "/api/admin/items", new_item(&url)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let item = json(created).await;
    let id = item["id"].as_i64().unwrap();
    let member = app.login(2).await;
    let page = json(member.get(app.url("/api/items?sort=newest&limit=5")).send().await.unwrap()).await;
    assert_eq!(page["items"][0]["id"], id, "newest first: {page}");
    let detail = json(member.get(app.url(&format!("/api/items/{id}"))).send().await.unwrap()).await;
    assert_eq!((detail["image"].as_str(), detail["specs"][0]["value"]["en"].as_str()), (Some(url.as_str()), Some("70×140 cm")));
    assert_eq!(redeem(&member, &app, id, 1, "new-item").await.status(), StatusCode::CREATED);
    let audit = json(op.get(app.url("/api/admin/audit")).send().await.unwrap()).await;
    let actions: Vec<&str> = audit["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"item.create") && actions.contains(&"image.upload"), "{actions:?}");
}

#[tokio::test]
async fn uploads_are_checked_by_content_and_size() {
    let app = spawn_app().await;
    let op = operator(&app);
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec();
    expect_error(upload(&op, &app, svg.clone(), "image/png").await, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type").await;
    expect_error(upload(&op, &app, svg, "image/svg+xml").await, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type").await;
    expect_error(
        upload(&op, &app, b"GIF89a....".to_vec(), "image/gif").await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    let mut big = PNG.to_vec();
    big.resize(512 * 1024 + 1, 0);
    expect_error(upload(&op, &app, big, "image/png").await, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    let mut just = PNG.to_vec();
    just.resize(512 * 1024, 7);
    assert_eq!(upload(&op, &app, just, "image/png").await.status(), StatusCode::CREATED, "512 kB exactly is accepted");
    let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F'].to_vec();
    assert!(json(upload(&op, &app, jpeg, "image/jpeg").await).await["url"].as_str().unwrap().ends_with(".jpg"));
    let member = app.login(1).await;
    expect_error(upload(&member, &app, PNG.to_vec(), "image/png").await, StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn bad_items_are_refused() {
    let app = spawn_app().await;
    let op = operator(&app);
    let mut unknown_category = new_item("/img/items/a.svg");
    unknown_category["category"] = json!("weapons");
    let mut no_name = new_item("/img/items/a.svg");
    no_name["name"]["zh"] = json!(" ");
    let mut zero_points = new_item("/img/items/a.svg");
    zero_points["points"] = json!(0);
    let mut negative_stock = new_item("/img/items/a.svg");
    negative_stock["stock"] = json!(-1);
    for body in [
        unknown_category,
        no_name,
        zero_points,
        negative_stock,
        new_item("https://elsewhere.example/x.png"),
        new_item("/media/0123456789abcdef0123456789abcdef.png"),
    ] {
        expect_error(post(&op, &app, "/api/admin/items", body.clone()).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }
    let member = app.login(1).await;
    expect_error(post(&member, &app, "/api/admin/items", new_item("/img/items/a.svg")).await, StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn an_item_changes_retires_and_comes_back() {
    let app = spawn_app().await;
    let op = operator(&app);
    let patch = |body: Value| op.patch(app.url("/api/admin/items/3")).json(&body).send();
    let changed = json(patch(json!({ "points": 321, "cash": "1.50", "min_tier": "gold" })).await.unwrap()).await;
    assert_eq!(
        (changed["points"].as_i64(), changed["cash"].as_str(), changed["min_tier"].as_str()),
        (Some(321), Some("1.50"), Some("gold"))
    );
    let cleared = json(patch(json!({ "cash": null, "min_tier": null })).await.unwrap()).await;
    assert_eq!((cleared["cash"].clone(), cleared["min_tier"].clone(), cleared["points"].as_i64()), (Value::Null, Value::Null, Some(321)));
    let member = app.login(2).await;
    assert_eq!(json(member.get(app.url("/api/items/3")).send().await.unwrap()).await["points"], 321, "members see it at once");

    let retired = json(patch(json!({ "retired": true })).await.unwrap()).await;
    assert_eq!(retired["retired"], true);
    expect_error(member.get(app.url("/api/items/3")).send().await.unwrap(), StatusCode::NOT_FOUND, "item_not_found").await;
    let listed = json(member.get(app.url("/api/items?limit=50")).send().await.unwrap()).await;
    assert!(listed["items"].as_array().unwrap().iter().all(|i| i["id"] != 3), "hidden from the catalogue");
    expect_error(redeem(&member, &app, 3, 1, "retired").await, StatusCode::NOT_FOUND, "item_not_found").await;
    let all = json(op.get(app.url("/api/admin/items")).send().await.unwrap()).await;
    assert!(all["items"].as_array().unwrap().iter().any(|i| i["id"] == 3 && i["retired"] == true), "the back office still lists it");
    assert_eq!(json(patch(json!({ "retired": false })).await.unwrap()).await["retired"], false);
    assert_eq!(member.get(app.url("/api/items/3")).send().await.unwrap().status(), StatusCode::OK);

    expect_error(patch(json!({ "points": -5 })).await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    expect_error(patch(json!({ "stock": 5 })).await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let missing = op.patch(app.url("/api/admin/items/99999")).json(&json!({ "points": 5 })).send().await.unwrap();
    expect_error(missing, StatusCode::NOT_FOUND, "item_not_found").await;
}

#[tokio::test]
async fn stock_changes_are_idempotent_and_never_below_zero() {
    let app = spawn_app().await;
    let op = operator(&app);
    app.set_item(5, 10, 99).await;
    let first = stock(&op, &app, 5, 5, "restock-1").await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(json(first).await["stock"], 15);
    let replay = stock(&op, &app, 5, 5, "restock-1").await;
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(app.scalar("SELECT stock FROM items WHERE id = $1", 5).await, 15, "a replay moves nothing");
    let refused = expect_error(stock(&op, &app, 5, -16, "too-many").await, StatusCode::CONFLICT, "stock_below_zero").await;
    assert!(refused["error"]["message"].as_str().unwrap().contains("15"), "{refused}");
    expect_error(stock(&op, &app, 5, 0, "zero").await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let no_key = op.post(app.url("/api/admin/items/5/stock")).json(&json!({ "delta": 1, "reason": "x" })).send().await.unwrap();
    expect_error(no_key, StatusCode::BAD_REQUEST, "idempotency_key_missing").await;

    // Twenty operators take one unit each at once from 15: fifteen succeed, never below zero.
    let results = join_all((0..20).map(|i| {
        let (op, app) = (&op, &app);
        async move { stock(op, app, 5, -1, &format!("take-{i}")).await.status() }
    }))
    .await;
    assert_eq!(results.iter().filter(|s| **s == StatusCode::OK).count(), 15, "{results:?}");
    assert_eq!(results.iter().filter(|s| **s == StatusCode::CONFLICT).count(), 5, "{results:?}");
    assert_eq!(app.scalar("SELECT stock FROM items WHERE id = $1", 5).await, 0);
}
