//! The staff sign-in limit, which a guesser cannot turn against the operator: a per-address
//! cap (IPv6 per /64), a delay per username that grows for the addresses that fail and
//! never holds back another address, refused attempts that write nothing, across
//! replicas; and the bound on password hashing under a flood.

use std::time::Duration;

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::json;

use crate::{
    helpers::{expect_error, spawn_app_at, spawn_app_with, spawn_replica_with, TestApp},
    staff::demo_password,
};

/// 2026-03-16 08:00 in Shanghai (a frozen clock: delays are counted in its seconds).
const MORNING: i64 = 1_773_619_200;

fn behind_proxy(c: &mut mall_api::config::Config) {
    c.trusted_proxy_header = Some("x-forwarded-for".parse().unwrap());
}

/// A sign-in from `address` (as the proxy in front reports it): status and `Retry-After`.
async fn attempt(app: &TestApp, address: &str, username: &str, password: &str) -> (StatusCode, Option<i64>) {
    let res = app
        .client()
        .post(app.url("/api/staff/session"))
        .header("x-forwarded-for", format!("10.9.9.9, {address}"))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .unwrap();
    let retry = res.headers().get("retry-after").map(|v| v.to_str().unwrap().parse().unwrap());
    (res.status(), retry)
}

/// Every row an attempt may write: the throttle's and the counters'.
async fn limit_state(app: &TestApp) -> Vec<Vec<i64>> {
    let throttle = "SELECT failures, next_at, last_at FROM staff_login_failures ORDER BY username, address";
    let mut rows = app.rows(throttle, &[]).await;
    rows.extend(app.rows("SELECT value, COALESCE(expires_at, 0) FROM counters WHERE scope LIKE 'staff-login:%' ORDER BY scope", &[]).await);
    rows
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_guesser_is_slowed_and_never_locks_the_operator_out() {
    let a = spawn_app_at(Some(MORNING), behind_proxy).await;
    let b = spawn_replica_with(&a, behind_proxy).await;
    let password = demo_password(&a, "ops").await;
    let free = a.state.config.limits.staff_login_free_failures;
    let (guesser, operator) = ("198.51.100.7", "203.0.113.50");

    // The free failures, then one more that starts the delay, on both replicas.
    for i in 0..=free {
        let app = if i % 2 == 0 { &a } else { &b };
        assert_eq!(attempt(app, guesser, "ops", "not-the-password").await.0, StatusCode::UNAUTHORIZED, "guess {i}");
    }
    // The guesser's address now waits, on either replica, whatever the password.
    assert_eq!(attempt(&b, guesser, "ops", "not-the-password").await, (StatusCode::TOO_MANY_REQUESTS, Some(1)));
    let before = limit_state(&a).await;
    let res = a
        .client()
        .post(a.url("/api/staff/session"))
        .header("x-forwarded-for", guesser)
        .json(&json!({ "username": "ops", "password": password }))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert_eq!(limit_state(&a).await, before, "a refused attempt writes nothing");

    // The operator, from another address, signs in at once on either replica.
    assert_eq!(attempt(&a, operator, "ops", &password).await.0, StatusCode::OK);
    assert_eq!(attempt(&b, "2001:db8:77::1", "ops", &password).await.0, StatusCode::OK);

    // The guesser's delay doubles with each failure, up to its cap.
    let mut waits = Vec::new();
    for _ in 0..8 {
        let (status, retry) = attempt(&a, guesser, "ops", "not-the-password").await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        let wait = retry.unwrap();
        waits.push(wait);
        a.state.clock.advance(wait);
        assert_eq!(attempt(&b, guesser, "ops", "still-not-it").await.0, StatusCode::UNAUTHORIZED);
    }
    let cap = a.state.config.limits.staff_login_delay_cap_seconds;
    assert_eq!(waits, [1, 2, 4, 8, 16, 32, cap, cap], "the waits of the guesser's address");
    // Meanwhile the operator still signs in from elsewhere, first try.
    assert_eq!(attempt(&b, operator, "ops", &password).await.0, StatusCode::OK);
    // And from the guesser's own address once its wait is over: refused attempts locked
    // nothing.
    let (_, wait) = attempt(&a, guesser, "ops", &password).await;
    a.state.clock.advance(wait.unwrap());
    assert_eq!(attempt(&a, guesser, "ops", &password).await.0, StatusCode::OK);
    // Other usernames were never slowed.
    let merchant = demo_password(&a, "luckin").await;
    assert_eq!(attempt(&b, operator, "luckin", &merchant).await.0, StatusCode::OK);
}

#[tokio::test]
async fn ipv6_addresses_in_one_64_share_the_address_cap() {
    let app = spawn_app_at(Some(MORNING), |c| {
        behind_proxy(c);
        c.limits.staff_login_per_address = 4;
    })
    .await;
    // Four failures from four addresses of one /64 (other usernames each: no delay).
    for i in 1..=4 {
        let address = format!("2001:db8:1:2::{i:x}");
        assert_eq!(attempt(&app, &address, &format!("user{i}"), "not-the-password").await.0, StatusCode::UNAUTHORIZED);
    }
    let (status, retry) = attempt(&app, "2001:db8:1:2:ffff:ffff:ffff:ffff", "user9", "not-the-password").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "the same /64");
    assert!((1..=app.state.config.limits.staff_login_window_seconds).contains(&retry.unwrap()), "until the window ends");
    assert_eq!(attempt(&app, "[2001:db8:1:2::abcd]:443", "user9", "x-password").await.0, StatusCode::TOO_MANY_REQUESTS);
    // Another /64, and IPv4, are other addresses.
    assert_eq!(attempt(&app, "2001:db8:1:3::1", "user9", "not-the-password").await.0, StatusCode::UNAUTHORIZED);
    // A right password gives its attempt back: an office behind one address signs in all day.
    let password = demo_password(&app, "ops").await;
    for _ in 0..6 {
        assert_eq!(attempt(&app, "192.0.2.1", "ops", &password).await.0, StatusCode::OK);
    }
    assert_eq!(attempt(&app, "::ffff:192.0.2.1", "nobody", "not-the-password").await.0, StatusCode::UNAUTHORIZED);
    // The window ends: the /64 may try again.
    app.state.clock.advance(retry.unwrap());
    assert_eq!(attempt(&app, "2001:db8:1:2::1", "user9", "not-the-password").await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_address_is_the_proxy_header_only_when_it_is_trusted() {
    // Behind a proxy without TRUSTED_PROXY_HEADER, every client is the proxy's address:
    // the cap is everybody's (logged once); a header sent by the client changes nothing.
    let app = spawn_app_at(Some(MORNING), |c| c.limits.staff_login_per_address = 3).await;
    for i in 0..3 {
        assert_eq!(attempt(&app, &format!("198.51.100.{i}"), &format!("user{i}"), "not-the-password").await.0, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(attempt(&app, "203.0.113.50", "user9", "not-the-password").await.0, StatusCode::TOO_MANY_REQUESTS);
    // Trusted, its last value is the client (what the proxy saw), not what the client wrote.
    let app = spawn_app_at(Some(MORNING), |c| {
        behind_proxy(c);
        c.limits.staff_login_per_address = 3;
    })
    .await;
    for i in 0..3 {
        assert_eq!(attempt(&app, "198.51.100.7", &format!("user{i}"), "not-the-password").await.0, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(attempt(&app, "198.51.100.7", "user9", "not-the-password").await.0, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(attempt(&app, "198.51.100.8", "user9", "not-the-password").await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_of_sign_ins_hashes_within_the_bound_and_answers_no_5xx() {
    let app = spawn_app_with(|c| {
        behind_proxy(c);
        c.limits.hashing_permits = 2;
        c.limits.hashing_queue = 4;
        c.limits.hashing_wait = Duration::from_secs(30);
    })
    .await;
    let password = demo_password(&app, "ops").await;
    // Forty at once from forty addresses: some the operator's right password, the rest
    // guesses of unknown names (each checked against the decoy hash: the same work).
    let all = join_all((0..40).map(|i| {
        let (address, password) = (format!("192.0.2.{i}"), password.clone());
        let app = &app;
        async move {
            if i % 8 == 0 {
                attempt(app, &address, "ops", &password).await
            } else {
                attempt(app, &address, &format!("nobody{i}"), "not-the-password").await
            }
        }
    }))
    .await;
    let count = |s: StatusCode| all.iter().filter(|(status, _)| *status == s).count();
    let (ok, failed, busy) = (count(StatusCode::OK), count(StatusCode::UNAUTHORIZED), count(StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(ok + failed + busy, 40, "only 200, 401 and 429, never a 5xx: {all:?}");
    assert!(ok + failed >= 6, "the two running and the four waiting were checked: {all:?}");
    assert!(all.iter().all(|(s, retry)| *s != StatusCode::TOO_MANY_REQUESTS || retry == &Some(1)), "busy answers say when: {all:?}");
    let most = app.state.hashing.most_at_once();
    assert!((1..=2).contains(&most), "at most two hashes at once, saw {most}");
    // The refused ones wrote nothing: only the checked attempts were counted.
    let counted = app.rows("SELECT COUNT(*) FROM counters WHERE scope LIKE 'staff-login:address:%' AND value > 0", &[]).await[0][0];
    assert_eq!(counted as usize, failed, "a count per failed address, none for the busy ones nor the right passwords");

    println!("40 sign-ins at once: {ok} signed in, {failed} refused, {busy} busy; at most {most} hashing at once");

    // With room in the queue, a burst just waits its turn.
    let burst = join_all((0..6).map(|_| attempt(&app, "198.51.100.1", "ops", &password))).await;
    assert!(burst.iter().all(|(s, _)| *s == StatusCode::OK), "{burst:?}");
}
