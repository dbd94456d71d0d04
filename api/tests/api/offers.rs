//! Partner merchants' free offers: a merchant account proposes one, an operator approves
//! it (once) into a flash sale of that merchant that members grab, or declines it; the
//! proposal's rules; who may do what.

use chrono::TimeZone;
use futures::future::join_all;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::{
    helpers::{expect_error, json, operator_client, post, spawn_app_at, TestApp},
    sales::{grab, merchant},
    staff::staff,
};

/// 2030-01-16 12:00 in Shanghai.
fn noon() -> i64 {
    chrono::Utc.with_ymd_and_hms(2030, 1, 16, 4, 0, 0).unwrap().timestamp()
}

/// RFC 3339 of `secs` in the shop's zone.
fn at(app: &TestApp, secs: i64) -> String {
    app.state.config.zone.timestamp_opt(secs, 0).unwrap().to_rfc3339()
}

/// A proposal of `quantity` free units, from `in_secs` after now for two hours.
fn proposal(app: &TestApp, name: &str, quantity: i64, in_secs: i64) -> Value {
    let start = app.state.clock.now_secs() + in_secs;
    json!({"offer_zh": format!("免费{name}"), "offer_en": format!("Free {name}"), "quantity": quantity,
        "starts_at": at(app, start), "ends_at": at(app, start + 7_200)})
}

async fn propose(c: &Client, app: &TestApp, body: Value) -> Value {
    let res = post(c, app, "/api/merchant/offers", body).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    json(res).await
}

async fn approve(c: &Client, app: &TestApp, id: i64, points: i64) -> reqwest::Response {
    post(c, app, &format!("/api/admin/offers/{id}/approve"), json!({"points": points, "per_member_limit": 1})).await
}

