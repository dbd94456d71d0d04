//! The member profile (issue 28): a save that completes it credits the profile task once,
//! even under a storm of saves; the birthday is kept once; the birthday gift is on the
//! day, once a year, for a birthday recorded 30 days before; bad fields are typed
//! refusals; the profile task is not a tap.

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{expect_error, json, spawn_app_at, TestApp};

/// 2026-09-15 12:00 in the shop's zone (Asia/Shanghai).
const NOW: i64 = 1_789_444_800;
const DAY: i64 = 86_400;

async fn put(c: &reqwest::Client, app: &TestApp, body: Value) -> reqwest::Response {
    c.put(app.url("/api/me/profile")).json(&body).send().await.unwrap()
}

async fn gift(c: &reqwest::Client, app: &TestApp, key: &str) -> reqwest::Response {
    c.post(app.url("/api/me/birthday-gift")).header("Idempotency-Key", key).send().await.unwrap()
}

async fn task_entries(app: &TestApp, member: i64, kind: &str) -> i64 {
    app.scalar(&format!("SELECT COUNT(*) FROM history WHERE member_id = $1 AND kind = '{kind}'"), member).await
}

#[tokio::test]
async fn completing_the_profile_credits_its_task_once() {
    let app = spawn_app_at(Some(NOW), |_| {}).await;
    let member = app.add_member(0, 0).await;
    let c = app.login(member).await;
    let empty = json(c.get(app.url("/api/me/profile")).send().await.unwrap()).await;
    assert_eq!(
        (empty["display_name"].clone(), empty["birthday"].clone(), empty["notices_consent"].clone(), empty["complete"].clone()),
        (Value::Null, Value::Null, json!(false), json!(false))
    );
    assert_eq!(empty["birthday_gift"], json!({ "points": 100, "state": "none", "next_on": null }));
    // A name alone does not complete it.
    let named = json(put(&c, &app, json!({ "display_name": "  晓雨  " })).await).await;
    assert_eq!(
        (named["display_name"].clone(), named["complete"].clone(), named["task_awarded"].clone()),
        (json!("晓雨"), json!(false), json!(0))
    );
    // The birthday does: the task's 20 points, once.
    let done = json(put(&c, &app, json!({ "birthday": "1990-10-01", "notices_consent": true })).await).await;
    assert_eq!((done["complete"].clone(), done["task_awarded"].clone(), done["balance"].clone()), (json!(true), json!(20), json!(20)));
    assert_eq!(done["birthday_gift"]["state"], "later");
    // Too recent for this year's gift (16 days away): next year's.
    assert_eq!(done["birthday_gift"]["next_on"], "2027-10-01");
    let again = json(put(&c, &app, json!({ "display_name": "Xiaoyu" })).await).await;
    assert_eq!((again["task_awarded"].clone(), again["balance"].clone()), (json!(0), json!(20)));
    assert_eq!(task_entries(&app, member, "task").await, 1);
    // Nor can it be tapped.
    let tap = c.post(app.url("/api/tasks/profile/claim")).header("Idempotency-Key", "t").send().await.unwrap();
    expect_error(tap, StatusCode::FORBIDDEN, "task_off").await;
    app.assert_ledger(member).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_storm_of_complete_saves_credits_the_task_once() {
    let app = spawn_app_at(Some(NOW), |_| {}).await;
    let member = app.add_member(0, 0).await;
    let c = app.login(member).await;
    let body = json!({ "display_name": "Storm", "birthday": "1988-01-02" });
    let all = join_all((0..12).map(|_| put(&c, &app, body.clone()))).await;
    let mut awarded = 0;
    for res in all {
        assert_eq!(res.status(), StatusCode::OK);
        awarded += json(res).await["task_awarded"].as_i64().unwrap();
    }
    assert_eq!(awarded, 20, "one save of twelve credited the task");
    assert_eq!(task_entries(&app, member, "task").await, 1);
    app.assert_ledger(member).await;
}

#[tokio::test]
async fn the_birthday_is_kept_once_and_bad_fields_are_named() {
    let app = spawn_app_at(Some(NOW), |_| {}).await;
    let member = app.add_member(0, 0).await;
    let c = app.login(member).await;
    for (body, field) in [
        (json!({ "birthday": "2026-09-16" }), "birthday"),
        (json!({ "birthday": "1899-12-31" }), "birthday"),
        (json!({ "birthday": "1990-02-30" }), "birthday"),
        (json!({ "birthday": "1990-2-3" }), "birthday"),
        (json!({ "display_name": "" }), "display_name"),
        (json!({ "display_name": "a\u{202e}b" }), "display_name"),
        (json!({ "display_name": "名".repeat(21) }), "display_name"),
    ] {
        let refused = expect_error(put(&c, &app, body.clone()).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(refused["error"]["details"]["fields"][0]["field"], field, "{body}: {refused}");
    }
    assert!(put(&c, &app, json!({ "extra": 1 })).await.status().is_client_error(), "an unknown field is refused");
    assert_eq!(put(&c, &app, json!({ "birthday": "2000-02-29" })).await.status(), StatusCode::OK);
    // The same day again is fine; another one is refused, and nothing changed.
    assert_eq!(put(&c, &app, json!({ "birthday": "2000-02-29" })).await.status(), StatusCode::OK);
    expect_error(put(&c, &app, json!({ "birthday": "2000-03-01" })).await, StatusCode::CONFLICT, "birthday_locked").await;
    let kept = json(c.get(app.url("/api/me/profile")).send().await.unwrap()).await;
    assert_eq!(kept["birthday"], "2000-02-29");
    // 29 February is kept on 28 February in 2027.
    assert_eq!(kept["birthday_gift"]["next_on"], "2027-02-28");
}

#[tokio::test]
async fn the_birthday_gift_is_on_the_day_once_a_year() {
    let app = spawn_app_at(Some(NOW), |_| {}).await;
    let member = app.add_member(0, 0).await;
    let c = app.login(member).await;
    expect_error(gift(&c, &app, "g0").await, StatusCode::CONFLICT, "birthday_gift_unavailable").await;
    // Recorded on the day itself (a birthday of 15 September): not this year's gift.
    let saved = json(put(&c, &app, json!({ "birthday": "1995-09-15" })).await).await;
    assert_eq!(saved["birthday_gift"], json!({ "points": 100, "state": "later", "next_on": "2027-09-15" }));
    let refused = expect_error(gift(&c, &app, "g1").await, StatusCode::CONFLICT, "birthday_gift_unavailable").await;
    assert!(refused["error"]["message"].as_str().unwrap().contains("too recently"), "{refused}");
    // A month on: not the day.
    app.state.clock.advance(30 * DAY);
    let c = app.login(member).await;
    let refused = expect_error(gift(&c, &app, "g2").await, StatusCode::CONFLICT, "birthday_gift_unavailable").await;
    assert!(refused["error"]["message"].as_str().unwrap().contains("not the birthday"), "{refused}");
    // The next birthday (2027-09-15, noon): ready, given once; a retry with the same key
    // replays the answer, another key is refused.
    app.state.clock.set_now(NOW + 365 * DAY);
    let c = app.login(member).await; // a year on: a new session
    let profile = json(c.get(app.url("/api/me/profile")).send().await.unwrap()).await;
    assert_eq!(profile["birthday_gift"], json!({ "points": 100, "state": "ready", "next_on": "2027-09-15" }));
    let given = gift(&c, &app, "g3").await;
    assert_eq!(given.status(), StatusCode::OK);
    let given = json(given).await;
    assert_eq!((given["awarded"].clone(), given["balance"].clone()), (json!(100), json!(100)));
    let replay = gift(&c, &app, "g3").await;
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(json(replay).await, given);
    let refused = expect_error(gift(&c, &app, "g4").await, StatusCode::CONFLICT, "birthday_gift_unavailable").await;
    assert!(refused["error"]["message"].as_str().unwrap().contains("taken"), "{refused}");
    let profile = json(c.get(app.url("/api/me/profile")).send().await.unwrap()).await;
    assert_eq!(profile["birthday_gift"], json!({ "points": 100, "state": "taken", "next_on": "2028-09-15" }));
    // Booked as a birthday entry in the issued bucket; the books balance.
    assert_eq!(task_entries(&app, member, "birthday").await, 1);
    let history = json(c.get(app.url("/api/history")).send().await.unwrap()).await;
    assert_eq!(history["entries"][0]["kind"], "birthday", "{history}");
    app.assert_ledger(member).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_storm_of_gift_taps_gives_one_gift() {
    let app = spawn_app_at(Some(NOW - 400 * DAY), |_| {}).await;
    let member = app.add_member(0, 0).await;
    let c = app.login(member).await;
    assert_eq!(put(&c, &app, json!({ "birthday": "1995-09-15" })).await.status(), StatusCode::OK);
    app.state.clock.set_now(NOW);
    let c = app.login(member).await;
    let all = join_all((0..10).map(|i| {
        let (c, app) = (&c, &app);
        async move { gift(c, app, &format!("storm-{i}")).await.status() }
    }))
    .await;
    assert_eq!(all.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{all:?}");
    assert!(all.iter().all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT), "{all:?}");
    assert_eq!(task_entries(&app, member, "birthday").await, 1);
    app.assert_ledger(member).await;
}
