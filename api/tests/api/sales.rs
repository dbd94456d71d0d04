//! Flash sales over HTTP: scheduling rules, the window (server clock, early access),
//! every grab refusal, idempotent retries, rate limiting, code format and collisions,
//! the wallet, merchant-only verification and races.

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{balance, expect_error, json, spawn_app, spawn_app_with, TestApp};

pub(crate) fn operator(app: &TestApp) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    let token = format!("Bearer {}", app.state.config.operator_token.clone().unwrap());
    headers.insert("authorization", token.parse().unwrap());
    reqwest::Client::builder().default_headers(headers).build().unwrap()
}

pub(crate) fn merchant(app: &TestApp) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("authorization", format!("Bearer {}", app.state.config.merchants[0].1).parse().unwrap());
    reqwest::Client::builder().default_headers(headers).build().unwrap()
}

/// Schedules a sale starting `in_secs` from the server's now, open an hour.
pub(crate) async fn schedule(app: &TestApp, key: &str, in_secs: i64, quantity: i64, points: i64, limit: i64) -> i64 {
    let now = app.state.clock.now_secs();
    let res = operator(app)
        .post(app.url("/api/admin/sales"))
        .json(&json!({
            "offer_key": key, "offer": {"zh": "测试券", "en": "Test voucher"}, "merchant_id": 1,
            "image": "/img/items/luckin-voucher.svg", "points": points, "quantity": quantity, "per_member_limit": limit,
            "starts_at": now + in_secs, "ends_at": now + in_secs + 3600
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json::<i64>().await.unwrap()
}

pub(crate) async fn grab(c: &reqwest::Client, app: &TestApp, sale: i64, key: &str) -> reqwest::Response {
    c.post(app.url(&format!("/api/sales/{sale}/grab"))).header("Idempotency-Key", key).send().await.unwrap()
}

#[tokio::test]
async fn scheduling_rules() {
    let app = spawn_app().await;
    let now = app.state.clock.now_secs();
    let base = json!({"offer_key": "x", "offer": {"zh": "券", "en": "V"}, "merchant_id": 1, "image": "/img/a.svg",
        "points": 10, "quantity": 5, "starts_at": now + 100, "ends_at": now + 200});
    let send = |body: Value| operator(&app).post(app.url("/api/admin/sales")).json(&body).send();
    assert_eq!(send(base.clone()).await.unwrap().status(), StatusCode::CREATED);
    let mut end_first = base.clone();
    end_first["ends_at"] = json!(now + 50);
    expect_error(send(end_first).await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let mut zero = base.clone();
    zero["quantity"] = json!(0);
    zero["offer_key"] = json!("y");
    expect_error(send(zero).await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    // An image is one of the app's or an uploaded one, as an item's; names are text people read.
    for (field, value) in [("image", json!("https://tracker.example/x.png")), ("offer", json!({"zh": "券\u{202e}", "en": "V"}))] {
        let mut bad = base.clone();
        bad[field] = value;
        bad["offer_key"] = json!("z");
        expect_error(send(bad).await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }
    let mut overlap = base.clone();
    overlap["starts_at"] = json!(now + 150);
    overlap["ends_at"] = json!(now + 300);
    expect_error(send(overlap).await.unwrap(), StatusCode::CONFLICT, "sale_overlap").await;
    let mut next = base.clone();
    next["starts_at"] = json!(now + 200);
    next["ends_at"] = json!(now + 300);
    assert_eq!(send(next).await.unwrap().status(), StatusCode::CREATED, "back-to-back slots are fine");
    let member = app.login(1).await;
    expect_error(member.post(app.url("/api/admin/sales")).json(&base).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn daily_slots_are_shop_time_and_all_or_nothing() {
    let app = spawn_app().await;
    let send = |body: Value| operator(&app).post(app.url("/api/admin/sales/daily")).json(&body).send();
    let body = json!({"offer_key": "slots", "offer": {"zh": "券", "en": "V"}, "merchant_id": 1, "image": "/img/a.svg",
        "points": 10, "quantity": 5, "day": "2030-01-15", "slots": ["20:00", "10:00", "14:00"], "minutes": 60});
    let res = send(body.clone()).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let ids = json(res).await["ids"].as_array().unwrap().clone();
    assert_eq!(ids.len(), 3);
    // 10:00 in Asia/Shanghai (UTC+8) on 2030-01-15 is 02:00 UTC.
    let starts = app.rows("SELECT starts_at FROM sales WHERE offer_key = 'slots' ORDER BY starts_at", &[]).await;
    assert_eq!(starts.iter().map(|s| s[0]).collect::<Vec<_>>(), vec![1_894_672_800, 1_894_687_200, 1_894_708_800]);
    // One slot overlapping an existing sale of the offer: none of the batch is scheduled.
    let mut clash = body.clone();
    clash["slots"] = json!(["08:00", "14:30"]);
    expect_error(send(clash).await.unwrap(), StatusCode::CONFLICT, "sale_overlap").await;
    let count = app.rows("SELECT COUNT(*) FROM sales WHERE offer_key = 'slots'", &[]).await[0][0];
    assert_eq!(count, 3, "the 08:00 slot was rolled back with the refused one");
    // Slots that overlap each other are refused the same way.
    let mut long = body.clone();
    long["offer_key"] = json!("long");
    long["slots"] = json!(["10:00", "11:00"]);
    long["minutes"] = json!(90);
    expect_error(send(long).await.unwrap(), StatusCode::CONFLICT, "sale_overlap").await;
    for (field, value) in [
        ("slots", json!([])),
        ("slots", json!(["25:00"])),
        ("slots", json!(["10:00", "10:00"])),
        ("day", json!("15/01/2030")),
        ("minutes", json!(0)),
    ] {
        let mut bad = body.clone();
        bad["offer_key"] = json!("bad");
        bad[field] = value;
        expect_error(send(bad).await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }
    let mut past = body.clone();
    past["offer_key"] = json!("past");
    past["day"] = json!("2020-01-15");
    expect_error(send(past).await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "sale_window_passed").await;
    let member = app.login(1).await;
    expect_error(member.post(app.url("/api/admin/sales/daily")).json(&body).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden")
        .await;
}

/// The list is the shop day's sales and, from the evening, the night's (a sale starting
/// within six hours): a member waiting for a midnight drop (零点秒杀) sees it coming.
#[tokio::test]
async fn a_midnight_drop_is_listed_from_the_evening_before() {
    let app = spawn_app().await;
    // 2030-01-15 00:00 in Asia/Shanghai; from noon, a drop at 00:00 on the 16th and a sale at 07:00.
    let day_start = 1_894_636_800;
    app.state.clock.set_now(day_start + 12 * 3600);
    let drop = schedule(&app, "midnight", 12 * 3600, 5, 10, 1).await;
    let morning = schedule(&app, "morning", 19 * 3600, 5, 10, 1).await;
    let member = app.login(6).await;
    let listed = || async {
        let day = json(member.get(app.url("/api/sales")).send().await.unwrap()).await;
        let sales = day["sales"].as_array().unwrap().clone();
        let state = |id: i64| sales.iter().find(|s| s["id"] == id).map(|s| s["state"].as_str().unwrap().to_string());
        (state(drop), state(morning))
    };
    let upcoming = || Some("upcoming".to_string());
    assert_eq!(listed().await, (None, None), "at noon: the day's sales only");
    app.state.clock.set_now(day_start + 18 * 3600);
    assert_eq!(listed().await, (upcoming(), None), "from 18:00: the night's too");
    app.state.clock.set_now(day_start + 24 * 3600 - 60);
    assert_eq!(listed().await, (upcoming(), None), "at 23:59: the drop, not the morning's");
    app.state.clock.set_now(day_start + 24 * 3600 + 60);
    assert_eq!(listed().await, (Some("live".to_string()), upcoming()), "past midnight: the new day's");
}

#[tokio::test]
async fn the_window_follows_the_server_clock_with_early_access_for_gold() {
    let app = spawn_app().await;
    let sale = schedule(&app, "w", 120, 10, 50, 1).await;
    let member = app.login(6).await; // Member tier
    let gold = app.login(1).await; // Gold: 5 minutes early
    let body = expect_error(grab(&member, &app, sale, "a").await, StatusCode::CONFLICT, "sale_not_started").await;
    assert!(body["error"]["message"].as_str().unwrap().contains("server time"));
    // The times come as facts too, so the app can say them in the member's language.
    assert!(body["error"]["details"]["at"].as_str().unwrap().ends_with("+08:00"), "{body}");
    assert!(body["error"]["details"]["server_time"].is_string(), "{body}");
    assert_eq!(grab(&gold, &app, sale, "g").await.status(), StatusCode::CREATED, "gold is early");
    let day = json(member.get(app.url("/api/sales")).send().await.unwrap()).await;
    let s = day["sales"].as_array().unwrap().iter().find(|s| s["id"] == sale).unwrap().clone();
    assert_eq!(s["state"], "upcoming");
    assert_eq!(s["opens_at_ms"], s["starts_at_ms"]);
    app.state.clock.advance(120);
    assert_eq!(grab(&member, &app, sale, "b").await.status(), StatusCode::CREATED);
    app.state.clock.advance(3600);
    expect_error(grab(&app.login(2).await, &app, sale, "c").await, StatusCode::CONFLICT, "sale_ended").await;
}

#[tokio::test]
async fn a_grab_takes_points_issues_a_valid_code_and_writes_history() {
    let app = spawn_app().await;
    let sale = schedule(&app, "g", 0, 3, 70, 1).await;
    let c = app.login(4).await;
    let before = balance(&c, &app).await;
    let res = grab(&c, &app, sale, "k1").await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let g = json(res).await;
    let code = g["code"]["code"].as_str().unwrap();
    assert!(regex_like(code), "{code}");
    assert!(mall_core::code::parse(code).is_ok());
    assert_eq!(g["balance"], before - 70);
    // Retry with the same key: the same code, nothing moves.
    let again = grab(&c, &app, sale, "k1").await;
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(json(again).await["code"]["code"], code);
    assert_eq!(balance(&c, &app).await, before - 70);
    // Limit 1.
    expect_error(grab(&c, &app, sale, "k2").await, StatusCode::CONFLICT, "limit_reached").await;
    let history = json(c.get(app.url("/api/history?limit=1")).send().await.unwrap()).await;
    assert_eq!(history["entries"][0]["kind"], "flash_sale");
    assert_eq!(history["entries"][0]["reference"]["kind"], "code");
    let wallet = json(c.get(app.url("/api/codes")).send().await.unwrap()).await;
    assert_eq!(wallet[0]["code"], code);
    assert_eq!(wallet[0]["status"], "issued");
    app.assert_ledger(4).await;
    // Not enough points.
    let poor = app.login(7).await;
    expect_error(grab(&poor, &app, sale, "p").await, StatusCode::CONFLICT, "insufficient_points").await;
    assert_eq!(app.scalar("SELECT remaining FROM sales WHERE id = $1", sale).await, 2, "a refused grab returns the stock");
    // Unknown sale; no key.
    expect_error(grab(&c, &app, 9999, "z").await, StatusCode::NOT_FOUND, "sale_not_found").await;
    let nokey = c.post(app.url(&format!("/api/sales/{sale}/grab"))).send().await.unwrap();
    expect_error(nokey, StatusCode::BAD_REQUEST, "idempotency_key_missing").await;
}

fn regex_like(code: &str) -> bool {
    let parts: Vec<&str> = code.split('-').collect();
    parts.len() == 3 && parts.iter().all(|p| p.len() == 4 && p.bytes().all(|b| mall_core::code::ALPHABET.contains(&b)))
}

#[tokio::test]
async fn sold_out_then_refused_from_memory() {
    let app = spawn_app().await;
    let sale = schedule(&app, "s", 0, 1, 10, 1).await;
    assert_eq!(grab(&app.login(2).await, &app, sale, "a").await.status(), StatusCode::CREATED);
    let late = app.login(3).await;
    expect_error(grab(&late, &app, sale, "b").await, StatusCode::CONFLICT, "sold_out").await;
    assert!(app.state.admission.is_sold_out(sale), "remembered as sold out");
    expect_error(grab(&late, &app, sale, "c").await, StatusCode::CONFLICT, "sold_out").await;
}

#[tokio::test]
async fn grabs_are_rate_limited_per_member_with_retry_after() {
    let app = spawn_app_with(|c| {
        c.grab_burst = 3;
        c.grab_per_second = 1;
    })
    .await;
    let sale = schedule(&app, "r", 3600, 10, 10, 1).await; // not started: cheap refusals
    let c = app.login(2).await;
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for i in 0..6 {
        let res = grab(&c, &app, sale, &format!("r{i}")).await;
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            retry_after = res.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
            let body: Value = res.json().await.unwrap();
            assert_eq!(body["error"]["code"], "rate_limited");
            statuses.push(429);
        } else {
            statuses.push(res.status().as_u16());
        }
    }
    assert_eq!(&statuses[..3], &[409, 409, 409]);
    assert!(statuses[3..].iter().all(|s| *s == 429), "{statuses:?}");
    assert!(retry_after.is_some_and(|v| v.parse::<u64>().unwrap() >= 1));
    // Another member is not limited by the first.
    expect_error(grab(&app.login(3).await, &app, sale, "o").await, StatusCode::CONFLICT, "sale_not_started").await;
}

#[tokio::test]
async fn code_collisions_retry_until_the_space_is_used_up() {
    let app = spawn_app_with(|c| c.code_space = Some(3)).await;
    let sale = schedule(&app, "c", 0, 10, 10, 1).await;
    let mut codes = Vec::new();
    let mut exhausted = 0;
    for m in 1..=6 {
        let res = grab(&app.login(m).await, &app, sale, "k").await;
        match res.status() {
            StatusCode::CREATED => codes.push(json(res).await["code"]["code"].as_str().unwrap().to_string()),
            _ => {
                expect_error(res, StatusCode::SERVICE_UNAVAILABLE, "code_space_exhausted").await;
                exhausted += 1;
            }
        }
    }
    let mut unique = codes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), codes.len(), "codes are unique");
    assert!(codes.len() <= 3 && codes.len() >= 2, "{codes:?}");
    assert_eq!(codes.len() + exhausted, 6);
    // A refused grab (no code) took no points and no stock.
    assert_eq!(app.scalar("SELECT remaining FROM sales WHERE id = $1", sale).await, 10 - codes.len() as i64);
    for m in 1..=6 {
        app.assert_ledger(m).await;
    }
}

#[tokio::test]
async fn merchants_verify_once_and_members_never() {
    let app = spawn_app().await;
    let sale = schedule(&app, "v", 0, 5, 10, 1).await;
    let c = app.login(2).await;
    let code = json(grab(&c, &app, sale, "k").await).await["code"]["code"].as_str().unwrap().to_string();
    let verify = |client: reqwest::Client, code: String| {
        let url = app.url("/api/merchant/verify");
        async move { client.post(url).json(&json!({"code": code})).send().await.unwrap() }
    };
    expect_error(verify(c.clone(), code.clone()).await, StatusCode::FORBIDDEN, "forbidden").await;
    // A typo is caught by the check character before any lookup.
    let mut typo: Vec<char> = code.chars().collect();
    typo[0] = if typo[0] == 'A' { 'B' } else { 'A' };
    expect_error(verify(merchant(&app), typo.into_iter().collect()).await, StatusCode::UNPROCESSABLE_ENTITY, "code_invalid").await;
    expect_error(verify(merchant(&app), "ABCD".into()).await, StatusCode::UNPROCESSABLE_ENTITY, "code_invalid").await;
    let unknown = mall_core::code::display(&mall_core::code::from_random([7; 11]));
    expect_error(verify(merchant(&app), unknown).await, StatusCode::NOT_FOUND, "code_not_found").await;
    // Lower case with spaces is fine.
    let res = verify(merchant(&app), code.to_lowercase().replace('-', " ")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(json(res).await["used_by"], "星巴克");
    let body = expect_error(verify(merchant(&app), code.clone()).await, StatusCode::CONFLICT, "code_used").await;
    assert!(body["error"]["message"].as_str().unwrap().contains("星巴克"));
    assert_eq!(body["error"]["details"]["by"], "星巴克");
    let wallet = json(c.get(app.url("/api/codes")).send().await.unwrap()).await;
    assert_eq!(wallet[0]["status"], "used");
    assert_eq!(body["error"]["details"]["at"], wallet[0]["used_at"], "the refusal says when it was used");
    // Expired codes say so.
    let code2 = json(grab(&app.login(3).await, &app, sale, "k").await).await["code"]["code"].as_str().unwrap().to_string();
    app.state.clock.advance(40 * 86_400);
    let body = expect_error(verify(merchant(&app), code2).await, StatusCode::CONFLICT, "code_expired").await;
    assert!(body["error"]["details"]["at"].is_string(), "says when it expired: {body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_verifications_of_one_code_succeed_once() {
    let app = spawn_app().await;
    let sale = schedule(&app, "cv", 0, 5, 10, 1).await;
    let code = json(grab(&app.login(2).await, &app, sale, "k").await).await["code"]["code"].as_str().unwrap().to_string();
    let results = join_all((0..20).map(|_| {
        let client = merchant(&app);
        let url = app.url("/api/merchant/verify");
        let code = code.clone();
        async move { client.post(url).json(&json!({"code": code})).send().await.unwrap().status() }
    }))
    .await;
    assert_eq!(results.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{results:?}");
    assert_eq!(results.iter().filter(|s| **s == StatusCode::CONFLICT).count(), 19);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_grabs_for_five_codes() {
    let app = spawn_app_with(|c| c.grab_burst = 50).await;
    let sale = schedule(&app, "race", 0, 5, 10, 1).await;
    let mut members = Vec::new();
    for _ in 0..40 {
        let id = app.add_member(1_000, 0).await;
        members.push((id, app.login(id).await));
    }
    // 200 attempts: every member taps five times at once.
    let results = join_all(members.iter().flat_map(|(_, c)| (0..5).map(move |i| (c, i))).map(|(c, i)| {
        let app = &app;
        async move { grab(c, app, sale, &format!("t{i}")).await.status() }
    }))
    .await;
    assert_eq!(results.len(), 200);
    let won = results.iter().filter(|s| **s == StatusCode::CREATED).count();
    assert!((1..=5).contains(&won), "never more codes than stock: {results:?}");
    assert!(results.iter().all(|s| [StatusCode::CREATED, StatusCode::CONFLICT, StatusCode::TOO_MANY_REQUESTS].contains(s)), "{results:?}");
    // The admission gate sheds a burst (429): a loser that took an admission and was then
    // refused (its member already held a code) gives it back only after the others were
    // turned away, so a unit may wait for the next tap. The next taps take what is left.
    for (round, (_, c)) in members.iter().enumerate() {
        if app.scalar("SELECT remaining FROM sales WHERE id = $1", sale).await == 0 {
            break;
        }
        grab(c, &app, sale, &format!("again-{round}")).await;
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM codes WHERE sale_id = $1", sale).await, 5);
    assert_eq!(app.scalar("SELECT remaining FROM sales WHERE id = $1", sale).await, 0);
    let max_per_member =
        app.scalar("SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n FROM codes WHERE sale_id = $1 GROUP BY member_id) t", sale).await;
    assert_eq!(max_per_member, 1);
    let paid = app
        .scalar(
            "SELECT CAST(COALESCE(-SUM(amount), 0) AS BIGINT) FROM history WHERE kind = 'flash_sale' AND ref_id IN (SELECT code FROM codes WHERE sale_id = $1)",
            sale,
        )
        .await;
    assert_eq!(paid, 50, "points taken = 5 × price, each with a code");
    for (id, _) in &members {
        app.assert_ledger(*id).await;
    }
}

#[tokio::test]
async fn reminders_and_the_demo_slots() {
    let app = spawn_app().await;
    let c = app.login(5).await;
    let day = json(c.get(app.url("/api/sales")).send().await.unwrap()).await;
    let sales = day["sales"].as_array().unwrap();
    assert!(sales.iter().any(|s| s["state"] == "live"), "a demo sale is live");
    let id = sales[0]["id"].as_i64().unwrap();
    let set = c.post(app.url(&format!("/api/sales/{id}/remind"))).json(&json!({"on": true})).send().await.unwrap();
    assert_eq!(set.status(), StatusCode::OK);
    assert_eq!(json(set).await, json!({ "on": true, "by_host": false }), "no webhook: the app reminds while it is open");
    let day = json(c.get(app.url("/api/sales")).send().await.unwrap()).await;
    assert_eq!(day["sales"][0]["reminded"], true);
    c.post(app.url(&format!("/api/sales/{id}/remind"))).json(&json!({"on": false})).send().await.unwrap();
    let day = json(c.get(app.url("/api/sales")).send().await.unwrap()).await;
    assert_eq!(day["sales"][0]["reminded"], false);
    let missing = c.post(app.url("/api/sales/9999/remind")).json(&json!({"on": true})).send().await.unwrap();
    expect_error(missing, StatusCode::NOT_FOUND, "sale_not_found").await;
}
