//! Rules at run time: the versions of `mall_core::Rules` in the database, each in force
//! from its `effective_at` until a later one's. Every action takes the version in force at
//! its own moment (`AppState::moment`), so a change is never retroactive: what was
//! recorded (lots and their expiry, history amounts, tiers reached) stays as it was.
//!
//! Each replica keeps every version in memory ([`RuleBook`]) and picks the one in force at
//! a request's `now` without a database read. A background task asks the database for
//! the highest version number every `Limits::rules_refresh` (2 s) and reloads when it
//! changed, so a replica sees another's change within that delay; the replica that wrote
//! a change reloads at once. A scheduled version needs no reload when its time comes: it is
//! already in memory.

use std::{
    sync::{Arc, RwLock},
    time::Duration,
};

use chrono_tz::Tz;
use futures_util::FutureExt;
use mall_core::{
    rules::{RulesChange, RulesOverview, RulesVersion},
    text::readable,
    FieldError, Rules,
};

use crate::{
    clock,
    db::{self, Pool, Tx},
    domain::{audit, staff::Actor},
};

/// The longest a change may be scheduled ahead, in seconds (two years).
pub const MAX_SCHEDULE_AHEAD: i64 = 2 * 366 * 86_400;

/// Why a rules change or the versions cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// Fields of the change break the rules' bounds or touch a fixed field.
    #[error("{}", describe(.0))]
    Invalid(Vec<FieldError>),
    /// A stored version does not read back as `Rules` (a damaged database).
    #[error("rules version {0} in the database does not read back")]
    Stored(i64, #[source] serde_json::Error),
    /// Concurrent changes kept taking the next version number.
    #[error("other rules changes keep taking the next version number; try again")]
    Busy,
    /// The database failed.
    #[error("rules database error")]
    Db(#[from] sqlx::Error),
}

/// The refusals as one message: `field: rule; field: rule`.
fn describe(errors: &[FieldError]) -> String {
    errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; ")
}

/// Rules that cannot be written as JSON (a bug).
fn encode(e: serde_json::Error) -> RulesError {
    RulesError::Db(sqlx::Error::Encode(Box::new(e)))
}

/// One stored version, read back.
#[derive(Debug, Clone)]
pub struct Version {
    /// Its number.
    pub number: i64,
    /// From when (Unix seconds).
    pub effective_at: i64,
    /// The rules.
    pub rules: Arc<Rules>,
    /// When it was written (Unix seconds).
    pub created_at: i64,
    /// Who wrote it.
    pub actor: String,
    /// Why.
    pub reason: String,
}

impl Version {
    /// Reads a stored row back.
    fn of_row(row: db::rules::VersionRow) -> Result<Version, RulesError> {
        let rules = serde_json::from_str(&row.rules_json).map_err(|e| RulesError::Stored(row.version, e))?;
        Ok(Version {
            number: row.version,
            effective_at: row.effective_at,
            rules: Arc::new(rules),
            created_at: row.created_at,
            actor: row.actor,
            reason: row.reason,
        })
    }

    /// As the API shows it, times in `zone`.
    pub fn view(&self, zone: Tz) -> RulesVersion {
        RulesVersion {
            version: self.number,
            effective_at: clock::rfc3339(zone, self.effective_at),
            rules: (*self.rules).clone(),
            created_at: clock::rfc3339(zone, self.created_at),
            actor: self.actor.clone(),
            reason: self.reason.clone(),
        }
    }
}

/// Every version, in the order they take effect: by `effective_at`, then by number (of two
/// versions with the same moment, the later-written one is in force).
#[derive(Debug, Clone)]
pub struct Versions {
    /// The highest number among them.
    latest: i64,
    /// Sorted by (`effective_at`, number); never empty.
    by_time: Vec<Version>,
}

impl Versions {
    /// Sorts stored rows; `None` when there are none.
    fn of_rows(rows: Vec<db::rules::VersionRow>) -> Result<Option<Versions>, RulesError> {
        let mut by_time = rows.into_iter().map(Version::of_row).collect::<Result<Vec<_>, _>>()?;
        by_time.sort_by_key(|v| (v.effective_at, v.number));
        let latest = by_time.iter().map(|v| v.number).max();
        Ok(latest.map(|latest| Versions { latest, by_time }))
    }

    /// The position of the version in force at `now`: the last one whose moment has come
    /// (the first one when none has: version 1 is in force from 0).
    fn position_at(&self, now: i64) -> usize {
        self.by_time.partition_point(|v| v.effective_at <= now).saturating_sub(1)
    }

    /// The version in force at `now`.
    pub fn at(&self, now: i64) -> &Version {
        &self.by_time[self.position_at(now)]
    }

    /// In force at `now`, scheduled after it (soonest first), and before it (newest first).
    pub fn overview(&self, now: i64, zone: Tz) -> RulesOverview {
        let i = self.position_at(now);
        RulesOverview {
            in_force: self.by_time[i].view(zone),
            scheduled: self.by_time[i + 1..].iter().map(|v| v.view(zone)).collect(),
            history: self.by_time[..i].iter().rev().map(|v| v.view(zone)).collect(),
        }
    }
}

/// This replica's copy of every version, refreshed from the database (see the module).
#[derive(Debug)]
pub struct RuleBook {
    /// Where the versions are read.
    reader: Pool,
    /// The versions as last read.
    versions: RwLock<Arc<Versions>>,
}

impl RuleBook {
    /// Writes version 1 (`first`, the release's rules, in force from 0) unless the
    /// database has one, then reads every version.
    pub async fn open(reader: Pool, writer: &Pool, first: &Rules, now: i64) -> Result<RuleBook, RulesError> {
        let json = serde_json::to_string(first).map_err(encode)?;
        db::transaction(writer, move |tx| {
            async move {
                let v = db::rules::NewVersion {
                    effective_at: 0,
                    rules_json: &json,
                    created_at: now,
                    staff_id: None,
                    actor: "release",
                    reason: "the rules of the release",
                };
                db::rules::insert_first(tx, &v).await
            }
            .boxed()
        })
        .await?;
        let versions = read(&reader).await?;
        Ok(RuleBook { reader, versions: RwLock::new(Arc::new(versions)) })
    }

    /// The versions as this replica knows them.
    pub fn versions(&self) -> Arc<Versions> {
        self.versions.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// The rules in force at `now`.
    pub fn in_force(&self, now: i64) -> Arc<Rules> {
        self.versions().at(now).rules.clone()
    }

    /// Reloads the versions when the database has a version this replica has not read.
    pub async fn refresh(&self) -> Result<(), RulesError> {
        let latest = db::rules::latest(&mut self.reader.acquire().await?).await?;
        if latest != self.versions().latest {
            let read = Arc::new(read(&self.reader).await?);
            let mut versions = self.versions.write().unwrap_or_else(|poisoned| poisoned.into_inner());
            // Two refreshes at once: the one that read more versions stays.
            if read.latest >= versions.latest {
                *versions = read;
            }
        }
        Ok(())
    }

    /// Refreshes every `every` until the process ends; a failed refresh is logged and the
    /// versions already read stay in use.
    pub fn spawn_refresher(self: &Arc<Self>, every: Duration) {
        let book = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
            loop {
                tick.tick().await;
                let Some(book) = book.upgrade() else { return };
                if let Err(e) = book.refresh().await {
                    tracing::warn!(error = %e, "rules versions not refreshed; the ones read before stay in use");
                }
            }
        });
    }
}

