//! Browser security: headers on every answer, the Origin check on writes, and the
//! cross-site cookie a framing host app needs.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{expect_error, spawn_app, spawn_app_with};

#[tokio::test]
async fn every_answer_carries_nosniff_and_the_html_a_referrer_policy() {
    let app = spawn_app().await;
    for path in ["/api/items", "/api/me", "/api/no-such-path", "/healthz"] {
        let res = app.client().get(app.url(path)).send().await.unwrap();
        let headers = res.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert!(!headers.contains_key("referrer-policy"), "{path}: only documents use it");
    }
}

#[tokio::test]
async fn writes_from_another_origin_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let body = json!({ "member_id": 1 });
    let res = app.client().post(app.url("/api/session/demo")).header("origin", "https://evil.example").json(&body).send().await.unwrap();
    assert!(!res.headers().contains_key("set-cookie"), "no session for a foreign origin");
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;

    // The mall's own origin (as the browser sends it) and requests without Origin pass.
    let own = app.base.clone();
    let res = app.client().post(app.url("/api/session/demo")).header("origin", own).json(&body).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = app.client().post(app.url("/api/session/demo")).json(&body).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // Reads are never refused for their origin.
    let res = app.client().get(app.url("/api/items")).header("origin", "https://evil.example").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_listed_host_may_write_and_gets_a_cross_site_cookie() {
    let app = spawn_app_with(|c| {
        c.cookie_secure = true;
        c.host_origins = vec!["https://shop.example".into()];
    })
    .await;
    let res = app
        .client()
        .post(app.url("/api/session/demo"))
        .header("origin", "https://shop.example")
        .json(&json!({ "member_id": 1 }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("SameSite=None; Secure; Partitioned"), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    let res = app
        .client()
        .post(app.url("/api/session/demo"))
        .header("origin", "https://other.example")
        .json(&json!({ "member_id": 1 }))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;
}
