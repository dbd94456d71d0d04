//! Notices for members outside the app (issue 26): the outbox of signed webhooks to the
//! host shop (the catalogue and the signature: `mall_core::webhook`).
//!
//! **Writing.** A change writes its event in its own transaction ([`record`]): points
//! arrived, order shipped, tier up, code verified, cash refund due. Two events are due by
//! time and written by whoever sees them due, once by a unique constraint (`once_key`):
//! a reminded sale's opening (the dispatcher, at the member's own opening: earlier with a
//! tier's early access) and points expiring within 7 days (the periodic sweep, once per
//! member and local day). Events are written whether or not `HOST_WEBHOOK_URL` is set;
//! without it no dispatcher runs (so no sale openings are scheduled) and the rows are
//! marked failed a day after they were due (the sweep), then pruned with the others.
//!
//! **Delivery.** Each replica runs a dispatcher ([`spawn`]): every `webhook_poll` it
//! claims due rows under a lease (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: the
//! single writer), at most one per member (the member's earliest pending row: order per
//! member), posts them in parallel, and records each answer. A 2xx delivers; anything
//! else (or no answer within `webhook_timeout`) is tried again after
//! `mall_core::webhook::backoff_seconds` on the server clock, until a day after the row
//! was due: then it is failed (an operator may resend it). A replica that dies holding a
//! claim leaves it to run out (`LEASE`), and another replica (or the restarted one) sends
//! the row again: at least once, the host dedupes by id.

use std::{sync::Arc, time::Duration};

use futures_util::FutureExt;
use hmac::{Hmac, Mac};
use mall_core::{
    cash::Cash,
    dto::I18nText,
    webhook::{self, AdminDelivery, DeliveryState, EventType, SaleOpening},
    Tier,
};
use serde::Serialize;
use sha2::Sha256;

use super::{audit, rules::RuleBook, staff::Actor};
use crate::{
    clock::{self, Clock},
    db::{self, outbox::NewEvent, Pool, Tx},
};

/// How long a dispatcher's claim holds a row (real time) beyond the request's timeout:
/// a replica that dies mid-delivery leaves the row to another after this.
pub const LEASE: Duration = Duration::from_secs(30);

/// Rows one dispatcher claims at a time (members served in parallel).
const CLAIM: i64 = 16;

/// The longest answer kept of an attempt, in characters.
const EXCERPT: usize = 200;

/// Records an event of `member_id` due now in `tx`, the transaction of its change. Locks
/// the member's row first, so a member's events commit in the order of their ids.
pub async fn record(tx: &mut Tx, member_id: i64, kind: EventType, payload: &impl Serialize, now: i64) -> Result<(), sqlx::Error> {
    record_once(tx, member_id, kind, None, payload, now).await.map(|_| ())
}

/// As [`record`], with a once rule: nothing is written (false) when the type, member and
/// `once_key` already have a row; `due_at` is when it may first be sent.
async fn record_once(
    tx: &mut Tx,
    member_id: i64,
    kind: EventType,
    once_key: Option<i64>,
    payload: &impl Serialize,
    due_at: i64,
) -> Result<bool, sqlx::Error> {
    let payload = serde_json::to_string(payload).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    db::members::lock(tx, member_id).await?;
    let event = NewEvent {
        member_id,
        kind: kind.as_str(),
        once_key,
        payload: &payload,
        created_at: due_at,
        due_at,
        give_up_at: due_at + webhook::GIVE_UP_AFTER_SECONDS,
    };
    db::outbox::insert(tx, &event).await
}

/// Records `cash_refund_due` in `tx` when the order now owes more cash back than the
/// `before_fen` it owed before the change (a cancel of a paid order, a voided unit).
pub async fn note_refund_due(tx: &mut Tx, member_id: i64, order_id: i64, before_fen: Option<i64>, now: i64) -> Result<(), sqlx::Error> {
    let Some(order) = db::orders::any(tx, order_id).await? else { return Ok(()) };
    let (after, before) = (order.cash_refund_due_fen.unwrap_or(0), before_fen.unwrap_or(0));
    if after <= before {
        return Ok(());
    }
    let payload = webhook::CashRefundDue {
        order_id,
        payment_id: order.payment_id,
        amount: Cash::from_fen(after - before),
        total_due: Cash::from_fen(after),
    };
    record(tx, member_id, EventType::CashRefundDue, &payload, now).await
}

