//! Catalogue filters, sorts, search and cursor paging.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{expect_error, json, spawn_app, TestApp};

async fn all_pages(app: &TestApp, c: &reqwest::Client, query: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("/api/items?limit=5{query}");
        if let Some(cur) = &cursor {
            url.push_str(&format!("&cursor={cur}"));
        }
        let page = json(c.get(app.url(&url)).send().await.unwrap()).await;
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
        assert!(items.len() <= 100, "paging does not end");
    }
    items
}

#[tokio::test]
async fn paging_visits_every_item_once_in_every_sort() {
    let app = spawn_app().await;
    let c = app.client();
    let total = app.scalar("SELECT COUNT(*) FROM items WHERE id > $1", 0).await as usize;
    for (sort, key, desc) in
        [("popular", "redeemed", true), ("points_asc", "points", false), ("points_desc", "points", true), ("newest", "id", false)]
    {
        let items = all_pages(&app, &c, &format!("&sort={sort}")).await;
        assert_eq!(items.len(), total, "sort {sort}");
        let mut ids: Vec<i64> = items.iter().map(|i| i["id"].as_i64().unwrap()).collect();
        if sort != "newest" {
            let keys: Vec<i64> = items.iter().map(|i| i[key].as_i64().unwrap()).collect();
            let mut sorted = keys.clone();
            sorted.sort();
            if desc {
                sorted.reverse();
            }
            assert_eq!(keys, sorted, "order of {sort}");
        }
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), total, "no duplicates in {sort}");
    }
}

#[tokio::test]
async fn category_band_and_search_filters() {
    let app = spawn_app().await;
    let c = app.client();
    let coupons = all_pages(&app, &c, "&category=coupons").await;
    assert!(!coupons.is_empty());
    assert!(coupons.iter().all(|i| i["category"] == "coupons"));

    for (band, lo, hi) in [("up_to_500", 0, 500), ("up_to_2000", 501, 2000), ("up_to_10000", 2001, 10000), ("over_10000", 10001, i64::MAX)]
    {
        let items = all_pages(&app, &c, &format!("&band={band}")).await;
        assert!(!items.is_empty(), "band {band} has items");
        assert!(items.iter().all(|i| (lo..=hi).contains(&i["points"].as_i64().unwrap())), "band {band}");
    }

    let hits = all_pages(&app, &c, "&q=%E5%88%B8").await; // 券
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|i| i["name"]["zh"].as_str().unwrap().contains('券')));
    let english = all_pages(&app, &c, "&q=VOUCHER").await;
    assert!(english.iter().all(|i| i["name"]["en"].as_str().unwrap().to_lowercase().contains("voucher")));
    // LIKE wildcards are literal.
    assert!(all_pages(&app, &c, "&q=%25").await.is_empty());
}

#[tokio::test]
async fn affordable_needs_a_session_and_respects_the_balance() {
    let app = spawn_app().await;
    expect_error(app.client().get(app.url("/api/items?affordable=true")).send().await.unwrap(), StatusCode::UNAUTHORIZED, "unauthorized")
        .await;
    let c = app.login(7).await; // 35 points
    let page = json(c.get(app.url("/api/items?affordable=true")).send().await.unwrap()).await;
    assert!(page["items"].as_array().unwrap().iter().all(|i| i["points"].as_i64().unwrap() <= 35));
    let c = app.login(6).await; // 590 points
    let items = all_pages(&app, &c, "&affordable=true").await;
    assert!(!items.is_empty());
    assert!(items.iter().all(|i| i["points"].as_i64().unwrap() <= 590));
}

#[tokio::test]
async fn item_detail_and_tier_lock() {
    let app = spawn_app().await;
    let c = app.login(6).await; // Member tier
    let locked: i64 = app.scalar("SELECT MIN(id) FROM items WHERE min_tier = 'gold' AND id > $1", 0).await;
    let d = json(c.get(app.url(&format!("/api/items/{locked}"))).send().await.unwrap()).await;
    assert_eq!(d["tier_locked"], true);
    assert!(d["specs"].as_array().is_some_and(|s| !s.is_empty()));
    let gold = app.login(1).await;
    let d = json(gold.get(app.url(&format!("/api/items/{locked}"))).send().await.unwrap()).await;
    assert_eq!(d["tier_locked"], false);

    expect_error(c.get(app.url("/api/items/99999")).send().await.unwrap(), StatusCode::NOT_FOUND, "item_not_found").await;
    expect_error(c.get(app.url("/api/items/abc")).send().await.unwrap(), StatusCode::BAD_REQUEST, "bad_request").await;
}

#[tokio::test]
async fn bad_catalogue_queries_are_400() {
    let app = spawn_app().await;
    let c = app.client();
    for q in [
        "band=cheap",
        "sort=random",
        "limit=0",
        "limit=51",
        "limit=-1",
        "cursor=popular.x.1",
        "cursor=points_asc.1.1",
        "affordable=maybe",
        "unknown=1",
    ] {
        let res = c.get(app.url(&format!("/api/items?{q}"))).send().await.unwrap();
        expect_error(res, StatusCode::BAD_REQUEST, "bad_request").await;
    }
    let long = "长".repeat(60);
    let res = c.get(app.url(&format!("/api/items?q={long}"))).send().await.unwrap();
    expect_error(res, StatusCode::BAD_REQUEST, "bad_request").await;
}
