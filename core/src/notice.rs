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

/// `event: closed`: the last event of a stream the server ends. The browser's
/// `EventSource` reconnects by itself after the `retry:` the event carries (with
/// `Last-Event-ID`, so nothing is missed); a reconnect without a session is refused 401.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StreamClosed {
    /// Why the stream ends.
    pub reason: StreamCloseReason,
}

/// Why the server ends a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StreamCloseReason {
    /// The member opened more streams than a replica keeps for one member: the oldest
    /// ends, told to reconnect only after a while (`retry:` 5 minutes).
    Superseded,
    /// The session is gone: logged out or expired (checked at every heartbeat).
    SessionEnded,
    /// The replica is shutting down (a deploy): come back in a few seconds, to another.
    ShuttingDown,
}

impl BalanceNotice {
    /// Whether these are points arriving from outside the app (a purchase, an invite, an
    /// operator's credit, a checkout hold or refund coming back): the notice the member
    /// is shown. Changes the member made in the app confirm themselves.
    pub fn is_arrival(&self) -> bool {
        self.delta > 0
            && matches!(
                self.kind,
                EntryKind::Purchase | EntryKind::Invite | EntryKind::Adjustment | EntryKind::DeductionRelease | EntryKind::DeductionRefund
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_points_from_outside_the_app_are_announced() {
        let notice = |kind, delta| BalanceNotice { balance: 100, delta, kind, entry_id: 1 };
        assert!(notice(EntryKind::Purchase, 120).is_arrival());
        assert!(notice(EntryKind::DeductionRelease, 500).is_arrival());
        assert!(!notice(EntryKind::Checkin, 10).is_arrival(), "the check-in page confirms its own points");
        assert!(!notice(EntryKind::Redeem, -100).is_arrival());
        assert!(!notice(EntryKind::Adjustment, -5).is_arrival());
    }
}