/// Adds growth to the member in `tx` (`db::lots::add_growth`) and records `tier_up` when
/// the tier held under `tiers` rises.
pub async fn add_growth(tx: &mut Tx, member_id: i64, growth: i64, tiers: &mall_core::TierTable, now: i64) -> Result<(), sqlx::Error> {
    let held = |standing: Option<(i64, i64)>| standing.map(|(g, reached)| tiers.held(g, Tier::from_rank(reached)));
    let before = held(db::members::standing(tx, member_id).await?);
    db::lots::add_growth(tx, member_id, growth, tiers).await?;
    let after = held(db::members::standing(tx, member_id).await?);
    if let (Some(from), Some(to)) = (before, after) {
        if to > from {
            record(tx, member_id, EventType::TierUp, &webhook::TierUp { from, to }, now).await?;
        }
    }
    Ok(())
}

/// Writes the `points_expiring` notices of local day of `now`: one per member who agreed
/// to notices (the profile's consent) with points expiring within 7 days, once per member
/// and day (the sweep calls it). Returns how many
/// were written.
pub async fn note_expiring(reader: &Pool, writer: &Pool, zone: chrono_tz::Tz, now: i64) -> Result<i64, sqlx::Error> {
    let day = clock::local_day(zone, now);
    let until = now + webhook::EXPIRING_WITHIN_DAYS * 86_400;
    let due = db::outbox::expiring(&mut reader.acquire().await?, now, until, day).await?;
    let date = clock::date_of_day(day).format("%Y-%m-%d").to_string();
    let mut written = 0;
    for (member_id, points, first_expires_at) in due {
        let payload = webhook::PointsExpiring { points, first_expires_at, day: date.clone() };
        let once = db::transaction(writer, move |tx| {
            let payload = payload.clone();
            async move { record_once(tx, member_id, EventType::PointsExpiring, Some(day), &payload, now).await }.boxed()
        });
        if once.await? {
            written += 1;
        }
    }
    Ok(written)
}

/// Writes the `sale_opening` notices due at `now`: each reminder of a sale that has
/// opened for its member (the start, earlier by the member's early access) and not ended,
/// once per member and sale. Returns how many were written.
pub async fn note_openings(reader: &Pool, writer: &Pool, rules: &mall_core::Rules, now: i64) -> Result<i64, sqlx::Error> {
    let longest_early = rules.perks.iter().map(|p| p.early_sale_minutes * 60).max().unwrap_or(0);
    let candidates = db::outbox::openings(&mut reader.acquire().await?, now, longest_early).await?;
    let mut written = 0;
    for o in candidates {
        let tier = rules.tiers.held(o.growth, Tier::from_rank(o.tier_reached));
        let opens_at = o.starts_at - rules.perks_of(tier).early_sale_minutes * 60;
        if opens_at > now {
            continue;
        }
        let payload = SaleOpening {
            sale_id: o.sale_id,
            offer: I18nText { zh: o.offer_zh, en: o.offer_en },
            points: o.points,
            opens_at,
            starts_at: o.starts_at,
            ends_at: o.ends_at,
        };
        let (member_id, sale_id) = (o.member_id, o.sale_id);
        let once = db::transaction(writer, move |tx| {
            let payload = payload.clone();
            async move { record_once(tx, member_id, EventType::SaleOpening, Some(sale_id), &payload, opens_at).await }.boxed()
        });
        if once.await? {
            written += 1;
        }
    }
    Ok(written)
}

/// The header with the Unix seconds of a delivery attempt (`mall_core::webhook`).
const TIMESTAMP_HEADER: &str = "x-mall-timestamp";
/// The header with a delivery's signature, `v2=<hex>` (`mall_core::webhook`).
const SIGNATURE_HEADER: &str = "x-mall-signature";

/// The signature header's value of a webhook: `v2=` and the lowercase hex HMAC-SHA256
/// with `secret` of `mall_core::webhook::webhook_message`.
pub fn signature(secret: &str, timestamp: i64, id: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(webhook::webhook_message(timestamp, id, body).as_bytes());
    format!("v2={}", hex::encode(mac.finalize().into_bytes()))
}

