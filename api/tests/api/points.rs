//! The points engine over HTTP: check-ins (ladder, early birds, make-ups, local-day
//! boundaries), tasks and caps, the signed purchase hook, invites, operator endpoints,
//! order cancel with refunds into lots, and expiry.

use chrono::TimeZone;
use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{balance, expect_error, json, post, redeem, spawn_app, spawn_app_at, spawn_app_with, TestApp};

/// 2026-03-15 12:00 in Shanghai: mid-month, so make-ups have past days to work with.
fn mid_march() -> i64 {
    chrono::Utc.with_ymd_and_hms(2026, 3, 15, 4, 0, 0).unwrap().timestamp()
}

pub(crate) async fn check_in(c: &reqwest::Client, app: &TestApp) -> (StatusCode, Value) {
    let res = c.post(app.url("/api/checkins")).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap())
}

#[tokio::test]
async fn check_in_once_a_day_with_the_ladder_and_day_seven_double() {
    let app = spawn_app_at(Some(mid_march()), |c| c.release_rules.early_bird_count = 0).await;
    let c = app.login(6).await;
    let start = balance(&c, &app).await;
    let checkins_before = app.scalar("SELECT COUNT(*) FROM history WHERE member_id = $1 AND kind = 'checkin'", 6).await;
    let mut earned = 0;
    let mut seen = Vec::new();
    for day in 0..8 {
        let (status, body) = check_in(&c, &app).await;
        assert_eq!(status, StatusCode::CREATED, "day {day}");
        assert_eq!(body["checked_in"], true);
        assert_eq!(body["streak"], day + 1);
        seen.push(body["points"].as_i64().unwrap());
        earned += body["points"].as_i64().unwrap();
        // A second tap the same day: nothing.
        let (again, body2) = check_in(&c, &app).await;
        assert_eq!(again, StatusCode::OK);
        assert_eq!(body2["checked_in"], false);
        assert_eq!(body2["points"], 0);
        app.state.clock.advance(86_400);
    }
    assert_eq!(seen, vec![5, 5, 10, 10, 15, 15, 30, 5]);
    assert_eq!(balance(&c, &app).await, start + earned);
    let checkins = app.scalar("SELECT COUNT(*) FROM history WHERE member_id = $1 AND kind = 'checkin'", 6).await;
    assert_eq!(checkins - checkins_before, 8, "one history entry per check-in");
    app.assert_ledger(6).await;
}

#[tokio::test]
async fn a_missed_day_restarts_the_streak() {
    let app = spawn_app_at(Some(mid_march()), |c| c.release_rules.early_bird_count = 0).await;
    let c = app.login(6).await;
    for _ in 0..3 {
        check_in(&c, &app).await;
        app.state.clock.advance(86_400);
    }
    app.state.clock.advance(86_400); // skip a day
    let (_, body) = check_in(&c, &app).await;
    assert_eq!(body["streak"], 1);
    assert_eq!(body["points"], 5);
}