fn offer_ids(list: &Value) -> Vec<i64> {
    list["offers"].as_array().unwrap().iter().map(|o| o["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn an_approved_offer_becomes_a_sale_of_its_merchant_that_members_grab() {
    let app = spawn_app_at(Some(noon()), |_| {}).await;
    let (starbucks, wanda, op) = (staff(&app, "starbucks").await, staff(&app, "wanda").await, operator_client(&app));
    let me = json(starbucks.get(app.url("/api/staff/me")).send().await.unwrap()).await;
    let merchant_id = me["merchant"]["id"].as_i64().unwrap();

    let first = propose(&starbucks, &app, proposal(&app, "美式", 2, 60)).await;
    assert_eq!((first["status"].as_str(), first["sale_id"].as_i64()), (Some("proposed"), None));
    assert_eq!((first["merchant"]["id"].as_i64(), first["proposed_by"].as_str()), (Some(merchant_id), Some("starbucks")));
    assert_eq!((first["offer"]["en"].as_str(), first["quantity"].as_i64()), (Some("Free 美式"), Some(2)));
    assert_eq!(first["starts_at"], at(&app, noon() + 60));
    let id = first["id"].as_i64().unwrap();
    let second = propose(&starbucks, &app, proposal(&app, "拿铁", 5, 3_600)).await["id"].as_i64().unwrap();

    // Each merchant sees its own offers, newest first; operators see all, by status.
    let own = json(starbucks.get(app.url("/api/merchant/offers")).send().await.unwrap()).await;
    assert_eq!(offer_ids(&own), vec![second, id]);
    assert!(offer_ids(&json(wanda.get(app.url("/api/merchant/offers")).send().await.unwrap()).await).is_empty());
    let proposed = json(op.get(app.url("/api/admin/offers?status=proposed")).send().await.unwrap()).await;
    assert_eq!(offer_ids(&proposed), vec![second, id]);

    // Only an operator decides.
    expect_error(approve(&wanda, &app, id, 10).await, StatusCode::FORBIDDEN, "forbidden").await;
    expect_error(approve(&starbucks, &app, id, 10).await, StatusCode::FORBIDDEN, "forbidden").await;
    let member = app.login(2).await;
    expect_error(approve(&member, &app, id, 10).await, StatusCode::FORBIDDEN, "forbidden").await;
    expect_error(member.get(app.url("/api/admin/offers")).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;

    let res = approve(&op, &app, id, 10).await;
    assert_eq!(res.status(), StatusCode::OK);
    let approved = json(res).await;
    assert_eq!(approved["status"], "approved");
    let sale_id = approved["sale_id"].as_i64().unwrap();
    assert!(approved["decided_at"].is_string());
    // Approving again is refused and creates nothing; so is declining it now.
    expect_error(approve(&op, &app, id, 10).await, StatusCode::CONFLICT, "invalid_transition").await;
    expect_error(post(&op, &app, &format!("/api/admin/offers/{id}/decline"), json!({})).await, StatusCode::CONFLICT, "invalid_transition")
        .await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM sales WHERE offer_key = (SELECT 'offer-' || CAST($1 AS TEXT))", id).await, 1);
    let after = json(op.get(app.url("/api/admin/offers?status=approved")).send().await.unwrap()).await;
    assert_eq!(offer_ids(&after), vec![id]);

    // The sale: the offer's name, quantity and window; the merchant's names and logo.
    app.state.clock.advance(60);
    let day = json(member.get(app.url("/api/sales")).send().await.unwrap()).await;
    let sale = day["sales"].as_array().unwrap().iter().find(|s| s["id"] == sale_id).expect("the sale is listed today").clone();
    let merchants = json(op.get(app.url("/api/admin/merchants")).send().await.unwrap()).await;
    let record = merchants.as_array().unwrap().iter().find(|m| m["id"] == merchant_id).unwrap().clone();
    assert_eq!(sale["offer"], first["offer"]);
    assert_eq!((sale["merchant"].clone(), sale["image"].clone()), (record["name"].clone(), record["logo"].clone()));
    assert_eq!((sale["points"].as_i64(), sale["quantity"].as_i64(), sale["per_member_limit"].as_i64()), (Some(10), Some(2), Some(1)));
    assert_eq!((sale["starts_at_ms"].as_i64(), sale["ends_at_ms"].as_i64()), (Some((noon() + 60) * 1000), Some((noon() + 7_260) * 1000)));
    assert_eq!(sale["state"], "live");

    // A member grabs it; the code is the merchant's.
    let res = grab(&member, &app, sale_id, "g1").await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let code = json(res).await["code"]["code"].as_str().unwrap().to_string();
    // Listed for its merchant, masked until verified; not listed for another.
    let masked = format!("••••-••••-{}", &code[code.len() - 4..]);
    let codes = json(starbucks.get(app.url("/api/merchant/codes")).send().await.unwrap()).await;
    assert!(codes["codes"].as_array().unwrap().iter().any(|c| c["code"] == masked.as_str()), "{codes}");
    let theirs = json(wanda.get(app.url("/api/merchant/codes")).send().await.unwrap()).await;
    assert!(!theirs["codes"].as_array().unwrap().iter().any(|c| c["code"] == masked.as_str()));
    let res = starbucks.post(app.url("/api/merchant/verify")).json(&json!({"code": code})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "the merchant verifies its own code");

    let log = json(op.get(app.url("/api/admin/audit")).send().await.unwrap()).await;
    let actions: Vec<(&str, &str)> =
        log["entries"].as_array().unwrap().iter().map(|e| (e["action"].as_str().unwrap(), e["actor"].as_str().unwrap())).collect();
    for done in [("offer.propose", "starbucks"), ("offer.approve", "token:operator"), ("sale.schedule", "token:operator")] {
        assert!(actions.contains(&done), "{done:?} in {actions:?}");
    }
}

#[tokio::test]
async fn a_proposal_keeps_the_rules() {
    let app = spawn_app_at(Some(noon()), |_| {}).await;
    let starbucks = staff(&app, "starbucks").await;
    let now = app.state.clock.now_secs();
    let refused = |change: &dyn Fn(&mut Value)| {
        let mut body = proposal(&app, "美式", 10, 60);
        change(&mut body);
        body
    };
    let bad = [
        refused(&|b| b["offer_zh"] = json!("  ")),
        refused(&|b| b["offer_en"] = json!("x".repeat(61))),
        refused(&|b| b["quantity"] = json!(0)),
        refused(&|b| b["quantity"] = json!(10_001)),
        refused(&|b| b["ends_at"] = b["starts_at"].clone()),
        refused(&|b| b["starts_at"] = json!(at(&app, now - 60))),
        refused(&|b| b["ends_at"] = json!(at(&app, now + 60 + 7 * 86_400 + 1))),
        refused(&|b| b["starts_at"] = json!("2030-01-16 12:01")),
    ];
    for body in bad {
        let res = post(&starbucks, &app, "/api/merchant/offers", body.clone()).await;
        expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }
    // The longest window and the longest names pass.
    let mut longest = refused(&|b| b["ends_at"] = json!(at(&app, now + 60 + 7 * 86_400)));
    longest["offer_zh"] = json!("券".repeat(60));
    propose(&starbucks, &app, longest).await;

    // Only a merchant account proposes: not the merchant token, not a member, not an operator.
    let body = proposal(&app, "美式", 10, 60);
    expect_error(post(&merchant(&app), &app, "/api/merchant/offers", body.clone()).await, StatusCode::FORBIDDEN, "forbidden").await;
    expect_error(post(&app.login(2).await, &app, "/api/merchant/offers", body.clone()).await, StatusCode::FORBIDDEN, "forbidden").await;
    expect_error(post(&operator_client(&app), &app, "/api/merchant/offers", body).await, StatusCode::FORBIDDEN, "forbidden").await;
    // The token lists the offers of its own merchant (starbucks, id 1), no other's.
    let token = merchant(&app);
    assert_eq!(offer_ids(&json(token.get(app.url("/api/merchant/offers")).send().await.unwrap()).await).len(), 1);
    expect_error(token.get(app.url("/api/merchant/offers?merchant_id=2")).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
    let listed = json(token.get(app.url("/api/merchant/offers?merchant_id=1")).send().await.unwrap()).await;
    assert_eq!(offer_ids(&listed).len(), 1);
}

#[tokio::test]
async fn operators_decline_or_approve_once_and_a_refused_approval_changes_nothing() {
    let app = spawn_app_at(Some(noon()), |_| {}).await;
    let (starbucks, op) = (staff(&app, "starbucks").await, operator_client(&app));
    let a = propose(&starbucks, &app, proposal(&app, "美式", 3, 60)).await["id"].as_i64().unwrap();
    let b = propose(&starbucks, &app, proposal(&app, "拿铁", 3, 60)).await["id"].as_i64().unwrap();

    expect_error(approve(&op, &app, 999, 10).await, StatusCode::NOT_FOUND, "not_found").await;
    expect_error(post(&op, &app, "/api/admin/offers/999/decline", json!({})).await, StatusCode::NOT_FOUND, "not_found").await;
    // A price of 0 is refused, and the offer is still proposed with no sale.
    expect_error(approve(&op, &app, a, 0).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let res = post(&op, &app, &format!("/api/admin/offers/{a}/approve"), json!({"points": 10, "per_member_limit": 0})).await;
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM sales WHERE offer_key LIKE 'offer-%' AND $1 = $1", 0).await, 0);

    let declined = json(post(&op, &app, &format!("/api/admin/offers/{a}/decline"), json!({})).await).await;
    assert_eq!((declined["status"].as_str(), declined["sale_id"].as_i64()), (Some("declined"), None));
    expect_error(approve(&op, &app, a, 10).await, StatusCode::CONFLICT, "invalid_transition").await;
    expect_error(post(&op, &app, &format!("/api/admin/offers/{a}/decline"), json!({})).await, StatusCode::CONFLICT, "invalid_transition")
        .await;

    // Two operators approve at once: one sale, one refusal.
    let replies = join_all((0..4).map(|_| async {
        let res = approve(&op, &app, b, 20).await;
        let status = res.status();
        (status, json(res).await)
    }))
    .await;
    assert_eq!(replies.iter().filter(|(s, _)| *s == StatusCode::OK).count(), 1, "{replies:?}");
    let refused = |(s, body): &&(StatusCode, Value)| *s == StatusCode::CONFLICT && body["error"]["code"] == "invalid_transition";
    assert!(replies.iter().filter(|(s, _)| *s != StatusCode::OK).all(|r| refused(&r)), "{replies:?}");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM sales WHERE offer_key LIKE 'offer-%' AND $1 = $1", 0).await, 1);

    let all = json(op.get(app.url("/api/admin/offers")).send().await.unwrap()).await;
    let states: Vec<&str> = all["offers"].as_array().unwrap().iter().map(|o| o["status"].as_str().unwrap()).collect();
    assert_eq!(states, ["approved", "declined"]);
    let log = json(op.get(app.url("/api/admin/audit")).send().await.unwrap()).await;
    let actions: Vec<&str> = log["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "offer.decline").count(), 1);
    assert_eq!(actions.iter().filter(|a| **a == "offer.approve").count(), 1);
}
