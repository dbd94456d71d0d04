//! A production start holds nothing published: the real binary, started as a shop that
//! follows the README into production (`DEMO_LOGIN=false`, its own secrets, the demo
//! catalogue loaded), refuses every credential, token and secret written in this
//! repository; a start refuses such a value as its own secret, a demo login on a network
//! address, and a database whose staff still have a demo password.

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use mall_api::config::PUBLISHED_SECRETS;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::sign_v2;

/// The repository's root (the API crate's parent).
fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// Every file of the repository that people copy from: sources, tests, scripts, docs.
fn repository_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> =
        ["api", "core", "src", "tests", "scripts", "bench", "README.md", "Makefile", ".ci"].iter().map(|p| repo().join(p)).collect();
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            if path.ends_with("target") || path.ends_with("node_modules") || path.ends_with("fixtures") {
                continue;
            }
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else if path.extension().is_some_and(|e| ["rs", "mjs", "js", "sh", "md", "json", "toml", "sql"].iter().any(|x| e == *x))
            || path.ends_with("Makefile")
            || path.ends_with("run")
        {
            out.push(path);
        }
    }
    out
}

/// The secret-looking values written in the repository: words of `a-z 0-9 . -` with
/// "secret" or "token" in them, 16 characters or more (the shortest a secret may be).
fn published_values() -> Vec<String> {
    let mut found = std::collections::BTreeSet::new();
    for file in repository_files() {
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.')) {
            let word = word.trim_matches(|c| c == '.' || c == '-');
            let lower = word.to_ascii_lowercase();
            if word.len() >= 16 && word == lower && word.contains('-') && (word.contains("secret") || word.contains("token")) {
                found.insert(word.to_string());
            }
        }
    }
    found.into_iter().collect()
}

/// The demo staff accounts (username, password), from the demo data.
fn demo_staff() -> Vec<(String, String)> {
    let demo: Value = serde_json::from_str(&std::fs::read_to_string(repo().join("api/seed/demo.json")).unwrap()).unwrap();
    demo["staff"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["username"].as_str().unwrap().to_string(), s["password"].as_str().unwrap().to_string()))
        .collect()
}

/// A secret of this run, never written anywhere.
pub(crate) fn own_secret(what: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{what}-{nanos:x}-{}", std::process::id())
}

/// The server binary with only `vars` set, in `dir`.
fn command(dir: &Path, vars: &[(&str, &str)]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mall-api"));
    c.env_clear().envs(vars.iter().copied()).current_dir(dir);
    c
}

/// Runs the binary to its end (a refused start); returns (exit code, stderr + stdout).
fn refused(dir: &Path, vars: &[(&str, &str)]) -> (Option<i32>, String) {
    let out = command(dir, vars).output().unwrap();
    (out.status.code(), format!("{}{}", String::from_utf8_lossy(&out.stderr), String::from_utf8_lossy(&out.stdout)))
}

/// A running server process, stopped when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) base: String,
}

