//! Live notices: `GET /api/events` streams a member's balance changes and verified codes
//! after they commit, resumes after `Last-Event-ID`, and reaches a stream on another
//! replica (in one process through its wake-ups; across processes on PostgreSQL through
//! a notification sent after the commit). A stream ends within a
//! heartbeat of its session's end; a member holds at most three on a replica; a lagging
//! dispatcher reads once for all of them; the OpenAPI document describes each event.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::{
    documented::document,
    helpers::{expect_error, json, on_db, post, spawn_app, spawn_app_with, spawn_replica, TestApp},
    sales::{grab, merchant, schedule},
};

/// A server-sent event as read off the wire.
#[derive(Debug)]
struct Sent {
    id: i64,
    kind: String,
    data: Value,
}

/// Reads the next event of `res` (skipping heartbeat comments), waiting at most 10 s.
async fn next_event(res: &mut reqwest::Response, buf: &mut String) -> Sent {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let field = |name: &str| block.lines().find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_string()));
            if let (Some(id), Some(kind), Some(data)) = (field("id:"), field("event:"), field("data:")) {
                return Sent { id: id.parse().unwrap(), kind, data: serde_json::from_str(&data).unwrap() };
            }
        }
        let left = deadline.saturating_duration_since(Instant::now());
        let chunk = tokio::time::timeout(left, res.chunk()).await.expect("an event within 10 s").unwrap().expect("the stream stays open");
        buf.push_str(std::str::from_utf8(&chunk).unwrap());
    }
}

