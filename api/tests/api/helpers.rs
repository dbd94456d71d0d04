//! `spawn_app`: a server on a random port with a fresh database, and a cookie-keeping client.
//!
//! The engine: SQLite (a file in a temporary folder) unless `TEST_POSTGRES_URL` names a
//! PostgreSQL database whose role may create databases; then every test gets a database
//! of its own on that server, dropped afterwards. `make test` runs the suite both ways.

use mall_api::{
    clock::Clock,
    config::Config,
    db,
    domain::{ledger, sweep},
    startup::Application,
    AppState,
};
use mall_core::dto::EntryKind;
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

use crate::documented;

/// Runs `$body` with `$p` bound to the engine's own pool of a `db::Pool` (raw SQL in tests).
macro_rules! on_db {
    ($pool:expr, |$p:ident| $body:expr) => {
        match $pool {
            mall_api::db::Pool::Sqlite($p) => $body,
            mall_api::db::Pool::Postgres($p) => $body,
        }
    };
}
pub(crate) use on_db;

/// A fresh, empty database for one test (see the module's doc for the engine).
pub struct TestDb {
    /// Its `DATABASE_URL`.
    pub url: String,
    /// The SQLite file's folder.
    _dir: Option<tempfile::TempDir>,
    /// The PostgreSQL database: (server URL, database name), dropped with this.
    pg: Option<(String, String)>,
}

impl TestDb {
    /// A new database on the engine under test.
    pub async fn new() -> TestDb {
        match std::env::var("TEST_POSTGRES_URL") {
            Ok(server) if !server.is_empty() => {
                let name = format!("t_{}", uuid::Uuid::new_v4().simple());
                let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&server).await.expect("TEST_POSTGRES_URL connects");
                sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("create a test database");
                let base = server.rsplit_once('/').expect("a database URL has a path").0;
                TestDb { url: format!("{base}/{name}"), _dir: None, pg: Some((server, name)) }
            }
            _ => TestDb::sqlite(),
        }
    }

    /// A new SQLite file, whatever the engine under test (tests of SQLite itself).
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        TestDb { url: format!("sqlite://{}", dir.path().join("mall.db").display()), _dir: Some(dir), pg: None }
    }

    /// The SQLite file, if this is one.
    pub fn sqlite_path(&self) -> Option<std::path::PathBuf> {
        self._dir.as_ref().map(|d| d.path().join("mall.db"))
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((server, name)) = self.pg.take() else { return };
        // Drop from a thread of its own: this may run inside a runtime.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async {
                if let Ok(mut admin) = <sqlx::PgConnection as sqlx::Connection>::connect(&server).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await;
                }
            })
        })
        .join();
    }
}

