//! The periodic sweep (every `sweep_seconds`, 5 minutes, on every replica; one at a time
//! holds its lock). Two jobs:
//!
//! 0. **Notices** for the host (`domain::outbox`): points expiring within 7 days, once
//!    per member and local day; pending webhooks past their day marked failed.
//! 1. **Catch up**: records what time made due for every member (checkout holds and
//!    unpaid orders that lapsed, their stock back, purchases whose return window ended, lots that expired: `ledger::catch_up`)
//!    and credits the invites those settled purchases earned. Idempotent and safe next to
//!    reads and spends (each member's catch-up runs in its own write transaction and only
//!    takes what is still there). Reads do not wait for it: they already show the result.
//!    One member's failure (a damaged row, a constraint) is logged and counted and the
//!    sweep goes on with the others; that member is tried again next time.
//! 2. **Prune** what no rule reads any more, in batches ([`keep`] says how long each is
//!    kept): expired sessions (members' and staff's), used host tickets a day past their
//!    expiry, counters of periods that ended (lifetime caps stay), stored answers of
//!    idempotency keys past their horizon, a day of live notices, sign-in throttle rows
//!    untouched for a day, delivered or failed webhooks after a month. Each is a `DELETE` of rows past a time, so a second replica
//!    (or a second run) deletes nothing twice and needs no lock for correctness.

use std::{sync::Arc, time::Duration};

use futures_util::FutureExt;

use mall_core::Rules;

use super::{
    earning,
    ledger::{self, At, LedgerError},
    outbox,
    rules::RuleBook,
};
use crate::{clock::Clock, db};

/// How long the sweep keeps what it prunes, in seconds past the time named.
pub mod keep {
    /// Used host tickets, past their own expiry (a ticket past its expiry is refused
    /// anyway; the day covers replicas whose clocks disagree).
    pub const TICKETS: i64 = 86_400;
    /// A member's `Idempotency-Key` and its answer, from its first use: a retry within a
    /// week replays the first answer; later the key is new again.
    pub const MEMBER_KEYS: i64 = 7 * 86_400;
    /// A staff member's `Idempotency-Key` (adjustments, stock, voids), from its first use.
    pub const STAFF_KEYS: i64 = 7 * 86_400;
    /// The host's signed calls by id (purchase, refund, hold, capture, release, deduction
    /// refund), from the first: a replay within 30 days answers the first answer. After
    /// that the business rows still refuse a second one (a purchase id, refund id or
    /// order id is unique; a captured or released hold stays so).
    pub const HOOK_IDS: i64 = 30 * 86_400;
    /// Live notices, from their change: enough for any reconnect with `Last-Event-ID`.
    pub const EVENTS: i64 = 86_400;
    /// The sign-in throttle's rows, from their last attempt (longer than any window or delay).
    pub const LOGIN_FAILURES: i64 = 86_400;
    /// Delivered and failed webhooks (the outbox), from their creation: the operator's
    /// deliveries list shows a month.
    pub const OUTBOX: i64 = 30 * 86_400;
}

/// Rows deleted per statement (short transactions: writers wait little).
const BATCH: i64 = 1_000;
/// Statements per table and sweep: at most this × `BATCH` rows of a table per sweep.
const BATCHES: u32 = 50;

/// What one sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    /// Members caught up.
    pub members: i64,
    /// Invites credited.
    pub invites: i64,
    /// `points_expiring` notices written.
    pub expiring: i64,
    /// Steps that failed (a member's catch-up, an invite, a pruning): logged, tried again
    /// next time.
    pub failed: i64,
    /// Rows pruned.
    pub pruned: u64,
}

/// Catches up every member with something due at `now`; returns how many members it
/// wrote for (see [`run`]).
pub async fn run_once(reader: &db::Pool, writer: &db::Pool, rules: &Rules, now: At) -> Result<i64, LedgerError> {
    Ok(run(reader, writer, rules, now).await?.map_or(0, |s| s.members))
}

/// Runs one sweep (the work lists read on `reader`, each step in its own transaction on
/// `writer`): `None` when another replica is sweeping (`db::job::SWEEP`). Correctness
/// does not depend on that lock: `catch_up` locks the member's row, so two sweeps would
/// still record each change once. An error only when the work list cannot be read.
pub async fn run(reader: &db::Pool, writer: &db::Pool, rules: &Rules, now: At) -> Result<Option<Swept>, LedgerError> {
    let Some(lock) = db::try_job_lock(reader, db::job::SWEEP).await? else {
        return Ok(None);
    };
    let swept = sweep(reader, writer, rules, now).await;
    db::release_job_lock(lock, db::job::SWEEP).await?;
    swept.map(Some)
}

/// Logs a failed step with its cause.
fn failed(what: &str, id: Option<i64>, e: &dyn std::error::Error) {
    let cause = std::error::Error::source(e).map(ToString::to_string).unwrap_or_default();
    tracing::error!(step = what, id, error = %e, cause, "sweep step failed; the sweep goes on");
}

