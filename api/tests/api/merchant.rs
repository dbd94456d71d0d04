//! The partner merchant's views over HTTP: its codes by status and its settlement
//! statement (verified codes × settlement value, with a CSV), seen only by that merchant.

use chrono::TimeZone;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::{
    helpers::{expect_error, json, spawn_app},
    sales::{grab, merchant, schedule},
    staff::staff,
};

#[tokio::test]
async fn a_merchant_sees_its_codes_by_status_and_its_settlement() {
    let app = spawn_app().await;
    // A sale of merchant 1 (starbucks, ¥12.00 a verified code); two members grab a code each.
    let sale = schedule(&app, "m", 0, 5, 10, 1).await;
    let mut codes = Vec::new();
    for m in [2, 3] {
        let c = app.login(m).await;
        codes.push(json(grab(&c, &app, sale, "k").await).await["code"]["code"].as_str().unwrap().to_string());
    }
    let token = merchant(&app);
    let res = token.post(app.url("/api/merchant/verify")).json(&json!({"code": codes[0]})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    let list = |q: &'static str| {
        let token = token.clone();
        let url = app.url(&format!("/api/merchant/codes?merchant_id=1{q}"));
        async move { json(token.get(url).send().await.unwrap()).await }
    };
    let count = |v: &Value| v["codes"].as_array().unwrap().len();
    assert_eq!(count(&list("").await), 2);
    let used = list("&status=used").await;
    assert_eq!((count(&used), used["codes"][0]["code"].as_str()), (1, Some(codes[0].as_str())));
    // An unused code is the member's bearer secret: its merchant sees only the last group.
    let issued = list("&status=issued").await;
    assert_eq!(count(&issued), 1);
    let shown = issued["codes"][0]["code"].as_str().unwrap();
    assert_eq!(shown, format!("••••-••••-{}", &codes[1][codes[1].len() - 4..]), "masked");
    assert!(!issued.to_string().contains(&codes[1]) && !issued.to_string().contains(&codes[1].replace('-', "")), "{issued}");
    assert!(!list("").await.to_string().contains(&codes[1]), "nor in the full list");
    assert_eq!(count(&list("&status=expired").await), 0);
    // The token is bound to its merchant (starbucks, id 1): no other merchant's codes.
    let other = token.get(app.url("/api/merchant/codes?merchant_id=2")).send().await.unwrap();
    expect_error(other, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(json(token.get(app.url("/api/merchant/codes")).send().await.unwrap()).await["merchant"]["id"], 1);
    let member = app.login(2).await;
    expect_error(member.get(app.url("/api/merchant/codes?merchant_id=1")).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;

    // Today's settlement: one verified code at ¥12.00.
    let zone = app.state.config.zone;
    let today = zone.timestamp_opt(app.state.clock.now_secs(), 0).unwrap().format("%Y-%m-%d").to_string();
    let q = format!("from={today}&to={today}&merchant_id=1");
    let s = json(token.get(app.url(&format!("/api/merchant/settlement?{q}"))).send().await.unwrap()).await;
    assert_eq!((s["verified"].as_i64(), s["settlement_value"].as_str(), s["total"].as_str()), (Some(1), Some("12.00"), Some("12.00")));
    assert_eq!(s["days"].as_array().unwrap().len(), 1);
    let csv = token.get(app.url(&format!("/api/merchant/settlement.csv?{q}"))).send().await.unwrap().text().await.unwrap();
    let lines: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].ends_with("day,verified,amount"));
    assert_eq!(lines[2], r#""total","1","12.00""#);

    // A merchant account sees only its own merchant.
    let wanda = staff(&app, "wanda").await;
    let own = json(wanda.get(app.url("/api/merchant/codes")).send().await.unwrap()).await;
    assert_eq!(own["merchant"]["id"], 2);
    expect_error(wanda.get(app.url("/api/merchant/codes?merchant_id=1")).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
}
