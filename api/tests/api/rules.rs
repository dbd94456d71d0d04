//! Rules at run time: operators write versions (`PUT /api/admin/rules`), now or
//! scheduled; every action uses the version in force at its moment; nothing recorded
//! before a change moves (lots keep their expiry, history its amounts, members the tier
//! they reached); another replica sees a change within its refresh; bad changes are
//! refused field by field, and only operators may make them.

use std::time::{Duration, Instant};

use chrono::TimeZone;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::{
    helpers::{expect_error, json, spawn_app_at, spawn_replica, TestApp},
    points::check_in,
    staff::staff,
};

/// 2026-03-15 12:00 in Shanghai.
fn mid_march() -> i64 {
    chrono::Utc.with_ymd_and_hms(2026, 3, 15, 4, 0, 0).unwrap().timestamp()
}

/// A server at `mid_march` whose release rules have no early birds (round numbers).
async fn app() -> TestApp {
    spawn_app_at(Some(mid_march()), |c| c.release_rules.early_bird_count = 0).await
}

/// The rules in force, as the app reads them.
async fn rules(app: &TestApp) -> Value {
    json(app.client().get(app.url("/api/rules")).send().await.unwrap()).await
}

/// Sends `PUT /api/admin/rules` with `rules`, `extra` fields (`effective_at`, `reason`)
/// and the key `key`.
async fn put(c: &Client, app: &TestApp, key: &str, rules: &Value, extra: Value) -> reqwest::Response {
    let mut body = json!({ "rules": rules, "reason": "调整规则 rules test" });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    c.put(app.url("/api/admin/rules")).header("Idempotency-Key", key).json(&body).send().await.unwrap()
}

/// The rules in force with `change` applied.
async fn changed(app: &TestApp, change: impl FnOnce(&mut Value)) -> Value {
    let mut r = rules(app).await;
    change(&mut r);
    r
}

/// RFC 3339 of Unix second `t` in Shanghai.
fn rfc3339(t: i64) -> String {
    chrono_tz::Asia::Shanghai.timestamp_opt(t, 0).unwrap().to_rfc3339()
}