async fn open(app: &TestApp, member: i64, last: Option<i64>) -> reqwest::Response {
    let c = app.login(member).await;
    let mut req = c.get(app.url("/api/events"));
    if let Some(id) = last {
        req = req.header("last-event-id", id.to_string());
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    res
}

async fn purchase(app: &TestApp, id: &str, member: i64, paid: &str) {
    let body = json!({"purchase_id": id, "member_id": member, "paid": paid, "settles_at": "2020-01-01T00:00:00Z"}).to_string();
    assert_eq!(app.host("/api/hooks/purchase", &body, None).await.status(), StatusCode::CREATED);
}

/// Opens a stream on `watch`, reports a purchase on `report`, and returns the latency.
async fn points_arrive(watch: &TestApp, report: &TestApp, purchase_id: &str) -> Duration {
    let m = watch.add_member(0, 0).await;
    let mut stream = open(watch, m, None).await;
    let mut buf = String::new();
    let sent = Instant::now();
    purchase(report, purchase_id, m, "120.00").await;
    let event = next_event(&mut stream, &mut buf).await;
    let latency = sent.elapsed();
    assert_eq!(event.kind, "balance");
    assert_eq!(event.data["delta"], 120);
    assert_eq!(event.data["balance"], 120);
    assert_eq!(event.data["kind"], "purchase");
    latency
}

#[tokio::test]
async fn points_arriving_reach_an_open_stream() {
    let app = spawn_app().await;
    let latency = points_arrive(&app, &app, "E-1").await;
    println!("notice latency, same instance: {latency:?}");
}

#[tokio::test]
async fn points_arriving_reach_a_stream_on_another_instance() {
    let app = spawn_app().await;
    let replica = spawn_replica(&app).await;
    let latency = points_arrive(&replica, &app, "E-2").await;
    println!("notice latency, across instances: {latency:?}");
}

#[tokio::test]
async fn a_stream_resumes_after_its_last_event_id_and_hears_of_verified_codes() {
    let app = spawn_app().await;
    let m = app.add_member(0, 0).await;
    let mut first = open(&app, m, None).await;
    let mut buf = String::new();
    purchase(&app, "R-1", m, "10.00").await;
    let seen = next_event(&mut first, &mut buf).await;
    drop(first);
    // While no stream is open: two more changes.
    purchase(&app, "R-2", m, "20.00").await;
    purchase(&app, "R-3", m, "30.00").await;
    let mut again = open(&app, m, Some(seen.id)).await;
    let mut buf = String::new();
    let deltas =
        [next_event(&mut again, &mut buf).await, next_event(&mut again, &mut buf).await].map(|e| e.data["delta"].as_i64().unwrap());
    assert_eq!(deltas, [20, 30]);

    // A merchant verifying the member's flash-sale code reaches its stream.
    let sale = schedule(&app, "events", 0, 5, 10, 1).await;
    let c = app.login(2).await;
    let code = json(grab(&c, &app, sale, "k").await).await["code"]["code"].as_str().unwrap().to_string();
    let mut stream = open(&app, 2, None).await;
    let mut buf = String::new();
    let res = merchant(&app).post(app.url("/api/merchant/verify")).json(&json!({"code": code})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let event = next_event(&mut stream, &mut buf).await;
    assert_eq!((event.kind.as_str(), event.data["code"].as_str()), ("code", Some(code.as_str())));
}

/// A debit's notice is built by the database in the statement that debits
/// (`db::events::balance_notice_sql`): it reads as the notice type, with the order's
/// balance and the history entry that recorded it.
#[tokio::test]
async fn a_redeem_tells_the_stream_its_debit() {
    let app = spawn_app().await;
    let c = app.login(1).await;
    let mut stream = open_with(&app, &c).await;
    let mut buf = String::new();
    let res = crate::helpers::redeem(&c, &app, 1, 1, "notice").await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let order = json(res).await;
    let event = next_event(&mut stream, &mut buf).await;
    assert_eq!(event.kind, "balance");
    let notice: mall_core::notice::BalanceNotice = serde_json::from_value(event.data).unwrap();
    let entry = app.scalar("SELECT MAX(id) FROM history WHERE member_id = $1", 1).await;
    let expected = mall_core::notice::BalanceNotice {
        balance: order["balance_after"].as_i64().unwrap(),
        delta: -order["points"].as_i64().unwrap(),
        kind: mall_core::dto::EntryKind::Redeem,
        entry_id: entry,
    };
    assert_eq!(notice, expected);
}

#[tokio::test]
async fn the_stream_needs_a_session_and_a_readable_last_event_id() {
    let app = spawn_app().await;
    expect_error(app.client().get(app.url("/api/events")).send().await.unwrap(), StatusCode::UNAUTHORIZED, "unauthorized").await;
    let c = app.login(1).await;
    let res = c.get(app.url("/api/events")).header("last-event-id", "soon").send().await.unwrap();
    expect_error(res, StatusCode::BAD_REQUEST, "bad_request").await;
}

/// A block of the stream as read off the wire (events, the closing event, comments).
#[derive(Debug)]
struct Block {
    kind: Option<String>,
    data: Option<Value>,
    retry: Option<u64>,
}

/// Reads the stream's blocks until it ends, or `within` passes (then `ended` is false).
async fn read_until_end(res: &mut reqwest::Response, within: Duration) -> (Vec<Block>, bool) {
    let (deadline, mut buf, mut blocks) = (Instant::now() + within, String::new(), Vec::new());
    loop {
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let field = |name: &str| block.lines().find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_string()));
            blocks.push(Block {
                kind: field("event:"),
                data: field("data:").map(|d| serde_json::from_str(&d).unwrap()),
                retry: field("retry:").map(|r| r.parse().unwrap()),
            });
        }
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, res.chunk()).await {
            Ok(Ok(Some(chunk))) => buf.push_str(std::str::from_utf8(&chunk).unwrap()),
            Ok(_) => return (blocks, true),
            Err(_) => return (blocks, false),
        }
    }
}

