//! Staff and the back office: operator and merchant accounts, partner merchants, the audit
//! log, member control (search, detail, freeze) and the list of scheduled sales.

use serde::{Deserialize, Serialize};

use crate::{
    cash::Cash,
    dto::{HistoryEntry, I18nText, Order},
    earning::Lot,
    sales::WalletCode,
    Tier,
};

/// What a staff account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum StaffRole {
    /// Runs the shop: members, sales, adjustments, the audit log.
    Operator,
    /// A partner merchant's account: verifies its own codes.
    Merchant,
}

impl StaffRole {
    /// The role as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Operator => "operator",
            StaffRole::Merchant => "merchant",
        }
    }
}

/// The longest username a staff account may have.
pub const USERNAME_MAX: usize = 32;
/// The shortest password a staff account may have.
pub const PASSWORD_MIN: usize = 10;

/// Why a new staff account is refused before it reaches the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountError {
    /// Not 3–32 of `a-z 0-9 . _ -`.
    Username,
    /// Under `PASSWORD_MIN` characters.
    Password,
    /// A display name that is empty, over 40 characters or holds control characters.
    DisplayName,
    /// A new password that is the current one.
    SamePassword,
}

impl AccountError {
    /// The reason in English.
    pub fn message(self) -> &'static str {
        match self {
            AccountError::Username => "a username is 3–32 characters of a-z, 0-9, '.', '_' and '-'",
            AccountError::Password => "a password has at least 10 characters and at most 256 bytes",
            AccountError::DisplayName => "a display name is 1–40 characters, without control or direction characters",
            AccountError::SamePassword => "the new password must differ from the current one",
        }
    }
}

/// Checks a username (also applied to what a sign-in form sends, lower-cased first).
pub fn check_username(username: &str) -> Result<(), AccountError> {
    let ok = (3..=USERNAME_MAX).contains(&username.len())
        && username.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c));
    ok.then_some(()).ok_or(AccountError::Username)
}

/// The longest password, in bytes (hashing cost is bounded by it).
pub const PASSWORD_MAX_BYTES: usize = 256;

/// Checks a new password's length.
pub fn check_password(password: &str) -> Result<(), AccountError> {
    (password.chars().count() >= PASSWORD_MIN && password.len() <= PASSWORD_MAX_BYTES).then_some(()).ok_or(AccountError::Password)
}

/// Whether `c` changes how text around it reads without being seen: a control character
/// or a bidirectional override, embedding, isolate or mark.
pub fn is_hidden_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Checks a staff display name: 1–40 characters, none of them hidden.
pub fn check_display_name(name: &str) -> Result<(), AccountError> {
    let ok = (1..=40).contains(&name.chars().count()) && !name.chars().any(is_hidden_char);
    ok.then_some(()).ok_or(AccountError::DisplayName)
}

/// `POST /api/staff/session` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StaffLogin {
    /// The account's username (case-insensitive).
    pub username: String,
    /// Its password.
    pub password: String,
}

/// A partner merchant as staff pages name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MerchantRef {
    /// Merchant id.
    pub id: i64,
    /// Its name.
    pub name: I18nText,
}

/// The signed-in staff member (`GET /api/staff/me`, and the sign-in answer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffMe {
    /// Account id.
    pub id: i64,
    /// Username.
    pub username: String,
    /// The name shown on staff pages and in the audit log.
    pub display_name: String,
    /// Operator or merchant.
    pub role: StaffRole,
    /// The merchant a merchant account belongs to.
    pub merchant: Option<MerchantRef>,
}

/// A demo staff account (`GET /api/demo/staff`, only with the demo login).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DemoStaff {
    /// Username.
    pub username: String,
    /// Operator or merchant.
    pub role: StaffRole,
    /// The demo password (demo accounts only).
    pub password: String,
    /// The merchant of a merchant account.
    pub merchant: Option<MerchantRef>,
}

/// A staff account as operators manage it (`GET /api/admin/staff`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffAccountInfo {
    /// Account id.
    pub id: i64,
    /// Username.
    pub username: String,
    /// The name shown on staff pages and in the audit log.
    pub display_name: String,
    /// Operator or merchant.
    pub role: StaffRole,
    /// The merchant a merchant account belongs to.
    pub merchant: Option<MerchantRef>,
    /// A disabled account cannot sign in and has no session.
    pub disabled: bool,
    /// When it was created (RFC 3339).
    pub created_at: String,
}

/// `GET /api/admin/staff`: every staff account, operators first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffAccounts {
    /// The accounts.
    pub accounts: Vec<StaffAccountInfo>,
}

