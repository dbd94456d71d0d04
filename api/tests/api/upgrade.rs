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
    // (Versions need not be contiguous: parallel releases take their own numbers.)
    let known = sqlx::migrate!("../migrations/sqlite").iter().count() as i64;
    let newest = sqlx::migrate!("../migrations/sqlite").iter().map(|m| m.version).max().unwrap();
    assert_eq!(applied, [[known, newest]], "every migration applied once, the new ones after the old");

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

    // The rules became versions (0015): version 1 is the release's rules, in force from
    // 0, and every member keeps the tier its growth reached under the release's thresholds.
    assert_eq!(app.rows("SELECT version, effective_at FROM rule_versions", &[]).await, [[1, 0]]);
    let reached = app.rows("SELECT tier_reached, growth FROM members ORDER BY id", &[]).await;
    assert!(reached.iter().any(|r| r[0] > 0), "{reached:?}");
    for r in &reached {
        assert_eq!(r[0], mall_core::TierTable::default().tier_for(r[1]).rank(), "{reached:?}");
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
    staff::change_by_username(&app.state.writer, &app.state.hashing, &staff::Actor::Console, "ops", change, LATER).await.unwrap();
    let started = Application::build(production()).await;
    assert!(started.is_ok(), "starts once the demo password is gone");
}

/// A database of the release before shop set-up (migrations up to 0011), on the engine under
/// test, written as that release wrote it: a partner merchant settling ¥3.50 a code, a
/// flash sale and a sale approved from the merchant's free offer, three codes verified today
/// and one not yet.
mod before_shop_setup {
    use std::{borrow::Cow, str::FromStr};

    use sqlx::{sqlite::SqliteConnectOptions, PgPool, SqlitePool};

    /// The last migration of that release.
    const RELEASE: i64 = 11;

    pub enum Raw {
        Sqlite(SqlitePool),
        Postgres(PgPool),
    }

    impl Raw {
        /// The database at `url`, migrated as that release left it.
        pub async fn at_release(url: &str) -> Raw {
            Raw::at(url, RELEASE).await
        }

        /// The database at `url`, migrated up to migration `release`.
        pub async fn at(url: &str, release: i64) -> Raw {
            let keep = |m: sqlx::migrate::Migrator| sqlx::migrate::Migrator {
                migrations: Cow::Owned(m.migrations.iter().filter(|x| x.version <= release).cloned().collect()),
                ..m
            };
            if url.starts_with("sqlite") {
                let options = SqliteConnectOptions::from_str(url).unwrap().create_if_missing(true).foreign_keys(true);
                let pool = SqlitePool::connect_with(options).await.unwrap();
                keep(sqlx::migrate!("../migrations/sqlite")).run(&pool).await.unwrap();
                Raw::Sqlite(pool)
            } else {
                let pool = PgPool::connect(url).await.unwrap();
                keep(sqlx::migrate!("../migrations/postgres")).run(&pool).await.unwrap();
                Raw::Postgres(pool)
            }
        }

        /// Runs `sql` (an INSERT … RETURNING id); the id.
        pub async fn id(&self, sql: &str) -> i64 {
            match self {
                Raw::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await,
                Raw::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await,
            }
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
        }

        pub async fn close(self) {
            match self {
                Raw::Sqlite(p) => p.close().await,
                Raw::Postgres(p) => p.close().await,
            }
        }
    }
}

