//! Live notices (实时推送积分到帐通知): the events `GET /api/events` streams to a member.

use serde::{Deserialize, Serialize};

use crate::dto::EntryKind;

/// `event: balance`: the member's balance changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BalanceNotice {
    /// The balance after the change.
    pub balance: i64,
    /// The change (positive: points arrived).
    pub delta: i64,
    /// What changed it.
    pub kind: EntryKind,
    /// The history entry.
    pub entry_id: i64,
}

/// `event: code`: a merchant verified one of the member's codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeNotice {
    /// The code, as shown (`XXXX-XXXX-XXXX`).
    pub code: String,
    /// The merchant that used it.
    pub used_by: String,
}
