//! The cash part of a price (积分+现金) paid through the host's own payment: an order that
//! awaits the host's confirmation with its points and stock held, the payment request the
//! mall signs for the host (direction tag `mall-to-host`), the signed confirmation under
//! the one replay rule, the lapse (on read, by the sweep, by the next write), the member's
//! cancel, a shop cancel of a paid order (cash refund due), and the last unit under a
//! storm of redeems; on both engines.

use futures::future::join_all;
use hmac::{Hmac, Mac};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{balance, expect_error, json, operator_client, post, redeem, spawn_app, spawn_app_with, TestApp};

/// A physical demo item: 990 points + ¥9.90.
pub(crate) const PARCEL: i64 = 8;
/// A voucher (virtual, a partner's): 2,990 points + ¥9.90.
const VOUCHER: i64 = 21;
/// 15 minutes, the default payment window.
const WINDOW: i64 = 15 * 60;

async fn stock(app: &TestApp, item: i64) -> i64 {
    app.scalar("SELECT stock FROM items WHERE id = $1", item).await
}

/// The stock the catalogue shows.
async fn shown_stock(c: &Client, app: &TestApp, item: i64) -> i64 {
    json(c.get(app.url(&format!("/api/items/{item}"))).send().await.unwrap()).await["stock"].as_i64().unwrap()
}

/// A redeem of one unit that must make an order awaiting payment.
pub(crate) async fn awaiting(c: &Client, app: &TestApp, item: i64, key: &str) -> Value {
    let res = redeem(c, app, item, 1, key).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let order = json(res).await;
    assert_eq!(order["status"], "awaiting_payment", "{order}");
    order
}

pub(crate) async fn ask_payment(c: &Client, app: &TestApp, order: i64) -> Response {
    c.post(app.url(&format!("/api/orders/{order}/payment"))).send().await.unwrap()
}

pub(crate) async fn confirm(app: &TestApp, order: i64, payment_id: &str, paid: &str) -> Response {
    let body = json!({ "payment_id": payment_id, "order_id": order, "paid": paid }).to_string();
    app.host("/api/hooks/payment", &body, None).await
}

/// The order as the member lists it.
async fn listed(c: &Client, app: &TestApp, id: i64) -> Value {
    let page = json(c.get(app.url("/api/orders")).send().await.unwrap()).await;
    page["orders"].as_array().unwrap().iter().find(|o| o["id"] == id).cloned().expect("the order is listed")
}

