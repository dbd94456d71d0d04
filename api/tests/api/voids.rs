//! Looking a code up and voiding it: a bought code gives its points back once (two voids
//! at once, a retry with the same key), as a refund the member sees with the reason, into
//! the lots they came from; a voucher's unit goes back to its stock; a used or void code
//! is refused; a lottery's coupon prize gives nothing back; the wallet shows the reason.

use chrono::TimeZone;
use futures::future::join_all;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::{
    helpers::{balance, expect_error, json, operator_client, post, redeem, spawn_app_at, TestApp},
    staff::staff,
};

/// 2030-01-16 12:00 in Shanghai.
fn noon() -> i64 {
    chrono::Utc.with_ymd_and_hms(2030, 1, 16, 4, 0, 0).unwrap().timestamp()
}

async fn void(c: &Client, app: &TestApp, code: &str, reason: &str, key: Option<&str>) -> reqwest::Response {
    let mut req = c.post(app.url(&format!("/api/admin/codes/{code}/void"))).json(&json!({ "reason": reason }));
    if let Some(key) = key {
        req = req.header("Idempotency-Key", key);
    }
    req.send().await.unwrap()
}

async fn look_up(c: &Client, app: &TestApp, code: &str) -> reqwest::Response {
    c.get(app.url(&format!("/api/admin/codes/{code}"))).send().await.unwrap()
}

async fn wallet_code(c: &Client, app: &TestApp, code: &str) -> Value {
    let wallet = json(c.get(app.url("/api/codes")).send().await.unwrap()).await;
    wallet.as_array().unwrap().iter().find(|w| w["code"] == code).expect("in the wallet").clone()
}

/// The order's codes (all of them, in the wallet), by the order's first code.
async fn codes_of_order(c: &Client, app: &TestApp, order: &Value) -> Vec<String> {
    let order_id = order["id"].as_i64().unwrap();
    let rows = app.rows("SELECT COUNT(*) FROM codes WHERE order_id = $1", &[order_id]).await[0][0];
    let wallet = json(c.get(app.url("/api/codes")).send().await.unwrap()).await;
    let offer = wallet.as_array().unwrap().iter().find(|w| w["code"] == order["code"]).unwrap()["offer"].clone();
    let codes: Vec<String> =
        wallet.as_array().unwrap().iter().filter(|w| w["offer"] == offer).map(|w| w["code"].as_str().unwrap().to_string()).collect();
    assert_eq!(codes.len() as i64, rows);
    codes
}

