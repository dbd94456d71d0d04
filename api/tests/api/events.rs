//! Live notices: `GET /api/events` streams a member's balance changes and verified codes
//! after they commit, resumes after `Last-Event-ID`, and reaches a stream on another
//! replica (PostgreSQL LISTEN/NOTIFY; in-process on SQLite).

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::{
    helpers::{expect_error, json, spawn_app, spawn_replica, TestApp},
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

#[tokio::test]
async fn the_stream_needs_a_session_and_a_readable_last_event_id() {
    let app = spawn_app().await;
    expect_error(app.client().get(app.url("/api/events")).send().await.unwrap(), StatusCode::UNAUTHORIZED, "unauthorized").await;
    let c = app.login(1).await;
    let res = c.get(app.url("/api/events")).header("last-event-id", "soon").send().await.unwrap();
    expect_error(res, StatusCode::BAD_REQUEST, "bad_request").await;
}
