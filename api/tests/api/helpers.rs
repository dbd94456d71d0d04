//! `spawn_app`: a server on a random port with a fresh database, and a cookie-keeping client.

use mall_api::{
    clock::Clock,
    config::Config,
    domain::{ledger, sweep},
    startup::Application,
    AppState,
};
use mall_core::dto::EntryKind;
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

use crate::documented;

/// A running test server. Dropping it checks that every answer it sent is documented in
/// the OpenAPI document (`documented::undocumented`).
pub struct TestApp {
    pub base: String,
    pub state: AppState,
    seen: documented::Seen,
    _dir: tempfile::TempDir,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let missing = documented::undocumented(&documented::document(), &self.seen());
        assert!(missing.is_empty(), "answers missing from the OpenAPI document:\n{}", missing.join("\n"));
    }
}

/// Starts the app on 127.0.0.1:0 with a new SQLite file and the demo data.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// As `spawn_app`, with the configuration changed first (rules, zone…).
pub async fn spawn_app_with(change: impl FnOnce(&mut Config)) -> TestApp {
    spawn_app_at(None, change).await
}

/// As `spawn_app_with`, with the clock frozen at `now` (Unix seconds) before the seed.
pub async fn spawn_app_at(now: Option<i64>, change: impl FnOnce(&mut Config)) -> TestApp {
    spawn_app_in(tempfile::tempdir().expect("temp dir"), now, change).await
}

/// As `spawn_app_at`, on the database `mall.db` in `dir` (which may already hold one).
pub async fn spawn_app_in(dir: tempfile::TempDir, now: Option<i64>, change: impl FnOnce(&mut Config)) -> TestApp {
    let url = format!("sqlite://{}", dir.path().join("mall.db").display());
    let mut config = Config::for_tests(url);
    change(&mut config);
    let clock = now.map(Clock::frozen_at).unwrap_or_default();
    let seen = documented::Seen::default();
    let recorder = seen.clone();
    let app = Application::build_with_clock(config, clock).await.expect("app builds").map_router(|r| documented::record(r, recorder));
    let base = format!("http://{}", app.local_addr());
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped());
    TestApp { base, state, seen, _dir: dir }
}

impl TestApp {
    /// The answers this server sent so far: method, path, status.
    pub fn seen(&self) -> Vec<(String, String, u16)> {
        self.seen.lock().unwrap().clone()
    }

    /// A client with its own cookie jar (one browser).
    pub fn client(&self) -> Client {
        Client::builder().cookie_store(true).build().expect("client")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A client logged in as `member_id` through the demo login.
    pub async fn login(&self, member_id: i64) -> Client {
        let c = self.client();
        let res = c.post(self.url("/api/session/demo")).json(&serde_json::json!({ "member_id": member_id })).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "demo login");
        c
    }

    /// Inserts a member holding `balance` points (one lot) and returns its id.
    pub async fn add_member(&self, balance: i64, growth: i64) -> i64 {
        let now = self.state.clock.now_secs();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO members (name_zh, name_en, growth, balance, created_at) VALUES ('测试', 'Test', $1, 0, $2) RETURNING id",
        )
        .bind(growth)
        .bind(now)
        .fetch_one(&self.state.pool)
        .await
        .unwrap();
        if balance > 0 {
            let mut tx = mall_api::db::begin(&self.state.writer).await.unwrap();
            ledger::credit(&mut tx, id, EntryKind::Adjustment, balance, self.state.at(), now + 365 * 86_400, None).await.unwrap();
            tx.commit().await.unwrap();
        }
        id
    }

    /// Runs the expiry sweep now; returns how many members had points expire.
    pub async fn sweep(&self) -> i64 {
        sweep::run_once(&self.state.pool, &self.state.writer, self.state.at()).await.unwrap()
    }

    /// Sets an item's stock and per-member limit.
    pub async fn set_item(&self, item_id: i64, stock: i64, limit: i64) {
        sqlx::query("UPDATE items SET stock = $1, per_member_limit = $2 WHERE id = $3")
            .bind(stock)
            .bind(limit)
            .bind(item_id)
            .execute(&self.state.pool)
            .await
            .unwrap();
    }

    pub async fn scalar(&self, sql: &str, id: i64) -> i64 {
        let (v,): (i64,) = sqlx::query_as(sql).bind(id).fetch_one(&self.state.pool).await.unwrap();
        v
    }

    /// Checks the ledger invariants for a member: balance = sum of history = sum of open lots, ≥ 0.
    pub async fn assert_ledger(&self, member_id: i64) {
        let balance = self.scalar("SELECT balance FROM members WHERE id = $1", member_id).await;
        let history = self.scalar("SELECT COALESCE(SUM(amount), 0) FROM history WHERE member_id = $1", member_id).await;
        let lots = self.scalar("SELECT COALESCE(SUM(remaining), 0) FROM point_lots WHERE member_id = $1", member_id).await;
        assert!(balance >= 0, "balance {balance} is negative");
        assert_eq!(balance, history, "balance vs history for member {member_id}");
        assert_eq!(balance, lots, "balance vs lots for member {member_id}");
    }
}

/// Sends a POST with a JSON body.
pub async fn post(c: &Client, app: &TestApp, path: &str, body: Value) -> Response {
    c.post(app.url(path)).json(&body).send().await.unwrap()
}

/// The member's balance as the API reports it.
pub async fn balance(c: &Client, app: &TestApp) -> i64 {
    json(c.get(app.url("/api/me")).send().await.unwrap()).await["balance"].as_i64().unwrap()
}

/// Sends a redeem with the given key.
pub async fn redeem(c: &Client, app: &TestApp, item_id: i64, quantity: i64, key: &str) -> Response {
    c.post(app.url("/api/orders"))
        .header("Idempotency-Key", key)
        .json(&serde_json::json!({ "item_id": item_id, "quantity": quantity }))
        .send()
        .await
        .unwrap()
}

/// Asserts an error answer's status and code, returning the body.
pub async fn expect_error(res: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(res.status(), status, "status for expected {code}");
    let body: Value = res.json().await.expect("error body is JSON");
    assert_eq!(body["error"]["code"], code, "body: {body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "message present");
    body
}

pub async fn json(res: Response) -> Value {
    res.json().await.expect("JSON body")
}
