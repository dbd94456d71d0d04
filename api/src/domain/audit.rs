//! The audit log: every staff write records who, when, what, on what, before and after,
//! in the same transaction as the write (so a rolled-back write leaves no entry).

use serde::Serialize;

use crate::{
    db::{self, Tx},
    domain::staff::Actor,
};

/// One staff write to record.
#[derive(Debug, Clone, Copy)]
pub struct Act<'a> {
    /// Who.
    pub actor: &'a Actor,
    /// What, e.g. `member.freeze`.
    pub action: &'a str,
    /// The kind of thing acted on.
    pub target_kind: &'a str,
    /// When (Unix seconds).
    pub at: i64,
}

/// Records `act` on target `target_id`, with the state before and after as JSON.
pub async fn record<B: Serialize, A: Serialize>(
    tx: &mut Tx,
    act: Act<'_>,
    target_id: &str,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<(), sqlx::Error> {
    let encode = |e: serde_json::Error| sqlx::Error::Encode(Box::new(e));
    let before = before.map(serde_json::to_string).transpose().map_err(encode)?;
    let after = after.map(serde_json::to_string).transpose().map_err(encode)?;
    let actor = act.actor.name();
    let entry = db::audit::NewEntry {
        staff_id: act.actor.staff_id(),
        actor: &actor,
        action: act.action,
        target_kind: act.target_kind,
        target_id,
        before: before.as_deref(),
        after: after.as_deref(),
        created_at: act.at,
    };
    db::audit::insert(tx, &entry).await
}
