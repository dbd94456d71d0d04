//! Home's extras: the redemption leaderboard of the local week (orders of the week only,
//! cancelled ones aside, most units first, ties by item id) and the member's picks (its
//! categories first, else the popular items; affordable first; never sold out or
//! tier-locked).

use chrono::TimeZone;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{expect_error, json, redeem, spawn_app, spawn_app_at, TestApp};

/// Wednesday 2030-01-16 12:00 in Shanghai: its week runs from Monday the 14th.
fn wednesday_noon() -> i64 {
    chrono::Utc.with_ymd_and_hms(2030, 1, 16, 4, 0, 0).unwrap().timestamp()
}

/// Monday 2030-01-14 00:00 in Shanghai.
fn monday() -> i64 {
    chrono::Utc.with_ymd_and_hms(2030, 1, 13, 16, 0, 0).unwrap().timestamp()
}

async fn leaderboard(app: &TestApp, query: &str) -> Value {
    let res = app.client().get(app.url(&format!("/api/leaderboard{query}"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "the leaderboard needs no session");
    json(res).await
}

/// (item id, count) of each entry.
fn counts(board: &Value) -> Vec<(i64, i64)> {
    board["entries"].as_array().unwrap().iter().map(|e| (e["item"]["id"].as_i64().unwrap(), e["count"].as_i64().unwrap())).collect()
}

async fn order(c: &reqwest::Client, app: &TestApp, item: i64, quantity: i64, key: &str) -> i64 {
    let res = redeem(c, app, item, quantity, key).await;
    assert_eq!(res.status(), StatusCode::CREATED, "redeem {item} × {quantity}");
    json(res).await["id"].as_i64().unwrap()
}

#[tokio::test]
async fn the_leaderboard_counts_this_weeks_orders_that_were_not_cancelled() {
    let app = spawn_app_at(Some(wednesday_noon()), |_| {}).await;
    for item in [1, 3, 19, 20, 14] {
        app.set_item(item, 1_000, 99).await;
    }
    assert!(counts(&leaderboard(&app, "?period=week").await).is_empty(), "the demo data has no orders");
    let (a, b) = (app.add_member(200_000, 0).await, app.add_member(200_000, 0).await);
    let (ca, cb) = (app.login(a).await, app.login(b).await);

    // Sunday 23:59:59 of the week before: not this week.
    app.state.clock.set_now(monday() - 1);
    order(&ca, &app, 1, 5, "last-week").await;
    app.state.clock.set_now(wednesday_noon());
    order(&ca, &app, 3, 1, "a1").await;
    order(&cb, &app, 3, 2, "b1").await;
    order(&ca, &app, 20, 2, "a2").await;
    order(&cb, &app, 19, 2, "b2").await;
    order(&ca, &app, 1, 1, "a3").await;
    // A physical order of 4, cancelled: not counted.
    let cancelled = order(&cb, &app, 14, 4, "b3").await;
    let res = cb.post(app.url(&format!("/api/orders/{cancelled}/cancel"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    let board = leaderboard(&app, "?period=week").await;
    assert_eq!(board["period"], "week");
    assert_eq!((board["from"].as_str(), board["to"].as_str()), (Some("2030-01-14T00:00:00+08:00"), Some("2030-01-21T00:00:00+08:00")));
    // Most units first; 19 and 20 tie at 2, the smaller id first.
    assert_eq!(counts(&board), vec![(3, 3), (19, 2), (20, 2), (1, 1)]);
    let card = &board["entries"][0]["item"];
    let listed = json(app.client().get(app.url("/api/items/3")).send().await.unwrap()).await;
    for field in ["name", "category", "image", "points", "stock", "redeemed", "kind"] {
        assert_eq!(card[field], listed[field], "the entry's item is the catalogue card ({field})");
    }
    assert_eq!(leaderboard(&app, "").await, board, "week is the default period");

    // Sunday 23:59:59 still counts; Monday 00:00 starts a new, empty week.
    app.state.clock.set_now(monday() + 7 * 86_400 - 1);
    assert_eq!(counts(&leaderboard(&app, "?period=week").await).len(), 4);
    app.state.clock.set_now(monday() + 7 * 86_400);
    let next = leaderboard(&app, "?period=week").await;
    assert_eq!(next["from"], "2030-01-21T00:00:00+08:00");
    assert!(counts(&next).is_empty());

    let bad = app.client().get(app.url("/api/leaderboard?period=month")).send().await.unwrap();
    expect_error(bad, StatusCode::BAD_REQUEST, "bad_request").await;
}

#[tokio::test]
async fn the_leaderboard_lists_at_most_ten() {
    let app = spawn_app_at(Some(wednesday_noon()), |_| {}).await;
    let m = app.add_member(500_000, 100_000).await;
    let c = app.login(m).await;
    let items: Vec<i64> = (1..=26).filter(|i| ![5, 10, 21].contains(i)).take(12).collect();
    for (n, item) in items.iter().enumerate() {
        app.set_item(*item, 1_000, 99).await;
        order(&c, &app, *item, 1, &format!("k{n}")).await;
    }
    let board = counts(&leaderboard(&app, "").await);
    assert_eq!(board, items[..10].iter().map(|i| (*i, 1)).collect::<Vec<_>>(), "top 10, ties by id");
}

/// The member's picks.
async fn picks(c: &reqwest::Client, app: &TestApp) -> Value {
    let res = c.get(app.url("/api/picks")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    json(res).await
}

fn ids(picks: &Value) -> Vec<i64> {
    picks["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect()
}

/// Asserts that no pick is sold out or above `tier`, and that affordable picks (priced
/// within `balance`) come before the others, each part most redeemed first when `by_redeemed`.
fn assert_fair(picks: &Value, balance: i64, tier_rank: usize, by_redeemed: bool) {
    let items = picks["items"].as_array().unwrap();
    let tiers = ["member", "silver", "gold", "diamond"];
    for i in items {
        assert!(i["stock"].as_i64().unwrap() > 0, "sold out: {i}");
        let min = i["min_tier"].as_str().map(|t| tiers.iter().position(|x| *x == t).unwrap()).unwrap_or(0);
        assert!(min <= tier_rank, "tier-locked: {i}");
    }
    let affordable: Vec<bool> = items.iter().map(|i| i["points"].as_i64().unwrap() <= balance).collect();
    assert!(affordable.windows(2).all(|w| w[0] || !w[1]), "affordable first: {affordable:?}");
    if by_redeemed {
        for part in [true, false] {
            let redeemed: Vec<i64> =
                items.iter().zip(&affordable).filter(|(_, a)| **a == part).map(|(i, _)| i["redeemed"].as_i64().unwrap()).collect();
            assert!(redeemed.windows(2).all(|w| w[0] >= w[1]), "most redeemed first: {redeemed:?}");
        }
    }
}

#[tokio::test]
async fn a_member_without_orders_gets_popular_items_never_sold_out_or_locked() {
    let app = spawn_app().await;
    // Home's popular row (the two most redeemed: 19 and 20) is above the picks: never
    // repeated. The next two: one sold out, one for Gold and above.
    app.rows("UPDATE items SET redeemed = 2000000 WHERE id IN (19, 20)", &[]).await;
    app.rows("UPDATE items SET redeemed = 1000000, stock = 0 WHERE id = 3", &[]).await;
    app.rows("UPDATE items SET redeemed = 999999 WHERE id = 17", &[]).await;
    let m = app.add_member(100_000, 0).await;
    let c = app.login(m).await;
    let mine = picks(&c, &app).await;
    assert_eq!(mine["basis"], "popular");
    assert_eq!(ids(&mine).len(), 6);
    assert!(!ids(&mine).contains(&3) && !ids(&mine).contains(&17), "{:?}", ids(&mine));
    assert!(!ids(&mine).contains(&19) && !ids(&mine).contains(&20), "not Home's popular row: {:?}", ids(&mine));
    assert_fair(&mine, 100_000, 0, true);

    // A Gold member may have the Gold item, first.
    let gold = app.add_member(100_000, 6_000).await;
    let g = app.login(gold).await;
    let theirs = picks(&g, &app).await;
    assert_eq!(ids(&theirs)[0], 17);
    assert_fair(&theirs, 100_000, 2, true);

    expect_error(app.client().get(app.url("/api/picks")).send().await.unwrap(), StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn picks_put_what_the_member_can_afford_first() {
    let app = spawn_app().await;
    let m = app.add_member(600, 0).await;
    let c = app.login(m).await;
    let mine = picks(&c, &app).await;
    assert_eq!(mine["basis"], "popular");
    let items = mine["items"].as_array().unwrap();
    assert_eq!(items.len(), 6);
    assert!(items[0]["points"].as_i64().unwrap() <= 600, "an affordable pick comes first");
    assert!(items[5]["points"].as_i64().unwrap() > 600, "the demo catalogue has fewer than 6 items in stock for 600 points");
    assert_fair(&mine, 600, 0, true);
}

#[tokio::test]
async fn picks_follow_the_categories_the_member_redeemed_in() {
    let app = spawn_app().await;
    // Beauty: 23, 24, 26 in stock (25 sold out); dining: 7, 8, 9 (6 is in Home's popular row).
    app.set_item(25, 0, 1).await;
    let m = app.add_member(100_000, 0).await;
    let c = app.login(m).await;
    order(&c, &app, 24, 2, "beauty").await;
    order(&c, &app, 8, 1, "dining").await;
    let mine = picks(&c, &app).await;
    assert_eq!(mine["basis"], "history");
    let categories: Vec<&str> = mine["items"].as_array().unwrap().iter().map(|i| i["category"].as_str().unwrap()).collect();
    assert_eq!(categories, ["beauty", "beauty", "beauty", "dining", "dining", "dining"], "the most redeemed category first");
    assert!(!ids(&mine).contains(&25) && !ids(&mine).contains(&6));
    let balance = json(c.get(app.url("/api/me")).send().await.unwrap()).await["balance"].as_i64().unwrap();
    assert_fair(&mine, balance, 0, false);

    // A cancelled order is no history: with it cancelled, only dining remains, then popular.
    let orders = json(c.get(app.url("/api/orders")).send().await.unwrap()).await;
    let beauty = orders["orders"].as_array().unwrap().iter().find(|o| o["item_id"] == 24).unwrap()["id"].as_i64().unwrap();
    assert_eq!(c.post(app.url(&format!("/api/orders/{beauty}/cancel"))).send().await.unwrap().status(), StatusCode::OK);
    let after = picks(&c, &app).await;
    let categories: Vec<&str> = after["items"].as_array().unwrap().iter().map(|i| i["category"].as_str().unwrap()).collect();
    assert_eq!(&categories[..3], ["dining"; 3], "{categories:?}");
    assert!(!categories[3..].contains(&"dining"));
    assert_eq!(after["basis"], "history");
}

#[tokio::test]
async fn within_the_members_categories_affordable_items_come_first() {
    let app = spawn_app().await;
    let m = app.add_member(4_000, 0).await;
    let c = app.login(m).await;
    // 2,990 of 4,000 for a beauty item leaves 1,010: 26 (390) is affordable, 23 (1,290) not.
    order(&c, &app, 24, 1, "beauty").await;
    let mine = picks(&c, &app).await;
    assert_eq!(mine["basis"], "history");
    let items = mine["items"].as_array().unwrap();
    assert_eq!((items[0]["id"].as_i64(), items[0]["category"].as_str()), (Some(26), Some("beauty")));
    assert_fair(&mine, 1_010, 0, false);
    let beauty: Vec<i64> = items.iter().filter(|i| i["category"] == "beauty").map(|i| i["id"].as_i64().unwrap()).collect();
    assert_eq!(beauty.len(), 4, "every beauty item in stock: {beauty:?}");
}
