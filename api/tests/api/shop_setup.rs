//! Shop set-up by operators: categories (created, renamed, moved, hidden from members),
//! partner merchants (created with their accounts, changed, deactivated and back), each
//! code's settlement value fixed when it is issued, the shop's own codes verified by
//! operators, and the lists of lotteries and causes with their counts. Every write is in
//! the audit log; every refusal has its code.

use chrono::TimeZone;
use futures::future::join_all;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::{
    helpers::{address_of, expect_error, json, operator_client, post, redeem, spawn_app_at, TestApp},
    staff::staff,
};

/// 2030-01-16 12:00 in Shanghai.
fn noon() -> i64 {
    chrono::Utc.with_ymd_and_hms(2030, 1, 16, 4, 0, 0).unwrap().timestamp()
}

async fn get(c: &Client, app: &TestApp, path: &str) -> Value {
    let res = c.get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "GET {path}");
    json(res).await
}

async fn patch(c: &Client, app: &TestApp, path: &str, body: Value) -> reqwest::Response {
    c.patch(app.url(path)).json(&body).send().await.unwrap()
}

/// The audit log's actions, newest first.
async fn audited(app: &TestApp) -> Vec<String> {
    let page = get(&operator_client(app), app, "/api/admin/audit?limit=50").await;
    page["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_string()).collect()
}

/// Today's date in the shop's zone.
fn today(app: &TestApp) -> String {
    app.state.config.zone.timestamp_opt(app.state.clock.now_secs(), 0).unwrap().format("%Y-%m-%d").to_string()
}

fn ids(list: &Value, key: &str) -> Vec<i64> {
    list[key].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect()
}

fn voucher(category: &str, merchant_id: Option<i64>, name: &str) -> Value {
    json!({
        "category": category, "kind": "virtual", "name": {"zh": name, "en": name},
        "description": {"zh": "测试", "en": "Test"}, "image": "/img/items/luckin-voucher.svg",
        "points": 100, "cash": null, "stock": 50, "per_member_limit": 5, "min_tier": null, "merchant_id": merchant_id
    })
}

fn sale(merchant_id: i64, key: &str, starts_at: i64) -> Value {
    json!({
        "offer_key": key, "offer": {"zh": "测试券", "en": "Test voucher"}, "merchant_id": merchant_id,
        "image": "/img/items/luckin-voucher.svg", "points": 50, "quantity": 10, "per_member_limit": 5,
        "starts_at": starts_at, "ends_at": starts_at + 3_600
    })
}

async fn grab(c: &Client, app: &TestApp, sale: i64, key: &str) -> reqwest::Response {
    c.post(app.url(&format!("/api/sales/{sale}/grab"))).header("Idempotency-Key", key).send().await.unwrap()
}

async fn verify(c: &Client, app: &TestApp, code: &str) -> reqwest::Response {
    post(c, app, "/api/merchant/verify", json!({ "code": code })).await
}

#[tokio::test]
async fn categories_are_created_renamed_moved_and_hidden_from_members() {
    let app = spawn_app_at(Some(noon()), |_| {}).await;
    let op = operator_client(&app);
    let before = get(&op, &app, "/api/admin/categories").await;
    let listed = before["categories"].as_array().unwrap();
    assert_eq!(listed.len(), 6, "the demo's six: {before}");
    let home = listed.iter().find(|c| c["slug"] == "home").unwrap();
    assert_eq!((home["hidden"].as_bool(), home["items"].as_i64()), (Some(false), Some(4)), "{home}");
    let last = listed.iter().map(|c| c["position"].as_i64().unwrap()).max().unwrap();

    // Created after the last; a taken slug is 409; every rule is 422.
    let res = post(&op, &app, "/api/admin/categories", json!({"slug": "seasonal", "name": {"zh": "当季精选", "en": "Seasonal"}})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let made = json(res).await;
    let id = made["id"].as_i64().unwrap();
    assert_eq!(
        (made["position"].as_i64(), made["hidden"].as_bool(), made["items"].as_i64()),
        (Some(last + 1), Some(false), Some(0)),
        "{made}"
    );
    for taken in ["seasonal", "home"] {
        let res = post(&op, &app, "/api/admin/categories", json!({"slug": taken, "name": {"zh": "重复", "en": "Again"}})).await;
        expect_error(res, StatusCode::CONFLICT, "slug_taken").await;
    }
    for bad in [
        json!({"slug": "S", "name": {"zh": "短", "en": "Short"}}),
        json!({"slug": "with space", "name": {"zh": "名", "en": "Name"}}),
        json!({"slug": "ok-slug", "name": {"zh": "", "en": "Name"}}),
        json!({"slug": "ok-slug", "name": {"zh": "名".repeat(21), "en": "Name"}}),
        json!({"slug": "ok-slug", "name": {"zh": "名\u{202e}", "en": "Name"}}),
        json!({"slug": "ok-slug", "name": {"zh": "名", "en": "Name"}, "position": -1}),
        json!({"slug": "ok-slug", "name": {"zh": "名", "en": "Name"}, "hidden": true}),
    ] {
        expect_error(post(&op, &app, "/api/admin/categories", bad.clone()).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
            .await;
    }
    // An item in it (an item in a category that does not exist stays a clear refusal).
    expect_error(
        post(&op, &app, "/api/admin/items", voucher("nowhere", None, "无处")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let res = post(&op, &app, "/api/admin/items", voucher("seasonal", None, "当季礼券")).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let item = json(res).await["id"].as_i64().unwrap();

    // Members see it, and the item in it, in the list and the search.
    let member = app.login(2).await;
    let slugs = |v: &Value| v.as_array().unwrap().iter().map(|c| c["slug"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert_eq!(slugs(&get(&member, &app, "/api/categories").await).last().map(String::as_str), Some("seasonal"));
    assert_eq!(ids(&get(&member, &app, "/api/items?category=seasonal").await, "items"), vec![item]);
    assert_eq!(ids(&get(&member, &app, "/api/items?q=%E5%BD%93%E5%AD%A3").await, "items"), vec![item]);

    // Renamed and moved first.
    let res =
        patch(&op, &app, &format!("/api/admin/categories/{id}"), json!({"name": {"zh": "季节限定", "en": "In season"}, "position": -0}))
            .await;
    assert_eq!(res.status(), StatusCode::OK);
    let moved = json(res).await;
    assert_eq!(
        (moved["slug"].as_str(), moved["name"]["en"].as_str(), moved["items"].as_i64()),
        (Some("seasonal"), Some("In season"), Some(1))
    );
    let order = get(&op, &app, "/api/admin/categories").await;
    assert_eq!(order["categories"][0]["slug"], "coupons", "position 0 twice: by id then");
    assert_eq!(order["categories"][1]["slug"], "seasonal", "{order}");
    assert_eq!(slugs(&get(&member, &app, "/api/categories").await)[1], "seasonal");

    // Hidden: out of the members' categories, lists and search; its page still opens and
    // its item is still redeemable by id (hiding takes it out of sight, not off sale).
    let res = patch(&op, &app, &format!("/api/admin/categories/{id}"), json!({"hidden": true})).await;
    assert_eq!(json(res).await["hidden"], true);
    assert!(!slugs(&get(&member, &app, "/api/categories").await).contains(&"seasonal".to_string()));
    assert!(ids(&get(&member, &app, "/api/items?category=seasonal").await, "items").is_empty());
    assert!(ids(&get(&member, &app, "/api/items?q=%E5%BD%93%E5%AD%A3").await, "items").is_empty());
    let all = get(&member, &app, "/api/items?limit=50&sort=newest").await;
    assert!(!ids(&all, "items").contains(&item), "{all}");
    assert_eq!(get(&member, &app, &format!("/api/items/{item}")).await["id"], item);
    assert_eq!(redeem(&member, &app, item, 1, "hidden-item").await.status(), StatusCode::CREATED);
    let hidden = get(&op, &app, "/api/admin/categories").await;
    assert!(hidden["categories"].as_array().unwrap().iter().any(|c| c["slug"] == "seasonal" && c["hidden"] == true), "operators see it");
    // Shown again.
    assert_eq!(patch(&op, &app, &format!("/api/admin/categories/{id}"), json!({"hidden": false})).await.status(), StatusCode::OK);
    assert_eq!(ids(&get(&member, &app, "/api/items?category=seasonal").await, "items"), vec![item]);

    // Refusals of a change: unknown id, the slug (never changes), bad values; only operators.
    expect_error(patch(&op, &app, "/api/admin/categories/999", json!({"hidden": true})).await, StatusCode::NOT_FOUND, "not_found").await;
    for bad in [json!({"slug": "renamed"}), json!({"name": {"zh": " ", "en": "x"}}), json!({"position": 1_000_001})] {
        expect_error(
            patch(&op, &app, &format!("/api/admin/categories/{id}"), bad).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    }
    let merchant = staff(&app, "luckin").await;
    for c in [&member, &merchant, &app.client()] {
        expect_error(c.get(app.url("/api/admin/categories")).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
        let res = post(c, &app, "/api/admin/categories", json!({"slug": "x-y", "name": {"zh": "名", "en": "N"}})).await;
        expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(
            patch(c, &app, &format!("/api/admin/categories/{id}"), json!({"hidden": true})).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    let actions = audited(&app).await;
    assert_eq!(actions.iter().filter(|a| *a == "category.update").count(), 3, "{actions:?}");
    assert!(actions.contains(&"category.create".to_string()), "{actions:?}");
}

#[tokio::test]
async fn a_merchant_is_created_with_its_account_changed_deactivated_and_brought_back() {
    let app = spawn_app_at(Some(noon()), |_| {}).await;
    let op = operator_client(&app);
    let new = json!({
        "slug": "teahouse", "name": {"zh": "喜茶", "en": "Heytea"}, "logo": "/img/items/luckin-voucher.svg",
        "address": {"zh": "上海市黄浦区", "en": "Huangpu, Shanghai"}, "settlement": "3.50"
    });
    let res = post(&op, &app, "/api/admin/merchants", new.clone()).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let made = json(res).await;
    let id = made["id"].as_i64().unwrap();
    assert_eq!(
        (made["active"].as_bool(), made["settlement"].as_str(), made["offer_settlement"].as_str()),
        (Some(true), Some("3.50"), Some("0.00")),
        "{made}"
    );
    expect_error(post(&op, &app, "/api/admin/merchants", new.clone()).await, StatusCode::CONFLICT, "slug_taken").await;
    let with = |field: &str, value: Value| {
        let mut body = new.clone();
        body["slug"] = json!("other-shop");
        body[field] = value;
        body
    };
    for bad in [
        with("slug", json!("Other")),
        with("name", json!({"zh": "", "en": "x"})),
        with("name", json!({"zh": "名".repeat(41), "en": "x"})),
        with("address", json!({"zh": "路".repeat(121), "en": ""})),
        with("logo", json!("https://evil.example/logo.png")),
        with("logo", json!("/media/0123456789abcdef0123456789abcdef.png")),
        with("settlement", json!("10000.01")),
        with("settlement", json!("-1")),
        with("offer_settlement", json!("10000.01")),
    ] {
        expect_error(post(&op, &app, "/api/admin/merchants", bad.clone()).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
            .await;
    }
    let listed = get(&op, &app, "/api/admin/merchants").await;
    assert!(listed.as_array().unwrap().iter().any(|m| m["slug"] == "teahouse" && m["active"] == true), "{listed}");

    // Its account, made with the staff API, signs in as that merchant.
    let account = json!({"username": "heytea", "password": "a long heytea password", "role": "merchant", "merchant_id": id});
    assert_eq!(post(&op, &app, "/api/admin/staff", account).await.status(), StatusCode::CREATED);
    let shop = app.client();
    let res = post(&shop, &app, "/api/staff/session", json!({"username": "heytea", "password": "a long heytea password"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(json(res).await["merchant"]["id"], id);

    // A voucher of it and a sale of it, live now; a member buys one of each.
    let res = post(&op, &app, "/api/admin/items", voucher("coupons", Some(id), "喜茶券")).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let item = json(res).await["id"].as_i64().unwrap();
    let res = post(&op, &app, "/api/admin/sales", sale(id, "heytea-now", noon())).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let sale_id = json(res).await.as_i64().unwrap();
    let member = app.login(2).await;
    assert!(ids(&get(&member, &app, "/api/items?category=coupons&limit=50").await, "items").contains(&item));
    assert!(ids(&get(&member, &app, "/api/sales").await, "sales").contains(&sale_id));
    let bought = json(redeem(&member, &app, item, 1, "heytea-1").await).await["code"].as_str().unwrap().to_string();
    let grabbed = json(grab(&member, &app, sale_id, "heytea-g").await).await["code"]["code"].as_str().unwrap().to_string();
    // A merchant proposes an offer before it is deactivated.
    let start = app.state.config.zone.timestamp_opt(noon() + 7_200, 0).unwrap().to_rfc3339();
    let end = app.state.config.zone.timestamp_opt(noon() + 9_000, 0).unwrap().to_rfc3339();
    let offer = json!({"offer_zh": "免费小杯", "offer_en": "Free small tea", "quantity": 5, "starts_at": start, "ends_at": end});
    let res = post(&shop, &app, "/api/merchant/offers", offer).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let offer_id = json(res).await["id"].as_i64().unwrap();

    // Changed: names and values; the slug never changes.
    let res = patch(
        &op,
        &app,
        &format!("/api/admin/merchants/{id}"),
        json!({"name": {"zh": "喜茶 HEYTEA", "en": "HEYTEA"}, "offer_settlement": "0.50"}),
    )
    .await;
    let changed = json(res).await;
    assert_eq!(
        (changed["name"]["en"].as_str(), changed["offer_settlement"].as_str(), changed["slug"].as_str()),
        (Some("HEYTEA"), Some("0.50"), Some("teahouse"))
    );
    for bad in [json!({"slug": "x"}), json!({"settlement": "99999"}), json!({"logo": "javascript:alert(1)"})] {
        expect_error(
            patch(&op, &app, &format!("/api/admin/merchants/{id}"), bad).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    }
    expect_error(patch(&op, &app, "/api/admin/merchants/999", json!({"active": false})).await, StatusCode::NOT_FOUND, "not_found").await;

    // Deactivated.
    let res = patch(&op, &app, &format!("/api/admin/merchants/{id}"), json!({"active": false})).await;
    assert_eq!(json(res).await["active"], false);
    let listed = get(&op, &app, "/api/admin/merchants").await;
    assert!(listed.as_array().unwrap().iter().any(|m| m["id"] == id && m["active"] == false), "still listed: {listed}");
    // Its voucher and its sale leave the members' lists and cannot be bought.
    assert!(!ids(&get(&member, &app, "/api/items?category=coupons&limit=50").await, "items").contains(&item));
    assert!(!ids(&get(&member, &app, "/api/sales").await, "sales").contains(&sale_id));
    expect_error(redeem(&member, &app, item, 1, "heytea-2").await, StatusCode::CONFLICT, "merchant_inactive").await;
    expect_error(grab(&member, &app, sale_id, "heytea-g2").await, StatusCode::CONFLICT, "merchant_inactive").await;
    // Nothing new may name it: a sale, a voucher, a voucher changed to it, an approved offer.
    expect_error(
        post(&op, &app, "/api/admin/sales", sale(id, "heytea-later", noon() + 3_600)).await,
        StatusCode::CONFLICT,
        "merchant_inactive",
    )
    .await;
    expect_error(
        post(&op, &app, "/api/admin/items", voucher("coupons", Some(id), "喜茶券二")).await,
        StatusCode::CONFLICT,
        "merchant_inactive",
    )
    .await;
    expect_error(patch(&op, &app, "/api/admin/items/1", json!({"merchant_id": id})).await, StatusCode::CONFLICT, "merchant_inactive").await;
    let res = post(&op, &app, &format!("/api/admin/offers/{offer_id}/approve"), json!({"points": 10, "per_member_limit": 1})).await;
    expect_error(res, StatusCode::CONFLICT, "merchant_inactive").await;
    // Its own voucher may still be edited (it keeps its merchant).
    let res = patch(&op, &app, &format!("/api/admin/items/{item}"), json!({"points": 120})).await;
    assert_eq!(res.status(), StatusCode::OK);
    // Its account still signs in, verifies the codes already issued and reads its statement.
    let again = app.client();
    let res = post(&again, &app, "/api/staff/session", json!({"username": "heytea", "password": "a long heytea password"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    for code in [&bought, &grabbed] {
        assert_eq!(verify(&again, &app, code).await.status(), StatusCode::OK, "{code}");
    }
    let day = today(&app);
    let statement = get(&again, &app, &format!("/api/merchant/settlement?from={day}&to={day}")).await;
    assert_eq!((statement["verified"].as_i64(), statement["total"].as_str()), (Some(2), Some("7.00")), "{statement}");

    // Brought back: listed again, new things may name it.
    let res = patch(&op, &app, &format!("/api/admin/merchants/{id}"), json!({"active": true})).await;
    assert_eq!(json(res).await["active"], true);
    assert!(ids(&get(&member, &app, "/api/items?category=coupons&limit=50").await, "items").contains(&item));
    assert!(ids(&get(&member, &app, "/api/sales").await, "sales").contains(&sale_id));
    assert_eq!(post(&op, &app, "/api/admin/sales", sale(id, "heytea-later", noon() + 3_600)).await.status(), StatusCode::CREATED);

    // Only operators manage merchants.
    for c in [&member, &again] {
        expect_error(post(c, &app, "/api/admin/merchants", with("slug", json!("nope"))).await, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(
            patch(c, &app, &format!("/api/admin/merchants/{id}"), json!({"active": false})).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    let actions = audited(&app).await;
    assert!(actions.contains(&"merchant.create".to_string()), "{actions:?}");
    assert_eq!(actions.iter().filter(|a| *a == "merchant.update").count(), 3, "{actions:?}");
    app.assert_ledger(2).await;
}

#[tokio::test]
async fn each_code_settles_at_the_value_it_was_issued_with() {
    let app = spawn_app_at(Some(noon()), |_| {}).await;
    let op = operator_client(&app);
    let (starbucks, member) = (staff(&app, "starbucks").await, app.login(2).await);
    // Starbucks (id 1) settles ¥12.00 a code; its own free offers at ¥1.00.
    let res = patch(&op, &app, "/api/admin/merchants/1", json!({"offer_settlement": "1.00"})).await;
    assert_eq!(json(res).await["offer_settlement"], "1.00");
    let paid = json(post(&op, &app, "/api/admin/sales", sale(1, "paid-latte", noon() + 60)).await).await.as_i64().unwrap();
    let at = |secs: i64| app.state.config.zone.timestamp_opt(secs, 0).unwrap().to_rfc3339();
    let offer = json!({"offer_zh": "免费美式", "offer_en": "Free americano", "quantity": 5, "starts_at": at(noon() + 60), "ends_at": at(noon() + 3_600)});
    let offer_id = json(post(&starbucks, &app, "/api/merchant/offers", offer).await).await["id"].as_i64().unwrap();
    let approved = post(&op, &app, &format!("/api/admin/offers/{offer_id}/approve"), json!({"points": 10, "per_member_limit": 2})).await;
    let free = json(approved).await["sale_id"].as_i64().unwrap();
    app.state.clock.advance(120);

    let code = |res: Value| res["code"]["code"].as_str().unwrap().to_string();
    let first_paid = code(json(grab(&member, &app, paid, "p1").await).await);
    let first_free = code(json(grab(&member, &app, free, "f1").await).await);
    // A voucher of the shop's own settles at nothing.
    let shop_code = json(redeem(&member, &app, 1, 1, "shop-1").await).await["code"].as_str().unwrap().to_string();
    let stored = |c: &str| c.replace('-', "");
    for (c, fen) in [(&first_paid, 1_200), (&first_free, 100), (&shop_code, 0)] {
        let settle = app.rows(&format!("SELECT settle_fen FROM codes WHERE code = '{}'", stored(c)), &[]).await;
        assert_eq!(settle, [[fen]], "{c}");
    }
    for c in [&first_paid, &first_free] {
        assert_eq!(verify(&starbucks, &app, c).await.status(), StatusCode::OK);
    }
    let day = today(&app);
    let path = format!("/api/merchant/settlement?from={day}&to={day}");
    let statement = || get(&starbucks, &app, &path);
    let s = statement().await;
    assert_eq!(
        (s["verified"].as_i64(), s["total"].as_str(), s["days"][0]["amount"].as_str()),
        (Some(2), Some("13.00"), Some("13.00")),
        "{s}"
    );

    // New terms: codes issued before keep theirs, verified before or after; later codes take the new ones.
    let second_paid = code(json(grab(&member, &app, paid, "p2").await).await);
    let res = patch(&op, &app, "/api/admin/merchants/1", json!({"settlement": "20.00", "offer_settlement": "2.00"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let s = statement().await;
    assert_eq!(
        (s["total"].as_str(), s["settlement_value"].as_str(), s["offer_settlement_value"].as_str()),
        (Some("13.00"), Some("20.00"), Some("2.00"))
    );
    assert_eq!(verify(&starbucks, &app, &second_paid).await.status(), StatusCode::OK);
    let third_paid = code(json(grab(&member, &app, paid, "p3").await).await);
    let second_free = code(json(grab(&member, &app, free, "f2").await).await);
    for c in [&third_paid, &second_free] {
        assert_eq!(verify(&starbucks, &app, c).await.status(), StatusCode::OK);
    }
    let s = statement().await;
    // 12 + 1 (before) + 12 (issued before, verified after) + 20 + 2 (issued after).
    assert_eq!((s["verified"].as_i64(), s["total"].as_str()), (Some(5), Some("47.00")), "{s}");
    let csv =
        starbucks.get(app.url(&format!("/api/merchant/settlement.csv?from={day}&to={day}"))).send().await.unwrap().text().await.unwrap();
    assert!(csv.contains(r#""total","5","47.00""#), "{csv}");
    // The statistics sum the same stored values.
    let stats = get(&op, &app, &format!("/api/admin/stats?from={day}&to={day}")).await;
    let row = stats["codes_by_merchant"].as_array().unwrap().iter().find(|m| m["merchant"]["id"] == 1).unwrap().clone();
    assert_eq!((row["verified"].as_i64(), row["settlement"].as_str()), (Some(5), Some("47.00")), "{row}");
    // The shop's own code is verified by an operator and owes nobody anything.
    let ops = staff(&app, "ops").await;
    assert_eq!(verify(&ops, &app, &shop_code).await.status(), StatusCode::OK);
    let s = statement().await;
    assert_eq!(s["total"], "47.00");
}

#[tokio::test]
async fn operators_verify_the_shops_own_codes_and_only_those() {
    let app = spawn_app_at(Some(noon()), |_| {}).await;
    let member = app.login(2).await;
    // Item 1 is the shop's own voucher (no merchant); item 2 is 瑞幸咖啡's.
    let shop_code = json(redeem(&member, &app, 1, 1, "s").await).await["code"].as_str().unwrap().to_string();
    let partner_code = json(redeem(&member, &app, 2, 1, "p").await).await["code"].as_str().unwrap().to_string();
    let (ops, starbucks, token) = (staff(&app, "ops").await, staff(&app, "starbucks").await, operator_client(&app));
    // A merchant cannot verify the shop's code; an operator cannot verify a partner's.
    expect_error(verify(&starbucks, &app, &shop_code).await, StatusCode::FORBIDDEN, "code_of_other_merchant").await;
    for c in [&ops, &token] {
        expect_error(verify(c, &app, &partner_code).await, StatusCode::FORBIDDEN, "code_of_other_merchant").await;
    }
    // The operator verifies the shop's code, typed any way; once.
    let typed = shop_code.replace('-', "").to_lowercase();
    let res = verify(&ops, &app, &typed).await;
    assert_eq!(res.status(), StatusCode::OK);
    let verified = json(res).await;
    assert_eq!((verified["code"].as_str(), verified["used_by"].as_str()), (Some(shop_code.as_str()), Some("商城")));
    let again = expect_error(verify(&token, &app, &shop_code).await, StatusCode::CONFLICT, "code_used").await;
    assert_eq!(again["error"]["details"]["by"], "商城");
    let wallet = get(&member, &app, "/api/codes").await;
    let mine = wallet.as_array().unwrap().iter().find(|c| c["code"] == shop_code.as_str()).unwrap().clone();
    assert_eq!(mine["status"], "used");
    // The partner's code is untouched, and its merchant still verifies it.
    let luckin = staff(&app, "luckin").await;
    assert_eq!(verify(&luckin, &app, &partner_code).await.status(), StatusCode::OK);
    let log = get(&token, &app, "/api/admin/audit").await;
    let entry = log["entries"].as_array().unwrap().iter().find(|e| e["action"] == "code.verify" && e["actor"] == "ops");
    assert_eq!(entry.map(|e| e["target_id"].clone()), Some(json!(shop_code.replace('-', ""))), "{log}");
}

#[tokio::test]
async fn the_lists_of_lotteries_and_causes_count_what_happened() {
    let app = spawn_app_at(Some(noon()), |_| {}).await;
    let op = operator_client(&app);
    let lotteries = get(&op, &app, "/api/admin/lotteries").await;
    let demo = lotteries["lotteries"][0].clone();
    assert_eq!((demo["open"].as_bool(), demo["draws"].as_i64(), demo["points_spent"].as_i64()), (Some(true), Some(0), Some(0)), "{demo}");
    assert_eq!(demo["prizes"].as_array().unwrap().len(), 6);
    assert_eq!(
        (demo["prizes"][1]["kind"].as_str(), demo["prizes"][1]["item_id"].as_i64(), demo["prizes"][1]["stock"].as_i64()),
        (Some("item"), Some(15), Some(5))
    );
    let id = demo["id"].as_i64().unwrap();
    let member = app.login(2).await;
    address_of(&member, &app).await; // the demo lottery has an item prize, which ships
    let draws = join_all(
        (0..3).map(|n| member.post(app.url(&format!("/api/lotteries/{id}/draws"))).header("Idempotency-Key", format!("d{n}")).send()),
    )
    .await;
    let mut won = 0;
    for res in draws {
        let res = res.unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        won += i64::from(json(res).await["prize"].is_object());
    }
    let after = get(&op, &app, "/api/admin/lotteries").await["lotteries"][0].clone();
    assert_eq!((after["draws"].as_i64(), after["points_spent"].as_i64()), (Some(3), Some(150)), "{after}");
    let prizes_won: i64 = after["prizes"].as_array().unwrap().iter().map(|p| p["won"].as_i64().unwrap()).sum();
    assert_eq!(prizes_won, won);
    for p in after["prizes"].as_array().unwrap() {
        let was = demo["prizes"].as_array().unwrap().iter().find(|d| d["id"] == p["id"]).unwrap();
        assert_eq!(p["stock"].as_i64().unwrap(), was["stock"].as_i64().unwrap() - p["won"].as_i64().unwrap(), "stock left: {p}");
    }
    // A new lottery comes first and closes the demo's; the core rules refuse a bad one.
    let prize = json!({"name": {"zh": "10 积分", "en": "10 points"}, "kind": "points", "points": 10, "probability_bp": 100, "stock": 3});
    let lottery =
        |prizes: Vec<Value>| json!({"name": {"zh": "新抽奖", "en": "New draw"}, "cost_points": 5, "draws_per_day": 1, "prizes": prizes});
    assert_eq!(post(&op, &app, "/api/admin/lotteries", lottery(vec![prize.clone()])).await.status(), StatusCode::CREATED);
    for bad in [
        lottery(vec![]),
        lottery(vec![prize.clone(); 13]),
        lottery(vec![json!({"name": {"zh": "奖", "en": "P"}, "kind": "points", "probability_bp": 1, "stock": 1})]),
    ] {
        expect_error(post(&op, &app, "/api/admin/lotteries", bad).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }
    let both = get(&op, &app, "/api/admin/lotteries").await;
    let list = both["lotteries"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(
        (list[0]["open"].as_bool(), list[0]["name"]["en"].as_str(), list[0]["draws"].as_i64()),
        (Some(true), Some("New draw"), Some(0))
    );
    assert_eq!((list[1]["id"].as_i64(), list[1]["open"].as_bool()), (Some(id), Some(false)));
    assert!(list[1]["closed_at"].is_string(), "{both}");

    // Causes: donations and donors.
    let causes = get(&op, &app, "/api/admin/causes").await;
    let cause = causes["causes"][0].clone();
    assert_eq!((cause["donations"].as_i64(), cause["donors"].as_i64(), cause["open"].as_bool()), (Some(0), Some(0), Some(true)), "{cause}");
    let cause_id = cause["id"].as_i64().unwrap();
    for (who, key) in [(2, "a"), (2, "b"), (3, "c")] {
        let c = app.login(who).await;
        let res = c
            .post(app.url(&format!("/api/causes/{cause_id}/donations")))
            .header("Idempotency-Key", key)
            .json(&json!({"points": 10}))
            .send()
            .await;
        assert_eq!(res.unwrap().status(), StatusCode::CREATED);
    }
    assert_eq!(post(&op, &app, &format!("/api/admin/causes/{cause_id}/close"), json!({})).await.status(), StatusCode::OK);
    let new = json!({"name": {"zh": "新", "en": "New"}, "description": {"zh": "说明", "en": "About"}, "image": "/img/causes/x.svg", "target": 100});
    assert_eq!(post(&op, &app, "/api/admin/causes", new.clone()).await.status(), StatusCode::CREATED);
    let mut bad = new.clone();
    bad["image"] = json!("/img/../secret");
    expect_error(post(&op, &app, "/api/admin/causes", bad).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let causes = get(&op, &app, "/api/admin/causes").await;
    assert_eq!(causes["causes"][0]["name"]["en"], "New", "newest first");
    let counted = causes["causes"].as_array().unwrap().iter().find(|c| c["id"] == cause_id).unwrap().clone();
    assert_eq!(
        (counted["donations"].as_i64(), counted["donors"].as_i64(), counted["raised"].as_i64(), counted["open"].as_bool()),
        (Some(3), Some(2), Some(cause["raised"].as_i64().unwrap() + 30), Some(false)),
        "{counted}"
    );
    assert!(counted["closed_at"].is_string());
    for path in ["/api/admin/lotteries", "/api/admin/causes"] {
        expect_error(member.get(app.url(path)).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
    }
}
