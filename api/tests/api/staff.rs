//! Staff who sign in as people: the demo accounts, sign-in (its limit is `sign_in.rs`),
//! roles, the audit log, member control (search, page, freeze and what a frozen member
//! may still do), partner merchants verifying only their own codes, the sales list with
//! edit and cancel, staff-scoped idempotency keys and the command line's `staff add`.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{expect_error, json, post, redeem, spawn_app, spawn_app_at, spawn_app_with, TestApp};

/// 2026-03-16 08:00 in Shanghai: before every demo slot of the day but the live one.
const MORNING: i64 = 1_773_619_200;

/// The demo password of `username` as `GET /api/demo/staff` lists it.
pub(crate) async fn demo_password(app: &TestApp, username: &str) -> String {
    let list = json(app.client().get(app.url("/api/demo/staff")).send().await.unwrap()).await;
    list.as_array().unwrap().iter().find(|s| s["username"] == username).unwrap()["password"].as_str().unwrap().to_string()
}

/// A client signed in as the demo staff account `username`.
pub(crate) async fn staff(app: &TestApp, username: &str) -> Client {
    let c = app.client();
    let password = demo_password(app, username).await;
    let res = post(&c, app, "/api/staff/session", json!({ "username": username, "password": password })).await;
    assert_eq!(res.status(), StatusCode::OK, "sign in as {username}");
    c
}

async fn get(c: &Client, app: &TestApp, path: &str) -> reqwest::Response {
    c.get(app.url(path)).send().await.unwrap()
}

