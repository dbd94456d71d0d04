//! The sweep's second job, pruning, on a moving clock: what no rule reads any more goes
//! (expired sessions, used tickets past their expiry, counters of past periods, stored
//! answers past their horizon, old notices and sign-in throttle rows) and the rest stays
//! (lifetime caps, live sessions, a host id's answer for 30 days). And the sweep goes on
//! past a member whose catch-up fails.

use mall_api::domain::sweep::{self, keep, Swept};
use reqwest::StatusCode;
use serde_json::json;

use crate::{
    helpers::{operator_client, post, spawn_app_at, TestApp},
    session::sign,
    staff::staff,
};

/// 2026-03-16 08:00 in Shanghai (00:00 UTC).
const MORNING: i64 = 1_773_619_200;
const DAY: i64 = 86_400;

/// What each kind of prunable row holds now (notices: those of this test's own changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rows {
    sessions: i64,
    staff_sessions: i64,
    tickets: i64,
    period_counters: i64,
    lifetime_counters: i64,
    member_keys: i64,
    staff_keys: i64,
    hook_ids: i64,
    events: i64,
    login_failures: i64,
}

async fn rows(app: &TestApp) -> Rows {
    let n = |table: &'static str| async move { app.rows(&format!("SELECT COUNT(*) FROM {table}"), &[]).await[0][0] };
    Rows {
        sessions: n("sessions").await,
        staff_sessions: n("staff_sessions").await,
        tickets: n("used_tickets").await,
        period_counters: n("counters WHERE expires_at IS NOT NULL").await,
        lifetime_counters: n("counters WHERE expires_at IS NULL").await,
        member_keys: n("idempotency").await,
        staff_keys: n("staff_idempotency").await,
        hook_ids: n("hook_idempotency").await,
        events: app.rows("SELECT COUNT(*) FROM member_events WHERE created_at = $1", &[MORNING]).await[0][0],
        login_failures: n("staff_login_failures").await,
    }
}

/// Moves the clock to `MORNING + offset` and sweeps.
async fn sweep_at(app: &TestApp, offset: i64) -> Rows {
    app.state.clock.set_now(MORNING + offset);
    app.sweep().await;
    rows(app).await
}

async fn purchase_again(app: &TestApp) -> reqwest::Response {
    let body = json!({"purchase_id": "P-keep", "member_id": 2, "paid": "30.00", "settles_at": "2020-01-01T00:00:00Z"}).to_string();
    app.host("/api/hooks/purchase", &body, None).await
}

