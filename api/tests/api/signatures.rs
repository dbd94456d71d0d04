//! Host signatures are bound to their call: a v2 signature covers the version, timestamp,
//! method, path, `Idempotency-Key` and body, so headers seen once (in a proxy's log, say)
//! do nothing on another path, method, id or key. A bare v1 signature is refused on the
//! calls without a body that names their target, and elsewhere unless `HOOK_ACCEPT_V1`;
//! `HOOK_SECRET_PREVIOUS` rotates the secret without downtime. On both engines.

use reqwest::{RequestBuilder, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{expect_error, json, sign_v2, spawn_app, spawn_app_with, TestApp};

/// A POST to `path` with the given headers and body, as a host (or someone who saw its
/// headers) would send it.
fn raw(app: &TestApp, path: &str, ts: i64, signature: &str, key: Option<&str>, body: &str) -> RequestBuilder {
    let mut req = reqwest::Client::new()
        .post(app.url(path))
        .header("content-type", "application/json")
        .header("x-mall-timestamp", ts.to_string())
        .header("x-mall-signature", signature)
        .body(body.to_string());
    if let Some(key) = key {
        req = req.header("idempotency-key", key);
    }
    req
}

/// A captured deduction of 1,500 points for a new member; returns (member, deduction id).
async fn captured(app: &TestApp, order: &str) -> (i64, i64) {
    let m = app.add_member(5_000, 0).await;
    let body = json!({ "member_id": m, "order_id": order, "order_amount": "120.00", "points": 1_500 }).to_string();
    let held = json(app.host("/api/host/deductions", &body, None).await).await;
    let id = held["id"].as_i64().unwrap();
    assert_eq!(app.host(&format!("/api/host/deductions/{id}/capture"), "", None).await.status(), StatusCode::OK);
    (m, id)
}

async fn balance(app: &TestApp, member: i64) -> i64 {
    let c = app.login(member).await;
    let me: Value = json(c.get(app.url("/api/me")).send().await.unwrap()).await;
    me["balance"].as_i64().unwrap()
}

#[tokio::test]
async fn a_capture_signature_replayed_on_another_call_is_refused() {
    let app = spawn_app().await;
    let (m, id) = captured(&app, "SIG-1").await;
    let after_capture = balance(&app, m).await;
    let ts = app.state.clock.now_secs();
    // The capture's headers as a proxy log shows them.
    let capture_path = format!("/api/host/deductions/{id}/capture");
    let seen = app.sign(ts, &capture_path, None, "");

    // On the refund path with a fresh key, on release, on another deduction: refused.
    let refund = raw(&app, &format!("/api/host/deductions/{id}/refund"), ts, &seen, Some("fresh-key"), "").send().await.unwrap();
    expect_error(refund, StatusCode::UNAUTHORIZED, "signature_invalid").await;
    let release = raw(&app, &format!("/api/host/deductions/{id}/release"), ts, &seen, None, "").send().await.unwrap();
    expect_error(release, StatusCode::UNAUTHORIZED, "signature_invalid").await;
    let (_, other) = captured(&app, "SIG-2").await;
    let elsewhere = raw(&app, &format!("/api/host/deductions/{other}/release"), ts, &seen, None, "").send().await.unwrap();
    expect_error(elsewhere, StatusCode::UNAUTHORIZED, "signature_invalid").await;
    assert_eq!(balance(&app, m).await, after_capture, "nothing was refunded");

    // The same headers on their own call: the first answer again (the replay rule).
    let again = raw(&app, &capture_path, ts, &seen, None, "").send().await.unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
}

#[tokio::test]
async fn a_v2_signature_covers_the_method_the_path_the_key_and_the_body() {
    let app = spawn_app().await;
    let (m, id) = captured(&app, "SIG-3").await;
    let path = format!("/api/host/deductions/{id}/refund");
    let body = r#"{"points":500}"#;
    let ts = app.state.clock.now_secs();
    let secret = app.state.config.hook_secret.clone();
    let refused = [
        ("another method", sign_v2(&secret, ts, "PUT", &path, Some("k1"), body), Some("k1"), body),
        ("another key", sign_v2(&secret, ts, "POST", &path, Some("k1"), body), Some("k2"), body),
        ("no key signed", sign_v2(&secret, ts, "POST", &path, None, body), Some("k1"), body),
        ("another body", sign_v2(&secret, ts, "POST", &path, Some("k1"), body), Some("k1"), r#"{"points":1500}"#),
        ("another version", sign_v2(&secret, ts, "POST", &path, Some("k1"), body).replace("v2=", "v3="), Some("k1"), body),
        ("not hex", "v2=zz".to_string(), Some("k1"), body),
    ];
    for (what, signature, key, sent) in refused {
        let res = raw(&app, &path, ts, &signature, key, sent).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{what}");
    }
    let before = balance(&app, m).await;
    let ok = raw(&app, &path, ts, &sign_v2(&secret, ts, "POST", &path, Some("k1"), body), Some("k1"), body).send().await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(balance(&app, m).await, before + 500);
    app.assert_ledger(m).await;
}

#[tokio::test]
async fn v1_is_refused_on_calls_without_a_body_and_elsewhere_unless_accepted_on_purpose() {
    for accept_v1 in [false, true] {
        let app = spawn_app_with(|c| c.hook_accept_v1 = accept_v1).await;
        let (_, id) = captured(&app, "SIG-4").await;
        let ts = app.state.clock.now_secs();
        // Never on capture, release or refund (their body does not name the deduction).
        for (path, key) in [("capture", None), ("release", None), ("refund", Some("k"))] {
            let res = raw(&app, &format!("/api/host/deductions/{id}/{path}"), ts, &app.sign_v1(ts, ""), key, "").send().await.unwrap();
            assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "v1 on {path}");
            let text = res.text().await.unwrap();
            assert!(text.contains("signature_invalid") && text.contains("v2"), "{text}");
        }
        // On a purchase report only with HOOK_ACCEPT_V1=true.
        let body = json!({ "purchase_id": "V1-P", "member_id": 2, "paid": "10.00" }).to_string();
        let res = raw(&app, "/api/hooks/purchase", ts, &app.sign_v1(ts, &body), None, &body).send().await.unwrap();
        let expected = if accept_v1 { StatusCode::CREATED } else { StatusCode::UNAUTHORIZED };
        assert_eq!(res.status(), expected, "v1 purchase with HOOK_ACCEPT_V1={accept_v1}");
    }
}

#[tokio::test]
async fn the_previous_secret_works_while_a_host_rotates() {
    let previous = "test-hook-secret-previous-0123";
    let app = spawn_app_with(|c| c.hook_secret_previous = Some(previous.into())).await;
    let ts = app.state.clock.now_secs();
    let path = "/api/hooks/purchase";
    let body = |id: &str| json!({ "purchase_id": id, "member_id": 2, "paid": "10.00" }).to_string();
    let old = raw(&app, path, ts, &sign_v2(previous, ts, "POST", path, None, &body("R-1")), None, &body("R-1")).send().await.unwrap();
    assert_eq!(old.status(), StatusCode::CREATED, "the previous secret");
    let new = raw(&app, path, ts, &app.sign(ts, path, None, &body("R-2")), None, &body("R-2")).send().await.unwrap();
    assert_eq!(new.status(), StatusCode::CREATED, "the new secret");
    let other = "some-other-secret-0123456789";
    let res = raw(&app, path, ts, &sign_v2(other, ts, "POST", path, None, &body("R-3")), None, &body("R-3")).send().await.unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "signature_invalid").await;
    // Without the previous secret configured, it is just another wrong secret.
    let plain = spawn_app().await;
    let ts = plain.state.clock.now_secs();
    let res = raw(&plain, path, ts, &sign_v2(previous, ts, "POST", path, None, &body("R-4")), None, &body("R-4")).send().await.unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "signature_invalid").await;
}