/// Hex HMAC-SHA256 of `message` with the hook secret, as a host computes it.
fn hmac_hex(app: &TestApp, message: &str) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(app.state.config.hook_secret.as_bytes()).unwrap();
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[tokio::test]
async fn a_paid_voucher_issues_its_code_and_the_request_is_signed_as_documented() {
    let app = spawn_app().await;
    app.set_item(VOUCHER, 5, 2).await;
    let m = app.add_member(10_000, 0).await;
    let c = app.login(m).await;
    let ordered_from = app.state.clock.now_secs();
    let order = awaiting(&c, &app, VOUCHER, "v-1").await;
    let ordered_by = app.state.clock.now_secs();
    let id = order["id"].as_i64().unwrap();
    assert_eq!((order["points"].as_i64(), order["cash"].as_str(), order["code"].as_str()), (Some(2_990), Some("9.90"), None));
    assert!(order["pay_by"].as_str().is_some(), "{order}");
    assert_eq!(balance(&c, &app).await, 7_010, "the points are held at once");
    assert_eq!(stock(&app, VOUCHER).await, 4, "and the stock");
    let wallet = json(c.get(app.url("/api/codes")).send().await.unwrap()).await;
    assert_eq!(wallet.as_array().map(Vec::len), Some(0), "no code before the cash is paid: {wallet}");

    // The payment request, signed as documented (mall_core::payment).
    let start = json(ask_payment(&c, &app, id).await).await;
    let r = &start["request"];
    assert_eq!((r["order_id"].as_i64(), r["amount"].as_str(), r["currency"].as_str()), (Some(id), Some("9.90"), Some("CNY")));
    let pay_by = app.scalar("SELECT pay_by FROM orders WHERE id = $1", id).await;
    assert_eq!(r["expires_at"].as_i64(), Some(pay_by), "the expiry is the order's lapse time");
    assert!((ordered_from..=ordered_by).contains(&(pay_by - WINDOW)), "the window starts at the order (a second may tick)");
    let return_url = r["return_url"].as_str().unwrap();
    assert_eq!(return_url, format!("{}/orders/{id}", app.base), "the mall's order page");
    let payment_id = r["payment_id"].as_str().unwrap().to_string();
    let message = format!("mall-to-host\npayment-request\n{id}\n{payment_id}\n9.90\nCNY\n{pay_by}\n{return_url}");
    assert_eq!(r["signature"].as_str().unwrap(), hmac_hex(&app, &message), "HMAC-SHA256 of the documented message");
    let pay_url = start["pay_url"].as_str().unwrap();
    let encoded_return = return_url.replace(':', "%3A").replace('/', "%2F");
    assert_eq!(
        pay_url,
        format!(
            "https://host.example/pay?order_id={id}&payment_id={payment_id}&amount=9.90&currency=CNY&expires_at={pay_by}\
             &return_url={encoded_return}&signature={}",
            r["signature"].as_str().unwrap()
        )
    );
    assert_eq!(start["frame_origins"], json!([]));
    // Idempotent: the same request again.
    assert_eq!(json(ask_payment(&c, &app, id).await).await, start);

    // The host confirms: the code is issued in the same transaction.
    let res = confirm(&app, id, &payment_id, "9.90").await;
    assert_eq!(res.status(), StatusCode::OK);
    let receipt = json(res).await;
    assert_eq!((receipt["status"].as_str(), receipt["paid"].as_str()), (Some("fulfilled"), Some("9.90")), "{receipt}");
    let paid = listed(&c, &app, id).await;
    assert_eq!(paid["status"], "fulfilled");
    assert!(paid["code"].as_str().is_some() && paid["paid_at"].as_str().is_some(), "{paid}");
    let wallet = json(c.get(app.url("/api/codes")).send().await.unwrap()).await;
    assert_eq!(wallet.as_array().map(Vec::len), Some(1));

    // A replayed confirmation answers the same, issues nothing twice; another body with
    // the same payment id is refused; a new request for a paid order is refused.
    let again = confirm(&app, id, &payment_id, "9.90").await;
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(json(again).await, receipt);
    expect_error(confirm(&app, id, &payment_id, "9.9").await, StatusCode::CONFLICT, "payment_id_reused").await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM codes WHERE member_id = $1", m).await, 1);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM order_payments WHERE order_id = $1", id).await, 1);
    expect_error(ask_payment(&c, &app, id).await, StatusCode::CONFLICT, "order_not_awaiting_payment").await;
    assert_eq!(balance(&c, &app).await, 7_010);

    // The statistics show the cash collected today.
    let today = mall_api::clock::local_date(app.state.config.zone, app.state.clock.now_secs()).format("%Y-%m-%d").to_string();
    let stats = json(operator_client(&app).get(app.url(&format!("/api/admin/stats?from={today}&to={today}"))).send().await.unwrap()).await;
    assert_eq!((stats["cash_collected"].as_str(), stats["days"][0]["cash_collected"].as_str()), (Some("9.90"), Some("9.90")), "{stats}");
    app.assert_ledger(m).await;
}