/// `POST /api/admin/staff` body: a new account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewStaffAccount {
    /// 3–32 of `a-z 0-9 . _ -` (lower-cased).
    pub username: String,
    /// At least [`PASSWORD_MIN`] characters.
    pub password: String,
    /// Operator or merchant.
    pub role: StaffRole,
    /// The merchant of a merchant account (required for one, refused for an operator).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_id: Option<i64>,
    /// The name shown on staff pages (the username when empty).
    #[serde(default)]
    pub display_name: String,
}

/// `PATCH /api/admin/staff/{id}` body: what changes; absent fields stay. Disabling an
/// account or giving it a new password ends its sessions at once. An operator cannot
/// disable or demote their own account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StaffChange {
    /// Disable (true) or enable (false) the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    /// A new role: `merchant` needs a merchant (given here or already set); `operator`
    /// drops the merchant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<StaffRole>,
    /// The merchant of a merchant account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_id: Option<i64>,
    /// A new display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// A new password (at least [`PASSWORD_MIN`] characters), for a forgotten one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// `POST /api/staff/password` body: the signed-in account's own new password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    /// The password in use now.
    pub current_password: String,
    /// The new one (at least [`PASSWORD_MIN`] characters, not the current one).
    pub new_password: String,
}

/// A partner merchant (`GET /api/admin/merchants`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Merchant {
    /// Merchant id.
    pub id: i64,
    /// Short stable name.
    pub slug: String,
    /// Its name.
    pub name: I18nText,
    /// Logo image path.
    pub logo: String,
    /// Its address.
    pub address: I18nText,
    /// What the mall pays it per verified code, in yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2.50"))]
    pub settlement: Cash,
}

/// One staff write in the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Entry id (newest is largest).
    pub id: i64,
    /// Who: the staff username, or `token:operator` / `token:merchant:<name>` for an
    /// automation token.
    pub actor: String,
    /// What, e.g. `member.freeze`, `points.adjust`, `sale.cancel`, `code.verify`.
    pub action: String,
    /// The kind of thing acted on (`member`, `sale`, `order`, `code`, `staff`).
    pub target_kind: String,
    /// Its id.
    pub target_id: String,
    /// The state before, as JSON text (none for a creation).
    pub before: Option<String>,
    /// The state after, as JSON text.
    pub after: Option<String>,
    /// When (RFC 3339, shop time).
    pub at: String,
}

/// A page of the audit log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    /// The entries.
    pub entries: Vec<AuditEntry>,
    /// Pass as `cursor` for the next page.
    pub next_cursor: Option<String>,
}

/// A member as a search lists it (`GET /api/admin/members?q=`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberRow {
    /// Member id.
    pub id: i64,
    /// Its name.
    pub name: I18nText,
    /// Its tier.
    pub tier: Tier,
    /// Spendable points.
    pub balance: i64,
    /// Why it is frozen, when it is.
    pub frozen: Option<String>,
}

/// Search results, at most 50.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberSearch {
    /// The members found, by id.
    pub members: Vec<MemberRow>,
}

/// One member as an operator sees it (`GET /api/admin/members/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberDetail {
    /// Id, name, tier, balance, frozen.
    #[serde(flatten)]
    pub member: MemberRow,
    /// Growth towards the next tier.
    pub growth: i64,
    /// When it was frozen (RFC 3339).
    pub frozen_at: Option<String>,
    /// Purchase points inside their return window.
    pub pending_points: i64,
    /// Points refunds could not take back (later earnings pay them first).
    pub shortfall_points: i64,
    /// Lots that still count, soonest to expire first.
    pub lots: Vec<Lot>,
    /// The newest history entries (at most 20).
    pub history: Vec<HistoryEntry>,
    /// The newest orders (at most 20).
    pub orders: Vec<Order>,
    /// The newest codes (at most 20).
    pub codes: Vec<WalletCode>,
}

/// `POST /api/admin/members/{id}/freeze` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FreezeRequest {
    /// Why (shown to the member), 1–200 characters.
    pub reason: String,
}

/// A scheduled sale as the operator's list shows it (`GET /api/admin/sales?from=&to=`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminSale {
    /// Sale id.
    pub id: i64,
    /// Identifies the offer.
    pub offer_key: String,
    /// Offer name.
    pub offer: I18nText,
    /// Whose codes these are.
    pub merchant: MerchantRef,
    /// Image path.
    pub image: String,
    /// Points price.
    pub points: i64,
    /// Codes in all.
    pub quantity: i64,
    /// Codes grabbed.
    pub sold: i64,
    /// Codes verified by the merchant.
    pub verified: i64,
    /// Codes per member.
    pub per_member_limit: i64,
    /// Window start (RFC 3339, shop time).
    pub starts_at: String,
    /// Window end (exclusive).
    pub ends_at: String,
    /// When an operator cancelled it (no further grabs).
    pub cancelled_at: Option<String>,
}