#[tokio::test]
async fn a_database_of_the_release_before_shop_setup_keeps_its_statements_and_codes() {
    use before_shop_setup::Raw;
    use mall_core::code;

    // 2030-01-16 15:00 in Shanghai; the codes were used this morning.
    let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2030, 1, 16, 7, 0, 0).unwrap().timestamp();
    let db = std::sync::Arc::new(TestDb::new().await);
    let raw = Raw::at_release(&db.url).await;
    let member = raw
        .id(&format!(
            "INSERT INTO members (name_zh, name_en, growth, balance, created_at) VALUES ('老会员', 'Old member', 0, 800, {}) RETURNING id",
            now - 86_400
        ))
        .await;
    let credit = raw
        .id(&format!(
            "INSERT INTO history (member_id, kind, amount, balance_after, created_at, month) \
             VALUES ({member}, 'adjustment', 1000, 1000, {}, '2030-01') RETURNING id",
            now - 86_400
        ))
        .await;
    let lot = raw
        .id(&format!(
            "INSERT INTO point_lots (member_id, amount, remaining, earned_at, expires_at) VALUES ({member}, 1000, 800, {}, {}) RETURNING id",
            now - 86_400,
            now + 300 * 86_400
        ))
        .await;
    let merchant = raw
        .id(&format!(
            "INSERT INTO merchants (slug, name_zh, name_en, settlement_fen, created_at) VALUES ('oldcafe', '老咖啡', 'Old cafe', 350, {}) \
             RETURNING id",
            now - 86_400
        ))
        .await;
    raw.id("INSERT INTO categories (slug, name_zh, name_en, position) VALUES ('old', '旧货', 'Old things', 0) RETURNING position").await;
    let account = raw
        .id(&format!(
            "INSERT INTO staff (username, password_hash, role, merchant_id, display_name, created_at) \
             VALUES ('oldcafe', 'x', 'merchant', {merchant}, 'oldcafe', {now}) RETURNING id"
        ))
        .await;
    let sale = |key: &str| {
        format!(
            "INSERT INTO sales (offer_key, offer_zh, offer_en, merchant_zh, merchant_en, image, points, quantity, remaining, \
             per_member_limit, starts_at, ends_at, code_valid_days, created_at, merchant_id) \
             VALUES ('{key}', '拿铁', 'Latte', '老咖啡', 'Old cafe', '/img/items/luckin-voucher.svg', 50, 10, 7, 5, {}, {}, 30, {}, {merchant}) \
             RETURNING id",
            now - 3 * 3_600,
            now + 3 * 3_600,
            now - 86_400
        )
    };
    let latte = raw.id(&sale("old-latte")).await;
    let free = raw.id(&sale("offer-1")).await;
    raw.id(&format!(
        "INSERT INTO merchant_offers (merchant_id, proposed_by, offer_zh, offer_en, quantity, starts_at, ends_at, status, sale_id, \
         created_at, decided_at) VALUES ({merchant}, {account}, '免费拿铁', 'Free latte', 10, {}, {}, 'approved', {free}, {}, {}) RETURNING id",
        now - 3 * 3_600,
        now + 3 * 3_600,
        now - 86_400,
        now - 86_400
    ))
    .await;
    // Four codes, each paid by a debit of 50: three verified this morning, one not.
    let mut codes = Vec::new();
    for (n, (sale_id, used_at)) in
        [(latte, Some(now - 5 * 3_600)), (latte, Some(now - 4 * 3_600)), (free, Some(now - 3_600)), (latte, None)].into_iter().enumerate()
    {
        let debit = raw
            .id(&format!(
                "INSERT INTO history (member_id, kind, amount, balance_after, ref_kind, ref_id, created_at, month) \
                 VALUES ({member}, 'flash_sale', -50, {}, 'code', '', {}, '2030-01') RETURNING id",
                1000 - 50 * (n as i64 + 1),
                now - 6 * 3_600
            ))
            .await;
        raw.id(&format!("INSERT INTO lot_debits (history_id, lot_id, amount) VALUES ({debit}, {lot}, 50) RETURNING amount")).await;
        let canon = code::from_random([n as u8 + 3; code::RANDOM_LEN]);
        let (status, used_at, used_by) = match used_at {
            Some(t) => ("used", t.to_string(), "'老咖啡'"),
            None => ("issued", "NULL".to_string(), "NULL"),
        };
        raw.id(&format!(
            "INSERT INTO codes (code, member_id, sale_id, merchant_id, status, valid_from, valid_until, history_id, created_at, used_at, used_by) \
             VALUES ('{canon}', {member}, {sale_id}, {merchant}, '{status}', {}, {}, {debit}, {}, {used_at}, {used_by}) RETURNING member_id",
            now - 6 * 3_600,
            now + 30 * 86_400,
            now - 6 * 3_600
        ))
        .await;
        codes.push(canon);
    }
    let _ = credit;
    // That release's counters: of a day (by day number), of a month, for ever, and its
    // sign-in limit's.
    let today = now.div_euclid(86_400);
    for (scope, member_id) in [
        (format!("early-bird:{today}"), 0),
        (format!("task:share:day:{today}"), member),
        (format!("tasks:day:{today}"), member),
        (format!("lottery:1:day:{today}"), member),
        ("makeup:2030-01".to_string(), member),
        ("invites:2030-01".to_string(), member),
        ("task:share:claims".to_string(), member),
        ("task:share:points".to_string(), member),
        ("staff-login:user:ops:2100000".to_string(), 0),
    ] {
        raw.id(&format!("INSERT INTO counters (scope, member_id, value) VALUES ('{scope}', {member_id}, 1) RETURNING value")).await;
    }
    raw.close().await;
    // What that release's statement said: codes verified × the merchant's value.
    let old_total = "10.50";

    let token = "test-merchant-token-0123456789";
    let app = spawn_app_in(db, Some(now), |c| c.merchants = vec![("oldcafe".into(), token.into())]).await;
    let known = app.rows("SELECT COUNT(*), MAX(version) FROM _sqlx_migrations WHERE success", &[]).await;
    assert_eq!(known[0][1], sqlx::migrate!("../migrations/sqlite").iter().map(|m| m.version).max().unwrap(), "the new migrations applied");
    let cafe = reqwest::Client::new();
    let day = "2030-01-16";
    let statement = || async {
        let res = cafe.get(app.url(&format!("/api/merchant/settlement?from={day}&to={day}"))).bearer_auth(token).send().await.unwrap();
        json(res).await
    };
    let s = statement().await;
    assert_eq!((s["verified"].as_i64(), s["total"].as_str()), (Some(3), Some(old_total)), "the statement reads as before: {s}");
    // Every code of that release keeps its merchant's value of the upgrade, the free offer's too.
    assert_eq!(app.rows("SELECT settle_fen FROM codes ORDER BY code", &[]).await, vec![vec![350]; 4]);

    // The merchant's new terms change only the codes issued afterwards.
    let op = crate::helpers::operator_client(&app);
    let merchants = json(op.get(app.url("/api/admin/merchants")).send().await.unwrap()).await;
    assert_eq!((merchants[0]["active"].as_bool(), merchants[0]["offer_settlement"].as_str()), (Some(true), Some("0.00")), "{merchants}");
    let res = op
        .patch(app.url(&format!("/api/admin/merchants/{merchant}")))
        .json(&json!({"settlement": "9.00", "offer_settlement": "1.00"}))
        .send();
    assert_eq!(res.await.unwrap().status(), StatusCode::OK);
    assert_eq!(statement().await["total"], old_total, "past statements never change");
    let verify = |c: String| cafe.post(app.url("/api/merchant/verify")).bearer_auth(token).json(&json!({ "code": c })).send();
    assert_eq!(verify(codes[3].clone()).await.unwrap().status(), StatusCode::OK, "the old unused code verifies");
    assert_eq!(statement().await["total"], "14.00", "at the value it was issued with");
    let newcomer = app.add_member(1_000, 0).await;
    let c = app.login(newcomer).await;
    let grabbed = json(c.post(app.url(&format!("/api/sales/{latte}/grab"))).header("Idempotency-Key", "new").send().await.unwrap()).await;
    assert_eq!(verify(grabbed["code"]["code"].as_str().unwrap().to_string()).await.unwrap().status(), StatusCode::OK);
    let s = statement().await;
    assert_eq!((s["verified"].as_i64(), s["total"].as_str()), (Some(5), Some("23.00")), "a new code at the new value: {s}");

    // The member's codes read as before (nothing voided), its ledger still balances, and the
    // category has its id.
    let old = app.login(member).await;
    let wallet = json(old.get(app.url("/api/codes")).send().await.unwrap()).await;
    let wallet = wallet.as_array().unwrap();
    assert_eq!(wallet.len(), 4);
    assert!(wallet.iter().all(|w| w["void_reason"].is_null() && w["status"] == "used" && w["merchant"]["en"] == "Old cafe"), "{wallet:?}");
    app.assert_ledger(member).await;
    let categories = json(op.get(app.url("/api/admin/categories")).send().await.unwrap()).await;
    assert_eq!(
        categories["categories"],
        json!([{"id": 1, "slug": "old", "name": {"zh": "旧货", "en": "Old things"}, "position": 0, "hidden": false, "items": 0}])
    );

    // Migration 0014 gave the old counters of a day or a month their end from their name
    // (three days after the day, two after the month), kept the lifetime ones for ever and
    // dropped the old sign-in limit's.
    let ends = app.rows("SELECT COALESCE(expires_at, 0), COUNT(*) FROM counters GROUP BY expires_at ORDER BY 1", &[]).await;
    let february_3rd = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2030, 2, 3, 0, 0, 0).unwrap().timestamp();
    assert_eq!(ends, [vec![0, 2], vec![(today + 3) * 86_400, 4], vec![february_3rd, 2]], "(end, counters), none of the sign-in limit's");
    // The sweep prunes them once over; the lifetime ones stay.
    app.state.clock.set_now(february_3rd + 1);
    app.sweep().await;
    assert_eq!(app.rows("SELECT COUNT(*) FROM counters WHERE expires_at IS NOT NULL", &[]).await[0][0], 0);
    assert_eq!(app.rows("SELECT COUNT(*) FROM counters WHERE expires_at IS NULL", &[]).await[0][0], 2);
}