/// A replica's dispatcher: where it posts, with which key, on which clock.
#[derive(Clone)]
pub struct Dispatcher {
    /// The database, for the work lists.
    pub reader: Pool,
    /// The writer, for claims and answers.
    pub writer: Pool,
    /// The server clock (backoff and due times).
    pub clock: Clock,
    /// The rules versions (each member's early access).
    pub rules: Arc<RuleBook>,
    /// `HOST_WEBHOOK_URL`.
    pub url: String,
    /// `HOOK_SECRET`.
    pub secret: String,
    /// How long one request may take.
    pub timeout: Duration,
}

/// What one attempt came to: the status (if any answer) and its excerpt.
struct Answer {
    status: Option<i64>,
    text: String,
}

impl Answer {
    fn delivered(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// Milliseconds of the real time (leases outlive test clocks that jump).
fn real_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// The first `EXCERPT` characters of `text`.
fn excerpt(text: &str) -> String {
    text.chars().take(EXCERPT).collect()
}

impl Dispatcher {
    /// One round: schedules the sale openings due, claims due rows, posts them in
    /// parallel and records the answers. Returns how many rows it claimed.
    pub async fn round(&self, client: &reqwest::Client) -> Result<usize, sqlx::Error> {
        let now = self.clock.now_secs();
        note_openings(&self.reader, &self.writer, &self.rules.in_force(now), now).await?;
        let token = uuid::Uuid::new_v4().to_string();
        let lease_until = real_ms() + (self.timeout + LEASE).as_millis() as i64;
        let claim_token = token.clone();
        let claimed = db::transaction(&self.writer, move |tx| {
            let token = claim_token.clone();
            async move { db::outbox::claim(tx, now, real_ms(), lease_until, &token, CLAIM).await }.boxed()
        })
        .await?;
        let count = claimed.len();
        let sends = claimed.into_iter().map(|row| {
            let token = token.clone();
            async move {
                let answer = self.post(client, &row).await;
                self.finish(&row, &token, answer).await
            }
        });
        for outcome in futures_util::future::join_all(sends).await {
            if let Err(e) = outcome {
                tracing::error!(error = %e, "recording a webhook attempt failed; the claim runs out and the row is sent again");
            }
        }
        Ok(count)
    }

    /// Posts one row to the host.
    async fn post(&self, client: &reqwest::Client, row: &db::outbox::Claimed) -> Answer {
        let Some(kind) = EventType::parse(&row.kind) else {
            return Answer { status: None, text: format!("unknown event type {:?}", row.kind) };
        };
        let payload: serde_json::Value = match serde_json::from_str(&row.payload) {
            Ok(p) => p,
            Err(e) => return Answer { status: None, text: format!("stored payload is not JSON: {e}") },
        };
        let delivery = webhook::Delivery { id: row.id, kind, member_id: row.member_id, created_at: row.created_at, payload };
        let body = match serde_json::to_string(&delivery) {
            Ok(b) => b,
            Err(e) => return Answer { status: None, text: format!("cannot encode the body: {e}") },
        };
        let ts = self.clock.now_secs();
        let sent = client
            .post(&self.url)
            .timeout(self.timeout)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(TIMESTAMP_HEADER, ts.to_string())
            .header(SIGNATURE_HEADER, signature(&self.secret, ts, row.id, &body))
            .body(body)
            .send()
            .await;
        match sent {
            Ok(res) => {
                let status = Some(i64::from(res.status().as_u16()));
                let text = res.text().await.unwrap_or_default();
                Answer { status, text: excerpt(&text) }
            }
            Err(e) => Answer { status: None, text: excerpt(&format!("no answer: {e}")) },
        }
    }

    /// Records an attempt's answer: delivered, tried again after the backoff, or failed
    /// once its day is over.
    async fn finish(&self, row: &db::outbox::Claimed, token: &str, answer: Answer) -> Result<(), sqlx::Error> {
        let now = self.clock.now_secs();
        let (state, next) = if answer.delivered() {
            (DeliveryState::Delivered, now)
        } else if now >= row.give_up_at {
            (DeliveryState::Failed, now)
        } else {
            (DeliveryState::Pending, (now + webhook::backoff_seconds(row.attempts + 1)).min(row.give_up_at))
        };
        let attempt = db::outbox::Attempt {
            token,
            at: now,
            status: answer.status,
            answer: &answer.text,
            state: state.as_str(),
            next_attempt_at: next,
        };
        if !db::outbox::record_attempt(&mut self.writer.acquire().await?, row.id, &attempt).await? {
            tracing::warn!(id = row.id, "a webhook's claim ran out before its answer was recorded; it is sent again");
        }
        match state {
            DeliveryState::Failed => tracing::warn!(id = row.id, status = answer.status, "webhook failed for a day; given up"),
            DeliveryState::Pending => tracing::debug!(id = row.id, status = answer.status, next, "webhook not delivered; tried again"),
            DeliveryState::Delivered => tracing::debug!(id = row.id, "webhook delivered"),
        }
        Ok(())
    }
}

/// Runs `dispatcher` until the process ends: a round every `poll`, at once again when a
/// round claimed a full batch.
pub fn spawn(dispatcher: Dispatcher, poll: Duration) -> Result<(), reqwest::Error> {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).timeout(dispatcher.timeout).build()?;
    tokio::spawn(async move {
        loop {
            match dispatcher.round(&client).await {
                Ok(n) if n as i64 >= CLAIM => continue,
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "webhook round failed; tried again"),
            }
            tokio::time::sleep(poll).await;
        }
    });
    Ok(())
}

