//! Notices that reach members outside the app (issue 26): the outbox of signed webhooks
//! to the host. A host stub on 127.0.0.1 records every delivery and checks its signature;
//! it can fail deliveries (503) to see the backoff, which follows the server clock.

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicI64, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use axum::{body::Bytes, extract::State, http::HeaderMap, http::StatusCode as AxumStatus, routing::post, Router};
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::Sha256;

use crate::{
    helpers::{address_of, json, operator_client, spawn_app_at, spawn_replica_with, TestApp},
    sales::schedule,
};

/// One request the host stub received.
#[derive(Debug, Clone)]
pub struct Received {
    /// The body, parsed.
    pub body: Value,
    /// Whether its signature matched (`mall-to-host\nwebhook\n{ts}\n{id}\n{body}`).
    pub signed: bool,
    /// What the stub answered.
    pub status: u16,
}

/// A host stub: records deliveries; answers 503 while `fail` > 0 (counting down; -1 =
/// always), else 200.
#[derive(Clone, Default)]
pub struct HostStub {
    /// Every request, in arrival order.
    pub received: Arc<Mutex<Vec<Received>>>,
    /// Deliveries still to fail (-1: all).
    pub fail: Arc<AtomicI64>,
}

const SECRET: &str = "test-hook-secret-0123456789";

async fn receive(State(stub): State<HostStub>, headers: HeaderMap, body: Bytes) -> AxumStatus {
    let text = String::from_utf8_lossy(&body).to_string();
    let parsed: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    let header = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let (ts, sig) = (header("x-mall-timestamp"), header("x-mall-signature"));
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("mall-to-host\nwebhook\n{ts}\n{}\n{text}", parsed["id"]).as_bytes());
    let signed = sig.strip_prefix("v2=").and_then(|h| hex::decode(h).ok()).is_some_and(|s| mac.verify_slice(&s).is_ok());
    let fail = stub.fail.load(Ordering::SeqCst);
    let status = if fail != 0 {
        if fail > 0 {
            stub.fail.fetch_sub(1, Ordering::SeqCst);
        }
        AxumStatus::SERVICE_UNAVAILABLE
    } else {
        AxumStatus::OK
    };
    stub.received.lock().unwrap().push(Received { body: parsed, signed, status: status.as_u16() });
    status
}

