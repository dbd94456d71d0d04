//! Property tests of the ledger on a real database (`TestDb`: SQLite or PostgreSQL): random sequences of earning,
//! spending, refunds, clock jumps across years and sweeps keep the invariants
//! (balance = sum of history = sum of open lot remainders, never negative, growth never
//! decreases) and spends take the soonest-expiring lots first.
//!
//! After every step the statistics reconcile (`check_reconciliation`).
//!
//! Between steps, a read as the API does it (read pool, no write, due lots not yet
//! recorded): the spendable balance equals the sum of history minus the pending expiry
//! and the sum of the lots that still count, and the read changes nothing.

use mall_api::{
    clock::Clock,
    db,
    domain::{ledger, ledger::At, stats},
};
use mall_core::{dto::EntryKind, Rules};
use proptest::prelude::*;

use crate::helpers::{on_db, TestDb};

#[derive(Debug, Clone)]
enum Op {
    Earn(i64),
    Spend(i64),
    Refund(usize),
    Advance(i64),
    Sweep,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (1i64..2_000).prop_map(Op::Earn),
        4 => (1i64..3_000).prop_map(Op::Spend),
        2 => any::<usize>().prop_map(Op::Refund),
        3 => (0i64..400 * 86_400).prop_map(Op::Advance),
        1 => Just(Op::Sweep),
    ]
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
}

struct World {
    pool: db::Pool,
    writer: db::Pool,
    clock: Clock,
    rules: Rules,
    member: i64,
    spends: Vec<(i64, bool)>,
    growth: i64,
    _db: TestDb,
}

impl World {
    async fn new() -> World {
        let test_db = TestDb::new().await;
        let db::Pools { reader: pool, writer } = db::connect(&test_db.url, 2).await.unwrap();
        let insert = "INSERT INTO members (id, name_zh, name_en, growth, balance, created_at) VALUES (1, 'p', 'p', 0, 0, 0)";
        on_db!(&writer, |p| sqlx::query(insert).execute(p).await.map(|_| ())).unwrap();
        World {
            pool,
            writer,
            clock: Clock::frozen_at(1_767_225_600),
            rules: Rules::default(),
            member: 1,
            spends: Vec::new(),
            growth: 0,
            _db: test_db,
        }
    }

    fn at(&self) -> At {
        At { secs: self.clock.now_secs(), zone: chrono_tz::Asia::Shanghai }
    }

    /// The first column of `sql` with the member bound to `$1` and `extra` to `$2`.
    async fn scalar_with(&self, sql: &str, extra: Option<i64>) -> i64 {
        on_db!(&self.pool, |p| {
            let mut query = sqlx::query_scalar(sql).bind(self.member);
            if let Some(x) = extra {
                query = query.bind(x);
            }
            query.fetch_one(p).await.unwrap()
        })
    }

    async fn scalar(&self, sql: &str) -> i64 {
        self.scalar_with(sql, None).await
    }

    async fn apply(&mut self, op: &Op) {
        let at = self.at();
        let mut tx = db::begin(&self.writer).await.unwrap();
        match *op {
            Op::Earn(points) => {
                ledger::earn(
                    &mut tx,
                    &self.rules,
                    self.member,
                    ledger::Earning { kind: EntryKind::Purchase, points, growth: points / 10 },
                    at,
                    None,
                )
                .await
                .unwrap();
            }
            Op::Spend(points) => {
                match ledger::debit(&mut tx, self.member, EntryKind::Redeem, points, at, None).await {
                    Ok(d) => {
                        self.spends.push((d.history_id, false));
                        tx.commit().await.unwrap();
                        self.check_fifo(d.history_id).await;
                        return;
                    }
                    Err(e) => {
                        assert!(matches!(e, ledger::LedgerError::Insufficient { .. }), "{e}");
                        return; // rolled back on drop
                    }
                }
            }
            Op::Refund(i) => {
                if !self.spends.is_empty() {
                    let n = i % self.spends.len();
                    if !self.spends[n].1 {
                        ledger::refund(&mut tx, self.member, self.spends[n].0, at, None).await.unwrap();
                        self.spends[n].1 = true;
                    }
                }
            }
            Op::Advance(secs) => self.clock.advance(secs),
            Op::Sweep => {
                ledger::catch_up(&mut tx, self.member, at).await.unwrap();
            }
        }
        tx.commit().await.unwrap();
    }