/// The sales whose window starts in a range of shop days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminSales {
    /// By start, then id.
    pub sales: Vec<AdminSale>,
}

/// `PATCH /api/admin/sales/{id}` body: what to change before the sale starts (absent
/// fields stay as they are).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SaleEdit {
    /// Offer name.
    pub offer: Option<I18nText>,
    /// Points price.
    pub points: Option<i64>,
    /// Codes in all.
    pub quantity: Option<i64>,
    /// Codes per member.
    pub per_member_limit: Option<i64>,
    /// Window start, Unix seconds.
    pub starts_at: Option<i64>,
    /// Window end, Unix seconds.
    pub ends_at: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_and_passwords() {
        for ok in ["ops", "shop.owner", "luckin-01", "a_b"] {
            assert_eq!(check_username(ok), Ok(()), "{ok}");
        }
        for bad in ["", "ab", "Ops", "with space", "名字", &"x".repeat(33)] {
            assert_eq!(check_username(bad), Err(AccountError::Username), "{bad}");
        }
        assert_eq!(check_password("short"), Err(AccountError::Password));
        assert_eq!(check_password("long enough"), Ok(()));
    }
}

/// `GET /api/merchant/codes?status=`: the merchant's codes, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MerchantCodes {
    /// The merchant.
    pub merchant: MerchantRef,
    /// Its codes (at most 200), with their status now.
    pub codes: Vec<crate::sales::WalletCode>,
}

/// One shop day of a settlement statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettlementDay {
    /// The day, `YYYY-MM-DD` (shop time).
    pub day: String,
    /// Codes the merchant verified that day.
    pub verified: i64,
    /// What the mall owes for them, in yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "45.00"))]
    pub amount: crate::cash::Cash,
}

/// `GET /api/merchant/settlement?from=&to=`: verified codes × the merchant's settlement
/// value, per shop day and in total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Settlement {
    /// The merchant.
    pub merchant: MerchantRef,
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, `YYYY-MM-DD`.
    pub to: String,
    /// What the mall pays per verified code, in yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "15.00"))]
    pub settlement_value: crate::cash::Cash,
    /// Each day of the range.
    pub days: Vec<SettlementDay>,
    /// Codes verified in the range.
    pub verified: i64,
    /// What the mall owes for the range, in yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "450.00"))]
    pub total: crate::cash::Cash,
}

/// Where a partner merchant's free offer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum OfferStatus {
    /// Waiting for an operator.
    Proposed,
    /// Approved into a flash sale.
    Approved,
    /// Declined by an operator.
    Declined,
}

impl OfferStatus {
    /// The status as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            OfferStatus::Proposed => "proposed",
            OfferStatus::Approved => "approved",
            OfferStatus::Declined => "declined",
        }
    }
}

/// The most characters an offer's name may have, in each language.
pub const OFFER_NAME_MAX: usize = 60;
/// The most units one offer may give away.
pub const OFFER_QUANTITY_MAX: i64 = 10_000;
/// The longest window an offer may run, in days.
pub const OFFER_WINDOW_MAX_DAYS: i64 = 7;

/// Why a proposed offer is refused before it reaches the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalError {
    /// A name is empty or longer than `OFFER_NAME_MAX`.
    Name,
    /// Quantity outside 1..=`OFFER_QUANTITY_MAX`.
    Quantity,
    /// A time that is not RFC 3339 with an offset.
    Time,
    /// The window does not end after it starts.
    EndBeforeStart,
    /// The window starts before now.
    StartsInPast,
    /// The window is longer than `OFFER_WINDOW_MAX_DAYS`.
    TooLong,
}

impl ProposalError {
    /// The reason in English, for the API's error message.
    pub fn message(self) -> &'static str {
        match self {
            ProposalError::Name => "offer_zh and offer_en must each have 1–60 characters",
            ProposalError::Quantity => "quantity must be between 1 and 10,000",
            ProposalError::Time => "starts_at and ends_at must be RFC 3339 times with an offset",
            ProposalError::EndBeforeStart => "the offer must end after it starts",
            ProposalError::StartsInPast => "the offer cannot start in the past",
            ProposalError::TooLong => "an offer runs at most 7 days",
        }
    }
}

