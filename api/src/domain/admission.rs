//! The flash sale's admission, in front of the grab's transaction (`sales::grab`): this
//! process sheds load before the write path and never decides a grab, which the
//! database's conditional update does.
//!
//! - **Per member, a rate** (`GRAB_BURST`, then `GRAB_PER_SECOND`): a member tapping
//!   faster is told when to try again.
//! - **Sold out is remembered**: once a sale is known to have no unit left, further grabs
//!   are refused without touching the database.
//! - **A gate per sale**: at most as many grabs enter the write path at once as there are
//!   units left, so the losers of a burst are answered at once instead of queueing for
//!   the writer. A grab that did not take its unit (a refusal, a replay) gives it back.
//!
//! Per replica: each replica sheds its own load.

use std::{
    collections::{HashMap, HashSet},
    num::NonZeroU32,
    sync::{Mutex, RwLock},
};

use governor::{clock::Clock as _, DefaultKeyedRateLimiter, Quota, RateLimiter};

/// The admission state of this replica's flash sales.
pub struct SaleAdmission {
    /// Per-member limiter of grab attempts.
    limiter: DefaultKeyedRateLimiter<i64>,
    /// Sales known to be sold out.
    sold_out: RwLock<HashSet<i64>>,
    /// Per sale, how many more grabs may enter the write path now (at most the units left).
    gates: Mutex<HashMap<i64, i64>>,
}

impl SaleAdmission {
    /// Admission with a member's burst of grabs and its refill per second (each at least 1).
    pub fn new(per_second: u32, burst: u32) -> Self {
        let quota = Quota::per_second(NonZeroU32::new(per_second).unwrap_or(NonZeroU32::MIN))
            .allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN));
        SaleAdmission { limiter: RateLimiter::keyed(quota), sold_out: Default::default(), gates: Default::default() }
    }

    /// Counts one grab attempt of `member_id`; over the rate, the whole seconds to wait.
    pub fn check_rate(&self, member_id: i64) -> Result<(), u64> {
        self.limiter
            .check_key(&member_id)
            .map_err(|wait| wait.wait_time_from(governor::clock::DefaultClock::default().now()).as_secs_f64().ceil() as u64)
    }

    /// Whether sale `id` is known to be sold out.
    pub fn is_sold_out(&self, id: i64) -> bool {
        self.sold_out.read().map(|s| s.contains(&id)).unwrap_or(false)
    }

    /// Remembers that sale `id` is sold out, and closes its gate.
    pub fn mark_sold_out(&self, id: i64) {
        if let Ok(mut set) = self.sold_out.write() {
            set.insert(id);
        }
        if let Ok(mut gates) = self.gates.lock() {
            gates.insert(id, 0);
        }
    }

    /// Takes one admission to the write path of sale `id` (its gate starts from
    /// `remaining`); false when every unit left is being claimed now.
    pub fn admit(&self, id: i64, remaining: i64) -> bool {
        let Ok(mut gates) = self.gates.lock() else { return true };
        let left = gates.entry(id).or_insert(remaining);
        if *left > 0 {
            *left -= 1;
            true
        } else {
            false
        }
    }

    /// Gives an admission back after a grab that did not take a unit.
    pub fn release(&self, id: i64) {
        if let Ok(mut gates) = self.gates.lock() {
            if let Some(left) = gates.get_mut(&id) {
                *left += 1;
            }
        }
    }
}
