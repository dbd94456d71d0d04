//! Bodies of the flash-sale, code wallet and merchant endpoints, and the sale-state rule.

use serde::{Deserialize, Serialize};

use crate::dto::I18nText;

/// Where a sale stands for a member at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SaleState {
    /// Not open yet.
    Upcoming,
    /// Open with stock left.
    Live,
    /// Open but nothing left.
    SoldOut,
    /// Closed.
    Ended,
}

/// The state of a sale at `now` (Unix ms) for a member whose window opens at `opens_at`
/// (the start, or earlier with early access). Used by the server and by the app's
/// countdown, with the app's clock corrected to the server's.
pub fn sale_state(now_ms: i64, opens_at_ms: i64, ends_at_ms: i64, remaining: i64) -> SaleState {
    if now_ms >= ends_at_ms {
        SaleState::Ended
    } else if now_ms < opens_at_ms {
        SaleState::Upcoming
    } else if remaining <= 0 {
        SaleState::SoldOut
    } else {
        SaleState::Live
    }
}

/// One sale as a member sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sale {
    /// Sale id.
    pub id: i64,
    /// What is sold.
    pub offer: I18nText,
    /// Who honours the code.
    pub merchant: I18nText,
    /// Image path.
    pub image: String,
    /// Points price.
    pub points: i64,
    /// Codes in all.
    pub quantity: i64,
    /// Codes left.
    pub remaining: i64,
    /// Codes one member may grab.
    pub per_member_limit: i64,
    /// Window start for everyone, Unix ms.
    pub starts_at_ms: i64,
    /// When this member may grab (earlier with early access), Unix ms.
    pub opens_at_ms: i64,
    /// Window end (exclusive), Unix ms.
    pub ends_at_ms: i64,
    /// State at the server's `now`.
    pub state: SaleState,
    /// Codes this member already holds from it.
    pub mine: i64,
    /// Whether this member asked to be reminded.
    pub reminded: bool,
}

/// `GET /api/sales`: today's slots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaleDay {
    /// The server's clock when answering, Unix ms.
    pub server_now_ms: i64,
    /// The sales, by start time.
    pub sales: Vec<Sale>,
}

/// `POST /api/admin/sales` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewSale {
    /// Identifies the offer: one offer cannot have overlapping windows.
    pub offer_key: String,
    /// Offer name.
    pub offer: I18nText,
    /// Merchant name.
    pub merchant: I18nText,
    /// Image path.
    pub image: String,
    /// Points price (> 0).
    pub points: i64,
    /// Codes in all (> 0).
    pub quantity: i64,
    /// Codes per member (default 1).
    pub per_member_limit: Option<i64>,
    /// Window start, Unix seconds.
    pub starts_at: i64,
    /// Window end (exclusive), Unix seconds; after the start.
    pub ends_at: i64,
    /// Days a code stays valid after the sale ends (default 30).
    pub code_valid_days: Option<i64>,
}

/// A code's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CodeStatus {
    /// Ready to use.
    Issued,
    /// Verified by a merchant.
    Used,
    /// Past its validity.
    Expired,
    /// Cancelled by the mall.
    Void,
}

/// A redemption code in the wallet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WalletCode {
    /// `XXXX-XXXX-XXXX`.
    pub code: String,
    /// Status now.
    pub status: CodeStatus,
    /// What it is for.
    pub offer: I18nText,
    /// Where to use it.
    pub merchant: I18nText,
    /// The sale.
    pub sale_id: i64,
    /// Valid from (RFC 3339).
    pub valid_from: String,
    /// Valid until (RFC 3339, exclusive).
    pub valid_until: String,
    /// When it was used (RFC 3339).
    pub used_at: Option<String>,
}

/// `POST /api/sales/{id}/grab` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Grab {
    /// The code issued.
    pub code: WalletCode,
    /// Points paid.
    pub points: i64,
    /// The balance after.
    pub balance: i64,
}

/// `POST /api/sales/{id}/remind` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Remind {
    /// On or off.
    pub on: bool,
}

/// `POST /api/merchant/verify` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    /// The code as typed, pasted or scanned (case, dashes and spaces do not matter).
    pub code: String,
}

/// `POST /api/merchant/verify` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Verified {
    /// The code.
    pub code: String,
    /// What to hand over.
    pub offer: I18nText,
    /// When it was used (now).
    pub used_at: String,
    /// The merchant that verified it.
    pub used_by: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_switch_exactly_at_the_edges() {
        assert_eq!(sale_state(999, 1_000, 2_000, 5), SaleState::Upcoming);
        assert_eq!(sale_state(1_000, 1_000, 2_000, 5), SaleState::Live);
        assert_eq!(sale_state(1_500, 1_000, 2_000, 0), SaleState::SoldOut);
        assert_eq!(sale_state(2_000, 1_000, 2_000, 5), SaleState::Ended);
    }
}