/// `POST /api/merchant/offers` body: a free offer the merchant proposes as advertising.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewOffer {
    /// What is given away, in Chinese (1–60 characters).
    pub offer_zh: String,
    /// What is given away, in English (1–60 characters).
    pub offer_en: String,
    /// Units to give away (1–10,000).
    pub quantity: i64,
    /// Window start (RFC 3339 with an offset), not in the past.
    pub starts_at: String,
    /// Window end, exclusive (RFC 3339 with an offset): after the start, at most 7 days later.
    pub ends_at: String,
}

impl NewOffer {
    /// Checks the offer with its window already read as Unix seconds, at `now` (the server
    /// and the merchant page apply the same rule).
    pub fn check(&self, starts_at: i64, ends_at: i64, now: i64) -> Result<(), ProposalError> {
        let fits = |name: &str| (1..=OFFER_NAME_MAX).contains(&name.trim().chars().count());
        if !fits(&self.offer_zh) || !fits(&self.offer_en) {
            return Err(ProposalError::Name);
        }
        if !(1..=OFFER_QUANTITY_MAX).contains(&self.quantity) {
            return Err(ProposalError::Quantity);
        }
        if ends_at <= starts_at {
            return Err(ProposalError::EndBeforeStart);
        }
        if starts_at < now {
            return Err(ProposalError::StartsInPast);
        }
        if ends_at - starts_at > OFFER_WINDOW_MAX_DAYS * 86_400 {
            return Err(ProposalError::TooLong);
        }
        Ok(())
    }
}

/// A merchant's free offer (`GET /api/merchant/offers`, `GET /api/admin/offers`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MerchantOffer {
    /// Offer id.
    pub id: i64,
    /// The merchant that gives it away.
    pub merchant: MerchantRef,
    /// What is given away.
    pub offer: I18nText,
    /// Units to give away.
    pub quantity: i64,
    /// Window start (RFC 3339, shop time).
    pub starts_at: String,
    /// Window end, exclusive.
    pub ends_at: String,
    /// Where it stands.
    pub status: OfferStatus,
    /// The flash sale it was approved into.
    pub sale_id: Option<i64>,
    /// The username of the merchant account that proposed it.
    pub proposed_by: String,
    /// When it was proposed.
    pub created_at: String,
    /// When an operator approved or declined it.
    pub decided_at: Option<String>,
}

/// A list of offers, newest first (at most 200).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MerchantOffers {
    /// The offers.
    pub offers: Vec<MerchantOffer>,
}

/// `POST /api/admin/offers/{id}/approve` body: the price of the flash sale the offer becomes
/// (a free offer still costs points to grab).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OfferApproval {
    /// Points price of a code (> 0).
    pub points: i64,
    /// Codes one member may grab (default 1).
    pub per_member_limit: Option<i64>,
}

#[cfg(test)]
mod offer_tests {
    use super::*;

    fn offer() -> NewOffer {
        NewOffer {
            offer_zh: "免费美式".into(),
            offer_en: "Free americano".into(),
            quantity: 50,
            starts_at: String::new(),
            ends_at: String::new(),
        }
    }

    #[test]
    fn offer_statuses_match_serde() {
        for status in [OfferStatus::Proposed, OfferStatus::Approved, OfferStatus::Declined] {
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
        }
    }

    #[test]
    fn offers_are_checked() {
        let (now, day) = (1_000_000, 86_400);
        assert_eq!(offer().check(now, now + day, now), Ok(()));
        assert_eq!(offer().check(now, now + 7 * day, now), Ok(()));
        assert_eq!(offer().check(now, now + 7 * day + 1, now), Err(ProposalError::TooLong));
        assert_eq!(offer().check(now - 1, now + day, now), Err(ProposalError::StartsInPast));
        assert_eq!(offer().check(now + day, now + day, now), Err(ProposalError::EndBeforeStart));
        assert_eq!(NewOffer { quantity: 0, ..offer() }.check(now, now + day, now), Err(ProposalError::Quantity));
        assert_eq!(NewOffer { quantity: 10_001, ..offer() }.check(now, now + day, now), Err(ProposalError::Quantity));
        assert_eq!(NewOffer { offer_en: " ".into(), ..offer() }.check(now, now + day, now), Err(ProposalError::Name));
        assert_eq!(NewOffer { offer_zh: "券".repeat(60), ..offer() }.check(now, now + day, now), Ok(()));
        assert_eq!(NewOffer { offer_zh: "券".repeat(61), ..offer() }.check(now, now + day, now), Err(ProposalError::Name));
    }
}
