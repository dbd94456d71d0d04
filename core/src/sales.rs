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

/// Everything about a sale but its window: what is sold, by whom, for how much, how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaleTerms {
    /// Identifies the offer: one offer cannot have overlapping windows.
    pub offer_key: String,
    /// Offer name.
    pub offer: I18nText,
    /// The partner merchant whose codes these are (`GET /api/admin/merchants`).
    pub merchant_id: i64,
    /// Image path.
    pub image: String,
    /// Points price (> 0).
    pub points: i64,
    /// Codes in all (> 0).
    pub quantity: i64,
    /// Codes per member (default 1).
    pub per_member_limit: Option<i64>,
    /// Days a code stays valid after the sale ends (default 30).
    pub code_valid_days: Option<i64>,
}

/// The longest offer key (it is indexed: PostgreSQL's indexes take a few kB at most).
pub const OFFER_KEY_MAX: usize = 64;

/// Codes a single sale may have at most.
pub const MAX_SALE_QUANTITY: i64 = 1_000_000;

/// The usual daily slots, shop time: what the operator page offers first.
pub const DEFAULT_SLOTS: [&str; 3] = ["10:00", "14:00", "20:00"];

/// Why a schedule is refused before it reaches the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScheduleError {
    /// The offer key (1–64 characters) or a name (1–60) is empty or too long, or holds
    /// control or direction characters.
    MissingName,
    /// Points, per-member limit or code validity not positive.
    NotPositive,
    /// Quantity outside 1..=`MAX_SALE_QUANTITY`.
    Quantity,
    /// The window ends before it starts (or has no length).
    EndBeforeStart,
    /// A slot length outside 1 to 1,440 minutes.
    Length,
    /// No slot chosen, or a slot that is not `HH:MM`, or one chosen twice.
    Slots,
    /// A day that is not `YYYY-MM-DD`.
    Day,
}

impl ScheduleError {
    /// The reason in English, for the API's error message.
    pub fn message(self) -> &'static str {
        match self {
            ScheduleError::MissingName => {
                "offer_key (1–64 characters) and both offer names (1–60 characters) are required, without control or direction characters"
            }
            ScheduleError::NotPositive => "points, per_member_limit and code_valid_days must be positive",
            ScheduleError::Quantity => "quantity must be between 1 and 1,000,000",
            ScheduleError::EndBeforeStart => "the sale must end after it starts",
            ScheduleError::Length => "minutes must be between 1 and 1,440",
            ScheduleError::Slots => "choose at least one slot, each HH:MM and once",
            ScheduleError::Day => "day must be YYYY-MM-DD",
        }
    }
}

impl SaleTerms {
    /// Checks the terms (the server and the operator page apply the same rule).
    pub fn validate(&self) -> Result<(), ScheduleError> {
        use crate::{catalog_admin::name_fits, staff::OFFER_NAME_MAX};
        let key_ok = name_fits(&self.offer_key, OFFER_KEY_MAX);
        if !key_ok || !name_fits(&self.offer.zh, OFFER_NAME_MAX) || !name_fits(&self.offer.en, OFFER_NAME_MAX) {
            return Err(ScheduleError::MissingName);
        }
        if !(1..=MAX_SALE_QUANTITY).contains(&self.quantity) {
            return Err(ScheduleError::Quantity);
        }
        if self.points <= 0 || self.per_member_limit.unwrap_or(1) <= 0 || self.code_valid_days.unwrap_or(30) <= 0 {
            return Err(ScheduleError::NotPositive);
        }
        Ok(())
    }
}

/// `POST /api/admin/sales`: one sale in one window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSale {
    /// What is sold, and its terms.
    #[serde(flatten)]
    pub terms: SaleTerms,
    /// Window start, Unix seconds.
    pub starts_at: i64,
    /// Window end (exclusive), Unix seconds; after the start.
    pub ends_at: i64,
}

/// `POST /api/admin/sales/daily`: one offer in several slots of one shop day, all or nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DailySlots {
    /// What is sold in every slot; each slot has the full quantity.
    #[serde(flatten)]
    pub terms: SaleTerms,
    /// The shop-local day, `YYYY-MM-DD`.
    pub day: String,
    /// Slot starts, shop-local `HH:MM`.
    pub slots: Vec<String>,
    /// Each slot's length in minutes (1 to 1,440).
    pub minutes: i64,
}

impl NewSale {
    /// Checks the terms and that the window ends after it starts.
    pub fn validate(&self) -> Result<(), ScheduleError> {
        self.terms.validate()?;
        if self.ends_at <= self.starts_at {
            return Err(ScheduleError::EndBeforeStart);
        }
        Ok(())
    }
}

