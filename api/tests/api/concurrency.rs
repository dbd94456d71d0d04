//! Races: many members for little stock, one member for little balance.

use futures::future::join_all;
use reqwest::StatusCode;

use crate::helpers::{redeem, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_members_race_for_ten_units() {
    let app = spawn_app().await;
    app.set_item(1, 10, 5).await;
    let price = app.scalar("SELECT points FROM items WHERE id = $1", 1).await;
    let mut clients = Vec::new();
    let mut members = Vec::new();
    for _ in 0..50 {
        let id = app.add_member(price * 3, 0).await;
        members.push(id);
        clients.push(app.login(id).await);
    }
    let results = join_all(clients.iter().enumerate().map(|(i, c)| {
        let app = &app;
        async move { redeem(c, app, 1, 1, &format!("race-{i}")).await.status() }
    }))
    .await;
    let won = results.iter().filter(|s| **s == StatusCode::CREATED).count();
    let lost = results.iter().filter(|s| **s == StatusCode::CONFLICT).count();
    assert_eq!(won, 10, "{results:?}");
    assert_eq!(lost, 40, "{results:?}");
    assert_eq!(app.scalar("SELECT stock FROM items WHERE id = $1", 1).await, 0);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM orders WHERE item_id = $1", 1).await, 10);
    for id in members {
        app.assert_ledger(id).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_member_twenty_taps_balance_for_three() {
    let app = spawn_app().await;
    app.set_item(1, 1000, 99).await;
    let price = app.scalar("SELECT points FROM items WHERE id = $1", 1).await;
    let id = app.add_member(price * 3 + price / 2, 0).await;
    let c = app.login(id).await;
    let results = join_all((0..20).map(|i| {
        let (c, app) = (&c, &app);
        async move { redeem(c, app, 1, 1, &format!("tap-{i}")).await.status() }
    }))
    .await;
    assert_eq!(results.iter().filter(|s| **s == StatusCode::CREATED).count(), 3, "{results:?}");
    assert_eq!(results.iter().filter(|s| **s == StatusCode::CONFLICT).count(), 17, "{results:?}");
    assert_eq!(app.scalar("SELECT balance FROM members WHERE id = $1", id).await, price / 2);
    app.assert_ledger(id).await;
}