/// Every version in the database.
async fn read(reader: &Pool) -> Result<Versions, RulesError> {
    let rows = db::rules::all(&mut reader.acquire().await?).await?;
    Versions::of_rows(rows)?.ok_or(RulesError::Db(sqlx::Error::RowNotFound))
}

/// The versions straight from the database (the operator's overview: another replica's
/// change shows at once), at `now` in `zone`.
pub async fn overview(reader: &Pool, now: i64, zone: Tz) -> Result<RulesOverview, RulesError> {
    Ok(read(reader).await?.overview(now, zone))
}

/// A change that passed its checks, ready to record.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The new rules.
    pub rules: Rules,
    /// From when (Unix seconds).
    pub effective_at: i64,
    /// Why, trimmed.
    pub reason: String,
}

/// Checks a change made at `now` against the rules in force (`current`): the rules'
/// bounds and fixed fields (`Rules::check_change`), `effective_at` later than now and at
/// most two years ahead (absent: now), a reason of 1–200 readable characters. Every
/// refused field is named.
pub fn check(change: &RulesChange, current: &Rules, now: i64) -> Result<Checked, RulesError> {
    let mut errors = change.rules.check_change(current);
    let effective_at = match change.effective_at.as_deref() {
        None => now,
        Some(text) => match chrono::DateTime::parse_from_rfc3339(text.trim()).map(|t| t.timestamp()) {
            Ok(t) if t > now && t <= now + MAX_SCHEDULE_AHEAD => t,
            Ok(_) => {
                errors.push(FieldError::new("effective_at", "must be later than now and at most two years ahead (absent: now)"));
                now
            }
            Err(_) => {
                errors.push(FieldError::new("effective_at", "must be an RFC 3339 time such as 2026-05-01T00:00:00+08:00"));
                now
            }
        },
    };
    let reason = change.reason.trim().to_string();
    if !(1..=200).contains(&reason.chars().count()) || !readable(&reason) {
        errors.push(FieldError::new("reason", "must be 1–200 characters, without control or direction characters"));
    }
    match errors.is_empty() {
        true => Ok(Checked { rules: change.rules.clone(), effective_at, reason }),
        false => Err(RulesError::Invalid(errors)),
    }
}

/// Records a checked change as the next version inside `tx`, audited (who, why, the rules
/// before and after), at `now`; returns it as shown in `zone`. `before` is the version in
/// force at `now`.
pub async fn record(
    tx: &mut Tx,
    actor: &Actor,
    change: &Checked,
    before: &Version,
    now: i64,
    zone: Tz,
) -> Result<RulesVersion, RulesError> {
    let json = serde_json::to_string(&change.rules).map_err(encode)?;
    let actor_name = actor.name();
    let new = db::rules::NewVersion {
        effective_at: change.effective_at,
        rules_json: &json,
        created_at: now,
        staff_id: actor.staff_id(),
        actor: &actor_name,
        reason: &change.reason,
    };
    // A concurrent change may take the next number first (the key refuses the second
    // one); each attempt reads the newest number again.
    let mut number = None;
    for _ in 0..10 {
        number = db::rules::insert_next(tx, &new).await?;
        if number.is_some() {
            break;
        }
    }
    let number = number.ok_or(RulesError::Busy)?;
    let version = Version {
        number,
        effective_at: change.effective_at,
        rules: Arc::new(change.rules.clone()),
        created_at: now,
        actor: actor_name,
        reason: change.reason.clone(),
    };
    let act = audit::Act { actor, action: "rules.change", target_kind: "rules", at: now };
    let was = serde_json::json!({ "version": before.number, "rules": &*before.rules });
    let shown = version.view(zone);
    audit::record(tx, act, &number.to_string(), Some(&was), Some(&shown)).await?;
    Ok(shown)
}