impl HostStub {
    /// Starts a stub on 127.0.0.1 failing the first `fail` deliveries; returns it and its URL.
    pub async fn start(fail: i64) -> (HostStub, String) {
        let stub = HostStub { fail: Arc::new(AtomicI64::new(fail)), ..HostStub::default() };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/mall-webhooks", listener.local_addr().unwrap());
        let app = Router::new().route("/mall-webhooks", post(receive)).with_state(stub.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        (stub, url)
    }

    /// Every request so far.
    pub fn all(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// The requests answered 200.
    pub fn delivered(&self) -> Vec<Value> {
        self.all().into_iter().filter(|r| r.status == 200).map(|r| r.body).collect()
    }

    /// Waits (up to 10 s) until `done` holds of the requests.
    pub async fn wait(&self, what: &str, done: impl Fn(&[Received]) -> bool) {
        for _ in 0..200 {
            if done(&self.all()) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("timed out waiting for {what}: {:#?}", self.all());
    }
}

/// 2026-09-15 12:00 Shanghai.
const NOW: i64 = 1_789_444_800;

/// Posts the webhooks to `url`, polling every 50 ms.
fn posting_to(url: &str) -> impl FnOnce(&mut mall_api::config::Config) {
    let url = url.to_string();
    move |c| {
        c.host_webhook_url = Some(url);
        c.limits.webhook_poll = Duration::from_millis(50);
    }
}

/// An app whose dispatcher posts to `url`, the clock frozen at `NOW`.
async fn app_posting_to(url: &str) -> TestApp {
    spawn_app_at(Some(NOW), posting_to(url)).await
}

/// An operator's credit of `amount` points: a `points_arrived` event.
async fn credit(app: &TestApp, member_id: i64, amount: i64) {
    let res = operator_client(app)
        .post(app.url("/api/admin/adjustments"))
        .header("Idempotency-Key", format!("credit-{member_id}-{amount}-{}", uuid::Uuid::new_v4()))
        .json(&json!({ "member_id": member_id, "amount": amount, "reason": "webhook test" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED, "{}", res.text().await.unwrap());
}

/// The attempts the mall has recorded of the first pending delivery (an attempt counts once
/// its answer is recorded: the next one is then due at most an hour after it, on the
/// server clock).
async fn recorded_attempts(app: &TestApp) -> i64 {
    deliveries(app, "?state=pending").await.first().and_then(|d| d["attempts"].as_i64()).unwrap_or(0)
}

async fn deliveries(app: &TestApp, query: &str) -> Vec<Value> {
    let res = operator_client(app).get(app.url(&format!("/api/admin/deliveries{query}"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    json(res).await["deliveries"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_failing_host_is_retried_with_backoff_on_the_server_clock_until_it_answers() {
    let (stub, url) = HostStub::start(2).await;
    let app = app_posting_to(&url).await;
    credit(&app, 2, 120).await;
    stub.wait("the first attempt", |r| r.len() == 1).await;
    let first = stub.all()[0].clone();
    assert!(first.signed, "the signature verifies with the hook secret");
    assert_eq!(first.body["type"], "points_arrived");
    assert_eq!(first.body["member_id"], 2);
    assert_eq!(first.body["payload"]["points"], 120);
    assert_eq!(first.body["payload"]["kind"], "adjustment");
    assert_eq!(first.body["created_at"], NOW);
    // Not again before its backoff (30 s on the server clock).
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(stub.all().len(), 1, "no retry before the backoff");
    let pending = deliveries(&app, "?state=pending").await;
    assert_eq!(pending.len(), 1);
    assert_eq!((pending[0]["attempts"].as_i64(), pending[0]["last_status"].as_i64()), (Some(1), Some(503)));
    app.state.clock.advance(30);
    stub.wait("the second attempt", |r| r.len() == 2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(stub.all().len(), 2, "the next wait doubles (60 s)");
    app.state.clock.advance(60);
    stub.wait("the delivery", |r| r.len() == 3).await;
    let all = stub.all();
    assert!(all.iter().all(|r| r.signed && r.body["id"] == first.body["id"] && r.body["payload"] == first.body["payload"]), "{all:?}");
    assert_eq!(all.iter().map(|r| r.status).collect::<Vec<_>>(), [503, 503, 200]);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let done = deliveries(&app, "?state=delivered").await;
    assert_eq!(done.len(), 1, "{done:?}");
    assert_eq!((done[0]["attempts"].as_i64(), done[0]["last_status"].as_i64()), (Some(3), Some(200)));
    assert!(done[0]["next_attempt_at"].is_null());
}

#[tokio::test]
async fn after_a_day_a_delivery_fails_and_an_operator_resends_it() {
    let (stub, url) = HostStub::start(-1).await;
    let app = app_posting_to(&url).await;
    credit(&app, 3, 50).await;
    stub.wait("the first attempt", |r| !r.is_empty()).await;
    // An hour at a time for a day and a bit: each step lets the due attempt happen.
    'day: for _ in 0..26 {
        let before = recorded_attempts(&app).await;
        app.state.clock.advance(3_600);
        // Up to 5 s (a loaded machine) for the dispatcher, polling every 50 ms, to make and
        // record the attempt now due, or to give up.
        for _ in 0..100 {
            if deliveries(&app, "?state=failed").await.len() == 1 {
                break 'day;
            }
            if recorded_attempts(&app).await > before {
                continue 'day;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no attempt within an hour of the server clock: {} so far", stub.all().len());
    }
    let failed = deliveries(&app, "?state=failed").await;
    assert_eq!(failed.len(), 1, "given up after a day");
    let attempts = failed[0]["attempts"].as_i64().unwrap();
    assert!((20..=40).contains(&attempts), "attempted {attempts} times over the day");
    let id = failed[0]["id"].as_i64().unwrap();
    // Not found, and the key is required.
    let op = operator_client(&app);
    let res = op.post(app.url("/api/admin/deliveries/999999/resend")).header("Idempotency-Key", "r0").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = op.post(app.url(&format!("/api/admin/deliveries/{id}/resend"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    stub.fail.store(0, Ordering::SeqCst);
    let res = op.post(app.url(&format!("/api/admin/deliveries/{id}/resend"))).header("Idempotency-Key", "r1").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(json(res).await["state"], "pending");
    stub.wait("the resent delivery", |r| r.iter().any(|r| r.status == 200)).await;
    assert_eq!(stub.delivered().len(), 1);
    let audited = app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'delivery.resend' AND target_id = CAST($1 AS TEXT)", id).await;
    assert_eq!(audited, 1);
    // A retry of the same key replays, and does not send again.
    let res = op.post(app.url(&format!("/api/admin/deliveries/{id}/resend"))).header("Idempotency-Key", "r1").send().await.unwrap();
    assert_eq!(res.headers().get("idempotent-replayed").map(|v| v.to_str().unwrap()), Some("true"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(stub.delivered().len(), 1);
    // Bad filters are typed refusals.
    for q in ["?state=lost", "?limit=0", "?cursor=x", "?member_id=x"] {
        let res = op.get(app.url(&format!("/api/admin/deliveries{q}"))).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{q}");
    }
}

#[tokio::test]
async fn a_members_events_arrive_in_order_and_members_in_parallel() {
    let (stub, url) = HostStub::start(-1).await;
    let app = app_posting_to(&url).await;
    for amount in [11, 12, 13] {
        credit(&app, 4, amount).await;
    }
    credit(&app, 5, 21).await;
    stub.wait("both members' first events", |r| r.iter().any(|r| r.body["member_id"] == 5) && r.iter().any(|r| r.body["member_id"] == 4))
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let of_4: Vec<i64> =
        stub.all().iter().filter(|r| r.body["member_id"] == 4).map(|r| r.body["payload"]["points"].as_i64().unwrap()).collect();
    assert!(of_4.iter().all(|p| *p == 11), "a later event waits while the first is pending: {of_4:?}");
    stub.fail.store(0, Ordering::SeqCst);
    app.state.clock.advance(30);
    stub.wait("every event", |r| r.iter().filter(|r| r.status == 200).count() == 4).await;
    let delivered: Vec<i64> =
        stub.delivered().iter().filter(|b| b["member_id"] == 4).map(|b| b["payload"]["points"].as_i64().unwrap()).collect();
    assert_eq!(delivered, [11, 12, 13]);
    let ids: Vec<i64> = stub.delivered().iter().filter(|b| b["member_id"] == 4).map(|b| b["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
}

#[tokio::test]
async fn a_shipped_order_tells_its_carrier_and_tracking_number() {
    let (stub, url) = HostStub::start(0).await;
    let app = app_posting_to(&url).await;
    let member = app.login(2).await;
    let item = app
        .scalar(
            "SELECT MIN(id) FROM items WHERE kind = 'physical' AND cash_fen IS NULL AND stock > 0 AND min_tier IS NULL AND points < $1",
            5_000,
        )
        .await;
    let address = address_of(&member, &app).await;
    let res = member
        .post(app.url("/api/orders"))
        .header("Idempotency-Key", "ship-1")
        .json(&json!({ "item_id": item, "quantity": 1, "address_id": address }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let order = json(res).await["id"].as_i64().unwrap();
    let res = operator_client(&app)
        .post(app.url(&format!("/api/admin/orders/{order}/ship")))
        .json(&json!({ "carrier": "顺丰速运", "tracking_no": "SF1234567890" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    stub.wait("the shipping notice", |r| r.iter().any(|r| r.body["type"] == "order_shipped")).await;
    let shipped = stub.delivered().into_iter().find(|b| b["type"] == "order_shipped").unwrap();
    assert_eq!(shipped["member_id"], 2);
    assert_eq!(shipped["payload"]["order_id"], order);
    assert_eq!(shipped["payload"]["carrier"], "顺丰速运");
    assert_eq!(shipped["payload"]["tracking_no"], "SF1234567890");
    assert!(shipped["payload"]["item"]["zh"].is_string());
    // A redeem made in the app is not an arrival: no other event.
    assert!(stub.delivered().iter().all(|b| b["type"] == "order_shipped"), "{:?}", stub.delivered());
}

#[tokio::test]
async fn a_reminded_sale_opening_is_told_at_its_start_earlier_for_gold() {
    let (stub, url) = HostStub::start(0).await;
    let app = app_posting_to(&url).await;
    let sale = schedule(&app, "remind-webhook", 3_600, 10, 50, 1).await;
    let (member, gold) = (app.login(6).await, app.login(1).await);
    for c in [&member, &gold] {
        let res = c.post(app.url(&format!("/api/sales/{sale}/remind"))).json(&json!({ "on": true })).send().await.unwrap();
        assert_eq!(json(res).await, json!({ "on": true, "by_host": true }), "the host is told at the opening");
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(stub.all().is_empty(), "nothing before the opening");
    app.state.clock.advance(3_600 - 5 * 60);
    stub.wait("gold's early opening", |r| !r.is_empty()).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let early = stub.delivered();
    assert_eq!(early.len(), 1, "{early:?}");
    assert_eq!((early[0]["type"].as_str(), early[0]["member_id"].as_i64()), (Some("sale_opening"), Some(1)));
    assert_eq!(early[0]["payload"]["sale_id"], sale);
    assert_eq!(early[0]["payload"]["opens_at"], NOW + 3_600 - 300);
    assert_eq!(early[0]["payload"]["starts_at"], NOW + 3_600);
    app.state.clock.advance(5 * 60);
    stub.wait("the member's opening", |r| r.len() == 2).await;
    // Once per member and sale, however many rounds pass.
    tokio::time::sleep(Duration::from_millis(400)).await;
    app.state.clock.advance(60);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let all = stub.delivered();
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(all[1]["member_id"], 6);
    assert_eq!(all[1]["payload"]["opens_at"], NOW + 3_600);
    let rows = app.scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'sale_opening' AND once_key = $1", sale).await;
    assert_eq!(rows, 2);
}

#[tokio::test]
async fn expiring_points_are_told_once_per_member_and_day_to_members_who_agreed() {
    let app = spawn_app_at(Some(NOW), |_| {}).await;
    let member = app.add_member(0, 0).await;
    let silent = app.add_member(0, 0).await;
    // A lot expiring in 3 days, and one in a month (not within the week); the same for a
    // member who did not agree to notices outside the app.
    for (who, points, expires) in [(member, 70, NOW + 3 * 86_400), (member, 30, NOW + 30 * 86_400), (silent, 70, NOW + 3 * 86_400)] {
        app.rows(
            "INSERT INTO point_lots (member_id, amount, remaining, earned_at, expires_at) VALUES ($1, $2, $2, $3, $4)",
            &[who, points, NOW - 86_400, expires],
        )
        .await;
    }
    let c = app.login(member).await;
    let agreed = c.put(app.url("/api/me/profile")).json(&json!({ "notices_consent": true })).send().await.unwrap();
    assert_eq!(agreed.status(), StatusCode::OK);
    assert_eq!(json(agreed).await["notices_consent"], true);
    let count = |app: &TestApp| {
        let app = app.state.clone();
        async move {
            let mut conn = app.pool.acquire().await.unwrap();
            mall_api::db::outbox::list(&mut conn, None, Some(member), i64::MAX, 50).await.unwrap()
        }
    };
    app.sweep().await;
    app.sweep().await;
    let rows = count(&app).await;
    assert_eq!(rows.len(), 1, "once a day: {rows:?}");
    let told = app.scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'points_expiring' AND member_id = $1", silent).await;
    assert_eq!(told, 0, "no notice without the member's consent");
    let payload: Value = serde_json::from_str(&rows[0].payload).unwrap();
    assert_eq!(payload, json!({ "points": 70, "first_expires_at": NOW + 3 * 86_400, "day": "2026-09-15" }));
    // The next day, again (the lot still expires within the week).
    app.state.clock.advance(86_400);
    app.sweep().await;
    assert_eq!(count(&app).await.len(), 2);
    // The once rule is the database's, not the sweep's check.
    let again = app
        .rows(
            "INSERT INTO outbox (member_id, kind, once_key, payload, created_at, due_at, next_attempt_at, give_up_at) \
             SELECT member_id, kind, once_key, payload, created_at, due_at, next_attempt_at, give_up_at FROM outbox \
             WHERE member_id = $1 AND kind = 'points_expiring' ON CONFLICT DO NOTHING RETURNING id",
            &[member],
        )
        .await;
    assert!(again.is_empty(), "{again:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_deliver_each_event_once() {
    let (stub, url) = HostStub::start(0).await;
    let a = app_posting_to(&url).await;
    let b = spawn_replica_with(&a, posting_to(&url)).await;
    // The replica posts too (its own dispatcher, same database).
    assert!(b.state.config.host_webhook_url.is_some());
    let mut expected = 0;
    for member in 1..=6 {
        for n in 0..3 {
            credit(if n % 2 == 0 { &a } else { &b }, member, 10 + n).await;
            expected += 1;
        }
    }
    stub.wait("every event", |r| r.len() >= expected).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let all = stub.all();
    let mut seen: HashMap<i64, usize> = HashMap::new();
    for r in &all {
        *seen.entry(r.body["id"].as_i64().unwrap()).or_default() += 1;
    }
    assert_eq!(seen.len(), expected, "{all:?}");
    assert!(seen.values().all(|n| *n == 1), "no duplicate without a crash: {seen:?}");
    for member in 1..=6 {
        let points: Vec<i64> =
            all.iter().filter(|r| r.body["member_id"] == member).map(|r| r.body["payload"]["points"].as_i64().unwrap()).collect();
        assert_eq!(points, [10, 11, 12], "in order for member {member}");
    }
}

/// Borrowed pairs of owned environment variables.
fn refs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_committed_before_a_kill_9_is_delivered_after_the_restart() {
    use crate::{helpers::TestDb, production::serve_logged};
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("server.log");
    // Nothing listens here yet: every attempt of the first process fails.
    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/mall-webhooks", l.local_addr().unwrap())
    };
    let vars = |hook_url: &str| {
        vec![
            ("DATABASE_URL".to_string(), db.url.clone()),
            ("HOOK_SECRET".to_string(), SECRET.to_string()),
            ("HOST_WEBHOOK_URL".to_string(), hook_url.to_string()),
            ("DEV_CLOCK".to_string(), "true".to_string()),
            ("STATIC_DIR".to_string(), dir.path().display().to_string()),
        ]
    };
    let first = vars(&refused);
    let mut server = serve_logged(dir.path(), &refs(&first), &log).await;
    let op = reqwest::Client::new();
    let res = op
        .post(format!("{}/api/admin/adjustments", server.base))
        .bearer_auth("dev-operator-token")
        .header("Idempotency-Key", "before-the-crash")
        .json(&json!({ "member_id": 2, "amount": 77, "reason": "before the crash" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    // Committed; not delivered (the host is unreachable); then the process dies at once.
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.kill_9();

    let (stub, url) = HostStub::start(0).await;
    let second = vars(&url);
    let server = serve_logged(dir.path(), &refs(&second), &log).await;
    // Past any backoff of the first process's attempts.
    let res = reqwest::Client::new().post(format!("{}/api/dev/clock", server.base)).json(&json!({ "seconds": 120 })).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    for _ in 0..100 {
        if !stub.delivered().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let delivered = stub.delivered();
    assert_eq!(delivered.len(), 1, "never lost: {delivered:?}\n{}", std::fs::read_to_string(&log).unwrap_or_default());
    assert_eq!((delivered[0]["type"].as_str(), delivered[0]["payload"]["points"].as_i64()), (Some("points_arrived"), Some(77)));
    assert!(stub.all().iter().all(|r| r.signed));
}

#[tokio::test]
async fn a_tier_up_and_a_verified_code_are_told_with_their_payloads() {
    let (stub, url) = HostStub::start(0).await;
    let app = app_posting_to(&url).await;
    // 998 growth: the check-in's 5 cross Silver's 1,000.
    let m = app.add_member(0, 998).await;
    let c = app.login(m).await;
    let res = c.post(app.url("/api/checkins")).send().await.unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    stub.wait("the tier-up", |r| r.iter().any(|r| r.body["type"] == "tier_up")).await;
    let up = stub.delivered().into_iter().find(|b| b["type"] == "tier_up").unwrap();
    assert_eq!(up["member_id"].as_i64(), Some(m));
    assert_eq!(up["payload"], json!({ "from": "member", "to": "silver" }));

    // A flash-sale code the merchant verifies: its code and the merchant's name.
    let sale = schedule(&app, "told", 0, 5, 10, 1).await;
    let member = app.login(2).await;
    let code = json(crate::sales::grab(&member, &app, sale, "told-k").await).await["code"]["code"].as_str().unwrap().to_string();
    let res = crate::sales::merchant(&app).post(app.url("/api/merchant/verify")).json(&json!({ "code": code })).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    stub.wait("the verified code", |r| r.iter().any(|r| r.body["type"] == "code_verified")).await;
    let told = stub.delivered().into_iter().find(|b| b["type"] == "code_verified").unwrap();
    assert_eq!(told["member_id"], 2);
    assert_eq!(told["payload"]["code"], code.as_str());
    assert!(told["payload"]["used_by"].as_str().is_some_and(|n| !n.is_empty()), "{told}");
    assert!(stub.all().iter().all(|r| r.signed));
    assert_eq!(stub.delivered().iter().filter(|b| b["type"] == "tier_up").count(), 1, "one tier-up, once");
}

#[tokio::test]
async fn a_shop_cancel_of_a_paid_order_tells_the_cash_refund_due() {
    use crate::payments::{ask_payment, awaiting, confirm, PARCEL};
    let (stub, url) = HostStub::start(0).await;
    let app = app_posting_to(&url).await;
    let m = app.add_member(5_000, 0).await;
    let c = app.login(m).await;
    let id = awaiting(&c, &app, PARCEL, "told-p").await["id"].as_i64().unwrap();
    let payment_id = json(ask_payment(&c, &app, id).await).await["request"]["payment_id"].as_str().unwrap().to_string();
    assert_eq!(confirm(&app, id, &payment_id, "9.90").await.status(), StatusCode::OK);
    let res = operator_client(&app)
        .post(app.url(&format!("/api/admin/orders/{id}/cancel")))
        .header("Idempotency-Key", "told-cancel")
        .json(&json!({ "reason": "缺货" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    stub.wait("the refund due", |r| r.iter().any(|r| r.body["type"] == "cash_refund_due")).await;
    let told = stub.delivered().into_iter().find(|b| b["type"] == "cash_refund_due").unwrap();
    assert_eq!(told["member_id"].as_i64(), Some(m));
    assert_eq!(
        told["payload"],
        json!({ "order_id": id, "payment_id": payment_id, "amount": "9.90", "total_due": "9.90" }),
        "the host refunds this payment's cash"
    );
}