impl DailySlots {
    /// Checks the terms and the slots; gives the slots as minutes after local midnight, sorted
    /// (the server and the operator page apply the same rule).
    pub fn validate(&self) -> Result<Vec<u32>, ScheduleError> {
        self.terms.validate()?;
        self.slot_minutes()
    }

    /// The slots as minutes after local midnight, sorted; refused when empty, malformed or repeated.
    fn slot_minutes(&self) -> Result<Vec<u32>, ScheduleError> {
        if !(1..=1440).contains(&self.minutes) {
            return Err(ScheduleError::Length);
        }
        let mut out = Vec::with_capacity(self.slots.len());
        for slot in &self.slots {
            let b = slot.as_bytes();
            let well_formed = b.len() == 5 && b[2] == b':' && b.iter().enumerate().all(|(i, c)| i == 2 || c.is_ascii_digit());
            if !well_formed {
                return Err(ScheduleError::Slots);
            }
            let digit = |i: usize| u32::from(b[i] - b'0');
            let (h, m) = (digit(0) * 10 + digit(1), digit(3) * 10 + digit(4));
            if h > 23 || m > 59 {
                return Err(ScheduleError::Slots);
            }
            out.push(h * 60 + m);
        }
        out.sort_unstable();
        let before = out.len();
        out.dedup();
        if out.is_empty() || out.len() != before {
            return Err(ScheduleError::Slots);
        }
        Ok(out)
    }
}

/// The ids of the sales a schedule created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Scheduled {
    /// New sale ids, by start time.
    pub ids: Vec<i64>,
}

/// A code's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
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

impl CodeStatus {
    /// Its name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            CodeStatus::Issued => "issued",
            CodeStatus::Used => "used",
            CodeStatus::Expired => "expired",
            CodeStatus::Void => "void",
        }
    }
}

/// A redemption code in the wallet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WalletCode {
    /// `XXXX-XXXX-XXXX`; in a merchant's list an unused code is `••••-••••-XXXX`.
    pub code: String,
    /// Status now.
    pub status: CodeStatus,
    /// What it is for.
    pub offer: I18nText,
    /// Where to use it.
    pub merchant: I18nText,
    /// The flash sale it came from; none for a voucher's code (a catalogue order or a
    /// lottery prize).
    pub sale_id: Option<i64>,
    /// Valid from (RFC 3339).
    pub valid_from: String,
    /// Valid until (RFC 3339, exclusive).
    pub valid_until: String,
    /// When it was used (RFC 3339).
    pub used_at: Option<String>,
    /// Why the mall voided it (status `void`).
    #[serde(default)]
    pub void_reason: Option<String>,
}

/// A code as an operator looks it up (`GET /api/admin/codes/{code}`), in full.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminCode {
    /// `XXXX-XXXX-XXXX`.
    pub code: String,
    /// Status now (an issued code past its validity is `expired`).
    pub status: CodeStatus,
    /// Its holder.
    pub member_id: i64,
    /// What it is for: the sale's offer, or the voucher's name.
    pub offer: I18nText,
    /// The partner merchant that honours it; none: the shop itself (operators verify it).
    pub merchant: Option<crate::staff::MerchantRef>,
    /// Points the member paid for it (0 for a lottery prize): what a void gives back.
    pub points_paid: i64,
    /// When it was issued (RFC 3339).
    pub created_at: String,
    /// Valid until (RFC 3339, exclusive).
    pub valid_until: String,
    /// When it was used.
    pub used_at: Option<String>,
    /// Why it was voided.
    pub void_reason: Option<String>,
}

/// `POST /api/admin/codes/{code}/void` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VoidCode {
    /// Why (the member sees it in the wallet and the history), 1–200 characters without
    /// control or direction characters.
    pub reason: String,
}

/// The most characters a void's reason may have.
pub const VOID_REASON_MAX: usize = 200;

/// A void's reason that is empty, too long or holds control or direction characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadVoidReason;

impl BadVoidReason {
    /// The reason in English, for the API's error message.
    pub fn message(self) -> &'static str {
        "reason must be 1–200 characters, without control or direction characters"
    }
}

