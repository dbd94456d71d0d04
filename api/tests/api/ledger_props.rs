//! Property tests of the ledger on a real database (`TestDb`: SQLite or PostgreSQL): random sequences of earning,
//! spending, refunds, checkout holds (captured, released, refunded or left to lapse),
//! host purchases (pending or settled) and their refunds (down to a shortfall), clock
//! jumps across years and sweeps keep the invariants
//! (balance = sum of history = sum of open lot remainders, never negative, growth never
//! decreases) and spends take the soonest-expiring lots first.
//!
//! After every step the statistics reconcile (`check_reconciliation`).
//!
//! Between steps, a read as the API does it (read pool, no write, what time made due not
//! yet recorded): the history a member reads adds up to the balance shown, and the read
//! changes nothing; the next sweep records exactly what the read showed.

use mall_api::{
    clock::Clock,
    db,
    domain::{deductions, deductions::DeductionError, earning, history, ledger, ledger::At, stats},
};
use mall_core::{
    checkout::{HoldRequest, RefundReport},
    dto::EntryKind,
    earning::PurchaseReport,
    Rules,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::helpers::{on_db, TestDb};

#[derive(Debug, Clone)]
enum Op {
    Earn(i64),
    Spend(i64),
    Refund(usize),
    Advance(i64),
    Sweep,
    /// A checkout hold of this many points.
    Hold(i64),
    Capture(usize),
    Release(usize),
    /// Refund this many points of a captured deduction.
    RefundDeduction(usize, i64),
    /// A host purchase of this many yuan, pending (its return window) or settled at once.
    Purchase(i64, bool),
    /// A refund of this many yuan of a purchase.
    RefundPurchase(usize, i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (1i64..2_000).prop_map(Op::Earn),
        4 => (1i64..3_000).prop_map(Op::Spend),
        2 => any::<usize>().prop_map(Op::Refund),
        3 => prop_oneof![(0i64..400 * 86_400), (0i64..3_600)].prop_map(Op::Advance),
        1 => Just(Op::Sweep),
        3 => (100i64..2_500).prop_map(Op::Hold),
        2 => any::<usize>().prop_map(Op::Capture),
        1 => any::<usize>().prop_map(Op::Release),
        1 => (any::<usize>(), 1i64..1_500).prop_map(|(i, p)| Op::RefundDeduction(i, p)),
        3 => (1i64..3_000, any::<bool>()).prop_map(|(y, pending)| Op::Purchase(y, pending)),
        2 => (any::<usize>(), 1i64..2_000).prop_map(|(i, y)| Op::RefundPurchase(i, y)),
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
    deductions: Vec<i64>,
    purchases: Vec<String>,
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
            deductions: Vec::new(),
            purchases: Vec::new(),
            growth: 0,
            _db: test_db,
        }
    }

    fn at(&self) -> At {
        At { secs: self.clock.now_secs(), zone: chrono_tz::Asia::Shanghai, tiers: self.rules.tiers }
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
            Op::Hold(points) => {
                let order_id = format!("O-{}", self.deductions.len() + self.spends.len() + self.purchases.len());
                let req = HoldRequest { member_id: self.member, order_id, order_amount: Decimal::new(1_000_000, 2), points };
                match deductions::hold(&mut tx, &self.rules, at, &req).await {
                    Ok(d) => self.deductions.push(d.id),
                    Err(DeductionError::Ledger(ledger::LedgerError::Insufficient { .. })) => return,
                    Err(e) => panic!("hold: {e}"),
                }
            }
            Op::Capture(i) | Op::Release(i) | Op::RefundDeduction(i, _) => {
                let Some(&id) = self.deductions.get(i % self.deductions.len().max(1)) else { return };
                let outcome = match *op {
                    Op::Capture(_) => deductions::capture(&mut tx, at, id).await,
                    Op::Release(_) => deductions::release(&mut tx, at, id).await,
                    Op::RefundDeduction(_, points) => deductions::refund(&mut tx, at, id, Some(points)).await,
                    _ => unreachable!(),
                };
                match outcome {
                    Ok(_) => {}
                    Err(
                        DeductionError::Released
                        | DeductionError::Captured
                        | DeductionError::NotCaptured
                        | DeductionError::RefundExceedsCapture(_),
                    ) => return,
                    Err(e) => panic!("{op:?}: {e}"),
                }
            }
            Op::Purchase(yuan, pending) => {
                let purchase_id = format!("P-{}", self.purchases.len());
                let settles_at = (!pending).then(|| "2000-01-01T00:00:00Z".to_string());
                let report =
                    PurchaseReport { purchase_id: purchase_id.clone(), member_id: self.member, paid: Decimal::from(yuan), settles_at };
                earning::purchase(&mut tx, &self.rules, at, &report).await.unwrap();
                self.purchases.push(purchase_id);
            }
            Op::RefundPurchase(i, yuan) => {
                let Some(purchase_id) = self.purchases.get(i % self.purchases.len().max(1)).cloned() else { return };
                let refund_id = format!("R-{}-{}", purchase_id, self.clock.now_secs());
                let report = RefundReport { refund_id, purchase_id, amount: Decimal::from(yuan) };
                match earning::refund(&mut tx, at, &report).await {
                    Ok(_) => {}
                    Err(earning::EarningError::RefundExceedsPaid { .. } | earning::EarningError::RefundReplayed) => return,
                    Err(e) => panic!("refund: {e}"),
                }
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
    /// without recording anything: the spendable balance is never negative, the history
    /// as a member reads it (recorded entries and the pending ones: lapsed holds coming
    /// back, matured purchases, the shortfall they pay, due expiry) adds up to it, and
    /// the read wrote nothing. Returns the spendable balance.
    async fn check_read(&self) -> i64 {
        let writes_before = self.scalar("SELECT COUNT(*) FROM history WHERE member_id = $1").await;
        let mut conn = self.pool.acquire().await.unwrap();
        let spendable = ledger::spendable_balance(&mut conn, self.member, self.at()).await.unwrap();
        drop(conn);
        let (entries, _) = history::page(&self.pool, self.at(), self.member, None, None, 10_000).await.unwrap();
        let shown: i64 = entries.iter().map(|e| e.amount).sum();
        assert!(spendable >= 0, "spendable {spendable} is negative");
        assert_eq!(shown, spendable, "read: the history a member reads adds up to the balance shown");
        if let Some(top) = entries.first() {
            assert_eq!(top.balance_after, spendable, "read: the newest entry's balance is the balance shown");
        }
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

    /// After a catch-up (a sweep), nothing is due any more and the stored balance is what
    /// the read showed just before.
    async fn check_recorded(&self, shown: i64) {
        let now = self.clock.now_secs();
        let parts = db::lots::balance_parts(&mut self.pool.acquire().await.unwrap(), self.member, now).await.unwrap();
        assert_eq!((parts.due, parts.held_back, parts.held_lapsed, parts.matured), (0, 0, 0, 0), "nothing due after the sweep");
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