/// A database of the release before host payments (migrations up to 0012), on the engine
/// under test: an item with a cash part redeemed on points alone, as that release did (a
/// pending order, its cash never collected). Upgraded, the order reads as before (no
/// payment, nothing awaiting, nothing to lapse or refund), ships or cancels as before, and
/// a new redeem of the item awaits the host's payment.
#[tokio::test]
async fn a_database_of_the_release_before_host_payments_keeps_its_orders() {
    use before_shop_setup::Raw;

    let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2030, 1, 16, 7, 0, 0).unwrap().timestamp();
    let db = std::sync::Arc::new(TestDb::new().await);
    let raw = Raw::at(&db.url, 12).await;
    let member = raw
        .id(&format!(
            "INSERT INTO members (name_zh, name_en, growth, balance, created_at) VALUES ('老会员', 'Old member', 0, 1010, {}) RETURNING id",
            now - 86_400
        ))
        .await;
    raw.id(&format!(
        "INSERT INTO history (member_id, kind, amount, balance_after, created_at, month) \
         VALUES ({member}, 'adjustment', 2000, 2000, {}, '2030-01') RETURNING id",
        now - 86_400
    ))
    .await;
    let lot = raw
        .id(&format!(
            "INSERT INTO point_lots (member_id, amount, remaining, earned_at, expires_at) VALUES ({member}, 2000, 1010, {}, {}) RETURNING id",
            now - 86_400,
            now + 300 * 86_400
        ))
        .await;
    raw.id("INSERT INTO categories (slug, name_zh, name_en, position) VALUES ('food', '美食', 'Food', 0) RETURNING position").await;
    let item = raw
        .id(&format!(
            "INSERT INTO items (category, kind, name_zh, name_en, desc_zh, desc_en, specs_json, image, points, cash_fen, stock, \
             per_member_limit, redeemed, created_at) VALUES ('food', 'physical', '螺蛳粉', 'Luosifen', '', '', '[]', \
             '/img/items/luosifen.svg', 990, 990, 10, 3, 1, {}) RETURNING id",
            now - 86_400
        ))
        .await;
    let debit = raw
        .id(&format!(
            "INSERT INTO history (member_id, kind, amount, balance_after, ref_kind, ref_id, created_at, month) \
             VALUES ({member}, 'redeem', -990, 1010, 'order', '1', {}, '2030-01') RETURNING id",
            now - 3_600
        ))
        .await;
    raw.id(&format!("INSERT INTO lot_debits (history_id, lot_id, amount) VALUES ({debit}, {lot}, 990) RETURNING amount")).await;
    raw.id(&format!("INSERT INTO member_item_counts (member_id, item_id, quantity) VALUES ({member}, {item}, 1) RETURNING quantity")).await;
    let order = raw
        .id(&format!(
            "INSERT INTO orders (member_id, item_id, quantity, points, cash_fen, status, history_id, balance_after, created_at, ship_to_json) \
             VALUES ({member}, {item}, 1, 990, 990, 'pending', {debit}, 1010, {}, \
             '{{\"name\":\"老会员\",\"phone\":\"13800138000\",\"region\":\"上海市\",\"detail\":\"南京西路 1 号\"}}') RETURNING id",
            now - 3_600
        ))
        .await;
    raw.close().await;

    let app = spawn_app_in(db, Some(now), |c| c.merchants = Vec::new()).await;
    let known = app.rows("SELECT MAX(version) FROM _sqlx_migrations WHERE success", &[]).await;
    assert_eq!(known[0][0], sqlx::migrate!("../migrations/sqlite").iter().map(|m| m.version).max().unwrap(), "the new migrations applied");
    let c = app.login(member).await;
    let orders = json(c.get(app.url("/api/orders")).send().await.unwrap()).await;
    let old = &orders["orders"][0];
    assert_eq!((old["id"].as_i64(), old["status"].as_str(), old["cash"].as_str()), (Some(order), Some("pending"), Some("9.90")), "{old}");
    assert!(old.get("pay_by").is_none() && old.get("paid_at").is_none(), "no payment on an old order: {old}");
    let op = crate::helpers::operator_client(&app);
    let queue = json(op.get(app.url("/api/admin/orders?status=pending")).send().await.unwrap()).await;
    let row = &queue["orders"][0];
    assert!(row.get("payment_id").is_none() && row.get("cash_paid").is_none() && row.get("cash_refund_due").is_none(), "{row}");
    assert_eq!(app.sweep().await, 0, "nothing awaits, nothing lapses");
    expect_error_status(crate::helpers::post(&c, &app, &format!("/api/orders/{order}/payment"), json!({})).await, 409).await;

    // A shop cancel gives the points back and owes no cash: none was collected.
    let res = crate::helpers::post(&op, &app, &format!("/api/admin/orders/{order}/cancel"), json!({"reason": "旧订单"})).await;
    let cancelled = json(res).await;
    assert_eq!(cancelled["status"], "cancelled", "{cancelled}");
    assert!(cancelled.get("cash_refund_due").is_none(), "{cancelled}");
    assert_eq!(crate::helpers::balance(&c, &app).await, 2_000);
    app.assert_ledger(member).await;

    // A new redeem of the item awaits the host's payment.
    let fresh = json(redeem(&c, &app, item, 1, "after-upgrade").await).await;
    assert_eq!(fresh["status"], "awaiting_payment", "{fresh}");
    app.assert_ledger(member).await;
}