#[tokio::test]
async fn the_sweep_prunes_what_no_rule_reads_and_keeps_the_rest() {
    let app = spawn_app_at(Some(MORNING), |_| {}).await;
    // A member's session, a host ticket's, a check-in and a task (counters of the day and
    // lifetime ones), a member's key, a staff session and key, a failed staff sign-in, a
    // host purchase (its id's answer and a notice).
    let member = app.login(1).await;
    let exp = MORNING + 120;
    let ticket = json!({"member_id": 3, "expires_at": exp, "signature": sign(&app, 3, exp)});
    assert_eq!(post(&app.client(), &app, "/api/session/exchange", ticket).await.status(), StatusCode::OK);
    assert_eq!(crate::points::check_in(&member, &app).await.0, StatusCode::CREATED);
    let claim = || member.post(app.url("/api/tasks/share/claim")).header("idempotency-key", "t-1").send();
    assert_eq!(claim().await.unwrap().status(), StatusCode::OK);
    staff(&app, "ops").await;
    let wrong = post(&app.client(), &app, "/api/staff/session", json!({"username": "ops", "password": "not-the-password"})).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let adjust = json!({"member_id": 1, "amount": 5, "reason": "pruning"});
    let res = operator_client(&app).post(app.url("/api/admin/adjustments")).header("idempotency-key", "a-1").json(&adjust).send();
    assert_eq!(res.await.unwrap().status(), StatusCode::CREATED);
    assert_eq!(purchase_again(&app).await.status(), StatusCode::CREATED);
    let paid = crate::helpers::balance(&app.login(2).await, &app).await;

    let start = rows(&app).await;
    assert!(start.period_counters >= 3 && start.lifetime_counters >= 2 && start.events >= 1 && start.login_failures >= 2, "{start:?}");
    assert_eq!((start.sessions, start.staff_sessions, start.tickets), (3, 1, 1), "{start:?}");
    assert_eq!((start.member_keys, start.staff_keys, start.hook_ids), (1, 1, 1), "{start:?}");
    assert_eq!(sweep_at(&app, 0).await, start, "nothing is due yet");

    // 13 hours: the staff session (12 h) is over, and the address's sign-in window.
    let later = sweep_at(&app, 13 * 3600).await;
    assert_eq!(later.staff_sessions, 0);
    assert!(later.period_counters < start.period_counters, "the sign-in window's counter went: {later:?}");
    assert_eq!(Rows { staff_sessions: 1, period_counters: start.period_counters, ..later }, start, "the rest stays");

    // Two days: the used ticket (a day past its expiry), the notices and the sign-in
    // throttle (a day); the day's counters are kept until the day is over everywhere.
    let two_days = sweep_at(&app, 2 * DAY).await;
    assert_eq!((two_days.tickets, two_days.events, two_days.login_failures), (0, 0, 0), "{two_days:?}");
    assert_eq!(two_days.period_counters, later.period_counters, "{two_days:?}");

    // Four days: the day's counters (check-in, tasks) go; the lifetime caps stay. The
    // member's key is still recognised: a retry replays.
    let four_days = sweep_at(&app, 4 * DAY).await;
    assert_eq!(four_days.period_counters, 0, "{four_days:?}");
    assert_eq!(four_days.lifetime_counters, start.lifetime_counters, "lifetime caps stay");
    let replay = claim().await.unwrap();
    assert_eq!((replay.status(), replay.headers().contains_key("idempotent-replayed")), (StatusCode::OK, true));

    // Eight days: members' and staff keys are past their week; the host's ids are not.
    let eight_days = sweep_at(&app, keep::MEMBER_KEYS + DAY).await;
    assert_eq!((eight_days.member_keys, eight_days.staff_keys, eight_days.hook_ids), (0, 0, 1), "{eight_days:?}");
    assert_eq!(eight_days.sessions, start.sessions, "member sessions last 30 days");

    // 29 days: the host's replay is still answered with the first answer.
    sweep_at(&app, keep::HOOK_IDS - DAY).await;
    let replay = purchase_again(&app).await;
    assert_eq!((replay.status(), replay.headers().contains_key("idempotent-replayed")), (StatusCode::CREATED, true));

    // 31 days: sessions (30 days) and the host's id are gone. A replay now is refused by
    // the purchase's own key: never credited twice.
    let month = sweep_at(&app, keep::HOOK_IDS + DAY).await;
    assert_eq!((month.sessions, month.hook_ids), (0, 0), "{month:?}");
    assert_eq!(month.lifetime_counters, start.lifetime_counters, "lifetime caps stay");
    assert_eq!(purchase_again(&app).await.status(), StatusCode::CONFLICT);
    assert_eq!(crate::helpers::balance(&app.login(2).await, &app).await, paid, "credited once");
}

#[tokio::test]
async fn the_sweep_goes_on_past_a_member_whose_catch_up_fails() {
    let app = spawn_app_at(Some(MORNING), |_| {}).await;
    let members = [app.add_member(500, 0).await, app.add_member(500, 0).await, app.add_member(500, 0).await];
    // The middle one's row is damaged: its balance says 0 while its lot holds 500, so
    // expiring the lot breaks `CHECK (balance >= 0)` and its catch-up fails.
    let broken = members[1];
    app.rows("UPDATE members SET balance = 0 WHERE id = $1", &[broken]).await;
    app.state.clock.advance(400 * DAY);
    let state = &app.state;
    let run = || {
        let (rules, at) = state.moment();
        async move { sweep::run(&state.pool, &state.writer, &rules, at).await }
    };
    let swept = run().await.unwrap().unwrap();
    assert_eq!((swept.failed, swept.members >= 2), (1, true), "{swept:?}");
    for id in [members[0], members[2]] {
        assert_eq!(app.scalar("SELECT balance FROM members WHERE id = $1", id).await, 0, "member {id} swept");
        app.assert_ledger(id).await;
    }
    assert_eq!(
        app.scalar("SELECT CAST(COALESCE(SUM(remaining), 0) AS BIGINT) FROM point_lots WHERE member_id = $1", broken).await,
        500,
        "left as it was"
    );
    // Repaired, it is swept the next time; nothing else is left to do.
    app.rows("UPDATE members SET balance = 500 WHERE id = $1", &[broken]).await;
    let swept = run().await.unwrap().unwrap();
    assert_eq!(Swept { pruned: 0, expiring: 0, ..swept }, Swept { members: 1, invites: 0, failed: 0, pruned: 0, expiring: 0 });
    app.assert_ledger(broken).await;
}
