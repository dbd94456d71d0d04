//! Donation (积分捐赠): causes, irrevocable donations (idempotent, at least the minimum,
//! only to open causes), operators opening and closing causes, and `raised` = Σ
//! donations under concurrency.

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{balance, expect_error, json, operator_client, spawn_app, TestApp};

async fn donate(c: &reqwest::Client, app: &TestApp, cause: i64, points: i64, key: &str) -> reqwest::Response {
    c.post(app.url(&format!("/api/causes/{cause}/donations")))
        .header("Idempotency-Key", key)
        .json(&json!({"points": points}))
        .send()
        .await
        .unwrap()
}

async fn causes(c: &reqwest::Client, app: &TestApp) -> Vec<Value> {
    json(c.get(app.url("/api/causes")).send().await.unwrap()).await.as_array().unwrap().clone()
}

#[tokio::test]
async fn a_member_gives_points_to_a_cause_once_per_key() {
    let app = spawn_app().await;
    let c = app.login(2).await;
    let list = causes(&c, &app).await;
    assert_eq!(list.len(), 2, "the demo seed opens two causes");
    assert!(list.iter().all(|x| x["open"] == true && x["raised"] == 0 && x["given"] == 0));
    let id = list[0]["id"].as_i64().unwrap();
    let before = balance(&c, &app).await;

    let res = donate(&c, &app, id, 100, "d-1").await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let done = json(res).await;
    assert_eq!((done["points"].as_i64(), done["balance"].as_i64()), (Some(100), Some(before - 100)));
    assert_eq!((done["cause"]["raised"].as_i64(), done["cause"]["given"].as_i64()), (Some(100), Some(100)));
    let replay = donate(&c, &app, id, 100, "d-1").await;
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(balance(&c, &app).await, before - 100, "a replay gives nothing twice");

    let top = json(c.get(app.url("/api/history?limit=1")).send().await.unwrap()).await["entries"][0].clone();
    assert_eq!((top["kind"].as_str(), top["amount"].as_i64()), (Some("donation"), Some(-100)));
    assert_eq!(top["reference"]["label"]["zh"], list[0]["name"]["zh"]);

    expect_error(donate(&c, &app, id, 9, "d-2").await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    expect_error(donate(&c, &app, id, before * 10, "d-3").await, StatusCode::CONFLICT, "insufficient_points").await;
    expect_error(donate(&c, &app, 999, 100, "d-4").await, StatusCode::NOT_FOUND, "not_found").await;
    let missing = c.post(app.url(&format!("/api/causes/{id}/donations"))).json(&json!({"points": 10})).send().await.unwrap();
    expect_error(missing, StatusCode::BAD_REQUEST, "idempotency_key_missing").await;
    assert_eq!(causes(&c, &app).await[0]["raised"], 100, "refusals moved nothing");
    app.assert_ledger(2).await;
}

#[tokio::test]
async fn operators_open_and_close_causes_and_a_closed_cause_takes_nothing() {
    let app = spawn_app().await;
    let op = operator_client(&app);
    let member = app.login(3).await;
    let body = json!({"name": {"zh": "社区冰箱", "en": "Community fridge"}, "description": {"zh": "为社区冰箱补货", "en": "Restock the community fridge"},
        "image": "/img/causes/trees.svg", "target": 50000});
    expect_error(member.post(app.url("/api/admin/causes")).json(&body).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
    let bad = json!({"name": {"zh": "", "en": "x"}, "description": {"zh": "x", "en": "x"}, "image": "/img/x.svg", "target": 0});
    expect_error(
        op.post(app.url("/api/admin/causes")).json(&bad).send().await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let res = op.post(app.url("/api/admin/causes")).json(&body).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let id = json(res).await["id"].as_i64().unwrap();
    assert_eq!(causes(&member, &app).await[0]["id"], id, "the newest open cause comes first");

    let closed = json(op.post(app.url(&format!("/api/admin/causes/{id}/close"))).send().await.unwrap()).await;
    assert_eq!(closed["open"], false);
    let before = balance(&member, &app).await;
    expect_error(donate(&member, &app, id, 50, "c-1").await, StatusCode::CONFLICT, "cause_closed").await;
    assert_eq!(balance(&member, &app).await, before);
    let log = json(op.get(app.url("/api/admin/audit")).send().await.unwrap()).await;
    let actions: Vec<&str> = log["entries"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(actions.contains(&"cause.create") && actions.contains(&"cause.close"), "{actions:?}");
}

#[tokio::test]
async fn raised_is_the_sum_of_donations_under_concurrency() {
    let app = spawn_app().await;
    let members: Vec<i64> = join_all((0..10).map(|_| app.add_member(500, 0))).await;
    let clients: Vec<reqwest::Client> = join_all(members.iter().map(|m| app.login(*m))).await;
    let id = causes(&clients[0], &app).await[1]["id"].as_i64().unwrap();
    // Each member sends three donations of 200 at once: two fit in 500.
    let replies = join_all(clients.iter().flat_map(|c| (0..3).map(move |k| (c, k))).map(|(c, k)| {
        let app = &app;
        async move { donate(c, app, id, 200, &format!("k{k}")).await.status() }
    }))
    .await;
    let given = replies.iter().filter(|s| **s == StatusCode::CREATED).count() as i64;
    assert_eq!(given, 20, "{replies:?}");
    let raised = causes(&clients[0], &app).await.iter().find(|c| c["id"] == id).unwrap()["raised"].as_i64().unwrap();
    let summed = app.scalar("SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM donations WHERE cause_id = $1", id).await;
    assert_eq!((raised, summed), (given * 200, given * 200));
    for m in members {
        app.assert_ledger(m).await;
    }
}
