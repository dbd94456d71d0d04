//! Malformed and hostile input gets typed 4xx answers, never a 500.

use reqwest::StatusCode;

use crate::helpers::{expect_error, spawn_app};

#[tokio::test]
async fn malformed_bodies() {
    let app = spawn_app().await;
    let c = app.login(1).await;
    let post = |body: &'static str, ctype: &'static str| {
        c.post(app.url("/api/orders")).header("Idempotency-Key", "hostile").header("content-type", ctype).body(body).send()
    };
    expect_error(post("{", "application/json").await.unwrap(), StatusCode::BAD_REQUEST, "invalid_json").await;
    expect_error(post("", "application/json").await.unwrap(), StatusCode::BAD_REQUEST, "invalid_json").await;
    expect_error(
        post(r#"{"item_id":"1","quantity":1}"#, "application/json").await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    expect_error(post(r#"{"item_id":1}"#, "application/json").await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    expect_error(
        post(r#"{"item_id":1,"quantity":1,"points":0}"#, "application/json").await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    expect_error(post(r#"{"item_id":1e999,"quantity":1}"#, "application/json").await.unwrap(), StatusCode::BAD_REQUEST, "invalid_json")
        .await;
    expect_error(
        post(r#"{"item_id":9223372036854775808,"quantity":1}"#, "application/json").await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    expect_error(post(r#"[1,2]"#, "application/json").await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    expect_error(post("   ", "application/json").await.unwrap(), StatusCode::BAD_REQUEST, "invalid_json").await;
    expect_error(
        post(r#"item_id=1"#, "application/x-www-form-urlencoded").await.unwrap(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    app.assert_ledger(1).await;
}

#[tokio::test]
async fn huge_bodies_are_413() {
    let app = spawn_app().await;
    let c = app.login(1).await;
    let big = format!(r#"{{"item_id":1,"quantity":1,"pad":"{}"}}"#, "x".repeat(64 * 1024));
    let res = c
        .post(app.url("/api/orders"))
        .header("Idempotency-Key", "big")
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    let res =
        c.post(app.url("/api/session/demo")).header("content-type", "application/json").body("[".repeat(100_000)).send().await.unwrap();
    expect_error(res, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
}

#[tokio::test]
async fn unknown_paths_and_methods_under_api_are_json() {
    let app = spawn_app().await;
    let c = app.client();
    expect_error(c.get(app.url("/api/nothing-here")).send().await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;
    expect_error(c.delete(app.url("/api/orders")).send().await.unwrap(), StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    expect_error(c.get(app.url("/api/items/1/../../etc/passwd")).send().await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;
    // Injection attempts are just text.
    let res = c.get(app.url("/api/items?q=%27%20OR%201%3D1%20--")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = c.get(app.url("/api/items?category=%27%3B%20DROP%20TABLE%20items%3B--")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(app.scalar("SELECT COUNT(*) FROM items WHERE id > $1", 0).await > 0);
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_every_documented_operation_is_routed() {
    let app = spawn_app().await;
    let res = app.client().get(app.url("/api/openapi.json")).send().await.unwrap();
    assert!(res.headers().contains_key("x-request-id"));
    let doc: serde_json::Value = res.json().await.unwrap();
    assert!(doc["components"]["schemas"]["ApiErrorBody"].is_object());
    // The router and the document come from the same `routes!` declarations; here the
    // served router is held against the served document: each operation it lists is
    // answered by a handler, not by the API's fallbacks (unknown path, unknown method).
    let mut operations = 0;
    for (template, item) in doc["paths"].as_object().unwrap() {
        let path = template.split('/').map(|s| if s.starts_with('{') { "1" } else { s }).collect::<Vec<_>>().join("/");
        for method in item.as_object().unwrap().keys() {
            let method: reqwest::Method = method.to_uppercase().parse().unwrap();
            let res = app.client().request(method.clone(), app.url(&path)).send().await.unwrap();
            let status = res.status();
            let body = res.text().await.unwrap();
            assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {template} is documented but not routed: {body}");
            assert!(!body.contains("no such API path"), "{method} {template} is documented but not routed: {status} {body}");
            operations += 1;
        }
    }
    assert!(operations > 100, "{operations} operations documented");
}

#[tokio::test]
async fn the_app_is_served_with_a_fallback_for_deep_links() {
    let app = spawn_app().await;
    // Tests run from the api/ folder; point at a built-looking dist of our own.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<!doctype html><title>mall</title>").unwrap();
    std::fs::write(dir.path().join("app-0123456789abcdef.js"), "console.log(1)").unwrap();
    let mut state = app.state.clone();
    state.config = std::sync::Arc::new(mall_api::config::Config { static_dir: dir.path().into(), ..(*state.config).clone() });
    let router = mall_api::static_files::service(&state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let c = reqwest::Client::new();
    let deep = c.get(format!("http://{addr}/items/3")).send().await.unwrap();
    assert_eq!(deep.status(), StatusCode::OK);
    assert_eq!(deep.headers()["cache-control"], "no-cache");
    assert!(deep.text().await.unwrap().contains("<title>mall</title>"));
    let js = c.get(format!("http://{addr}/app-0123456789abcdef.js")).send().await.unwrap();
    assert_eq!(js.headers()["cache-control"], "public, max-age=31536000, immutable");
    // An invite link opens Me with its code (the shell carries no code for it); only
    // Home's address with an `invite` parameter is redirected.
    let plain = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let invite = plain.get(format!("http://{addr}/?invite=AB3CD4EF&x=1")).send().await.unwrap();
    assert_eq!(invite.status(), StatusCode::SEE_OTHER);
    assert_eq!(invite.headers()["location"], "/me?invite=AB3CD4EF&x=1");
    for path in ["/?x=1", "/?reinvite=1", "/items/3?invite=AB3CD4EF"] {
        assert_eq!(plain.get(format!("http://{addr}{path}")).send().await.unwrap().status(), StatusCode::OK, "{path}");
    }
    drop(app);
}

/// The requests that stopped the process or answered 500 before go-live: dates past
/// year 9999 (day arithmetic overflowed), `i64::MIN` (its `abs()` overflowed), decimals
/// near `rust_decimal`'s limit (multiplication overflowed), odds that wrap when summed.
/// Each is a typed 4xx now, and the server answers on.
#[tokio::test]
async fn extreme_dates_integers_and_decimals_are_typed_refusals() {
    use serde_json::json;

    use crate::helpers::{operator_client, post};

    let app = spawn_app().await;
    let merchant = crate::staff::staff(&app, "starbucks").await;
    let ops = operator_client(&app);
    for (from, to) in
        [("%2B262142-12-31", "%2B262142-12-31"), ("-0001-01-01", "-0001-01-02"), ("20260-01-01", "20260-01-02"), ("2026-1-1", "2026-01-02")]
    {
        for path in ["/api/merchant/settlement", "/api/merchant/settlement.csv"] {
            let res = merchant.get(app.url(&format!("{path}?from={from}&to={to}"))).send().await.unwrap();
            expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        }
        for path in ["/api/admin/stats", "/api/admin/stats.csv", "/api/admin/sales"] {
            let res = ops.get(app.url(&format!("{path}?from={from}&to={to}"))).send().await.unwrap();
            expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        }
    }
    // The last four-digit day works (its next day is in year 10000).
    let res = merchant.get(app.url("/api/merchant/settlement?from=9999-12-31&to=9999-12-31")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    for amount in [i64::MIN, i64::MAX, -10_000_001] {
        let res = ops
            .post(app.url("/api/admin/adjustments"))
            .header("Idempotency-Key", format!("adj-{amount}"))
            .json(&json!({ "member_id": 1, "amount": amount, "reason": "overflow" }))
            .send()
            .await
            .unwrap();
        expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }
    let member = app.login(2).await;
    let makeup = post(&member, &app, "/api/checkins/makeup", json!({ "date": "+262142-12-31" })).await;
    expect_error(makeup, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    // Decimals beyond 100 million yuan, up to rust_decimal's own limit.
    for paid in ["79228162514264337593543950335", "100000000.01", "-79228162514264337593543950335"] {
        let body = json!({ "purchase_id": format!("HUGE-{paid}"), "member_id": 2, "paid": paid }).to_string();
        expect_error(app.host("/api/hooks/purchase", &body, None).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        let quote = json!({ "member_id": 2, "order_amount": paid }).to_string();
        expect_error(app.host("/api/host/deductions/quote", &quote, None).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
            .await;
        let hold = json!({ "member_id": 2, "order_id": format!("H-{paid}"), "order_amount": paid, "points": 100 }).to_string();
        expect_error(app.host("/api/host/deductions", &hold, None).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }

    // Odds that would wrap around when added up.
    let prize = |bp: i64| json!({ "name": { "zh": "奖", "en": "Prize" }, "kind": "points", "points": 5, "probability_bp": bp, "stock": 1 });
    let lottery = json!({ "name": { "zh": "溢出", "en": "Overflow" }, "cost_points": 1, "draws_per_day": 1,
        "prizes": [prize(i64::MAX), prize(i64::MAX), prize(2)] });
    let res = ops.post(app.url("/api/admin/lotteries")).json(&lottery).send().await.unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    assert_eq!(app.client().get(app.url("/healthz")).send().await.unwrap().status(), StatusCode::OK);
    app.assert_ledger(1).await;
    app.assert_ledger(2).await;
}