/// A stream opened by client `c`.
async fn open_with(app: &TestApp, c: &reqwest::Client) -> reqwest::Response {
    let res = c.get(app.url("/api/events")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res
}

/// The closing event's reason, if the blocks end with one.
fn closed_because(blocks: &[Block]) -> Option<(String, Option<u64>)> {
    let last = blocks.last()?;
    (last.kind.as_deref() == Some("closed")).then(|| (last.data.as_ref().unwrap()["reason"].as_str().unwrap().to_string(), last.retry))
}

#[tokio::test]
async fn a_stream_ends_within_a_heartbeat_of_its_session() {
    let app = spawn_app_with(|c| c.limits.events_heartbeat = Duration::from_millis(200)).await;
    let m = app.add_member(0, 0).await;
    let c = app.login(m).await;
    let mut stream = open_with(&app, &c).await;
    assert_eq!(post(&c, &app, "/api/logout", json!({})).await.status(), StatusCode::NO_CONTENT);
    let started = Instant::now();
    purchase(&app, "L-1", m, "12.00").await;
    let (blocks, ended) = read_until_end(&mut stream, Duration::from_secs(5)).await;
    assert!(ended && started.elapsed() < Duration::from_secs(2), "ended within a heartbeat or so: {:?}", started.elapsed());
    assert_eq!(closed_because(&blocks), Some(("session_ended".into(), None)), "{blocks:?}");
    assert!(blocks.iter().all(|b| b.kind.as_deref() != Some("balance")), "nothing after the logout reaches it: {blocks:?}");
    // The browser's reconnect is refused: it stops.
    expect_error(c.get(app.url("/api/events")).send().await.unwrap(), StatusCode::UNAUTHORIZED, "unauthorized").await;

    // An expired session ends its stream too.
    let c = app.login(m).await;
    let mut stream = open_with(&app, &c).await;
    app.state.clock.advance(app.state.config.limits.session_seconds + 1);
    let (blocks, ended) = read_until_end(&mut stream, Duration::from_secs(5)).await;
    assert!(ended, "{blocks:?}");
    assert_eq!(closed_because(&blocks), Some(("session_ended".into(), None)), "{blocks:?}");
    assert_eq!(app.state.streams.open_for(m), 0, "nothing of the streams stays behind");
}

#[tokio::test]
async fn a_member_holds_at_most_three_streams_and_a_new_one_closes_the_oldest() {
    let app = spawn_app().await;
    let m = app.add_member(0, 0).await;
    let c = app.login(m).await;
    let mut streams = Vec::new();
    for _ in 0..3 {
        streams.push(open_with(&app, &c).await);
    }
    assert_eq!(app.state.streams.open_for(m), 3);
    let newest = open_with(&app, &c).await;
    assert_eq!(app.state.streams.open_for(m), 3, "still three");
    let (blocks, ended) = read_until_end(&mut streams[0], Duration::from_secs(5)).await;
    assert!(ended, "the oldest ends: {blocks:?}");
    assert_eq!(closed_because(&blocks), Some(("superseded".into(), Some(300_000))), "told to come back in 5 minutes: {blocks:?}");
    // The three open ones all hear of the next change.
    streams[0] = newest;
    purchase(&app, "S-1", m, "8.00").await;
    for stream in &mut streams {
        let mut buf = String::new();
        assert_eq!(next_event(stream, &mut buf).await.data["delta"], 8);
    }
    // Another member is not affected by this one's cap.
    let other = app.add_member(0, 0).await;
    open(&app, other, None).await;
    assert_eq!(app.state.streams.open_for(m), 3);
    // A replica shutting down ends every stream (its graceful shutdown would wait for
    // them for ever), asking each back within seconds.
    app.state.streams.close_all();
    for stream in &mut streams {
        let (blocks, ended) = read_until_end(stream, Duration::from_secs(5)).await;
        let (reason, retry) = closed_because(&blocks).unwrap();
        assert!(ended && reason == "shutting_down" && (1_000..5_000).contains(&retry.unwrap()), "{blocks:?}");
    }
}

/// A member of its own id, far from any other test's, so no other test's wake-up (every
/// test process shares one channel) wakes its stream.
async fn unique_member(app: &TestApp) -> i64 {
    let id = 700_000_000 + i64::from(rand::random::<u32>() % 100_000_000);
    let sql = "INSERT INTO members (id, name_zh, name_en, growth, balance, created_at) VALUES ($1, '测试', 'Test', 0, 0, $2)";
    on_db!(&app.state.writer, |p| sqlx::query(sql).bind(id).bind(app.state.clock.now_secs()).execute(p).await.map(|r| r.rows_affected()))
        .unwrap();
    id
}

// One thread: while the test floods the wake-ups, the dispatcher cannot run, so it lags
// for certain.
#[tokio::test(flavor = "current_thread")]
async fn a_lagging_dispatcher_reads_once_instead_of_every_stream() {
    let app = spawn_app_with(|c| c.limits.events_heartbeat = Duration::from_secs(120)).await;
    let mut streams = Vec::new();
    for _ in 0..6 {
        let m = unique_member(&app).await;
        let c = app.login(m).await;
        streams.push((m, open_with(&app, &c).await));
    }
    let (reads, shared) = (app.state.streams.reads(), app.state.streams.shared_reads());
    // An event for the first member whose wake-up is lost in a flood of others.
    let (m, _) = streams[0];
    let data = json!({"balance": 5, "delta": 5, "kind": "adjustment", "entry_id": 1}).to_string();
    let sql = "INSERT INTO member_events (member_id, kind, data, created_at) VALUES ($1, 'balance', $2, $3)";
    on_db!(&app.state.writer, |p| sqlx::query(sql)
        .bind(m)
        .bind(&data)
        .bind(app.state.clock.now_secs())
        .execute(p)
        .await
        .map(|r| r.rows_affected()))
    .unwrap();
    for _ in 0..5_000 {
        let _ = mall_api::db::events::wakeups().send(-2);
    }
    let mut buf = String::new();
    let event = next_event(&mut streams[0].1, &mut buf).await;
    assert_eq!((event.kind.as_str(), event.data["delta"].as_i64()), ("balance", Some(5)), "delivered after the lag");
    let (reads, shared) = (app.state.streams.reads() - reads, app.state.streams.shared_reads() - shared);
    assert!(shared >= 1, "one shared read after the lag");
    assert!((1..=shared).contains(&reads), "only the stream with an event read ({reads} reads for 6 streams, {shared} shared)");
}

#[test]
fn the_document_describes_each_event_of_the_stream() {
    let doc = document();
    let content = &doc["paths"]["/api/events"]["get"]["responses"]["200"]["content"]["text/event-stream"];
    assert!(content.get("schema").is_none(), "no schema read as one event by older tools: {content}");
    let events = content["itemSchema"]["oneOf"].as_array().expect("each event described");
    let mut names = Vec::new();
    for event in events {
        let name = event["properties"]["event"]["const"].as_str().unwrap();
        let data = &event["properties"]["data"];
        assert_eq!((data["type"].as_str(), data["contentMediaType"].as_str()), (Some("string"), Some("application/json")), "{name}");
        let schema = data["contentSchema"]["$ref"].as_str().unwrap();
        let resolved = doc.pointer(schema.strip_prefix('#').unwrap()).unwrap_or_else(|| panic!("{schema} resolves"));
        assert!(resolved["properties"].is_object() || resolved["required"].is_array(), "{name}: the data's own schema: {resolved}");
        names.push(name);
    }
    assert_eq!(names, ["balance", "code", "closed"]);
    let balance = doc.pointer("/components/schemas/BalanceNotice").unwrap();
    assert!(balance["properties"]["delta"].is_object(), "the data's fields, not the event's: {balance}");
}

/// A commit's wake-ups go out once it committed: to this process's streams at once, and
/// on PostgreSQL to the other replicas' listeners, in a notification (`sender:id,…`) the
/// process sends after the commit, which a listener on another connection hears.
#[tokio::test]
async fn a_commits_wake_ups_reach_this_process_and_other_replicas() {
    let app = spawn_app().await;
    let m = app.add_member(0, 0).await;
    let mut local = mall_api::db::events::wakeups().subscribe();
    let mut other = match &app.state.writer {
        mall_api::db::Pool::Postgres(pg) => {
            let mut listener = sqlx::postgres::PgListener::connect_with(pg).await.unwrap();
            listener.listen("member_events").await.unwrap();
            Some(listener)
        }
        // One process serves a SQLite file: there are no other replicas.
        mall_api::db::Pool::Sqlite(_) => None,
    };
    purchase(&app, "W-1", m, "10.00").await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        match tokio::time::timeout_at(deadline, local.recv()).await.expect("a local wake-up within 10 s") {
            Ok(id) if id == m => break,
            Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
            Err(e) => panic!("wake-ups closed: {e}"),
        }
    }
    if let Some(listener) = &mut other {
        loop {
            let note = tokio::time::timeout_at(deadline, listener.recv()).await.expect("a notification within 10 s").unwrap();
            let (_, ids) = note.payload().split_once(':').expect("a payload of sender:ids");
            if ids.split(',').any(|id| id == m.to_string()) {
                break;
            }
        }
    }
}
