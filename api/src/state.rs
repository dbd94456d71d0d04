//! `AppState`: what every handler, extractor and middleware can reach. `startup` builds
//! it; nothing here starts anything.

use std::sync::Arc;

use crate::{
    clock::Clock,
    config::Config,
    db,
    domain::{admission::SaleAdmission, ledger::At, passwords::Hashing, rules::RuleBook, streams::Streams},
    security::Policy,
};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The database, for reads.
    pub pool: db::Pool,
    /// The pool for write transactions (`db::transaction`): SQLite's single writer, or
    /// the same pool as `pool` on PostgreSQL.
    pub writer: db::Pool,
    /// Configuration.
    pub config: Arc<Config>,
    /// The rules versions (`domain::rules`): each action takes the one in force at its moment.
    pub rules: Arc<RuleBook>,
    /// Security headers and the allowed host origins.
    pub policy: Arc<Policy>,
    /// The clock (tests move it).
    pub clock: Clock,
    /// The flash sales' admission to the grab's write path (rate, sold-out memory, gates).
    pub admission: Arc<SaleAdmission>,
    /// The `MERCHANT_TOKENS`, each bound to its merchant record (resolved at start-up).
    pub merchant_tokens: Arc<Vec<MerchantToken>>,
    /// The bound on password hashing (argon2id: memory and CPU per hash).
    pub hashing: Arc<Hashing>,
    /// The live-notice streams open on this replica, per member.
    pub streams: Arc<Streams>,
}

/// A merchant automation token and the merchant record it stands for.
#[derive(Debug, Clone)]
pub struct MerchantToken {
    /// The merchant's slug, as configured.
    pub slug: String,
    /// The merchant record.
    pub merchant_id: i64,
    /// Its name (Chinese), recorded on the codes the token verifies, as an account's is.
    pub name: String,
    /// The token.
    pub token: String,
}

impl AppState {
    /// Now, with the mall's zone and the tier thresholds in force, for ledger writes.
    pub fn at(&self) -> At {
        self.moment().1
    }

    /// The rules in force now and now (as `at`): what an action runs by. Never
    /// retroactive: an action takes the version in force at its own moment.
    pub fn moment(&self) -> (Arc<mall_core::Rules>, At) {
        let secs = self.clock.now_secs();
        let rules = self.rules.in_force(secs);
        let at = At { secs, zone: self.config.zone, tiers: rules.tiers };
        (rules, at)
    }
}