#[tokio::test]
async fn demo_staff_sign_in_and_out() {
    let app = spawn_app().await;
    let list = json(get(&app.client(), &app, "/api/demo/staff").await).await;
    let roles: Vec<(&str, &str)> =
        list.as_array().unwrap().iter().map(|s| (s["username"].as_str().unwrap(), s["role"].as_str().unwrap())).collect();
    assert!(roles.contains(&("ops", "operator")), "{list}");
    let merchants = list.as_array().unwrap().iter().filter(|s| s["role"] == "merchant").count();
    assert!(merchants >= 2, "at least two partner merchants have accounts: {list}");

    let c = app.client();
    let password = demo_password(&app, "ops").await;
    let res = post(&c, &app, "/api/staff/session", json!({ "username": "OPS ", "password": password })).await;
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("mall_staff=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(cookie.contains("Max-Age=43200"), "12 hours: {cookie}");
    let me = json(get(&c, &app, "/api/staff/me").await).await;
    assert_eq!((me["username"].as_str(), me["role"].as_str()), (Some("ops"), Some("operator")));
    // A member session is not a staff session, and the other way round.
    expect_error(get(&app.login(1).await, &app, "/api/staff/me").await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    expect_error(get(&c, &app, "/api/me").await, StatusCode::UNAUTHORIZED, "unauthorized").await;

    assert_eq!(post(&c, &app, "/api/staff/logout", json!({})).await.status(), StatusCode::NO_CONTENT);
    expect_error(get(&c, &app, "/api/staff/me").await, StatusCode::UNAUTHORIZED, "unauthorized").await;

    for (username, password) in [("ops", "wrong-password"), ("nobody", "whatever-it-is")] {
        let res = post(&app.client(), &app, "/api/staff/session", json!({ "username": username, "password": password })).await;
        expect_error(res, StatusCode::UNAUTHORIZED, "staff_login_failed").await;
    }
}

#[tokio::test]
async fn the_demo_staff_list_is_off_without_the_demo_login() {
    let app = spawn_app_with(|c| c.demo_login = false).await;
    expect_error(get(&app.client(), &app, "/api/demo/staff").await, StatusCode::FORBIDDEN, "demo_login_disabled").await;
}

#[tokio::test]
async fn roles_keep_to_their_side() {
    let app = spawn_app().await;
    let member = app.login(1).await;
    let anonymous = app.client();
    let merchant = staff(&app, "luckin").await;
    let operator = staff(&app, "ops").await;
    for c in [&member, &anonymous, &merchant] {
        expect_error(get(c, &app, "/api/admin/members?q=1").await, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(get(c, &app, "/api/admin/audit").await, StatusCode::FORBIDDEN, "forbidden").await;
        let freeze = post(c, &app, "/api/admin/members/1/freeze", json!({ "reason": "x" })).await;
        expect_error(freeze, StatusCode::FORBIDDEN, "forbidden").await;
    }
    for c in [&member, &anonymous] {
        let verify = post(c, &app, "/api/merchant/verify", json!({ "code": "2345-6789-ABCD" })).await;
        expect_error(verify, StatusCode::FORBIDDEN, "forbidden").await;
    }
    // An operator verifies the shop's own codes (a typed code is checked first).
    let verify = post(&operator, &app, "/api/merchant/verify", json!({ "code": "2345-6789-ABCD" })).await;
    expect_error(verify, StatusCode::UNPROCESSABLE_ENTITY, "code_invalid").await;
    assert_eq!(get(&operator, &app, "/api/admin/merchants").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_operator_finds_a_member_and_freezes_it() {
    let app = spawn_app_at(Some(MORNING), |_| {}).await;
    let operator = staff(&app, "ops").await;
    let by_name = json(get(&operator, &app, "/api/admin/members?q=%E6%99%93%E9%9B%A8").await).await; // 晓雨
    assert_eq!(by_name["members"][0]["id"], 1, "{by_name}");
    let by_id = json(get(&operator, &app, "/api/admin/members?q=2").await).await;
    assert!(by_id["members"].as_array().unwrap().iter().any(|m| m["id"] == 2), "{by_id}");
    let by_en = json(get(&operator, &app, "/api/admin/members?q=wang").await).await;
    assert_eq!(by_en["members"][0]["id"], 2, "{by_en}");
    expect_error(get(&operator, &app, "/api/admin/members?q=%20").await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    let page = json(get(&operator, &app, "/api/admin/members/2").await).await;
    let me = json(get(&app.login(2).await, &app, "/api/me").await).await;
    assert_eq!(page["balance"], me["balance"], "the member page shows the balance the member sees");
    assert!(!page["lots"].as_array().unwrap().is_empty() && !page["history"].as_array().unwrap().is_empty(), "{page}");
    expect_error(get(&operator, &app, "/api/admin/members/999999").await, StatusCode::NOT_FOUND, "member_not_found").await;

    // Frozen: spending is refused with the reason; earning, check-in and cancel still work.
    let member = app.login(2).await;
    let item = app
        .scalar(
            "SELECT MIN(id) FROM items WHERE kind = 'physical' AND cash_fen IS NULL AND stock > 0 AND min_tier IS NULL AND points < $1",
            5_000,
        )
        .await;
    let order = json(redeem(&member, &app, item, 1, "before-freeze").await).await;
    let bad = post(&operator, &app, "/api/admin/members/2/freeze", json!({ "reason": "" })).await;
    expect_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let frozen = json(post(&operator, &app, "/api/admin/members/2/freeze", json!({ "reason": "可疑刷单 / suspected abuse" })).await).await;
    assert_eq!(frozen["frozen"], "可疑刷单 / suspected abuse");
    let refused = expect_error(redeem(&member, &app, item, 1, "while-frozen").await, StatusCode::FORBIDDEN, "member_frozen").await;
    assert_eq!(refused["error"]["details"]["reason"], "可疑刷单 / suspected abuse", "{refused}");
    let makeup = post(&member, &app, "/api/checkins/makeup", json!({ "date": "2026-03-10" })).await;
    expect_error(makeup, StatusCode::FORBIDDEN, "member_frozen").await;
    assert_eq!(post(&member, &app, "/api/checkins", json!({})).await.status(), StatusCode::CREATED, "a frozen member still checks in");
    let cancel = post(&member, &app, &format!("/api/orders/{}/cancel", order["id"]), json!({})).await;
    assert_eq!(cancel.status(), StatusCode::OK, "and cancels its orders");
    assert_eq!(json(get(&operator, &app, "/api/admin/members/2").await).await["frozen"], "可疑刷单 / suspected abuse");

    let thawed = json(post(&operator, &app, "/api/admin/members/2/unfreeze", json!({})).await).await;
    assert_eq!(thawed["frozen"], Value::Null);
    assert_eq!(redeem(&member, &app, item, 1, "after-unfreeze").await.status(), StatusCode::CREATED);
    app.assert_ledger(2).await;

    let audit = json(get(&operator, &app, "/api/admin/audit").await).await;
    let actions: Vec<&str> = audit["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(&actions[..2], ["member.unfreeze", "member.freeze"], "{audit}");
    let freeze = &audit["entries"][1];
    assert_eq!((freeze["actor"].as_str(), freeze["target_id"].as_str()), (Some("ops"), Some("2")));
    let before: Value = serde_json::from_str(freeze["before"].as_str().unwrap()).unwrap();
    let after: Value = serde_json::from_str(freeze["after"].as_str().unwrap()).unwrap();
    assert_eq!((before["frozen"].clone(), after["frozen"].clone()), (Value::Null, json!("可疑刷单 / suspected abuse")));
}

#[tokio::test]
async fn a_frozen_member_cannot_grab() {
    let app = spawn_app().await;
    let operator = staff(&app, "ops").await;
    post(&operator, &app, "/api/admin/members/3/freeze", json!({ "reason": "on hold" })).await;
    let live = app.scalar("SELECT id FROM sales WHERE offer_key = 'coffee-live' AND $1 > 0", 1).await;
    let res = app.login(3).await.post(app.url(&format!("/api/sales/{live}/grab"))).header("Idempotency-Key", "g").send().await.unwrap();
    expect_error(res, StatusCode::FORBIDDEN, "member_frozen").await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM codes WHERE member_id = $1", 3).await, 0);
}

#[tokio::test]
async fn merchants_verify_only_their_own_codes() {
    let app = spawn_app().await;
    let live = app.scalar("SELECT id FROM sales WHERE offer_key = 'coffee-live' AND $1 > 0", 1).await;
    let member = app.login(1).await;
    let grab = member.post(app.url(&format!("/api/sales/{live}/grab"))).header("Idempotency-Key", "g").send().await.unwrap();
    let code = json(grab).await["code"]["code"].as_str().unwrap().to_string();

    let other = staff(&app, "starbucks").await;
    let refused = post(&other, &app, "/api/merchant/verify", json!({ "code": code })).await;
    expect_error(refused, StatusCode::FORBIDDEN, "code_of_other_merchant").await;
    let status = app.rows("SELECT COUNT(*) FROM codes WHERE status = 'issued' AND member_id = $1", &[1]).await[0][0];
    assert_eq!(status, 1, "nothing changed");

    let own = staff(&app, "luckin").await;
    let ok = json(post(&own, &app, "/api/merchant/verify", json!({ "code": code })).await).await;
    assert_eq!(ok["used_by"], "瑞幸咖啡");
    expect_error(post(&own, &app, "/api/merchant/verify", json!({ "code": code })).await, StatusCode::CONFLICT, "code_used").await;
    let audit = json(get(&staff(&app, "ops").await, &app, "/api/admin/audit").await).await;
    let entry = &audit["entries"][0];
    assert_eq!((entry["action"].as_str(), entry["actor"].as_str()), (Some("code.verify"), Some("luckin")), "{audit}");
}

#[tokio::test]
async fn the_sales_list_edit_and_cancel() {
    let app = spawn_app_at(Some(MORNING), |_| {}).await;
    let operator = staff(&app, "ops").await;
    let list = json(get(&operator, &app, "/api/admin/sales?from=2026-03-16&to=2026-03-16").await).await;
    let sales = list["sales"].as_array().unwrap();
    assert_eq!(sales.len(), 4, "{list}");
    let names: Vec<&str> = sales.iter().map(|s| s["merchant"]["name"]["en"].as_str().unwrap()).collect();
    assert!(names.contains(&"Starbucks") && names.contains(&"Luckin Coffee"), "{names:?}");
    for bad in ["from=2026-03-17&to=2026-03-16", "from=2026-03-16&to=tomorrow", "from=2026-01-01&to=2026-12-31"] {
        let res = get(&operator, &app, &format!("/api/admin/sales?{bad}")).await;
        expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }

    let latte = sales.iter().find(|s| s["offer_key"] == "latte").unwrap()["id"].as_i64().unwrap();
    let edit = |body: Value, id: i64| operator.patch(app.url(&format!("/api/admin/sales/{id}"))).json(&body).send();
    let edited = json(edit(json!({ "points": 650, "quantity": 40 }), latte).await.unwrap()).await;
    assert_eq!((edited["points"].as_i64(), edited["quantity"].as_i64()), (Some(650), Some(40)), "{edited}");
    let live = sales.iter().find(|s| s["offer_key"] == "coffee-live").unwrap()["id"].as_i64().unwrap();
    expect_error(edit(json!({ "points": 1 }), live).await.unwrap(), StatusCode::CONFLICT, "sale_started").await;
    let bad = edit(json!({ "quantity": 0 }), latte).await.unwrap();
    expect_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    // Cancel the live sale after one grab: no further grabs, the code still verifies.
    let member = app.login(1).await;
    let grab = |c: &Client, key: &'static str| c.post(app.url(&format!("/api/sales/{live}/grab"))).header("Idempotency-Key", key).send();
    let code = json(grab(&member, "first").await.unwrap()).await["code"]["code"].as_str().unwrap().to_string();
    let cancelled = json(post(&operator, &app, &format!("/api/admin/sales/{live}/cancel"), json!({})).await).await;
    assert!(cancelled["cancelled_at"].is_string() && cancelled["sold"] == 1, "{cancelled}");
    expect_error(grab(&app.login(2).await, "late").await.unwrap(), StatusCode::CONFLICT, "sale_cancelled").await;
    let again = post(&operator, &app, &format!("/api/admin/sales/{live}/cancel"), json!({})).await;
    expect_error(again, StatusCode::CONFLICT, "sale_cancelled").await;
    assert_eq!(post(&staff(&app, "luckin").await, &app, "/api/merchant/verify", json!({ "code": code })).await.status(), StatusCode::OK);
    let listed = json(get(&operator, &app, "/api/admin/sales?from=2026-03-16&to=2026-03-16").await).await;
    let row = listed["sales"].as_array().unwrap().iter().find(|s| s["id"] == live).unwrap().clone();
    assert_eq!((row["sold"].as_i64(), row["verified"].as_i64()), (Some(1), Some(1)), "{row}");
    let today = json(get(&member, &app, "/api/sales").await).await;
    assert!(!today.to_string().contains("\"coffee-live\""), "members no longer see a cancelled sale");
    let actions: Vec<String> = json(get(&operator, &app, "/api/admin/audit").await).await["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect();
    assert!(actions.contains(&"sale.cancel".into()) && actions.contains(&"sale.edit".into()), "{actions:?}");
}

#[tokio::test]
async fn a_sale_names_an_existing_merchant() {
    let app = spawn_app().await;
    let operator = staff(&app, "ops").await;
    let now = app.state.clock.now_secs();
    let body = |merchant: i64| {
        json!({ "offer_key": "m", "offer": {"zh": "券", "en": "V"}, "merchant_id": merchant, "image": "/img/a.svg",
                "points": 10, "quantity": 5, "starts_at": now + 3600, "ends_at": now + 7200 })
    };
    expect_error(post(&operator, &app, "/api/admin/sales", body(999)).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let merchants = json(get(&operator, &app, "/api/admin/merchants").await).await;
    let wanda = merchants.as_array().unwrap().iter().find(|m| m["slug"] == "wanda").unwrap()["id"].as_i64().unwrap();
    assert_eq!(post(&operator, &app, "/api/admin/sales", body(wanda)).await.status(), StatusCode::CREATED);
    let audit = json(get(&operator, &app, "/api/admin/audit").await).await;
    assert_eq!(audit["entries"][0]["action"], "sale.schedule");
}

#[tokio::test]
async fn staff_idempotency_keys_belong_to_the_staff_member() {
    let app = spawn_app().await;
    let operator = staff(&app, "ops").await;
    let adjust = |c: &Client, key: &'static str, amount: i64| {
        c.post(app.url("/api/admin/adjustments"))
            .header("Idempotency-Key", key)
            .json(&json!({ "member_id": 4, "amount": amount, "reason": "goodwill" }))
            .send()
    };
    let first = adjust(&operator, "k1", 100).await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let replay = adjust(&operator, "k1", 100).await.unwrap();
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    expect_error(adjust(&operator, "k1", 200).await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused").await;
    // The automation token has its own keys: the same key is a new request there.
    let token = reqwest::Client::new();
    let res = token
        .post(app.url("/api/admin/adjustments"))
        .bearer_auth(app.state.config.operator_token.clone().unwrap())
        .header("Idempotency-Key", "k1")
        .json(&json!({ "member_id": 4, "amount": 100, "reason": "goodwill" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    assert!(!res.headers().contains_key("idempotent-replayed"));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM history WHERE member_id = $1 AND kind = 'adjustment'", 4).await, 2);
    let audit = json(get(&operator, &app, "/api/admin/audit").await).await;
    let actors: Vec<&str> = audit["entries"].as_array().unwrap().iter().map(|e| e["actor"].as_str().unwrap()).collect();
    assert_eq!(&actors[..2], ["token:operator", "ops"], "{audit}");
    app.assert_ledger(4).await;
}

#[tokio::test]
async fn the_first_operator_comes_from_the_command_line() {
    let app = spawn_app().await;
    let add = |args: &[&str], password: &str| {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mall-api"))
            .args(["staff", "add"])
            .args(args)
            .env("DATABASE_URL", &app.state.config.database_url)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    assert_eq!(add(&["--username", "Head.Office", "--role", "operator", "--name", "总部"], "a long password").0, Some(0));
    let (code, stderr) = add(&["--username", "head.office", "--role", "operator"], "another long one");
    assert_eq!(code, Some(2), "taken: {stderr}");
    let (code, stderr) = add(&["--username", "shop", "--role", "merchant", "--merchant", "nope"], "a long password");
    assert_eq!(code, Some(2), "unknown merchant: {stderr}");
    let (code, stderr) = add(&["--username", "x y", "--role", "operator"], "a long password");
    assert!(code == Some(2) && stderr.contains("username"), "{stderr}");
    assert_eq!(add(&["--username", "short", "--role", "operator"], "short").0, Some(2));
    assert_eq!(add(&["--role", "operator"], "a long password").0, Some(2));

    let c = app.client();
    let res = post(&c, &app, "/api/staff/session", json!({ "username": "head.office", "password": "a long password" })).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(json(get(&c, &app, "/api/staff/me").await).await["display_name"], "总部");
}