#[tokio::test]
async fn a_bought_voucher_code_is_voided_once_and_gives_its_points_back() {
    let app = spawn_app_at(Some(noon()), |_| {}).await;
    let op = operator_client(&app);
    let member = app.login(2).await;
    // Item 3 (the shop's own, 990 points): an order of two gives two codes on one debit.
    let stock = || app.scalar("SELECT stock FROM items WHERE id = $1", 3);
    let stock_before = stock().await;
    let start = balance(&member, &app).await;
    let order = json(redeem(&member, &app, 3, 2, "two").await).await;
    assert_eq!(balance(&member, &app).await, start - 1_980);
    let codes = codes_of_order(&member, &app, &order).await;
    let (first, second) = (codes[0].clone(), codes[1].clone());

    // Looked up however typed.
    let typed = first.replace('-', "").to_lowercase();
    let res = look_up(&op, &app, &typed).await;
    assert_eq!(res.status(), StatusCode::OK);
    let found = json(res).await;
    assert_eq!(
        (found["code"].as_str(), found["status"].as_str(), found["member_id"].as_i64(), found["points_paid"].as_i64()),
        (Some(first.as_str()), Some("issued"), Some(2), Some(990)),
        "{found}"
    );
    assert_eq!(
        (found["merchant"].clone(), found["offer"]["en"].as_str(), found["void_reason"].clone()),
        (Value::Null, Some("Mobile top-up ¥10"), Value::Null)
    );
    expect_error(look_up(&op, &app, "2345-6789-ABCD").await, StatusCode::UNPROCESSABLE_ENTITY, "code_invalid").await;
    let unknown = mall_core::code::display(&mall_core::code::from_random([0; mall_core::code::RANDOM_LEN]));
    expect_error(look_up(&op, &app, &unknown).await, StatusCode::NOT_FOUND, "code_not_found").await;

    // Four voids at once, each with its own key: one gives back, the others find it void.
    let keys: Vec<String> = (0..4).map(|n| format!("v{n}")).collect();
    let answers = join_all(keys.iter().map(|key| void(&op, &app, &typed, "重复下单", Some(key)))).await;
    let statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 3, "{statuses:?}");
    let winner = statuses.iter().position(|s| *s == 200).unwrap();
    for (n, res) in answers.into_iter().enumerate() {
        if n == winner {
            let voided = json(res).await;
            assert_eq!((voided["status"].as_str(), voided["void_reason"].as_str()), (Some("void"), Some("重复下单")), "{voided}");
        } else {
            expect_error(res, StatusCode::CONFLICT, "code_void").await;
        }
    }
    assert_eq!(balance(&member, &app).await, start - 990, "one code's points back, once");
    assert_eq!(stock().await, stock_before - 1, "one unit back to the stock");
    // A retry with the winner's key replays its answer and gives nothing more; another body is refused.
    let key = format!("v{winner}");
    let replay = void(&op, &app, &first, "重复下单", Some(&key)).await;
    assert_eq!(
        (replay.status(), replay.headers().get("idempotent-replayed").map(|v| v.to_str().unwrap().to_string())),
        (StatusCode::OK, Some("true".into()))
    );
    expect_error(void(&op, &app, &first, "another reason", Some(&key)).await, StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused")
        .await;
    assert_eq!(balance(&member, &app).await, start - 990);

    // The member sees the refund with the reason, and the reason on the code.
    let history = json(member.get(app.url("/api/history?limit=5")).send().await.unwrap()).await;
    let refund = history["entries"][0].clone();
    assert_eq!((refund["kind"].as_str(), refund["amount"].as_i64()), (Some("refund"), Some(990)), "{history}");
    assert!(refund.to_string().contains("重复下单"), "{refund}");
    let shown = wallet_code(&member, &app, &first).await;
    assert_eq!((shown["status"].as_str(), shown["void_reason"].as_str()), (Some("void"), Some("重复下单")));

    // The order's other code gives back its own part.
    assert_eq!(void(&op, &app, &second, "顾客申请", Some("second")).await.status(), StatusCode::OK);
    assert_eq!(balance(&member, &app).await, start, "both codes' points are back");
    assert_eq!(stock().await, stock_before);
    app.assert_ledger(2).await;
    let refunded = app.rows("SELECT refunded_points FROM codes WHERE order_id = $1 ORDER BY code", &[order["id"].as_i64().unwrap()]).await;
    assert_eq!(refunded, [[990], [990]]);

    // Refusals: no key, a bad reason; only operators.
    expect_error(void(&op, &app, &first, "x", None).await, StatusCode::BAD_REQUEST, "idempotency_key_missing").await;
    for reason in ["", "   ", "a\u{0007}b", "a\u{202e}b", &"长".repeat(201)] {
        expect_error(void(&op, &app, &first, reason, Some("bad-reason")).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
            .await;
    }
    expect_error(void(&op, &app, "2345-6789-ABCD", "x", Some("typo")).await, StatusCode::UNPROCESSABLE_ENTITY, "code_invalid").await;
    expect_error(void(&op, &app, &unknown, "x", Some("unknown")).await, StatusCode::NOT_FOUND, "code_not_found").await;
    let merchant = staff(&app, "luckin").await;
    for c in [&member, &merchant] {
        expect_error(void(c, &app, &second, "x", Some("not-mine")).await, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(look_up(c, &app, &second).await, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let audit = json(op.get(app.url("/api/admin/audit")).send().await.unwrap()).await;
    let voids: Vec<&Value> = audit["entries"].as_array().unwrap().iter().filter(|e| e["action"] == "code.void").collect();
    assert_eq!(voids.len(), 2, "{audit}");
    assert_eq!(voids[1]["target_id"], first.replace('-', ""));
}

#[tokio::test]
async fn used_void_prize_and_sale_codes() {
    let app = spawn_app_at(Some(noon()), |_| {}).await;
    let (op, ops) = (operator_client(&app), staff(&app, "ops").await);
    // A member whose points (one lot) live a year: a refund never meets an expired lot here.
    let member_id = app.add_member(20_000, 0).await;
    let member = app.login(member_id).await;

    // A used code cannot be voided.
    let used = json(redeem(&member, &app, 1, 1, "used").await).await["code"].as_str().unwrap().to_string();
    assert_eq!(post(&ops, &app, "/api/merchant/verify", json!({ "code": used })).await.status(), StatusCode::OK);
    let refused = expect_error(void(&ops, &app, &used, "too late", Some("u")).await, StatusCode::CONFLICT, "code_used").await;
    assert_eq!(refused["error"]["details"]["by"], "商城");
    assert_eq!(json(look_up(&op, &app, &used).await).await["status"], "used");

    // A lottery's coupon prize gives nothing back.
    let prize =
        json!({"name": {"zh": "瑞幸券", "en": "Luckin voucher"}, "kind": "coupon", "item_id": 2, "probability_bp": 10_000, "stock": 5});
    let lottery = json!({"name": {"zh": "必中", "en": "Sure win"}, "cost_points": 10, "draws_per_day": 3, "prizes": [prize]});
    let id = json(post(&op, &app, "/api/admin/lotteries", lottery).await).await["id"].as_i64().unwrap();
    let won =
        json(member.post(app.url(&format!("/api/lotteries/{id}/draws"))).header("Idempotency-Key", "draw").send().await.unwrap()).await;
    let prize_code = won["code"].as_str().unwrap().to_string();
    let (before, stock) = (balance(&member, &app).await, app.scalar("SELECT stock FROM items WHERE id = $1", 2).await);
    let found = json(look_up(&op, &app, &prize_code).await).await;
    assert_eq!((found["points_paid"].as_i64(), found["merchant"]["id"].as_i64()), (Some(0), Some(4)), "{found}");
    let voided = json(void(&op, &app, &prize_code, "奖品作废", Some("p")).await).await;
    assert_eq!(voided["status"], "void");
    assert_eq!(balance(&member, &app).await, before, "a prize was not bought: nothing back");
    assert_eq!(app.scalar("SELECT stock FROM items WHERE id = $1", 2).await, stock, "nor a unit of the voucher");
    // Its merchant now meets a void code.
    let luckin = staff(&app, "luckin").await;
    expect_error(post(&luckin, &app, "/api/merchant/verify", json!({ "code": prize_code })).await, StatusCode::CONFLICT, "code_void").await;

    // A flash sale's code gives the sale's price back; the sale stays as it was.
    let live = app.scalar("SELECT id FROM sales WHERE offer_key = 'coffee-live' AND $1 > 0", 1).await;
    let remaining = || app.scalar("SELECT remaining FROM sales WHERE id = $1", live);
    let grabbed = json(member.post(app.url(&format!("/api/sales/{live}/grab"))).header("Idempotency-Key", "g").send().await.unwrap()).await;
    let (sale_code, price) = (grabbed["code"]["code"].as_str().unwrap().to_string(), grabbed["points"].as_i64().unwrap());
    let (before, left) = (balance(&member, &app).await, remaining().await);
    let found = json(look_up(&op, &app, &sale_code).await).await;
    assert_eq!(found["points_paid"].as_i64(), Some(price));
    assert_eq!(void(&op, &app, &sale_code, "活动取消", Some("s")).await.status(), StatusCode::OK);
    assert_eq!(balance(&member, &app).await, before + price);
    assert_eq!(remaining().await, left, "the sale does not reopen");

    // An expired, unused bought code may be voided too, and gives back.
    let old = json(redeem(&member, &app, 1, 1, "old").await).await["code"].as_str().unwrap().to_string();
    app.state.clock.advance(31 * 86_400);
    let (op, member) = (operator_client(&app), app.login(member_id).await);
    assert_eq!(json(look_up(&op, &app, &old).await).await["status"], "expired");
    let before = balance(&member, &app).await;
    let voided = json(void(&op, &app, &old, "过期补偿", Some("old")).await).await;
    assert_eq!(voided["status"], "void");
    assert_eq!(balance(&member, &app).await, before + 290);
    let shown = wallet_code(&member, &app, &old).await;
    assert_eq!((shown["status"].as_str(), shown["void_reason"].as_str()), (Some("void"), Some("过期补偿")));
    app.assert_ledger(member_id).await;
}