/// The sweep's work, without the one-process lock.
async fn sweep(reader: &db::Pool, writer: &db::Pool, rules: &Rules, now: At) -> Result<Swept, LedgerError> {
    let mut swept = Swept::default();
    let mut members = {
        let mut conn = reader.acquire().await?;
        let mut all = db::lots::members_with_due(&mut conn, now.secs).await?;
        all.extend(db::deductions::members_with_lapsed(&mut conn, now.secs).await?);
        all.extend(db::orders::members_with_lapsed(&mut conn, now.secs).await?);
        all.extend(db::earning::members_with_matured(&mut conn, now.secs).await?);
        all
    };
    members.sort_unstable();
    members.dedup();
    for &member_id in &members {
        match db::transaction(writer, move |tx| ledger::catch_up(tx, member_id, now).boxed()).await {
            Ok(()) => swept.members += 1,
            Err(e) => {
                swept.failed += 1;
                failed("catch_up", Some(member_id), &e);
            }
        }
    }
    match db::earning::invitees_due(&mut reader.acquire().await?).await {
        Ok(invitees) => {
            for invitee in invitees {
                let rules = rules.clone();
                let credit = db::transaction(writer, move |tx| {
                    async move { earning::credit_invite(tx, &rules, invitee, now).await.map(|_| ()) }.boxed()
                });
                match credit.await {
                    Ok(()) => swept.invites += 1,
                    Err(e) => {
                        swept.failed += 1;
                        failed("credit_invite", Some(invitee), &e);
                    }
                }
            }
        }
        Err(e) => {
            swept.failed += 1;
            failed("invitees_due", None, &e);
        }
    }
    match outbox::note_expiring(reader, writer, now.zone, now.secs).await {
        Ok(n) => swept.expiring = n,
        Err(e) => {
            swept.failed += 1;
            failed("note_expiring", None, &e);
        }
    }
    if let Err(e) = outbox::give_up_stale(writer, now.secs).await {
        swept.failed += 1;
        failed("give_up_stale", None, &e);
    }
    let (pruned, failures) = prune(writer, now.secs).await;
    swept.pruned = pruned;
    swept.failed += failures;
    Ok(swept)
}

/// One kind of row the sweep prunes.
#[derive(Debug, Clone, Copy)]
enum Prune {
    Sessions,
    StaffSessions,
    Tickets,
    Counters,
    MemberKeys,
    StaffKeys,
    HookIds,
    Events,
    LoginFailures,
    Outbox,
}

impl Prune {
    const ALL: [Prune; 10] = [
        Prune::Sessions,
        Prune::StaffSessions,
        Prune::Tickets,
        Prune::Counters,
        Prune::MemberKeys,
        Prune::StaffKeys,
        Prune::HookIds,
        Prune::Events,
        Prune::LoginFailures,
        Prune::Outbox,
    ];

    /// Deletes one batch of rows past their time at `now`.
    async fn batch(self, conn: &mut db::Conn, now: i64) -> Result<u64, sqlx::Error> {
        use db::idempotency::Table;
        match self {
            Prune::Sessions => db::sessions::prune(conn, now, BATCH).await,
            Prune::StaffSessions => db::staff::prune_sessions(conn, now, BATCH).await,
            Prune::Tickets => db::sessions::prune_tickets(conn, now - keep::TICKETS, BATCH).await,
            Prune::Counters => db::counters::prune(conn, now, BATCH).await,
            Prune::MemberKeys => db::idempotency::prune(conn, Table::Member, now - keep::MEMBER_KEYS, BATCH).await,
            Prune::StaffKeys => db::idempotency::prune(conn, Table::Staff, now - keep::STAFF_KEYS, BATCH).await,
            Prune::HookIds => db::idempotency::prune(conn, Table::Hook, now - keep::HOOK_IDS, BATCH).await,
            Prune::Events => db::events::prune(conn, now - keep::EVENTS, BATCH).await,
            Prune::LoginFailures => db::staff_login::prune(conn, now - keep::LOGIN_FAILURES, BATCH).await,
            Prune::Outbox => db::outbox::prune(conn, now - keep::OUTBOX, BATCH).await,
        }
    }
}

/// Prunes every kind in batches; returns the rows deleted and the kinds that failed.
async fn prune(writer: &db::Pool, now: i64) -> (u64, i64) {
    let (mut pruned, mut failures) = (0, 0);
    for kind in Prune::ALL {
        let mut of_kind = 0;
        for _ in 0..BATCHES {
            let deleted = match writer.acquire().await {
                Ok(mut conn) => kind.batch(&mut conn, now).await,
                Err(e) => Err(e),
            };
            match deleted {
                Ok(n) => {
                    of_kind += n;
                    if n < BATCH as u64 {
                        break;
                    }
                }
                Err(e) => {
                    failures += 1;
                    failed(&format!("prune {kind:?}"), None, &e);
                    break;
                }
            }
        }
        if of_kind > 0 {
            tracing::debug!(kind = ?kind, rows = of_kind, "pruned");
        }
        pruned += of_kind;
    }
    (pruned, failures)
}

/// Runs the sweep every `every` until the process ends, on the clock `clock` in `zone`,
/// each run by the rules in force at its moment.
pub fn spawn(reader: db::Pool, writer: db::Pool, clock: Clock, zone: chrono_tz::Tz, book: Arc<RuleBook>, every: Duration) {
    tokio::spawn(async move {
        // The first sweep one period after start (writes catch up on their own meanwhile).
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        loop {
            tick.tick().await;
            let secs = clock.now_secs();
            let rules = book.in_force(secs);
            match run(&reader, &writer, &rules, At { secs, zone, tiers: rules.tiers }).await {
                Ok(Some(s)) if s.failed > 0 => tracing::warn!(
                    members = s.members,
                    invites = s.invites,
                    pruned = s.pruned,
                    failed = s.failed,
                    "sweep done with failed steps (logged above; tried again next time)"
                ),
                Ok(Some(s)) if s.members + s.invites > 0 || s.pruned > 0 => {
                    tracing::info!(members = s.members, invites = s.invites, pruned = s.pruned, "sweep done")
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "sweep failed"),
            }
        }
    });
}