impl Server {
    /// How the process ended, if it did.
    pub(crate) fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Ends the process at once, as `kill -9` does (SIGKILL: no shutdown, no clean-up).
    pub(crate) fn kill_9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the binary with `vars` on a free loopback port and waits for `/healthz`.
pub(crate) async fn serve(dir: &Path, vars: &[(&str, &str)]) -> Server {
    start(dir, vars, (Stdio::null(), Stdio::null())).await
}

/// As `serve`, with the server's output (its log) written to `log`.
pub(crate) async fn serve_logged(dir: &Path, vars: &[(&str, &str)], log: &Path) -> Server {
    let file = std::fs::File::create(log).unwrap();
    start(dir, vars, (file.try_clone().unwrap().into(), file.into())).await
}

async fn start(dir: &Path, vars: &[(&str, &str)], (stdout, stderr): (Stdio, Stdio)) -> Server {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port().to_string();
    let mut all = vars.to_vec();
    all.push(("PORT", &port));
    let child = command(dir, &all).stdout(stdout).stderr(stderr).spawn().unwrap();
    let mut server = Server { child, base: format!("http://127.0.0.1:{port}") };
    let started = Instant::now();
    loop {
        if reqwest::get(format!("{}/healthz", server.base)).await.is_ok_and(|r| r.status().is_success()) {
            return server;
        }
        if let Some(status) = server.child.try_wait().unwrap() {
            panic!("the server exited at start-up: {status}");
        }
        assert!(started.elapsed() < Duration::from_secs(60), "the server did not answer /healthz within 60 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Runs `mall-api staff ARGS` on `url` with `stdin`; returns (exit code, stdout + stderr).
pub(crate) fn staff_cli(dir: &Path, url: &str, args: &[&str], stdin: &str) -> (Option<i32>, String) {
    use std::io::Write;
    let mut child = command(dir, &[("DATABASE_URL", url)])
        .arg("staff")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

/// Exchanges a host ticket for member 1 signed with `secret`; the answer's status.
async fn exchange(client: &reqwest::Client, base: &str, secret: &str) -> StatusCode {
    let exp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64 + 300;
    let signature = mall_api::routes::session::sign_ticket(secret, 1, exp);
    let ticket = json!({ "member_id": 1, "expires_at": exp, "signature": signature });
    client.post(format!("{base}/api/session/exchange")).json(&ticket).send().await.unwrap().status()
}

async fn sign_in(client: &reqwest::Client, base: &str, username: &str, password: &str) -> StatusCode {
    let body = json!({ "username": username, "password": password });
    client.post(format!("{base}/api/staff/session")).json(&body).send().await.unwrap().status()
}

#[test]
fn every_published_secret_is_known_to_the_production_check() {
    let found = published_values();
    assert!(found.iter().any(|v| v == "dev-only-hook-secret-change-me"), "the scan sees the development secrets: {found:?}");
    let missing: Vec<&String> = found.iter().filter(|v| !PUBLISHED_SECRETS.contains(&v.as_str())).collect();
    assert!(missing.is_empty(), "published in the repository but not refused in production (config::PUBLISHED_SECRETS): {missing:?}");
}

#[test]
fn a_production_start_refuses_a_published_secret_and_a_demo_on_the_network() {
    let dir = tempfile::tempdir().unwrap();
    let (ticket, hook) = (own_secret("ticket"), own_secret("hook"));
    let production = |name: &'static str, value: &'static str| {
        let mut vars = vec![("DEMO_LOGIN", "false"), ("TICKET_SECRET", ticket.as_str()), ("HOOK_SECRET", hook.as_str())];
        vars.retain(|(n, _)| *n != name);
        vars.push((name, value));
        refused(dir.path(), &vars)
    };
    for value in PUBLISHED_SECRETS {
        for name in ["TICKET_SECRET", "HOOK_SECRET", "HOOK_SECRET_PREVIOUS", "OPERATOR_TOKEN"] {
            let (code, out) = production(name, value);
            assert_eq!(code, Some(2), "{name}={value}: {out}");
            assert!(out.contains(name) && (out.contains("published") || out.contains("must be set")), "{name}={value}: {out}");
        }
        let tokens: &'static str = Box::leak(format!("starbucks={value}").into_boxed_str());
        let (code, out) = production("MERCHANT_TOKENS", tokens);
        assert!(code == Some(2) && out.contains("MERCHANT_TOKENS"), "{tokens}: {out}");
    }
    // The demo publishes logins and secrets: only on loopback, unless said on purpose.
    for host in ["0.0.0.0", "192.0.2.10", "::"] {
        let (code, out) = refused(dir.path(), &[("HOST", host)]);
        assert_eq!(code, Some(2), "{host}: {out}");
        assert!(out.contains("DEMO_ON_NETWORK") && out.contains("DEMO_LOGIN=false"), "{host}: {out}");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "a refused start creates nothing");
}

#[tokio::test]
async fn the_real_binary_in_production_refuses_every_credential_of_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/mall.db", dir.path().display());
    let (ticket, hook) = (own_secret("ticket"), own_secret("hook"));
    // The demo catalogue and members are loaded (SEED_DEMO=true): everything but staff.
    let vars = [
        ("DEMO_LOGIN", "false"),
        ("SEED_DEMO", "true"),
        ("TICKET_SECRET", ticket.as_str()),
        ("HOOK_SECRET", hook.as_str()),
        ("DATABASE_URL", url.as_str()),
    ];
    let server = serve(dir.path(), &vars).await;
    let base = server.base.clone();
    let c = reqwest::Client::new();

    // No demo door.
    assert_eq!(c.get(format!("{base}/api/demo/staff")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    let demo = c.post(format!("{base}/api/session/demo")).json(&json!({ "member_id": 1 })).send().await.unwrap();
    assert_eq!(demo.status(), StatusCode::FORBIDDEN);
    // No demo staff account, whatever the password.
    for (username, password) in demo_staff() {
        assert_eq!(sign_in(&c, &base, &username, &password).await, StatusCode::UNAUTHORIZED, "{username}");
    }
    let published: Vec<String> = published_values().into_iter().chain(PUBLISHED_SECRETS.iter().map(|s| s.to_string())).collect();
    let body = |id: &str| json!({ "purchase_id": id, "member_id": 1, "paid": "100.00" }).to_string();
    let hook_call = |secret: &str, id: &str| {
        let ts = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
        let text = body(id);
        let signature = sign_v2(secret, ts, "POST", "/api/hooks/purchase", None, &text);
        c.post(format!("{base}/api/hooks/purchase"))
            .header("content-type", "application/json")
            .header("x-mall-timestamp", ts.to_string())
            .header("x-mall-signature", signature)
            .body(text)
            .send()
    };
    for (n, value) in published.iter().enumerate() {
        // As an operator's or a merchant's bearer token.
        for path in ["/api/admin/staff", "/api/admin/members?q=1", "/api/merchant/codes"] {
            let res = c.get(format!("{base}{path}")).bearer_auth(value).send().await.unwrap();
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{value} on {path}");
        }
        let adjust = c
            .post(format!("{base}/api/admin/adjustments"))
            .bearer_auth(value)
            .header("idempotency-key", format!("k{n}"))
            .json(&json!({ "member_id": 1, "amount": 10_000_000, "reason": "published" }))
            .send()
            .await
            .unwrap();
        assert_eq!(adjust.status(), StatusCode::FORBIDDEN, "{value} adjusts nothing");
        // As the hook secret.
        assert_eq!(hook_call(value, &format!("P-{n}")).await.unwrap().status(), StatusCode::UNAUTHORIZED, "{value} as HOOK_SECRET");
        // As the ticket secret.
        assert_eq!(exchange(&c, &base, value).await, StatusCode::UNAUTHORIZED, "{value} as TICKET_SECRET");
    }
    // The shop's own secrets work: the refusals above are about the values, not a closed door.
    assert_eq!(hook_call(&hook, "P-own").await.unwrap().status(), StatusCode::CREATED);
    let member = reqwest::Client::builder().cookie_store(true).build().unwrap();
    assert_eq!(exchange(&member, &base, &ticket).await, StatusCode::OK);
    // Production closes the two leaks: no self-claimed tasks (the profile's is the mall's
    // to see), no cash part taken on points.
    let tasks: Value = member.get(format!("{base}/api/tasks")).send().await.unwrap().json().await.unwrap();
    let names: Vec<&str> = tasks["tasks"].as_array().unwrap().iter().map(|t| t["task"].as_str().unwrap()).collect();
    assert_eq!(names, ["profile"], "only the task the mall sees itself (a complete profile): {tasks}");
    let share = member.post(format!("{base}/api/tasks/share/claim")).header("idempotency-key", "s").send().await.unwrap();
    assert_eq!(share.status(), StatusCode::FORBIDDEN);
    let cash_item: Value = member.get(format!("{base}/api/items/8")).send().await.unwrap().json().await.unwrap();
    assert_eq!(cash_item["cash_unavailable"], true, "{cash_item}");
    // And nobody was given points by any of it.
    assert_eq!(
        c.get(format!("{base}/api/admin/audit")).bearer_auth(&hook).send().await.unwrap().status(),
        StatusCode::FORBIDDEN,
        "no operator token is configured"
    );
}

#[tokio::test]
async fn a_database_holding_the_demo_staff_does_not_start_in_production_until_they_are_changed() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/mall.db", dir.path().display());
    // A shop that tried the demo first: its database holds the demo staff.
    drop(serve(dir.path(), &[("DATABASE_URL", url.as_str())]).await);
    let (ticket, hook) = (own_secret("ticket"), own_secret("hook"));
    let production =
        [("DEMO_LOGIN", "false"), ("TICKET_SECRET", ticket.as_str()), ("HOOK_SECRET", hook.as_str()), ("DATABASE_URL", url.as_str())];
    let (code, out) = refused(dir.path(), &production);
    assert_eq!(code, Some(1), "{out}");
    for (username, _) in demo_staff() {
        assert!(out.contains(&username), "{username} is named: {out}");
    }
    assert!(out.contains("mall-api staff password") && out.contains("mall-api staff disable"), "the fix is named: {out}");

    // The operator gets a new password; the merchants' accounts are disabled.
    let (code, out) = staff_cli(dir.path(), &url, &["password", "--username", "ops"], "a new long password\n");
    assert_eq!(code, Some(0), "{out}");
    for (username, _) in demo_staff().into_iter().filter(|(u, _)| u != "ops") {
        let (code, out) = staff_cli(dir.path(), &url, &["disable", "--username", &username], "");
        assert_eq!(code, Some(0), "{username}: {out}");
    }
    let (code, list) = staff_cli(dir.path(), &url, &["list"], "");
    assert_eq!(code, Some(0), "{list}");
    assert!(list.lines().any(|l| l.contains("ops") && l.ends_with("active")), "{list}");
    assert!(list.lines().any(|l| l.contains("starbucks") && l.ends_with("disabled")), "{list}");
    assert_eq!(staff_cli(dir.path(), &url, &["disable", "--username", "nobody"], "").0, Some(2), "an unknown account");
    assert_eq!(staff_cli(dir.path(), &url, &["password", "--username", "ops"], "short\n").0, Some(2), "a short password");

    let server = serve(dir.path(), &production).await;
    let c = reqwest::Client::builder().cookie_store(true).build().unwrap();
    assert_eq!(sign_in(&c, &server.base, "ops", "ops-demo-2026").await, StatusCode::UNAUTHORIZED);
    assert_eq!(sign_in(&c, &server.base, "starbucks", "starbucks-demo").await, StatusCode::UNAUTHORIZED);
    assert_eq!(sign_in(&c, &server.base, "ops", "a new long password").await, StatusCode::OK);
    // The command line's changes are in the audit log, by `console`.
    let audit: Value = c.get(format!("{}/api/admin/audit", server.base)).send().await.unwrap().json().await.unwrap();
    let actions: Vec<(&str, &str)> =
        audit["entries"].as_array().unwrap().iter().map(|e| (e["actor"].as_str().unwrap(), e["action"].as_str().unwrap())).collect();
    assert!(actions.contains(&("console", "staff.update")), "{audit}");
}

#[test]
fn the_server_profile_unwinds_and_checks_overflow() {
    // A handler's panic must reach the catch-panic layer (a 500 for that request) instead
    // of aborting the process, and an overflow must panic rather than wrap a balance.
    let manifest = std::fs::read_to_string(repo().join("Cargo.toml")).unwrap();
    let section: String =
        manifest.split("[profile.server]").nth(1).expect("a server profile").lines().take_while(|l| !l.starts_with('[')).collect();
    assert!(section.contains(r#"panic = "unwind""#), "{section}");
    assert!(section.contains("overflow-checks = true"), "{section}");
}