async fn expect_error_status(res: reqwest::Response, status: u16) {
    assert_eq!(res.status().as_u16(), status);
}

/// A database of the lottery's first release (migrations up to 0009) holding a draw that
/// won a prize. 0010 rebuilds `lottery_prizes`, which the draw refers to; on SQLite the
/// migrations run with foreign keys off and are checked once after (SQLite's own
/// procedure for rebuilding a table), so the upgrade neither fails on the rebuild nor
/// loses the draw's prize.
#[tokio::test]
async fn a_database_with_a_won_prize_upgrades_through_the_prize_table_rebuild() {
    use before_shop_setup::Raw;

    let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2030, 3, 1, 4, 0, 0).unwrap().timestamp();
    let db = std::sync::Arc::new(TestDb::new().await);
    let raw = Raw::at(&db.url, 9).await;
    let member = raw
        .id(&format!(
            "INSERT INTO members (name_zh, name_en, growth, balance, created_at) VALUES ('抽奖会员', 'Lucky member', 0, 140, {now}) RETURNING id"
        ))
        .await;
    let win = raw
        .id(&format!(
            "INSERT INTO history (member_id, kind, amount, balance_after, created_at, month) \
             VALUES ({member}, 'adjustment', 140, 140, {now}, '2030-03') RETURNING id"
        ))
        .await;
    let lottery = raw
        .id(&format!(
            "INSERT INTO lotteries (name_zh, name_en, cost_points, draws_per_day, created_at) VALUES ('好运', 'Luck', 10, 3, {now}) RETURNING id"
        ))
        .await;
    let prize = raw
        .id(&format!(
            "INSERT INTO lottery_prizes (lottery_id, position, name_zh, name_en, kind, points, probability_bp, stock) \
             VALUES ({lottery}, 0, '50 积分', '50 points', 'points', 50, 1000, 9) RETURNING id"
        ))
        .await;
    let draw = raw
        .id(&format!(
            "INSERT INTO lottery_draws (lottery_id, member_id, prize_id, history_id, created_at) \
             VALUES ({lottery}, {member}, {prize}, {win}, {now}) RETURNING id"
        ))
        .await;
    raw.close().await;

    // (No partner merchant in this database: no merchant token to bind.)
    let app = spawn_app_in(db, Some(now), |c| c.merchants = Vec::new()).await;
    let known = app.rows("SELECT COUNT(*), MAX(version) FROM _sqlx_migrations WHERE success", &[]).await;
    assert_eq!(known[0][1], sqlx::migrate!("../migrations/sqlite").iter().map(|m| m.version).max().unwrap(), "every migration applied");
    let kept = app
        .rows(&format!("SELECT prize_id, points FROM lottery_draws d JOIN lottery_prizes p ON p.id = d.prize_id WHERE d.id = {draw}"), &[])
        .await;
    assert_eq!(kept, vec![vec![prize, 50]], "the draw keeps its prize");
}