    /// The lots a spend took: no open lot expiring before the latest of them kept points.
    async fn check_fifo(&self, history_id: i64) {
        let now = self.clock.now_secs();
        let latest: i64 = on_db!(&self.pool, |p| sqlx::query_scalar(
            "SELECT MAX(l.expires_at) FROM lot_debits d JOIN point_lots l ON l.id = d.lot_id WHERE d.history_id = $1"
        )
        .bind(history_id)
        .fetch_one(p)
        .await
        .unwrap());
        let skipped: i64 = on_db!(&self.pool, |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM point_lots WHERE member_id = $1 AND remaining > 0 AND expires_at > $2 AND expires_at < $3",
        )
        .bind(self.member)
        .bind(now)
        .bind(latest)
        .fetch_one(p)
        .await
        .unwrap());
        assert_eq!(skipped, 0, "a spend skipped a sooner-expiring lot");
    }

    /// The read path: what `GET /api/me` and `GET /api/history` compute, on the read pool,
    /// without recording expiry. Returns the spendable balance.
    async fn check_read(&self) -> i64 {
        let now = self.clock.now_secs();
        let writes_before = self.scalar("SELECT COUNT(*) FROM history WHERE member_id = $1").await;
        let mut conn = self.pool.acquire().await.unwrap();
        let spendable = ledger::spendable_balance(&mut conn, self.member, self.at()).await.unwrap();
        let due = db::lots::due_points(&mut conn, self.member, now).await.unwrap();
        drop(conn);
        let history = self.scalar("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM history WHERE member_id = $1").await;
        let counting = self
            .scalar_with(
                "SELECT CAST(COALESCE(SUM(remaining), 0) AS BIGINT) FROM point_lots WHERE member_id = $1 AND expires_at > $2",
                Some(now),
            )
            .await;
        assert!(spendable >= 0, "spendable {spendable} is negative");
        assert_eq!(spendable, history - due, "read: spendable = sum of history - pending expiry");
        assert_eq!(spendable, counting, "read: spendable = sum of lots that still count");
        assert_eq!(self.scalar("SELECT COUNT(*) FROM history WHERE member_id = $1").await, writes_before, "a read wrote history");
        spendable
    }

    /// The stored ledger after a write: balance = sum of history = sum of all lot remainders.
    async fn check_invariants(&mut self) {
        let balance = self.scalar("SELECT balance FROM members WHERE id = $1").await;
        let history = self.scalar("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM history WHERE member_id = $1").await;
        let lots = self.scalar("SELECT CAST(COALESCE(SUM(remaining), 0) AS BIGINT) FROM point_lots WHERE member_id = $1").await;
        let growth = self.scalar("SELECT growth FROM members WHERE id = $1").await;
        assert!(balance >= 0);
        assert_eq!(balance, history, "balance = sum of history");
        assert_eq!(balance, lots, "balance = sum of lot remainders");
        assert!(growth >= self.growth, "growth never decreases");
        self.growth = growth;
        let min_after = self.scalar("SELECT COALESCE(MIN(balance_after), 0) FROM history WHERE member_id = $1").await;
        assert!(min_after >= 0, "no entry left a negative balance");
    }

    /// The statistics reconcile to the point at every step: over any range closing =
    /// opening + issued − taken back − spent + returned − expired; two ranges that meet
    /// agree where they meet; a range reaching now closes at the outstanding points (the
    /// spendable balance, as a read shows it).
    async fn check_reconciliation(&self, split: i64) {
        let now = self.clock.now_secs();
        let mut conn = self.pool.acquire().await.unwrap();
        let (start, end) = (0, now + 1);
        let split = start + split.rem_euclid(end - start);
        let whole = stats::totals(&mut conn, start, end, now).await.unwrap();
        let (left, right) =
            (stats::totals(&mut conn, start, split, now).await.unwrap(), stats::totals(&mut conn, split, end, now).await.unwrap());
        assert_eq!(whole.closing, whole.opening + whole.points.net(), "closing = opening + net: {whole:?}");
        assert_eq!(left.closing, right.opening, "ranges meet at {split}");
        assert_eq!(left.points.plus(right.points), whole.points, "the parts add up");
        assert_eq!(whole.opening, 0, "nothing before the first entry");
        let spendable = ledger::spendable_balance(&mut conn, self.member, self.at()).await.unwrap();
        assert_eq!(whole.closing, spendable, "closing = outstanding points");
    }

    /// After a write that records expiry (a sweep), nothing due is left and the stored
    /// balance is what the read showed just before.
    async fn check_recorded(&self, shown: i64) {
        let now = self.clock.now_secs();
        let due = db::lots::due_points(&mut self.pool.acquire().await.unwrap(), self.member, now).await.unwrap();
        assert_eq!(due, 0, "expired lots hold nothing after the sweep");
        assert_eq!(self.scalar("SELECT balance FROM members WHERE id = $1").await, shown, "the sweep recorded what reads showed");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn ledger_invariants_hold_after_every_step(ops in prop::collection::vec(op(), 1..40), split in any::<i64>()) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let mut world = World::new().await;
            for op in &ops {
                let shown = world.check_read().await;
                world.apply(op).await;
                world.check_invariants().await;
                world.check_reconciliation(split).await;
                if matches!(op, Op::Sweep) {
                    world.check_recorded(shown).await;
                }
                world.check_read().await;
            }
        });
    }
}
