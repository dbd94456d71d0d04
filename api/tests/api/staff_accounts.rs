//! The staff lifecycle: operators create, disable, re-enable, re-role and re-password
//! accounts (`/api/admin/staff`), a disabled account or a new password ends that
//! account's sessions at once, staff change their own password with the current one, an
//! operator cannot lock themselves out, and every change is in the audit log (never a
//! password hash). On both engines.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::{
    helpers::{expect_error, json, operator_client, post, spawn_app, TestApp},
    staff::staff,
};

async fn patch(c: &Client, app: &TestApp, path: &str, body: Value) -> reqwest::Response {
    c.patch(app.url(path)).json(&body).send().await.unwrap()
}

async fn sign_in(app: &TestApp, username: &str, password: &str) -> (StatusCode, Client) {
    let c = app.client();
    let res = post(&c, app, "/api/staff/session", json!({ "username": username, "password": password })).await;
    (res.status(), c)
}

async fn merchant_id(app: &TestApp, slug: &str) -> i64 {
    let merchants = json(operator_client(app).get(app.url("/api/admin/merchants")).send().await.unwrap()).await;
    merchants.as_array().unwrap().iter().find(|m| m["slug"] == slug).unwrap()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn operators_manage_accounts_and_a_disabled_account_is_out_at_once() {
    let app = spawn_app().await;
    let ops = staff(&app, "ops").await;
    let starbucks = merchant_id(&app, "starbucks").await;

    // Create a merchant account for a partner.
    let new = json!({ "username": "Counter.2", "password": "a long password", "role": "merchant",
        "merchant_id": starbucks, "display_name": "南京西路二号柜台" });
    let res = post(&ops, &app, "/api/admin/staff", new.clone()).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let created = json(res).await;
    assert_eq!(created["username"], "counter.2");
    assert_eq!(created["merchant"]["id"], starbucks);
    assert_eq!(created["disabled"], false);
    let id = created["id"].as_i64().unwrap();
    expect_error(post(&ops, &app, "/api/admin/staff", new).await, StatusCode::CONFLICT, "username_taken").await;
    let list = json(ops.get(app.url("/api/admin/staff")).send().await.unwrap()).await;
    let accounts = list["accounts"].as_array().unwrap();
    assert_eq!(accounts[0]["role"], "operator", "operators first: {list}");
    assert!(accounts.iter().any(|a| a["username"] == "counter.2"), "{list}");
    assert!(!list.to_string().contains("argon2"), "no hash is ever sent");

    // Refusals, each with its code.
    for (body, code) in [
        (json!({ "username": "x", "password": "a long password", "role": "operator" }), "validation_failed"),
        (json!({ "username": "short.pw", "password": "short", "role": "operator" }), "validation_failed"),
        (
            json!({ "username": "op.shop", "password": "a long password", "role": "operator", "merchant_id": starbucks }),
            "validation_failed",
        ),
        (json!({ "username": "no.shop", "password": "a long password", "role": "merchant" }), "validation_failed"),
        (json!({ "username": "ghost.shop", "password": "a long password", "role": "merchant", "merchant_id": 9_999 }), "validation_failed"),
        (
            json!({ "username": "bidi.name", "password": "a long password", "role": "operator", "display_name": "a\u{202e}b" }),
            "validation_failed",
        ),
    ] {
        expect_error(post(&ops, &app, "/api/admin/staff", body.clone()).await, StatusCode::UNPROCESSABLE_ENTITY, code).await;
    }
    expect_error(patch(&ops, &app, "/api/admin/staff/9999", json!({ "disabled": true })).await, StatusCode::NOT_FOUND, "not_found").await;

    // The new account signs in and works; disabling it ends its session at once.
    let (status, counter) = sign_in(&app, "counter.2", "a long password").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(counter.get(app.url("/api/merchant/codes")).send().await.unwrap().status(), StatusCode::OK);
    let disabled = json(patch(&ops, &app, &format!("/api/admin/staff/{id}"), json!({ "disabled": true })).await).await;
    assert_eq!(disabled["disabled"], true);
    expect_error(counter.get(app.url("/api/staff/me")).send().await.unwrap(), StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(counter.get(app.url("/api/merchant/codes")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(sign_in(&app, "counter.2", "a long password").await.0, StatusCode::UNAUTHORIZED, "a disabled account cannot sign in");

    // Enabled again with a new password (a forgotten one): the old one is gone.
    let change = json!({ "disabled": false, "password": "another long password" });
    assert_eq!(patch(&ops, &app, &format!("/api/admin/staff/{id}"), change).await.status(), StatusCode::OK);
    assert_eq!(sign_in(&app, "counter.2", "a long password").await.0, StatusCode::UNAUTHORIZED);
    let (status, counter) = sign_in(&app, "counter.2", "another long password").await;
    assert_eq!(status, StatusCode::OK);
    // Made an operator: the merchant goes, and its sessions end (its rights changed).
    let op = json(patch(&ops, &app, &format!("/api/admin/staff/{id}"), json!({ "role": "operator" })).await).await;
    assert_eq!((op["role"].as_str(), op["merchant"].is_null()), (Some("operator"), true), "{op}");
    assert_eq!(counter.get(app.url("/api/staff/me")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);

    // An operator cannot lock themselves out.
    let me = json(ops.get(app.url("/api/staff/me")).send().await.unwrap()).await;
    let own = format!("/api/admin/staff/{}", me["id"]);
    expect_error(patch(&ops, &app, &own, json!({ "disabled": true })).await, StatusCode::CONFLICT, "own_account").await;
    expect_error(
        patch(&ops, &app, &own, json!({ "role": "merchant", "merchant_id": starbucks })).await,
        StatusCode::CONFLICT,
        "own_account",
    )
    .await;
    // Merchants and members manage nothing.
    let merchant = staff(&app, "starbucks").await;
    assert_eq!(merchant.get(app.url("/api/admin/staff")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    let member = app.login(1).await;
    assert_eq!(post(&member, &app, "/api/admin/staff", json!({})).await.status(), StatusCode::FORBIDDEN);

    // Every change is audited, with who did it and never a hash.
    let audit = json(ops.get(app.url("/api/admin/audit")).send().await.unwrap()).await;
    let staff_entries: Vec<&Value> = audit["entries"].as_array().unwrap().iter().filter(|e| e["target_kind"] == "staff").collect();
    let actions: Vec<&str> = staff_entries.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["staff.update", "staff.update", "staff.update", "staff.create"], "{audit}");
    assert!(staff_entries.iter().all(|e| e["actor"] == "ops"), "{audit}");
    assert!(!audit.to_string().contains("argon2") && !audit.to_string().contains("long password"), "{audit}");
    // The automation token manages accounts too, audited as itself.
    let token = operator_client(&app);
    let res =
        post(&token, &app, "/api/admin/staff", json!({ "username": "night.ops", "password": "a long password", "role": "operator" })).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let audit = json(ops.get(app.url("/api/admin/audit")).send().await.unwrap()).await;
    assert_eq!(audit["entries"][0]["actor"], "token:operator", "{audit}");
}

#[tokio::test]
async fn staff_change_their_own_password_and_their_other_sessions_end() {
    let app = spawn_app().await;
    let desk = staff(&app, "wanda").await;
    let phone = staff(&app, "wanda").await;
    let change = |current: &str, new: &str| json!({ "current_password": current, "new_password": new });
    let wrong = post(&desk, &app, "/api/staff/password", change("not it at all", "a brand new password")).await;
    expect_error(wrong, StatusCode::UNPROCESSABLE_ENTITY, "current_password_wrong").await;
    let short = post(&desk, &app, "/api/staff/password", change("wanda-demo-2026", "short")).await;
    expect_error(short, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let same = post(&desk, &app, "/api/staff/password", change("wanda-demo-2026", "wanda-demo-2026")).await;
    expect_error(same, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    // Nothing changed so far: both sessions live.
    assert_eq!(phone.get(app.url("/api/staff/me")).send().await.unwrap().status(), StatusCode::OK);

    let res = post(&desk, &app, "/api/staff/password", change("wanda-demo-2026", "a brand new password")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["set-cookie"].to_str().unwrap().starts_with("mall_staff="), "a new session cookie");
    assert_eq!(json(res).await["username"], "wanda");
    // This session goes on (its new cookie); the other ended.
    assert_eq!(desk.get(app.url("/api/staff/me")).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(phone.get(app.url("/api/staff/me")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(sign_in(&app, "wanda", "wanda-demo-2026").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(sign_in(&app, "wanda", "a brand new password").await.0, StatusCode::OK);
    // Not signed in: nothing to change.
    let anon = post(&app.client(), &app, "/api/staff/password", change("a brand new password", "yet another password")).await;
    expect_error(anon, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let ops = staff(&app, "ops").await;
    let audit = json(ops.get(app.url("/api/admin/audit")).send().await.unwrap()).await;
    assert_eq!((audit["entries"][0]["action"].as_str(), audit["entries"][0]["actor"].as_str()), (Some("staff.password"), Some("wanda")));
}