/// A running test server. Dropping it checks that every answer it sent is documented in
/// the OpenAPI document (`documented::undocumented`).
pub struct TestApp {
    pub base: String,
    pub state: AppState,
    seen: documented::Seen,
    /// The database, when this server owns it (the last one dropped).
    _db: Option<std::sync::Arc<TestDb>>,
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

/// Starts the app on 127.0.0.1:0 with a new database and the demo data.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// As `spawn_app`, with the configuration changed first (rules, zone…).
pub async fn spawn_app_with(change: impl FnOnce(&mut Config)) -> TestApp {
    spawn_app_at(None, change).await
}

/// As `spawn_app_with`, with the clock frozen at `now` (Unix seconds) before the seed.
pub async fn spawn_app_at(now: Option<i64>, change: impl FnOnce(&mut Config)) -> TestApp {
    spawn_app_in(std::sync::Arc::new(TestDb::new().await), now, change).await
}

/// A second server (another replica: its own pools, limiter and caches) on the database
/// of `app`, with the same clock.
pub async fn spawn_replica(app: &TestApp) -> TestApp {
    spawn_replica_with(app, |_| {}).await
}

/// As `spawn_replica`, with the configuration changed first (as the first server's was).
pub async fn spawn_replica_with(app: &TestApp, change: impl FnOnce(&mut Config)) -> TestApp {
    let db = app._db.clone().expect("the first server owns the database");
    let clock = app.state.clock.clone();
    let mut replica = spawn_app_on(db.url.clone(), clock, false, change).await;
    replica._db = Some(db);
    replica
}

/// As `spawn_app_at`, on `db` (which may already hold a database).
pub async fn spawn_app_in(db: std::sync::Arc<TestDb>, now: Option<i64>, change: impl FnOnce(&mut Config)) -> TestApp {
    let clock = now.map(Clock::frozen_at).unwrap_or_default();
    let mut app = spawn_app_on(db.url.clone(), clock, now.is_none(), change).await;
    app._db = Some(db);
    app
}

/// Moves a running clock 12 hours on when the shop's time is 19:00 or later, so that a
/// test's next hours stay on one shop day (a sale "in two hours" made at 23:30 would fall
/// on tomorrow, off today's list). In-process tests read time only from the app's clock.
fn steer_clear_of_midnight(clock: &Clock, zone: chrono_tz::Tz) {
    use chrono::Timelike;
    if clock.now().with_timezone(&zone).hour() >= 19 {
        clock.advance(12 * 3600);
    }
}

/// A server on the database at `url` with `clock` (steered clear of midnight if `steer`).
async fn spawn_app_on(url: String, clock: Clock, steer: bool, change: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = Config::for_tests(url);
    change(&mut config);
    if steer {
        steer_clear_of_midnight(&clock, config.zone);
    }
    let seen = documented::Seen::default();
    let recorder = seen.clone();
    let app = Application::build_with_clock(config, clock).await.expect("app builds").map_router(|r| documented::record(r, recorder));
    let base = format!("http://{}", app.local_addr());
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped());
    TestApp { base, state, seen, _db: None }
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
        let sql = "INSERT INTO members (name_zh, name_en, growth, balance, created_at) VALUES ('测试', 'Test', $1, 0, $2) RETURNING id";
        let id: i64 = on_db!(&self.state.writer, |p| sqlx::query_scalar(sql).bind(growth).bind(now).fetch_one(p).await.unwrap());
        if balance > 0 {
            let mut tx = db::begin(&self.state.writer).await.unwrap();
            ledger::credit(&mut tx, id, EntryKind::Adjustment, balance, self.state.at(), now + 365 * 86_400, None).await.unwrap();
            tx.commit().await.unwrap();
        }
        id
    }

    /// Runs the expiry sweep now; returns how many members had points expire.
    pub async fn sweep(&self) -> i64 {
        let (rules, at) = self.state.moment();
        sweep::run_once(&self.state.pool, &self.state.writer, &rules, at).await.unwrap()
    }

    /// Sets an item's stock and per-member limit.
    pub async fn set_item(&self, item_id: i64, stock: i64, limit: i64) {
        self.rows("UPDATE items SET stock = $1, per_member_limit = $2 WHERE id = $3", &[stock, limit, item_id]).await;
    }

    /// The first column of the first row `sql` answers with `id` bound to `$1`.
    pub async fn scalar(&self, sql: &str, id: i64) -> i64 {
        self.rows(sql, &[id]).await[0][0]
    }

    /// Runs `sql` with `binds` on the writer; the rows it answers, every column a BIGINT
    /// (cast sums: PostgreSQL's SUM of BIGINT is NUMERIC).
    pub async fn rows(&self, sql: &str, binds: &[i64]) -> Vec<Vec<i64>> {
        use sqlx::Row;
        on_db!(&self.state.writer, |p| {
            let mut query = sqlx::query(sql);
            for b in binds {
                query = query.bind(*b);
            }
            let rows = query.fetch_all(p).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
            rows.iter().map(|r| (0..r.len()).map(|i| r.get::<i64, _>(i)).collect()).collect()
        })
    }

    /// Checks the ledger invariants for a member: balance = sum of history = sum of open lots, ≥ 0.
    pub async fn assert_ledger(&self, member_id: i64) {
        let balance = self.scalar("SELECT balance FROM members WHERE id = $1", member_id).await;
        let history = self.scalar("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM history WHERE member_id = $1", member_id).await;
        let lots = self.scalar("SELECT CAST(COALESCE(SUM(remaining), 0) AS BIGINT) FROM point_lots WHERE member_id = $1", member_id).await;
        assert!(balance >= 0, "balance {balance} is negative");
        assert_eq!(balance, history, "balance vs history for member {member_id}");
        assert_eq!(balance, lots, "balance vs lots for member {member_id}");
    }
}