/// Marks failed what no dispatcher delivered within a day of its due time (the sweep
/// calls it; also what was written while no `HOST_WEBHOOK_URL` was set).
pub async fn give_up_stale(writer: &Pool, now: i64) -> Result<u64, sqlx::Error> {
    db::outbox::give_up_stale(&mut writer.acquire().await?, now, real_ms()).await
}

/// A stored row as the operator sees it.
fn admin(zone: chrono_tz::Tz, r: db::outbox::Row) -> AdminDelivery {
    let time = |t: i64| clock::rfc3339(zone, t);
    let state = match r.state.as_str() {
        "delivered" => DeliveryState::Delivered,
        "failed" => DeliveryState::Failed,
        _ => DeliveryState::Pending,
    };
    AdminDelivery {
        id: r.id,
        kind: EventType::parse(&r.kind).unwrap_or(EventType::PointsArrived),
        member_id: r.member_id,
        state,
        created_at: time(r.created_at),
        due_at: time(r.due_at),
        attempts: r.attempts,
        next_attempt_at: (state == DeliveryState::Pending).then(|| time(r.next_attempt_at)),
        give_up_at: time(r.give_up_at),
        last_attempt_at: r.last_attempt_at.map(time),
        last_status: r.last_status,
        last_answer: r.last_answer,
        delivered_at: r.delivered_at.map(time),
        payload: r.payload,
    }
}

/// The deliveries with ids below `before`, newest first.
pub async fn list(
    conn: &mut db::Conn,
    zone: chrono_tz::Tz,
    state: Option<DeliveryState>,
    member_id: Option<i64>,
    before: i64,
    limit: i64,
) -> Result<Vec<AdminDelivery>, sqlx::Error> {
    let rows = db::outbox::list(conn, state.map(DeliveryState::as_str), member_id, before, limit).await?;
    Ok(rows.into_iter().map(|r| admin(zone, r)).collect())
}

/// Sends a delivery again (audited): pending, due now, tried for a day from now (after a
/// member's earlier pending events, like any other); `None` for an unknown id.
pub async fn resend(tx: &mut Tx, actor: &Actor, zone: chrono_tz::Tz, now: i64, id: i64) -> Result<Option<AdminDelivery>, sqlx::Error> {
    let Some(before) = db::outbox::one(tx, id).await? else { return Ok(None) };
    db::outbox::resend(tx, id, now, now + webhook::GIVE_UP_AFTER_SECONDS).await?;
    let after = db::outbox::one(tx, id).await?.map(|r| admin(zone, r));
    let before = admin(zone, before);
    let act = audit::Act { actor, action: "delivery.resend", target_kind: "delivery", at: now };
    audit::record(tx, act, &id.to_string(), Some(&before), after.as_ref()).await?;
    Ok(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_signature_example_holds() {
        let body = r#"{"id":7,"type":"tier_up","member_id":1,"created_at":1789444800,"payload":{"from":"silver","to":"gold"}}"#;
        assert_eq!(
            signature("dev-only-hook-secret-change-me", 1_789_444_800, 7, body),
            "v2=138d3a1cae1d573f99950522e6b576af800ecdb1f171851a032dba60eae6c52e"
        );
    }
}