#[tokio::test]
async fn a_paid_parcel_joins_the_shipping_queue_and_a_shop_cancel_owes_its_cash_back() {
    let app = spawn_app().await;
    let m = app.add_member(5_000, 0).await;
    let c = app.login(m).await;
    let order = awaiting(&c, &app, PARCEL, "p-1").await;
    let id = order["id"].as_i64().unwrap();
    let ops = operator_client(&app);
    let queue = json(ops.get(app.url("/api/admin/orders?status=awaiting_payment")).send().await.unwrap()).await;
    assert_eq!(queue["orders"][0]["id"], id, "operators see it awaiting: {queue}");
    // Not shippable before it is paid.
    let ship = post(&ops, &app, &format!("/api/admin/orders/{id}/ship"), json!({"carrier": "顺丰速运", "tracking_no": "SF1234567"})).await;
    expect_error(ship, StatusCode::CONFLICT, "invalid_transition").await;

    let payment_id = json(ask_payment(&c, &app, id).await).await["request"]["payment_id"].as_str().unwrap().to_string();
    let receipt = json(confirm(&app, id, &payment_id, "9.90").await).await;
    assert_eq!(receipt["status"], "pending", "{receipt}");
    let queue = json(ops.get(app.url("/api/admin/orders?status=pending")).send().await.unwrap()).await;
    let queued = queue["orders"].as_array().unwrap().iter().find(|o| o["id"] == id).cloned().expect("in the shipping queue");
    assert_eq!((queued["cash_paid"].as_str(), queued["payment_id"].as_str()), (Some("9.90"), Some(payment_id.as_str())));
    assert!(queued.get("cash_refund_due").is_none(), "{queued}");

    // The shop cancels the paid order: the points come back, the cash is due back.
    let res = post(&ops, &app, &format!("/api/admin/orders/{id}/cancel"), json!({"reason": "缺货"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let cancelled = json(res).await;
    assert_eq!((cancelled["status"].as_str(), cancelled["cash_refund_due"].as_str()), (Some("cancelled"), Some("9.90")), "{cancelled}");
    assert_eq!(balance(&c, &app).await, 5_000);
    assert_eq!(stock(&app, PARCEL).await, 400);
    let today = mall_api::clock::local_date(app.state.config.zone, app.state.clock.now_secs()).format("%Y-%m-%d").to_string();
    let stats = json(ops.get(app.url(&format!("/api/admin/stats?from={today}&to={today}"))).send().await.unwrap()).await;
    assert_eq!((stats["cash_collected"].as_str(), stats["cash_refund_due"].as_str()), (Some("9.90"), Some("9.90")), "{stats}");
    app.assert_ledger(m).await;
}

#[tokio::test]
async fn a_voided_code_of_a_paid_voucher_owes_its_units_cash_back() {
    let app = spawn_app().await;
    app.set_item(VOUCHER, 5, 2).await;
    let m = app.add_member(10_000, 0).await;
    let c = app.login(m).await;
    let res = redeem(&c, &app, VOUCHER, 2, "v2-1").await;
    let order = json(res).await;
    let id = order["id"].as_i64().unwrap();
    assert_eq!((order["status"].as_str(), order["cash"].as_str()), (Some("awaiting_payment"), Some("19.80")), "{order}");
    let payment_id = json(ask_payment(&c, &app, id).await).await["request"]["payment_id"].as_str().unwrap().to_string();
    assert_eq!(json(confirm(&app, id, &payment_id, "19.80").await).await["status"], "fulfilled");
    let wallet = json(c.get(app.url("/api/codes")).send().await.unwrap()).await;
    let code = wallet[0]["code"].as_str().unwrap().to_string();
    let ops = operator_client(&app);
    let res = ops
        .post(app.url(&format!("/api/admin/codes/{code}/void")))
        .header("Idempotency-Key", "void-1")
        .json(&json!({"reason": "商户停业"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(balance(&c, &app).await, 10_000 - 2 * 2_990 + 2_990, "one unit's points back");
    let queue = json(ops.get(app.url(&format!("/api/admin/orders?q={id}"))).send().await.unwrap()).await;
    assert_eq!(queue["orders"][0]["cash_refund_due"], "9.90", "and one unit's cash due back: {queue}");
    app.assert_ledger(m).await;
}

/// The statistics of today reconcile: opening + the buckets = closing = outstanding now.
async fn assert_stats_reconcile(app: &TestApp) -> Value {
    let today = mall_api::clock::local_date(app.state.config.zone, app.state.clock.now_secs()).format("%Y-%m-%d").to_string();
    let s = json(operator_client(app).get(app.url(&format!("/api/admin/stats?from={today}&to={today}"))).send().await.unwrap()).await;
    let t = &s["total"];
    let net = ["issued", "returned"].iter().map(|k| t[k].as_i64().unwrap()).sum::<i64>()
        - ["taken_back", "spent", "expired", "held"].iter().map(|k| t[k].as_i64().unwrap()).sum::<i64>();
    assert_eq!(s["opening_points"].as_i64().unwrap() + net, s["closing_points"].as_i64().unwrap(), "{s}");
    assert_eq!(s["closing_points"], s["outstanding_points"], "{s}");
    s
}

#[tokio::test]
async fn an_unpaid_order_lapses_on_read_then_the_sweep_records_it() {
    let app = spawn_app().await;
    app.set_item(PARCEL, 1, 3).await;
    let m = app.add_member(2_000, 0).await;
    let c = app.login(m).await;
    let id = awaiting(&c, &app, PARCEL, "l-1").await["id"].as_i64().unwrap();
    let payment_id = json(ask_payment(&c, &app, id).await).await["request"]["payment_id"].as_str().unwrap().to_string();
    assert_eq!((balance(&c, &app).await, shown_stock(&c, &app, PARCEL).await), (1_010, 0));

    app.state.clock.advance(WINDOW);
    let entries = app.scalar("SELECT COUNT(*) FROM history WHERE member_id = $1", m).await;
    // On read: the points and the stock are back, the order reads lapsed.
    assert_eq!(balance(&c, &app).await, 2_000);
    assert_eq!(shown_stock(&c, &app, PARCEL).await, 1);
    assert_eq!(listed(&c, &app, id).await["status"], "lapsed");
    let history = json(c.get(app.url("/api/history")).send().await.unwrap()).await;
    assert_eq!((history["entries"][0]["kind"].as_str(), history["entries"][0]["amount"].as_i64()), (Some("refund"), Some(990)));
    let sum: i64 = history["entries"].as_array().unwrap().iter().map(|e| e["amount"].as_i64().unwrap()).sum();
    assert_eq!(sum, 2_000, "the history adds up to the balance shown");
    let queue = json(operator_client(&app).get(app.url("/api/admin/orders?status=lapsed")).send().await.unwrap()).await;
    assert_eq!(queue["orders"][0]["id"], id, "{queue}");
    let before = assert_stats_reconcile(&app).await;
    assert_eq!(before["total"]["returned"], 990, "the statistics count the points back before a write records them");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM history WHERE member_id = $1", m).await, entries, "no read wrote");
    assert_eq!(stock(&app, PARCEL).await, 0);
    expect_error(ask_payment(&c, &app, id).await, StatusCode::CONFLICT, "order_lapsed").await;
    // The host's confirmation comes too late: refused (it refunds), nothing moves.
    expect_error(confirm(&app, id, &payment_id, "9.90").await, StatusCode::CONFLICT, "order_lapsed").await;

    assert_eq!(app.sweep().await, 1);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM orders WHERE id = $1 AND status = 'lapsed'", id).await, 1);
    assert_eq!(assert_stats_reconcile(&app).await["total"], before["total"], "recording the lapse changes no total");
    assert_eq!((stock(&app, PARCEL).await, balance(&c, &app).await), (1, 2_000));
    let refund = app.rows("SELECT amount FROM history WHERE member_id = $1 AND kind = 'refund'", &[m]).await;
    assert_eq!(refund, vec![vec![990]], "one entry gives the points back");
    assert_eq!(app.sweep().await, 0, "recorded once");
    expect_error(confirm(&app, id, &payment_id, "9.90").await, StatusCode::CONFLICT, "order_lapsed").await;
    expect_error(c.post(app.url(&format!("/api/orders/{id}/cancel"))).send().await.unwrap(), StatusCode::CONFLICT, "order_lapsed").await;
    assert_eq!(app.rows("SELECT COUNT(*) FROM order_payments", &[]).await, vec![vec![0]]);
    app.assert_ledger(m).await;
}

#[tokio::test]
async fn a_lapse_is_recorded_by_the_next_write_of_the_member_or_of_the_next_buyer() {
    let app = spawn_app().await;
    app.set_item(PARCEL, 1, 3).await;
    let (a, b) = (app.add_member(2_000, 0).await, app.add_member(2_000, 0).await);
    let (ca, cb) = (app.login(a).await, app.login(b).await);
    let first = awaiting(&ca, &app, PARCEL, "a-1").await["id"].as_i64().unwrap();
    expect_error(redeem(&cb, &app, PARCEL, 1, "b-1").await, StatusCode::CONFLICT, "out_of_stock").await;

    // After the lapse, the last unit is free for the next buyer: its redeem records the
    // first order's lapse (A's points and the unit back) in its own transaction.
    app.state.clock.advance(WINDOW + 1);
    let second = awaiting(&cb, &app, PARCEL, "b-2").await["id"].as_i64().unwrap();
    assert_eq!(app.scalar("SELECT COUNT(*) FROM orders WHERE id = $1 AND status = 'lapsed'", first).await, 1);
    assert_eq!(stock(&app, PARCEL).await, 0);
    assert_eq!(balance(&ca, &app).await, 2_000);

    // B's own next write (a check-in) records B's lapse.
    app.state.clock.advance(WINDOW);
    assert_eq!(cb.post(app.url("/api/checkins")).send().await.unwrap().status(), StatusCode::CREATED);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM orders WHERE id = $1 AND status = 'lapsed'", second).await, 1);
    assert_eq!(stock(&app, PARCEL).await, 1);
    for m in [a, b] {
        app.assert_ledger(m).await;
    }
    assert_eq!(app.sweep().await, 0, "nothing left to record");
}

#[tokio::test]
async fn a_wrong_amount_is_refused_and_the_right_one_still_pays() {
    let app = spawn_app().await;
    let m = app.add_member(5_000, 0).await;
    let c = app.login(m).await;
    let id = awaiting(&c, &app, PARCEL, "w-1").await["id"].as_i64().unwrap();
    let payment_id = json(ask_payment(&c, &app, id).await).await["request"]["payment_id"].as_str().unwrap().to_string();
    for wrong in ["9.89", "19.80", "0.01"] {
        expect_error(confirm(&app, id, &payment_id, wrong).await, StatusCode::UNPROCESSABLE_ENTITY, "payment_amount_mismatch").await;
    }
    expect_error(confirm(&app, id, &payment_id, "9.901").await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    expect_error(confirm(&app, id, "pay_not_this_one", "9.90").await, StatusCode::NOT_FOUND, "payment_not_found").await;
    expect_error(confirm(&app, id + 1000, &payment_id, "9.90").await, StatusCode::NOT_FOUND, "payment_not_found").await;
    assert_eq!(listed(&c, &app, id).await["status"], "awaiting_payment", "refusals change nothing");
    // A refusal is not an answer the replay rule keeps: the right amount pays.
    assert_eq!(json(confirm(&app, id, &payment_id, "9.90").await).await["status"], "pending");
    assert_eq!(app.scalar("SELECT paid_fen FROM order_payments WHERE order_id = $1", id).await, 990);
}

#[tokio::test]
async fn a_member_cancels_while_awaiting_and_a_late_confirmation_is_refused() {
    let app = spawn_app().await;
    let m = app.add_member(5_000, 0).await;
    let c = app.login(m).await;
    let id = awaiting(&c, &app, PARCEL, "c-1").await["id"].as_i64().unwrap();
    let payment_id = json(ask_payment(&c, &app, id).await).await["request"]["payment_id"].as_str().unwrap().to_string();
    let res = c.post(app.url(&format!("/api/orders/{id}/cancel"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(json(res).await["status"], "cancelled");
    assert_eq!((balance(&c, &app).await, stock(&app, PARCEL).await), (5_000, 400));
    expect_error(confirm(&app, id, &payment_id, "9.90").await, StatusCode::CONFLICT, "order_not_awaiting_payment").await;
    expect_error(ask_payment(&c, &app, id).await, StatusCode::CONFLICT, "order_not_awaiting_payment").await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM order_payments WHERE order_id = $1", id).await, 0);
    app.assert_ledger(m).await;
}

#[tokio::test]
async fn only_the_member_asks_and_only_while_a_host_payment_is_configured() {
    let app = spawn_app().await;
    let (m, other) = (app.add_member(5_000, 0).await, app.add_member(5_000, 0).await);
    let c = app.login(m).await;
    let id = awaiting(&c, &app, PARCEL, "o-1").await["id"].as_i64().unwrap();
    expect_error(ask_payment(&app.login(other).await, &app, id).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(ask_payment(&app.client(), &app, id).await.status(), StatusCode::UNAUTHORIZED);
    // A points-only order awaits nothing.
    let plain = json(redeem(&c, &app, 2, 1, "o-2").await).await;
    expect_error(ask_payment(&c, &app, plain["id"].as_i64().unwrap()).await, StatusCode::CONFLICT, "order_not_awaiting_payment").await;

    let off = spawn_app_with(|c| c.host_pay_url = None).await;
    let c = off.login(1).await;
    expect_error(ask_payment(&c, &off, 1).await, StatusCode::CONFLICT, "cash_payment_unavailable").await;
}

#[tokio::test]
async fn a_signature_from_one_direction_is_refused_in_the_other() {
    let app = spawn_app_with(|c| c.host_origins = vec!["https://shop.example".into()]).await;
    let m = app.add_member(5_000, 0).await;
    let c = app.login(m).await;
    let id = awaiting(&c, &app, PARCEL, "s-1").await["id"].as_i64().unwrap();
    let start = json(ask_payment(&c, &app, id).await).await;
    assert_eq!(start["frame_origins"], json!(["https://shop.example"]));
    let r = &start["request"];
    let payment_id = r["payment_id"].as_str().unwrap();
    let body = json!({ "payment_id": payment_id, "order_id": id, "paid": "9.90" }).to_string();
    let ts = app.state.clock.now_secs();
    let send = |signature: String| {
        Client::new()
            .post(app.url("/api/hooks/payment"))
            .header("content-type", "application/json")
            .header("x-mall-timestamp", ts.to_string())
            .header("x-mall-signature", signature)
            .body(body.clone())
            .send()
    };
    // The mall's outbound signature, replayed inbound (bare or as v2), is refused.
    let outbound = r["signature"].as_str().unwrap().to_string();
    expect_error(send(outbound.clone()).await.unwrap(), StatusCode::UNAUTHORIZED, "signature_invalid").await;
    expect_error(send(format!("v2={outbound}")).await.unwrap(), StatusCode::UNAUTHORIZED, "signature_invalid").await;
    // A MAC of the outbound kind over the call's own fields is refused too.
    let tagged = hmac_hex(&app, &format!("mall-to-host\n{ts}\nPOST\n/api/hooks/payment\n-\n{body}"));
    expect_error(send(format!("v2={tagged}")).await.unwrap(), StatusCode::UNAUTHORIZED, "signature_invalid").await;
    // And an inbound v2 signature is never a payment request's signature.
    let inbound = app.sign(ts, "/api/hooks/payment", None, &body);
    assert_ne!(inbound.trim_start_matches("v2="), outbound);
    assert_eq!(listed(&c, &app, id).await["status"], "awaiting_payment");
    // Signed inbound, it pays.
    assert_eq!(send(inbound).await.unwrap().status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_storm_of_redeems_for_the_last_unit_makes_one_awaiting_order() {
    let app = spawn_app().await;
    app.set_item(PARCEL, 1, 3).await;
    let mut members = Vec::new();
    let mut clients = Vec::new();
    for _ in 0..24 {
        let id = app.add_member(3_000, 0).await;
        let c = app.login(id).await;
        crate::helpers::address_of(&c, &app).await;
        members.push(id);
        clients.push(c);
    }
    let results = join_all(clients.iter().enumerate().map(|(i, c)| {
        let app = &app;
        async move { redeem(c, app, PARCEL, 1, &format!("storm-{i}")).await.status() }
    }))
    .await;
    assert_eq!(results.iter().filter(|s| **s == StatusCode::CREATED).count(), 1, "{results:?}");
    assert_eq!(results.iter().filter(|s| **s == StatusCode::CONFLICT).count(), 23, "{results:?}");
    assert_eq!(stock(&app, PARCEL).await, 0);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM orders WHERE item_id = $1 AND status = 'awaiting_payment'", PARCEL).await, 1);
    let held: i64 = app.scalar("SELECT CAST(SUM(3000 - balance) AS BIGINT) FROM members WHERE id >= $1", members[0]).await;
    assert_eq!(held, 990, "only the winner's points are held");
    for id in members {
        app.assert_ledger(id).await;
    }
}

#[tokio::test]
async fn the_order_page_reads_the_members_own_order_through_each_status() {
    let app = spawn_app().await;
    app.set_item(VOUCHER, 5, 3).await;
    let (m, other) = (app.add_member(10_000, 0).await, app.add_member(10_000, 0).await);
    let c = app.login(m).await;
    let get = |c: Client, id: i64| {
        let url = app.url(&format!("/api/orders/{id}"));
        async move { c.get(url).send().await.unwrap() }
    };
    let id = awaiting(&c, &app, VOUCHER, "r-1").await["id"].as_i64().unwrap();
    let order = json(get(c.clone(), id).await).await;
    assert_eq!(
        (order["id"].as_i64(), order["status"].as_str(), order["cash"].as_str()),
        (Some(id), Some("awaiting_payment"), Some("9.90"))
    );
    assert!(order["pay_by"].as_str().is_some() && order["paid_at"].is_null(), "{order}");
    assert_eq!(order, listed(&c, &app, id).await, "the same order as the list shows");

    // Another member's order, no order, no session.
    expect_error(get(app.login(other).await, id).await, StatusCode::NOT_FOUND, "not_found").await;
    expect_error(get(c.clone(), id + 1000).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(get(app.client(), id).await.status(), StatusCode::UNAUTHORIZED);

    // Paid: the code and when it was paid.
    let payment_id = json(ask_payment(&c, &app, id).await).await["request"]["payment_id"].as_str().unwrap().to_string();
    assert_eq!(json(confirm(&app, id, &payment_id, "9.90").await).await["status"], "fulfilled");
    let paid = json(get(c.clone(), id).await).await;
    assert_eq!(paid["status"], "fulfilled");
    assert!(paid["code"].as_str().is_some() && paid["paid_at"].as_str().is_some(), "{paid}");

    // Lapsed on read, before any write records it.
    let late = awaiting(&c, &app, VOUCHER, "r-2").await["id"].as_i64().unwrap();
    app.state.clock.advance(WINDOW);
    assert_eq!(json(get(c.clone(), late).await).await["status"], "lapsed");
}
