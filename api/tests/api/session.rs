//! Demo login, host tickets (every refusal), me, logout, health and time.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{expect_error, json, spawn_app, TestApp};

pub(crate) fn sign(app: &TestApp, member_id: i64, expires_at: i64) -> String {
    mall_api::routes::session::sign_ticket(&app.state.config.ticket_secret, member_id, expires_at)
}

#[tokio::test]
async fn health_time_and_demo_members() {
    let app = spawn_app().await;
    let c = app.client();
    let health = json(c.get(app.url("/healthz")).send().await.unwrap()).await;
    assert_eq!(health["status"], "ok");
    let time = json(c.get(app.url("/api/time")).send().await.unwrap()).await;
    assert_eq!(time["zone"], "Asia/Shanghai");
    assert!(time["now"].as_str().unwrap().ends_with("+08:00"));
    let members = json(c.get(app.url("/api/demo/members")).send().await.unwrap()).await;
    assert!(members.as_array().unwrap().len() >= 6);
}

#[tokio::test]
async fn demo_login_sets_an_httponly_cookie_and_me_answers() {
    let app = spawn_app().await;
    let c = app.client();
    let res = c.post(app.url("/api/session/demo")).json(&json!({"member_id": 1})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let me = json(c.get(app.url("/api/me")).send().await.unwrap()).await;
    assert_eq!(me["id"], 1);
    assert_eq!(me["tier"], "gold");
    assert_eq!(me["balance"], 8_595);
    // Member 1 holds lots earned 345–352 days ago: they expire within 30 days.
    assert!(me["expiring_soon"].as_i64().unwrap() > 0);
    assert!(me["expiring_on"].as_str().is_some());
}

#[tokio::test]
async fn me_without_or_with_a_bad_cookie_is_401() {
    let app = spawn_app().await;
    let c = reqwest::Client::new();
    expect_error(c.get(app.url("/api/me")).send().await.unwrap(), StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = c.get(app.url("/api/me")).header("cookie", "mall_session=forged-token").send().await.unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = c.get(app.url("/api/me")).header("cookie", format!("mall_session={}", "x".repeat(5000))).send().await.unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn demo_login_of_unknown_member_is_404() {
    let app = spawn_app().await;
    let res = app.client().post(app.url("/api/session/demo")).json(&json!({"member_id": 999})).send().await.unwrap();
    expect_error(res, StatusCode::NOT_FOUND, "member_not_found").await;
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = spawn_app().await;
    let c = app.login(2).await;
    let res = c.post(app.url("/api/logout")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    expect_error(c.get(app.url("/api/me")).send().await.unwrap(), StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn ticket_exchange_logs_in_once() {
    let app = spawn_app().await;
    let exp = app.state.clock.now_secs() + 120;
    let ticket = json!({"member_id": 3, "expires_at": exp, "signature": sign(&app, 3, exp)});
    let c = app.client();
    let res = c.post(app.url("/api/session/exchange")).json(&ticket).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(json(c.get(app.url("/api/me")).send().await.unwrap()).await["id"], 3);
    // The same ticket again is a replay.
    let res = app.client().post(app.url("/api/session/exchange")).json(&ticket).send().await.unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "ticket_replayed").await;
}

#[tokio::test]
async fn ticket_refusals() {
    let app = spawn_app().await;
    let now = app.state.clock.now_secs();
    let c = app.client();
    let post = |body: serde_json::Value| c.post(app.url("/api/session/exchange")).json(&body).send();

    // Tampered: signature for member 3 presented for member 2.
    let exp = now + 60;
    let res = post(json!({"member_id": 2, "expires_at": exp, "signature": sign(&app, 3, exp)})).await.unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "ticket_invalid").await;
    // Not hex at all.
    let res = post(json!({"member_id": 2, "expires_at": exp, "signature": "zz"})).await.unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "ticket_invalid").await;
    // Expired.
    let old = now - 1;
    let res = post(json!({"member_id": 2, "expires_at": old, "signature": sign(&app, 2, old)})).await.unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "ticket_expired").await;
    // Lives too long.
    let far = now + 86_400;
    let res = post(json!({"member_id": 2, "expires_at": far, "signature": sign(&app, 2, far)})).await.unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "ticket_expired").await;
    // Not a member id.
    let res = post(json!({"member_id": -1, "expires_at": exp, "signature": sign(&app, -1, exp)})).await.unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    // Missing field.
    let res = post(json!({"member_id": 2, "expires_at": exp})).await.unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
}

#[tokio::test]
async fn a_new_host_member_gets_the_register_bonus_once() {
    let app = spawn_app().await;
    let now = app.state.clock.now_secs();
    for (i, exp) in [now + 60, now + 61].into_iter().enumerate() {
        let c = app.client();
        let res = c
            .post(app.url("/api/session/exchange"))
            .json(&json!({"member_id": 4242, "expires_at": exp, "signature": sign(&app, 4242, exp)}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "login {i}");
        let me = json(c.get(app.url("/api/me")).send().await.unwrap()).await;
        assert_eq!(me["balance"], 500, "one register bonus after login {i}");
        assert_eq!(me["growth"], 50);
    }
    app.assert_ledger(4242).await;
}