impl TestApp {
    /// Signs a POST as the host shop does at Unix second `ts` (v2): `v2=` and hex
    /// HMAC-SHA256 with the hook secret of
    /// `"v2\n{ts}\nPOST\n{path}\n{key or -}\n{body}"`.
    pub fn sign(&self, ts: i64, path: &str, key: Option<&str>, body: &str) -> String {
        sign_v2(&self.state.config.hook_secret, ts, "POST", path, key, body)
    }

    /// The deprecated v1 signature: bare hex HMAC-SHA256 of `"{ts}.{body}"`.
    pub fn sign_v1(&self, ts: i64, body: &str) -> String {
        use hmac::{Hmac, Mac};
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(self.state.config.hook_secret.as_bytes()).unwrap();
        mac.update(format!("{ts}.{body}").as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// A signed call of the host shop (`key`: an `Idempotency-Key`), signed now.
    pub async fn host(&self, path: &str, body: &str, key: Option<&str>) -> Response {
        let ts = self.state.clock.now_secs();
        let mut req = Client::new()
            .post(self.url(path))
            .header("content-type", "application/json")
            .header("x-mall-timestamp", ts.to_string())
            .header("x-mall-signature", self.sign(ts, path, key, body))
            .body(body.to_string());
        if let Some(key) = key {
            req = req.header("idempotency-key", key);
        }
        req.send().await.unwrap()
    }
}

/// A v2 signature with `secret`: `v2=` and hex HMAC-SHA256 of
/// `"v2\n{ts}\n{method}\n{path}\n{key or -}\n{body}"`.
pub fn sign_v2(secret: &str, ts: i64, method: &str, path: &str, key: Option<&str>, body: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("v2\n{ts}\n{method}\n{path}\n{}\n{body}", key.unwrap_or("-")).as_bytes());
    format!("v2={}", hex::encode(mac.finalize().into_bytes()))
}

/// A client carrying the operator automation token.
pub fn operator_client(app: &TestApp) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("authorization", format!("Bearer {}", app.state.config.operator_token.clone().unwrap()).parse().unwrap());
    Client::builder().default_headers(headers).build().unwrap()
}

/// Sends a POST with a JSON body.
pub async fn post(c: &Client, app: &TestApp, path: &str, body: Value) -> Response {
    c.post(app.url(path)).json(&body).send().await.unwrap()
}

/// The member's balance as the API reports it.
pub async fn balance(c: &Client, app: &TestApp) -> i64 {
    json(c.get(app.url("/api/me")).send().await.unwrap()).await["balance"].as_i64().unwrap()
}

/// Sends a redeem with the given key; a physical item ships to the member's first address
/// (one is added when the book is empty).
pub async fn redeem(c: &Client, app: &TestApp, item_id: i64, quantity: i64, key: &str) -> Response {
    let physical = app.rows("SELECT COUNT(*) FROM items WHERE id = $1 AND kind = 'physical'", &[item_id]).await[0][0] == 1;
    let address_id = if physical { Some(address_of(c, app).await) } else { None };
    c.post(app.url("/api/orders"))
        .header("Idempotency-Key", key)
        .json(&serde_json::json!({ "item_id": item_id, "quantity": quantity, "address_id": address_id }))
        .send()
        .await
        .unwrap()
}

/// The member's first delivery address, added if it has none.
pub async fn address_of(c: &Client, app: &TestApp) -> i64 {
    let book = json(c.get(app.url("/api/addresses")).send().await.unwrap()).await;
    if let Some(id) = book[0]["id"].as_i64() {
        return id;
    }
    let to = serde_json::json!({ "name": "测试", "phone": "13800138000", "region": "上海市 静安区", "detail": "南京西路 1 号" });
    json(post(c, app, "/api/addresses", to).await).await["id"].as_i64().unwrap()
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