#[tokio::test]
async fn a_change_in_force_pays_its_numbers_at_once_audited_and_replayable() {
    let app = app().await;
    let ops = staff(&app, "ops").await;
    let overview = json(ops.get(app.url("/api/admin/rules")).send().await.unwrap()).await;
    assert_eq!(overview["in_force"]["version"], 1, "{overview}");
    assert_eq!(overview["in_force"]["actor"], "release");
    assert_eq!((overview["scheduled"].as_array().unwrap().len(), overview["history"].as_array().unwrap().len()), (0, 0));

    let new = changed(&app, |r| r["checkin_ladder"] = json!([50, 50, 50])).await;
    let res = put(&ops, &app, "rules-1", &new, json!({})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let version = json(res).await;
    assert_eq!(version["version"], 2);
    assert_eq!(version["actor"], "ops");
    assert_eq!(version["reason"], "调整规则 rules test");
    assert_eq!(rules(&app).await["checkin_ladder"], json!([50, 50, 50]), "in force at once");

    let member = app.login(6).await;
    let (status, body) = check_in(&member, &app).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["points"], 50, "the new ladder pays: {body}");

    // A retry replays the first answer and writes nothing more; the key with another body
    // is refused.
    let replay = put(&ops, &app, "rules-1", &new, json!({})).await;
    assert_eq!(replay.status(), StatusCode::CREATED);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(json(replay).await["version"], 2);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM rule_versions WHERE version >= $1", 1).await, 2);
    let other = changed(&app, |r| r["checkin_ladder"] = json!([60])).await;
    expect_error(put(&ops, &app, "rules-1", &other, json!({})).await, StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused").await;
    let missing = ops.put(app.url("/api/admin/rules")).json(&json!({ "rules": other, "reason": "no key" })).send().await.unwrap();
    expect_error(missing, StatusCode::BAD_REQUEST, "idempotency_key_missing").await;

    // Audited: who (the account of the session) and why, before and after.
    let audit = json(ops.get(app.url("/api/admin/audit")).send().await.unwrap()).await;
    let entry = &audit["entries"][0];
    assert_eq!(
        (entry["action"].as_str(), entry["actor"].as_str(), entry["target_id"].as_str()),
        (Some("rules.change"), Some("ops"), Some("2"))
    );
    let (before, after): (Value, Value) =
        (serde_json::from_str(entry["before"].as_str().unwrap()).unwrap(), serde_json::from_str(entry["after"].as_str().unwrap()).unwrap());
    assert_eq!((after["version"].as_i64(), after["reason"].as_str()), (Some(2), Some("调整规则 rules test")));
    assert_eq!(after["rules"]["checkin_ladder"], json!([50, 50, 50]));
    assert_eq!(before["version"], 1);
    assert_eq!(before["rules"]["checkin_ladder"], json!([5, 5, 10, 10, 15, 15, 30]));
    let by_account =
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'rules.change' AND staff_id IS NOT NULL AND id >= $1", 1).await;
    assert_eq!(by_account, 1);
    let stored = app.scalar("SELECT COUNT(*) FROM rule_versions WHERE version = $1 AND staff_id IS NOT NULL", 2).await;
    assert_eq!(stored, 1, "the version names its staff account");

    let overview = json(ops.get(app.url("/api/admin/rules")).send().await.unwrap()).await;
    assert_eq!(overview["in_force"]["version"], 2);
    assert_eq!(overview["history"][0]["version"], 1);
}

#[tokio::test]
async fn a_scheduled_change_takes_effect_when_the_clock_passes_it_and_not_before() {
    let app = app().await;
    let ops = staff(&app, "ops").await;
    let member = app.login(6).await;
    let now = app.state.clock.now_secs();
    let new = changed(&app, |r| r["checkin_ladder"] = json!([40])).await;

    // Not later than now: refused.
    for past in [now - 60, now] {
        let body = expect_error(
            put(&ops, &app, &format!("past-{past}"), &new, json!({ "effective_at": rfc3339(past) })).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(body["error"]["details"]["fields"][0]["field"], "effective_at", "{body}");
    }
    let bad = put(&ops, &app, "bad-time", &new, json!({ "effective_at": "tomorrow" })).await;
    let body = expect_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["error"]["details"]["fields"][0]["field"], "effective_at");

    let at = now + 86_400;
    let res = put(&ops, &app, "scheduled", &new, json!({ "effective_at": rfc3339(at) })).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(json(res).await["effective_at"], rfc3339(at));
    let overview = json(ops.get(app.url("/api/admin/rules")).send().await.unwrap()).await;
    assert_eq!((overview["in_force"]["version"].as_i64(), overview["scheduled"][0]["version"].as_i64()), (Some(1), Some(2)));

    // Before its moment: the old ladder.
    assert_eq!(rules(&app).await["checkin_ladder"], json!([5, 5, 10, 10, 15, 15, 30]));
    let (_, today) = check_in(&member, &app).await;
    assert_eq!(today["points"], 5, "{today}");
    app.state.clock.advance(86_400 - 1);
    assert_eq!(rules(&app).await["checkin_ladder"], json!([5, 5, 10, 10, 15, 15, 30]), "one second before");

    // From its moment on: the new one, on the next day's check-in.
    app.state.clock.advance(1);
    assert_eq!(rules(&app).await["checkin_ladder"], json!([40]));
    let (_, next) = check_in(&member, &app).await;
    assert_eq!(next["points"], 40, "{next}");
    let ops = staff(&app, "ops").await; // a day later: the staff session ended
                                        // A retry of the change replays its answer, though its moment has passed.
    let retry = put(&ops, &app, "scheduled", &new, json!({ "effective_at": rfc3339(at) })).await;
    assert_eq!((retry.status(), retry.headers()["idempotent-replayed"].to_str().unwrap()), (StatusCode::CREATED, "true"));
    let overview = json(ops.get(app.url("/api/admin/rules")).send().await.unwrap()).await;
    assert_eq!(overview["in_force"]["version"], 2);
    assert_eq!(overview["scheduled"], json!([]));
    assert_eq!(overview["history"][0]["version"], 1);
    app.assert_ledger(6).await;
}

#[tokio::test]
async fn a_change_is_never_retroactive() {
    let app = app().await;
    let ops = staff(&app, "ops").await;
    // One check-in short of Silver (1,000 growth; a check-in gives 5).
    let climber = app.add_member(0, 995).await;
    let c = app.login(climber).await;
    check_in(&c, &app).await;
    let me = json(c.get(app.url("/api/me")).send().await.unwrap()).await;
    assert_eq!((me["tier"].as_str(), me["growth"].as_i64()), (Some("silver"), Some(1_000)));
    let lots_before = json(c.get(app.url("/api/lots")).send().await.unwrap()).await;
    assert_eq!(lots_before.as_array().unwrap().len(), 1);
    let history = "SELECT amount FROM history WHERE member_id = $1 ORDER BY id";
    let history_before = app.rows(history, &[climber]).await;
    let events = "SELECT COUNT(*) FROM member_events WHERE member_id = $1";
    let events_before = app.scalar(events, climber).await;

    // Lots live one month from now on; Silver starts at 2,000, Gold at 6,000.
    let new = changed(&app, |r| {
        r["lot_lifetime_months"] = json!(1);
        r["tiers"]["thresholds"] = json!([2_000, 6_000, 25_000]);
        r["checkin_ladder"] = json!([7]);
    })
    .await;
    assert_eq!(put(&ops, &app, "forward", &new, json!({})).await.status(), StatusCode::CREATED);

    // The member keeps the tier it reached, and is told nothing.
    let me = json(c.get(app.url("/api/me")).send().await.unwrap()).await;
    assert_eq!(me["tier"], "silver", "a raised threshold demotes nobody: {me}");
    assert_eq!(me["next_tier"], json!({ "tier": "gold", "growth_from": 6_000 }));
    assert_eq!(me["tier_growth_from"], 1_000, "at most the member's growth");
    assert_eq!(app.scalar(events, climber).await, events_before, "no notice about tiers");
    let search = json(ops.get(app.url(&format!("/api/admin/members/{climber}"))).send().await.unwrap()).await;
    assert_eq!(search["tier"], "silver", "{search}");
    // Its lot keeps its expiry and its history its amounts.
    assert_eq!(json(c.get(app.url("/api/lots")).send().await.unwrap()).await, lots_before);
    assert_eq!(app.rows(history, &[climber]).await, history_before);

    // What happens from now on follows the new version: a lot earned now lives a month.
    app.state.clock.advance(86_400);
    let (_, next) = check_in(&c, &app).await;
    assert_eq!(next["points"], 7);
    let lots = json(c.get(app.url("/api/lots")).send().await.unwrap()).await;
    let expiries: Vec<&str> = lots.as_array().unwrap().iter().map(|l| l["expires_on"].as_str().unwrap()).collect();
    assert_eq!(expiries, vec!["2026-04-16", "2027-03-15"], "the new lot lives a month, the old one a year");
    // Reaching 1,000 growth now is no longer Silver.
    let newcomer = app.add_member(0, 995).await;
    let n = app.login(newcomer).await;
    check_in(&n, &app).await;
    let me = json(n.get(app.url("/api/me")).send().await.unwrap()).await;
    assert_eq!((me["tier"].as_str(), me["growth"].as_i64()), (Some("member"), Some(1_000)));
    assert_eq!(me["next_tier"], json!({ "tier": "silver", "growth_from": 2_000 }));
    app.assert_ledger(climber).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn another_replica_sees_a_new_version_within_its_refresh() {
    let a = app().await;
    let b = spawn_replica(&a).await;
    let ops = staff(&a, "ops").await;
    let new = changed(&a, |r| r["checkin_ladder"] = json!([25])).await;
    assert_eq!(put(&ops, &a, "replicas", &new, json!({})).await.status(), StatusCode::CREATED);
    let written = Instant::now();
    assert_eq!(rules(&a).await["checkin_ladder"], json!([25]), "the writing replica at once");
    let refresh = b.state.config.limits.rules_refresh;
    loop {
        if rules(&b).await["checkin_ladder"] == json!([25]) {
            break;
        }
        assert!(written.elapsed() < refresh + Duration::from_secs(3), "replica b still serves the old rules");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The operator's overview reads the database: b shows the change too.
    let overview = json(staff(&b, "ops").await.get(b.url("/api/admin/rules")).send().await.unwrap()).await;
    assert_eq!(overview["in_force"]["version"], 2);
    let member = b.login(6).await;
    assert_eq!(check_in(&member, &b).await.1["points"], 25, "a check-in on b pays the new ladder");
}

/// A change to the rules' JSON.
type Change = dyn Fn(&mut Value);

#[tokio::test]
async fn bad_changes_are_refused_by_field_and_only_operators_change_rules() {
    let app = app().await;
    let ops = staff(&app, "ops").await;
    let cases: Vec<(&str, Box<Change>)> = vec![
        ("checkin_ladder[1]", Box::new(|r| r["checkin_ladder"] = json!([5, -1]))),
        ("checkin_ladder", Box::new(|r| r["checkin_ladder"] = json!([]))),
        ("checkin_ladder", Box::new(|r| r["checkin_ladder"] = json!(vec![1; 32]))),
        ("tiers.thresholds", Box::new(|r| r["tiers"]["thresholds"] = json!([5_000, 1_000, 20_000]))),
        ("perks[2].multiplier", Box::new(|r| r["perks"][2]["multiplier"] = json!("10.5"))),
        ("perks[0].multiplier", Box::new(|r| r["perks"][0]["multiplier"] = json!("0"))),
        ("lot_lifetime_months", Box::new(|r| r["lot_lifetime_months"] = json!(121))),
        ("coupon_valid_days", Box::new(|r| r["coupon_valid_days"] = json!(0))),
        ("register_points", Box::new(|r| r["register_points"] = json!(-500))),
        ("makeup_cost", Box::new(|r| r["makeup_cost"] = json!(-1))),
        ("tasks[0].points", Box::new(|r| r["tasks"][0]["points"] = json!(-5))),
        ("perks", Box::new(|r| r["perks"].as_array_mut().unwrap().pop().map(|_| ()).unwrap())),
        // The host shop's contract: fixed by the release.
        ("point_value", Box::new(|r| r["point_value"] = json!("0.02"))),
        ("deduction_max_share", Box::new(|r| r["deduction_max_share"] = json!("0.9"))),
        ("deduction_min_points", Box::new(|r| r["deduction_min_points"] = json!(1))),
        ("tasks", Box::new(|r| r["tasks"][0]["task"] = json!("like"))),
    ];
    for (i, (field, change)) in cases.iter().enumerate() {
        let bad = changed(&app, change).await;
        let body = expect_error(
            put(&ops, &app, &format!("bad-{i}"), &bad, json!({})).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        let fields: Vec<&str> =
            body["error"]["details"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
        assert!(fields.contains(field), "{field} not named: {body}");
        assert!(body["error"]["message"].as_str().unwrap().contains(field), "{body}");
    }
    let same = rules(&app).await;
    for (i, reason) in ["", "   ", "x\u{202e}y"].into_iter().enumerate() {
        let body = expect_error(
            put(&ops, &app, &format!("reason-{i}"), &same, json!({ "reason": reason })).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(body["error"]["details"]["fields"][0]["field"], "reason");
    }
    // Unknown fields (a typo) and a missing reason are refused too.
    let mut typo = same.clone();
    typo["checkin_ladderr"] = json!([1]);
    expect_error(put(&ops, &app, "typo", &typo, json!({})).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let no_reason =
        ops.put(app.url("/api/admin/rules")).header("Idempotency-Key", "no-reason").json(&json!({ "rules": same })).send().await;
    expect_error(no_reason.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    // Members, merchants and strangers may not.
    let member = app.login(6).await;
    let merchant = staff(&app, "starbucks").await;
    for c in [member, merchant, app.client()] {
        expect_error(put(&c, &app, "not-ops", &same, json!({})).await, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(c.get(app.url("/api/admin/rules")).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM rule_versions WHERE version >= $1", 1).await, 1, "nothing written");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'rules.change' AND id >= $1", 1).await, 0);
}

#[tokio::test]
async fn version_one_is_written_once_however_often_the_server_starts() {
    let app = app().await;
    let again = spawn_replica(&app).await;
    assert_eq!(again.scalar("SELECT COUNT(*) FROM rule_versions WHERE version >= $1", 1).await, 1);
    assert_eq!(rules(&again).await, rules(&app).await);
}
