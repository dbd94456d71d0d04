//! Upgrades in place: a database written by the mall as it was at commit b895612 (through
//! its HTTP API: demo logins, redeems, a cancel, check-ins, flash-sale grabs, an operator
//! adjustment; `fixtures/upgrade-b895612/fill.rs`) is opened by this code, which applies
//! any newer migrations and must accept the applied ones unchanged (sqlx refuses an edited
//! migration). Balances, history, orders and codes read back exactly as the old API
//! answered them, the ledger balances, and the database takes new writes. An SQLite file
//! on both runs of the suite: PostgreSQL has no earlier release to upgrade from.

use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::{sqlite::SqliteConnectOptions, ConnectOptions};

use crate::helpers::{json, post, redeem, spawn_app_in, TestDb};

const DUMP: &str = include_str!("../fixtures/upgrade-b895612/mall.sql");
const EXPECTED: &str = include_str!("../fixtures/upgrade-b895612/expected.json");
/// When the fixture was written (2026-03-15 12:00 Shanghai), plus an hour.
const LATER: i64 = 1_773_547_200 + 3_600;

#[tokio::test]
async fn a_database_of_the_previous_release_upgrades_in_place() {
    let db = TestDb::sqlite();
    let mut conn = SqliteConnectOptions::new().filename(db.sqlite_path().unwrap()).create_if_missing(true).connect().await.unwrap();
    sqlx::raw_sql(DUMP).execute(&mut conn).await.unwrap();
    drop(conn);
    // The merchant token of the old release verified any code; now it names its merchant
    // by slug: the migration that made merchant records named them `merchant-<first sale>`
    // (瑞幸咖啡's is sale 4).
    let luckin = |c: &mut mall_api::config::Config| c.merchants = vec![("merchant-4".into(), "test-merchant-token-0123456789".into())];
    let app = spawn_app_in(std::sync::Arc::new(db), Some(LATER), luckin).await;
    let applied = app.rows("SELECT COUNT(*), MAX(version) FROM _sqlx_migrations WHERE success", &[]).await;
    let known = sqlx::migrate!("../migrations/sqlite").iter().count() as i64;
    assert_eq!(applied, [[known, known]], "every migration applied once, the new ones after the old");

    let expected: Value = serde_json::from_str(EXPECTED).unwrap();
    for member in [1, 2] {
        let was = &expected[member.to_string()];
        let c = app.login(member).await;
        let mut me = json(c.get(app.url("/api/me")).send().await.unwrap()).await;
        // Fields added since: nothing pending, no shortfall for the old data.
        for added in ["pending_points", "shortfall_points"] {
            assert_eq!(me.as_object_mut().unwrap().remove(added), Some(Value::from(0)), "member {member}: {added}");
        }
        assert_eq!(me, was["me"], "member {member}: /api/me");
        let history = json(c.get(app.url("/api/history?limit=50")).send().await.unwrap()).await;
        assert_eq!(history, was["history"], "member {member}: /api/history");
        let sum: i64 = history["entries"].as_array().unwrap().iter().map(|e| e["amount"].as_i64().unwrap()).sum();
        assert_eq!(sum, me["balance"].as_i64().unwrap(), "member {member}: history adds up to the balance");
        let mut codes = json(c.get(app.url("/api/codes")).send().await.unwrap()).await;
        // Added since: none of the old codes is void.
        for code in codes.as_array_mut().unwrap() {
            assert_eq!(code.as_object_mut().unwrap().remove("void_reason"), Some(Value::Null), "member {member}: void_reason");
        }
        assert_eq!(codes, was["codes"], "member {member}: /api/codes");
        assert_eq!(json(c.get(app.url("/api/orders")).send().await.unwrap()).await, was["orders"], "member {member}: /api/orders");
        app.assert_ledger(member).await;
    }

    // A code issued by the old release verifies once, by its merchant.
    let code = expected["1"]["codes"][0]["code"].as_str().unwrap();
    let merchant = reqwest::Client::new();
    let verify = || {
        merchant.post(app.url("/api/merchant/verify")).bearer_auth("test-merchant-token-0123456789").json(&json!({ "code": code })).send()
    };
    assert_eq!(verify().await.unwrap().status(), StatusCode::OK);
    assert_eq!(verify().await.unwrap().status(), StatusCode::CONFLICT);

    // And the upgraded database takes new writes.
    let c = app.login(2).await;
    assert_eq!(redeem(&c, &app, 1, 1, "after-upgrade").await.status(), StatusCode::CREATED);
    assert_eq!(post(&c, &app, "/api/checkins/makeup", json!({ "date": "2026-03-14" })).await.status(), StatusCode::CREATED);
    app.assert_ledger(2).await;
}

/// An install that followed the demo into production holds the demo staff, whose
/// passwords are published. Upgraded, its database refuses a production start (naming the
/// accounts) until each has a new password or is disabled.
#[tokio::test]
async fn an_upgraded_database_holding_the_demo_staff_refuses_a_production_start() {
    use mall_api::{config::Config, domain::staff, startup::Application};
    use mall_core::staff::StaffChange;

    let db = std::sync::Arc::new(TestDb::sqlite());
    let mut conn = SqliteConnectOptions::new().filename(db.sqlite_path().unwrap()).create_if_missing(true).connect().await.unwrap();
    sqlx::raw_sql(DUMP).execute(&mut conn).await.unwrap();
    drop(conn);
    let app = spawn_app_in(db.clone(), Some(LATER), |c| c.merchants.clear()).await;
    // The demo operator as the demo seed writes it, with its published password's hash.
    let demo: Value = serde_json::from_str(include_str!("../../seed/demo.json")).unwrap();
    let ops = demo["staff"].as_array().unwrap().iter().find(|s| s["username"] == "ops").unwrap();
    let hash = ops["password_hash"].as_str().unwrap();
    let insert = format!(
        "INSERT INTO staff (username, password_hash, role, merchant_id, display_name, created_at) VALUES ('ops', '{hash}', 'operator', NULL, 'ops', {LATER})"
    );
    sqlx::raw_sql(&insert)
        .execute(&mut SqliteConnectOptions::new().filename(db.sqlite_path().unwrap()).connect().await.unwrap())
        .await
        .unwrap();

    let production =
        || Config { demo_login: false, seed_demo: false, dev_clock: false, merchants: Vec::new(), ..Config::for_tests(db.url.clone()) };
    let refused = Application::build(production()).await.err().expect("a production start is refused").to_string();
    assert!(refused.contains("ops") && refused.contains("mall-api staff password"), "{refused}");

    let change = StaffChange { password: Some("the shop's own password".into()), ..StaffChange::default() };
    staff::change_by_username(&app.state.writer, &staff::Actor::Console, "ops", change, LATER).await.unwrap();
    let started = Application::build(production()).await;
    assert!(started.is_ok(), "starts once the demo password is gone");
}