impl VoidCode {
    /// The rule of a void's reason (the server and the operator's form apply the same).
    pub fn check(&self) -> Result<(), BadVoidReason> {
        match crate::catalog_admin::name_fits(&self.reason, VOID_REASON_MAX) {
            true => Ok(()),
            false => Err(BadVoidReason),
        }
    }
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

/// `POST /api/sales/{id}/remind` answer: what the reminder will really do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reminder {
    /// Whether the member is now reminded.
    pub on: bool,
    /// Whether the host shop is told at the opening (a `sale_opening` webhook, so the
    /// member hears of it outside the app); otherwise the app reminds only while open.
    pub by_host: bool,
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

    fn terms() -> SaleTerms {
        SaleTerms {
            offer_key: "latte".into(),
            offer: I18nText { zh: "拿铁".into(), en: "Latte".into() },
            merchant_id: 1,
            image: "/img/items/starbucks-latte.svg".into(),
            points: 600,
            quantity: 50,
            per_member_limit: None,
            code_valid_days: None,
        }
    }

    fn daily(slots: &[&str], minutes: i64) -> DailySlots {
        DailySlots { terms: terms(), day: "2026-11-24".into(), slots: slots.iter().map(|s| s.to_string()).collect(), minutes }
    }

    #[test]
    fn terms_are_checked() {
        assert_eq!(terms().validate(), Ok(()));
        assert_eq!(SaleTerms { quantity: 0, ..terms() }.validate(), Err(ScheduleError::Quantity));
        assert_eq!(SaleTerms { points: 0, ..terms() }.validate(), Err(ScheduleError::NotPositive));
        assert_eq!(SaleTerms { per_member_limit: Some(0), ..terms() }.validate(), Err(ScheduleError::NotPositive));
        let unnamed = SaleTerms { offer: I18nText { zh: " ".into(), en: "Latte".into() }, ..terms() };
        assert_eq!(unnamed.validate(), Err(ScheduleError::MissingName));
        let hidden = SaleTerms { offer: I18nText { zh: "拿\u{202e}铁".into(), en: "Latte".into() }, ..terms() };
        assert_eq!(hidden.validate(), Err(ScheduleError::MissingName));
        assert_eq!(SaleTerms { offer_key: "lat\u{7}te".into(), ..terms() }.validate(), Err(ScheduleError::MissingName));
        assert_eq!(SaleTerms { offer_key: "k".repeat(65), ..terms() }.validate(), Err(ScheduleError::MissingName));
        let long = SaleTerms { offer: I18nText { zh: "拿".repeat(61), en: "Latte".into() }, ..terms() };
        assert_eq!(long.validate(), Err(ScheduleError::MissingName));
    }

    #[test]
    fn slots_parse_sorted_and_refuse_repeats_and_junk() {
        assert_eq!(daily(&["20:00", "10:00", "14:30"], 60).slot_minutes(), Ok(vec![600, 870, 1200]));
        assert_eq!(daily(&[], 60).slot_minutes(), Err(ScheduleError::Slots));
        assert_eq!(daily(&["10:00", "10:00"], 60).slot_minutes(), Err(ScheduleError::Slots));
        for bad in ["24:00", "9:00", "10:60", "ten", "10-00", "+1:00"] {
            assert_eq!(daily(&[bad], 60).slot_minutes(), Err(ScheduleError::Slots), "{bad}");
        }
        assert_eq!(daily(&["10:00"], 0).slot_minutes(), Err(ScheduleError::Length));
        assert_eq!(daily(&["10:00"], 1441).slot_minutes(), Err(ScheduleError::Length));
    }

    #[test]
    fn void_reasons() {
        let void = |r: &str| VoidCode { reason: r.into() }.check();
        assert_eq!(void("duplicate order"), Ok(()));
        assert_eq!(void(&"因".repeat(200)), Ok(()));
        assert_eq!(void(&"因".repeat(201)), Err(BadVoidReason));
        assert_eq!(void("  "), Err(BadVoidReason));
        assert_eq!(void("a\u{2066}b"), Err(BadVoidReason));
        // An older server's wallet code (no void_reason) still reads.
        let old = r#"{"code":"A","status":"issued","offer":{"zh":"a","en":"a"},"merchant":{"zh":"","en":""},"sale_id":null,
            "valid_from":"x","valid_until":"y","used_at":null}"#;
        assert_eq!(serde_json::from_str::<WalletCode>(old).unwrap().void_reason, None);
    }

    #[test]
    fn new_sale_keeps_its_flat_wire_format() {
        let sale = NewSale { terms: terms(), starts_at: 10, ends_at: 20 };
        let json = serde_json::to_value(&sale).unwrap();
        assert_eq!(json["points"], 600);
        assert_eq!(json["starts_at"], 10);
        assert_eq!(serde_json::from_value::<NewSale>(json).unwrap(), sale);
    }
}