#[tokio::test]
async fn early_birds_get_double_and_the_n_plus_first_does_not() {
    let app = spawn_app_at(Some(mid_march()), |c| c.release_rules.early_bird_count = 2).await;
    let mut points = Vec::new();
    for member in [1, 2, 3] {
        let c = app.login(member).await;
        let (_, body) = check_in(&c, &app).await;
        points.push((body["points"].as_i64().unwrap(), body["early_bird"].as_bool().unwrap()));
    }
    assert_eq!(points, vec![(10, true), (10, true), (5, false)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_simultaneous_check_ins_give_one() {
    let app = spawn_app().await;
    let c = app.login(5).await;
    let before = balance(&c, &app).await;
    let results = join_all((0..100).map(|_| check_in(&c, &app))).await;
    let created = results.iter().filter(|(s, _)| *s == StatusCode::CREATED).count();
    let repeats = results.iter().filter(|(s, b)| *s == StatusCode::OK && b["checked_in"] == false).count();
    assert_eq!((created, repeats), (1, 99));
    let credited = results.iter().find(|(s, _)| *s == StatusCode::CREATED).unwrap().1["points"].as_i64().unwrap();
    assert_eq!(balance(&c, &app).await, before + credited);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM checkins WHERE member_id = $1", 5).await, 1);
    app.assert_ledger(5).await;
}

#[tokio::test]
async fn local_day_boundaries_in_shanghai_and_new_york_with_a_utc_server() {
    for (zone, local_midnight_utc) in [
        (chrono_tz::Asia::Shanghai, chrono::Utc.with_ymd_and_hms(2026, 3, 15, 16, 0, 0).unwrap().timestamp()),
        (chrono_tz::America::New_York, chrono::Utc.with_ymd_and_hms(2026, 3, 16, 4, 0, 0).unwrap().timestamp()),
    ] {
        // 23:59:59 local.
        let app = spawn_app_at(Some(local_midnight_utc - 1), |c| c.zone = zone).await;
        let c = app.login(6).await;
        let (first, body) = check_in(&c, &app).await;
        assert_eq!(first, StatusCode::CREATED, "{zone}");
        assert_eq!(body["calendar"]["today"], "2026-03-15", "{zone}");
        // 00:00:00 local: a new day.
        app.state.clock.set_now(local_midnight_utc);
        let (second, body) = check_in(&c, &app).await;
        assert_eq!(second, StatusCode::CREATED, "{zone}: midnight opens a new day");
        assert_eq!(body["calendar"]["today"], "2026-03-16", "{zone}");
        assert_eq!(body["streak"], 2, "{zone}");
        // Still 00:00:00: the same day.
        let (third, _) = check_in(&c, &app).await;
        assert_eq!(third, StatusCode::OK, "{zone}");
        assert!(
            body["calendar"]["resets_at"].as_str().unwrap().starts_with("2026-03-17T00:00:00"),
            "{zone}: {}",
            body["calendar"]["resets_at"]
        );
    }
}

#[tokio::test]
async fn make_ups_cost_points_repair_the_streak_and_are_limited() {
    let app = spawn_app_at(Some(mid_march()), |c| c.release_rules.early_bird_count = 0).await;
    let c = app.login(6).await; // Member tier: no free make-ups
    check_in(&c, &app).await; // 13th? no: today is the 15th
    app.state.clock.advance(-2 * 86_400); // the 13th
    check_in(&c, &app).await;
    app.state.clock.advance(2 * 86_400); // back to the 15th; the 14th was missed
    let before = balance(&c, &app).await;
    let key = |k: &str| k.to_string();
    let res = c
        .post(app.url("/api/checkins/makeup"))
        .header("Idempotency-Key", key("m1"))
        .json(&json!({"date": "2026-03-14"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["cost"], 20);
    assert_eq!(body["balance"], before - 20);
    assert_eq!(body["calendar"]["streak"], 3, "13, 14 (made up), 15");
    let day14 = body["calendar"]["days"].as_array().unwrap().iter().find(|d| d["date"] == "2026-03-14").unwrap().clone();
    assert_eq!(day14["state"], "made_up");
    // A retry with the same key replays; nothing moves.
    let again =
        c.post(app.url("/api/checkins/makeup")).header("Idempotency-Key", "m1").json(&json!({"date": "2026-03-14"})).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(balance(&c, &app).await, before - 20);

    expect_error(post(&c, &app, "/api/checkins/makeup", json!({"date": "2026-03-14"})).await, StatusCode::CONFLICT, "already_checked_in")
        .await;
    expect_error(
        post(&c, &app, "/api/checkins/makeup", json!({"date": "2026-03-15"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "makeup_not_allowed",
    )
    .await;
    expect_error(
        post(&c, &app, "/api/checkins/makeup", json!({"date": "2026-02-27"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "makeup_not_allowed",
    )
    .await;
    expect_error(
        post(&c, &app, "/api/checkins/makeup", json!({"date": "15/03/2026"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(post(&c, &app, "/api/checkins/makeup", json!({"date": "2026-03-10"})).await.status(), StatusCode::CREATED);
    expect_error(post(&c, &app, "/api/checkins/makeup", json!({"date": "2026-03-11"})).await, StatusCode::CONFLICT, "makeup_limit_reached")
        .await;
    app.assert_ledger(6).await;

    // A Silver member's first make-up of the month is free.
    let silver = app.login(4).await;
    let before = balance(&silver, &app).await;
    let body = json(post(&silver, &app, "/api/checkins/makeup", json!({"date": "2026-03-01"})).await).await;
    assert_eq!(body["cost"], 0);
    assert_eq!(balance(&silver, &app).await, before);
    let body = json(post(&silver, &app, "/api/checkins/makeup", json!({"date": "2026-03-02"})).await).await;
    assert_eq!(body["cost"], 20);

    // Member 7 holds 35 points: one paid make-up (20), then 15 left is not enough.
    let poor = app.login(7).await;
    assert_eq!(balance(&poor, &app).await, 35);
    assert_eq!(json(post(&poor, &app, "/api/checkins/makeup", json!({"date": "2026-03-03"})).await).await["cost"], 20);
    let res = post(&poor, &app, "/api/checkins/makeup", json!({"date": "2026-03-04"})).await;
    expect_error(res, StatusCode::CONFLICT, "insufficient_points").await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM checkins WHERE member_id = $1", 7).await, 1, "the refused make-up left no day behind");
    assert_eq!(balance(&poor, &app).await, 15);
    app.assert_ledger(7).await;
}

#[tokio::test]
async fn tasks_pay_until_their_caps_then_answer_zero_with_a_reason() {
    let app = spawn_app().await;
    let c = app.login(5).await;
    let claim = |task: &'static str| {
        let (c, app) = (&c, &app);
        async move { json(c.post(app.url(&format!("/api/tasks/{task}/claim"))).send().await.unwrap()).await }
    };
    for _ in 0..3 {
        let a = claim("share").await;
        assert_eq!(a["awarded"], 5);
        assert_eq!(a["growth"], 1);
    }
    let capped = claim("share").await;
    assert_eq!(capped["awarded"], 0);
    assert_eq!(capped["reason"], "task_daily_cap");
    assert_eq!(claim("review").await["awarded"], 10);
    // The profile task is the mall's to credit (a complete profile), not a tap's.
    assert_eq!(claim("profile").await["error"]["code"], "task_off");
    let list = json(c.get(app.url("/api/tasks")).send().await.unwrap()).await;
    let share = list["tasks"].as_array().unwrap().iter().find(|t| t["task"] == "share").unwrap().clone();
    assert_eq!((share["done_today"].as_i64(), share["left_today"].as_i64(), share["claimable"].as_bool()), (Some(3), Some(0), Some(false)));
    assert_eq!(list["left_today"], 15 - 4);
    expect_error(c.post(app.url("/api/tasks/dance/claim")).send().await.unwrap(), StatusCode::NOT_FOUND, "task_not_found").await;
    // The next day the daily cap resets; the lifetime cap (100 points of sharing) does not.
    app.state.clock.advance(86_400);
    assert_eq!(claim("share").await["awarded"], 5);
    app.assert_ledger(5).await;
}

#[tokio::test]
async fn the_all_task_daily_cap_and_lifetime_points_cap() {
    let app = spawn_app_with(|c| {
        c.release_rules.tasks_per_day = 4;
        c.release_rules.tasks.iter_mut().find(|t| t.task == "share").unwrap().lifetime_points = Some(10);
    })
    .await;
    let c = app.login(5).await;
    let mut got = Vec::new();
    for task in ["share", "share", "share", "review", "review", "review"] {
        let a = json(c.post(app.url(&format!("/api/tasks/{task}/claim"))).send().await.unwrap()).await;
        got.push((a["awarded"].as_i64().unwrap(), a["reason"].as_str().map(String::from)));
    }
    assert_eq!(
        got,
        vec![(5, None), (5, None), (0, Some("lifetime_cap".into())), (10, None), (10, None), (0, Some("daily_task_cap".into())),]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_simultaneous_claims_past_a_cap_pay_exactly_the_cap() {
    let app = spawn_app().await;
    let c = app.login(3).await;
    let before = balance(&c, &app).await;
    let results = join_all((0..100).map(|_| {
        let (c, app) = (&c, &app);
        async move { json(c.post(app.url("/api/tasks/review/claim")).send().await.unwrap()).await }
    }))
    .await;
    let paid = results.iter().filter(|a| a["awarded"] == 10).count();
    assert_eq!(paid, 5, "review pays 5 times a day");
    assert!(results.iter().filter(|a| a["awarded"] == 0).all(|a| a["reason"] == "task_daily_cap"));
    assert_eq!(balance(&c, &app).await, before + 50);
    app.assert_ledger(3).await;
}

fn sign_hook(app: &TestApp, ts: i64, body: &str) -> String {
    app.sign(ts, "/api/hooks/purchase", None, body)
}

async fn report(app: &TestApp, body: &str, ts: i64, sig: Option<String>) -> reqwest::Response {
    let sig = sig.unwrap_or_else(|| sign_hook(app, ts, body));
    reqwest::Client::new()
        .post(app.url("/api/hooks/purchase"))
        .header("content-type", "application/json")
        .header("x-mall-timestamp", ts.to_string())
        .header("x-mall-signature", sig)
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_signed_purchase_hook() {
    let app = spawn_app().await;
    let now = app.state.clock.now_secs();
    let c = app.login(1).await; // Gold: ×1.5
    let before = json(c.get(app.url("/api/me")).send().await.unwrap()).await;
    // A settles_at in the past: the points settle at once.
    let body = r#"{"purchase_id":"P-1","member_id":1,"paid":"99.99","settles_at":"2020-01-01T00:00:00Z"}"#;
    let res = report(&app, body, now, None).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let credit = json(res).await;
    assert_eq!(credit["points"], 148, "floor(99 × 1.5)");
    assert_eq!(credit["growth"], 99);
    let after = json(c.get(app.url("/api/me")).send().await.unwrap()).await;
    assert_eq!(after["balance"].as_i64().unwrap(), before["balance"].as_i64().unwrap() + 148);
    assert_eq!(after["growth"].as_i64().unwrap(), before["growth"].as_i64().unwrap() + 99);

    // The same id and body: the first answer again, and nothing credited twice.
    let replay = report(&app, body, now, None).await;
    assert_eq!(replay.status(), StatusCode::CREATED);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(json(replay).await, credit);
    let again = json(c.get(app.url("/api/me")).send().await.unwrap()).await;
    assert_eq!(again["balance"], after["balance"]);
    // The same id with another body is refused.
    let changed = r#"{"purchase_id":"P-1","member_id":1,"paid":"10.00"}"#;
    expect_error(report(&app, changed, now, None).await, StatusCode::CONFLICT, "purchase_id_reused").await;
    let other = r#"{"purchase_id":"P-2","member_id":1,"paid":"10.00"}"#;
    expect_error(report(&app, other, now, Some(sign_hook(&app, now, body))).await, StatusCode::UNAUTHORIZED, "signature_invalid").await;
    expect_error(report(&app, other, now, Some("zz".into())).await, StatusCode::UNAUTHORIZED, "signature_invalid").await;
    expect_error(report(&app, other, now - 3600, None).await, StatusCode::UNAUTHORIZED, "stale_request").await;
    let unknown = r#"{"purchase_id":"P-3","member_id":999,"paid":"10.00"}"#;
    expect_error(report(&app, unknown, now, None).await, StatusCode::NOT_FOUND, "member_not_found").await;
    let negative = r#"{"purchase_id":"P-4","member_id":1,"paid":"-1"}"#;
    expect_error(report(&app, negative, now, None).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    app.assert_ledger(1).await;
}

#[tokio::test]
async fn invites_are_credited_on_the_first_purchase_only_and_capped_per_month() {
    let app = spawn_app_with(|c| c.release_rules.invites_per_month = 1).await;
    let now = app.state.clock.now_secs();
    let inviter = app.login(5).await;
    let code = json(inviter.get(app.url("/api/invite")).send().await.unwrap()).await["code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 8);
    expect_error(
        post(&inviter, &app, "/api/invites/accept", json!({"code": code})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invite_invalid",
    )
    .await;

    let friend = app.login(6).await;
    assert_eq!(post(&friend, &app, "/api/invites/accept", json!({"code": code.to_lowercase()})).await.status(), StatusCode::CREATED);
    expect_error(post(&friend, &app, "/api/invites/accept", json!({"code": code})).await, StatusCode::CONFLICT, "already_invited").await;
    let second = app.login(7).await;
    assert_eq!(post(&second, &app, "/api/invites/accept", json!({"code": code})).await.status(), StatusCode::CREATED);

    let inviter_before = balance(&inviter, &app).await;
    let friend_before = balance(&friend, &app).await;
    let credit =
        json(report(&app, r#"{"settles_at":"2020-01-01T00:00:00Z","purchase_id":"F-1","member_id":6,"paid":"10"}"#, now, None).await).await;
    assert_eq!(credit["invite"]["awarded"], 100);
    assert_eq!(balance(&inviter, &app).await, inviter_before + 100);
    assert_eq!(balance(&friend, &app).await, friend_before + 10 + 50);
    // A second purchase credits no invite.
    let again =
        json(report(&app, r#"{"settles_at":"2020-01-01T00:00:00Z","purchase_id":"F-2","member_id":6,"paid":"10"}"#, now, None).await).await;
    assert!(again["invite"].is_null());
    // The second friend's first purchase is over the inviter's monthly cap of 1.
    let capped =
        json(report(&app, r#"{"settles_at":"2020-01-01T00:00:00Z","purchase_id":"S-1","member_id":7,"paid":"10"}"#, now, None).await).await;
    assert_eq!(capped["invite"]["awarded"], 0);
    assert_eq!(capped["invite"]["reason"], "monthly_invite_cap");
    assert_eq!(balance(&inviter, &app).await, inviter_before + 100);
    for m in [5, 6, 7] {
        app.assert_ledger(m).await;
    }
}

#[tokio::test]
async fn an_invite_is_refused_once_the_member_has_bought_and_nothing_is_credited() {
    let app = spawn_app().await;
    let now = app.state.clock.now_secs();
    let inviter = app.login(5).await;
    let code = json(inviter.get(app.url("/api/invite")).send().await.unwrap()).await["code"].as_str().unwrap().to_string();
    // Before any purchase: accepted.
    let newcomer = app.login(6).await;
    assert_eq!(post(&newcomer, &app, "/api/invites/accept", json!({"code": code})).await.status(), StatusCode::CREATED);
    // After a purchase (even one still pending): refused, nothing recorded or credited.
    let buyer = app.login(7).await;
    let pending = r#"{"purchase_id":"B-1","member_id":7,"paid":"10"}"#;
    assert_eq!(report(&app, pending, now, None).await.status(), StatusCode::CREATED);
    let (inviter_before, buyer_before) = (balance(&inviter, &app).await, balance(&buyer, &app).await);
    expect_error(post(&buyer, &app, "/api/invites/accept", json!({"code": code})).await, StatusCode::CONFLICT, "invite_too_late").await;
    let info = json(buyer.get(app.url("/api/invite")).send().await.unwrap()).await;
    assert_eq!(info["invited"], false);
    let settled = r#"{"settles_at":"2020-01-01T00:00:00Z","purchase_id":"B-2","member_id":7,"paid":"10"}"#;
    assert!(json(report(&app, settled, now, None).await).await["invite"].is_null());
    assert_eq!(app.scalar("SELECT COUNT(*) FROM invites WHERE invitee_id = $1", 7).await, 0);
    assert_eq!(balance(&inviter, &app).await, inviter_before);
    assert_eq!(balance(&buyer, &app).await, buyer_before + 10);
    // A member who already accepted is told so first.
    let first = r#"{"purchase_id":"N-1","member_id":6,"paid":"10"}"#;
    assert_eq!(report(&app, first, now, None).await.status(), StatusCode::CREATED);
    expect_error(post(&newcomer, &app, "/api/invites/accept", json!({"code": code})).await, StatusCode::CONFLICT, "already_invited").await;
    for m in [5, 6, 7] {
        app.assert_ledger(m).await;
    }
}

#[tokio::test]
async fn a_purchase_and_an_accept_racing_never_accept_an_invite_after_the_purchase() {
    // The clock is frozen: an invite recorded before the purchase is always due with it.
    let app = spawn_app_at(Some(mid_march()), |c| c.release_rules.invites_per_month = 1000).await;
    let now = app.state.clock.now_secs();
    let inviter = app.login(5).await;
    let code = json(inviter.get(app.url("/api/invite")).send().await.unwrap()).await["code"].as_str().unwrap().to_string();
    let members: Vec<i64> = join_all((0..12).map(|_| app.add_member(0, 0))).await;
    let clients: Vec<reqwest::Client> = join_all(members.iter().map(|m| app.login(*m))).await;
    let races = members.iter().zip(&clients).map(|(m, c)| {
        let (app, code) = (&app, code.clone());
        async move {
            let body = format!(r#"{{"settles_at":"2020-01-01T00:00:00Z","purchase_id":"R-{m}","member_id":{m},"paid":"10"}}"#);
            let (accepted, credit) = tokio::join!(post(c, app, "/api/invites/accept", json!({"code": code})), async {
                json(report(app, &body, now, None).await).await
            });
            (*m, accepted.status(), credit)
        }
    });
    for (m, accepted, credit) in join_all(races).await {
        let invites = app.scalar("SELECT COUNT(*) FROM invites WHERE invitee_id = $1", m).await;
        if accepted == StatusCode::CREATED {
            // Recorded before the purchase: the purchase (settled at once) credited it.
            assert_eq!(credit["invite"]["awarded"], 100, "member {m}");
            assert_eq!(invites, 1);
        } else {
            assert_eq!(accepted, StatusCode::CONFLICT, "member {m}");
            assert!(credit["invite"].is_null(), "member {m}");
            assert_eq!(invites, 0);
        }
        app.assert_ledger(m).await;
    }
    app.assert_ledger(5).await;
}

fn operator(app: &TestApp, path: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new().post(app.url(path)).bearer_auth(app.state.config.operator_token.clone().unwrap())
}

#[tokio::test]
async fn operator_adjustments_and_members_refused() {
    let app = spawn_app().await;
    let member = app.login(6).await;
    let body = json!({"member_id": 6, "amount": 120, "reason": "客服补偿 / service credit"});
    expect_error(post(&member, &app, "/api/admin/adjustments", body.clone()).await, StatusCode::FORBIDDEN, "forbidden").await;
    let wrong = reqwest::Client::new().post(app.url("/api/admin/adjustments")).bearer_auth("guess").json(&body).send().await.unwrap();
    expect_error(wrong, StatusCode::FORBIDDEN, "forbidden").await;

    let before = balance(&member, &app).await;
    let res = operator(&app, "/api/admin/adjustments").header("Idempotency-Key", "adj-1").json(&body).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = operator(&app, "/api/admin/adjustments").header("Idempotency-Key", "adj-1").json(&body).send().await.unwrap();
    assert_eq!(res.headers()["idempotent-replayed"], "true");
    assert_eq!(balance(&member, &app).await, before + 120);
    let top = json(member.get(app.url("/api/history?limit=1")).send().await.unwrap()).await["entries"][0].clone();
    assert_eq!(top["kind"], "adjustment");
    assert_eq!(top["reference"]["label"]["zh"], "客服补偿 / service credit");

    let minus = json!({"member_id": 6, "amount": -(before + 1_000), "reason": "too much"});
    let res = operator(&app, "/api/admin/adjustments").header("Idempotency-Key", "adj-2").json(&minus).send().await.unwrap();
    expect_error(res, StatusCode::CONFLICT, "insufficient_points").await;
    let zero = json!({"member_id": 6, "amount": 0, "reason": "x"});
    let res = operator(&app, "/api/admin/adjustments").header("Idempotency-Key", "adj-3").json(&zero).send().await.unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let nobody = json!({"member_id": 999, "amount": 5, "reason": "x"});
    let res = operator(&app, "/api/admin/adjustments").header("Idempotency-Key", "adj-4").json(&nobody).send().await.unwrap();
    expect_error(res, StatusCode::NOT_FOUND, "member_not_found").await;
    app.assert_ledger(6).await;
}

async fn physical_item(app: &TestApp) -> i64 {
    app.scalar(
        "SELECT MIN(id) FROM items WHERE kind = 'physical' AND cash_fen IS NULL AND stock > 0 AND min_tier IS NULL AND points < $1",
        5_000,
    )
    .await
}

#[tokio::test]
async fn cancel_a_pending_order_returns_points_stock_and_limit() {
    let app = spawn_app().await;
    let c = app.login(2).await;
    let item = physical_item(&app).await;
    let before = balance(&c, &app).await;
    let stock = app.scalar("SELECT stock FROM items WHERE id = $1", item).await;
    let order = json(redeem(&c, &app, item, 1, "buy").await).await;
    let id = order["id"].as_i64().unwrap();
    let res = c.post(app.url(&format!("/api/orders/{id}/cancel"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(json(res).await["status"], "cancelled");
    assert_eq!(balance(&c, &app).await, before);
    assert_eq!(app.scalar("SELECT stock FROM items WHERE id = $1", item).await, stock);
    let top = json(c.get(app.url("/api/history?limit=1")).send().await.unwrap()).await["entries"][0].clone();
    assert_eq!(top["kind"], "refund");
    assert_eq!(top["amount"], order["points"]);
    expect_error(c.post(app.url(&format!("/api/orders/{id}/cancel"))).send().await.unwrap(), StatusCode::CONFLICT, "not_cancellable").await;
    // Someone else's order is not found; a virtual (fulfilled) one cannot be cancelled.
    let other = app.login(3).await;
    expect_error(other.post(app.url(&format!("/api/orders/{id}/cancel"))).send().await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;
    let voucher = json(redeem(&c, &app, 1, 1, "voucher").await).await;
    let vid = voucher["id"].as_i64().unwrap();
    expect_error(c.post(app.url(&format!("/api/orders/{vid}/cancel"))).send().await.unwrap(), StatusCode::CONFLICT, "not_cancellable")
        .await;
    app.assert_ledger(2).await;
}

#[tokio::test]
async fn operators_ship_and_deliver_and_shipped_orders_cannot_be_cancelled() {
    let app = spawn_app().await;
    let c = app.login(2).await;
    let order = json(redeem(&c, &app, physical_item(&app).await, 1, "ship").await).await;
    let id = order["id"].as_i64().unwrap();
    let deliver = || operator(&app, &format!("/api/admin/orders/{id}/deliver")).send();
    expect_error(deliver().await.unwrap(), StatusCode::CONFLICT, "invalid_transition").await;
    let ship = operator(&app, &format!("/api/admin/orders/{id}/ship")).json(&json!({"carrier": "EMS", "tracking_no": "EMS0001"})).send();
    assert_eq!(ship.await.unwrap().status(), StatusCode::OK);
    expect_error(c.post(app.url(&format!("/api/orders/{id}/cancel"))).send().await.unwrap(), StatusCode::CONFLICT, "not_cancellable").await;
    assert_eq!(deliver().await.unwrap().status(), StatusCode::OK);
    let orders = json(c.get(app.url("/api/orders")).send().await.unwrap()).await;
    assert_eq!(orders["orders"][0]["status"], "delivered");
    let res = post(&c, &app, &format!("/api/admin/orders/{id}/deliver"), json!({})).await;
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn a_refund_into_an_expired_lot_expires_again_at_once() {
    let app = spawn_app().await;
    let c = app.login(1).await; // its oldest lots expire within 30 days
    let item = physical_item(&app).await;
    let order = json(redeem(&c, &app, item, 1, "old-points").await).await;
    let id = order["id"].as_i64().unwrap();
    let lots = app
        .rows(
            "SELECT d.lot_id, l.expires_at FROM lot_debits d JOIN point_lots l ON l.id = d.lot_id JOIN orders o ON o.history_id = d.history_id WHERE o.id = $1",
            &[id],
        )
        .await;
    let first_expiry = lots.iter().map(|l| l[1]).min().unwrap();
    app.state.clock.set_now(first_expiry + 60);
    let c = app.login(1).await;
    let res = c.post(app.url(&format!("/api/orders/{id}/cancel"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let entries = json(c.get(app.url("/api/history?limit=3")).send().await.unwrap()).await["entries"].clone();
    assert_eq!(entries[0]["kind"], "expire", "the refunded points of the expired lot leave at once");
    assert_eq!(entries[1]["kind"], "refund");
    app.assert_ledger(1).await;
}

#[tokio::test]
async fn the_sweep_expires_everyone_and_is_idempotent() {
    let app = spawn_app().await;
    app.state.clock.advance(400 * 86_400);
    let n = app.sweep().await;
    assert!(n >= 6, "{n} members expired");
    assert_eq!(app.sweep().await, 0);
    for m in 1..=7 {
        app.assert_ledger(m).await;
        assert_eq!(app.scalar("SELECT balance FROM members WHERE id = $1", m).await, 0);
    }
    let res = operator(&app, "/api/admin/sweep").send().await.unwrap();
    assert_eq!(json(res).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn spends_racing_the_sweep_never_double_count() {
    let app = spawn_app().await;
    let first_expiry = app.scalar("SELECT MIN(expires_at) FROM point_lots WHERE member_id = $1 AND remaining > 0", 1).await;
    app.state.clock.set_now(first_expiry + 1);
    let c = app.login(1).await;
    app.set_item(1, 1000, 99).await;
    let spends = join_all((0..10).map(|i| {
        let (c, app) = (&c, &app);
        async move { redeem(c, app, 1, 1, &format!("race-{i}")).await.status() }
    }));
    let sweeps = join_all((0..5).map(|_| app.sweep()));
    let (spent, _) = tokio::join!(spends, sweeps);
    assert!(spent.iter().all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM history WHERE member_id = $1 AND kind = 'expire'", 1).await, 1);
    app.assert_ledger(1).await;
}

#[tokio::test]
async fn history_months_lots_rules_and_the_dev_clock() {
    let app = spawn_app().await;
    let c = app.login(1).await;
    let page = json(c.get(app.url("/api/history?limit=50")).send().await.unwrap()).await;
    let months = page["months"].as_array().unwrap();
    assert!(!months.is_empty());
    let income: i64 = months.iter().map(|m| m["income"].as_i64().unwrap()).sum();
    let spending: i64 = months.iter().map(|m| m["spending"].as_i64().unwrap()).sum();
    assert_eq!(income - spending, balance(&c, &app).await);
    let lots = json(c.get(app.url("/api/lots")).send().await.unwrap()).await;
    let lots = lots.as_array().unwrap();
    assert!(lots[0]["expiring_soon"].as_bool().unwrap());
    assert!(lots.windows(2).all(|w| w[0]["expires_on"].as_str() <= w[1]["expires_on"].as_str()));
    let rules = json(c.get(app.url("/api/rules")).send().await.unwrap()).await;
    assert_eq!(rules["checkin_ladder"], json!([5, 5, 10, 10, 15, 15, 30]));
    let before = app.state.clock.now_secs();
    let res = post(&c, &app, "/api/dev/clock", json!({"seconds": 86_400})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(app.state.clock.now_secs() >= before + 86_400);
}

#[tokio::test]
async fn the_dev_clock_is_absent_unless_enabled() {
    let app = spawn_app_with(|c| c.dev_clock = false).await;
    let c = app.login(1).await;
    expect_error(post(&c, &app, "/api/dev/clock", json!({"seconds": 60})).await, StatusCode::NOT_FOUND, "not_found").await;
}
