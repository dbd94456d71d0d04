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

/// Checks a staff display name: 1–40 characters, none of them hidden (`text::readable`).
pub fn check_display_name(name: &str) -> Result<(), AccountError> {
    let ok = (1..=40).contains(&name.chars().count()) && crate::text::readable(name);
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
    /// What the mall pays it per verified code, in yuan (each code keeps the value in
    /// force when it was issued).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2.50"))]
    pub settlement: Cash,
    /// What the mall pays it per verified code of its own free offers (an approved
    /// `POST /api/merchant/offers`), in yuan; 0 by default.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "0.00"))]
    pub offer_settlement: Cash,
    /// Active: it may be named by new sales, vouchers and approved offers. An inactive
    /// merchant's sales and vouchers leave members' lists; its accounts still sign in to
    /// verify the codes already issued and read their statements.
    pub active: bool,
}

/// `POST /api/admin/merchants` body: a new partner merchant (active).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewMerchant {
    /// 2–32 of `a-z 0-9 -`, unique (409 `slug_taken`); never changes (`MERCHANT_TOKENS` name it).
    pub slug: String,
    /// Its name, 1–40 characters in each language.
    pub name: I18nText,
    /// Logo: an uploaded `/media/…` image or one of the app's `/img/…` (a sale approved from
    /// the merchant's free offer shows it).
    pub logo: String,
    /// Its address, at most 120 characters in each language (may be empty).
    pub address: I18nText,
    /// What the mall pays per verified code, 0–10,000 yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2.50"))]
    pub settlement: Cash,
    /// What the mall pays per verified code of the merchant's own free offers, 0–10,000
    /// yuan; absent: 0.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "0.00"))]
    pub offer_settlement: Option<Cash>,
}

/// `PATCH /api/admin/merchants/{id}` body: what changes; absent fields stay. The slug never
/// changes. New settlement values apply to codes issued from then on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MerchantPatch {
    /// A new name, 1–40 characters in each language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<I18nText>,
    /// A new logo path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    /// A new address, at most 120 characters in each language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<I18nText>,
    /// A new settlement value per verified code, 0–10,000 yuan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2.50"))]
    pub settlement: Option<Cash>,
    /// A new settlement value per verified code of its free offers, 0–10,000 yuan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "0.00"))]
    pub offer_settlement: Option<Cash>,
    /// Deactivate (`false`) or reactivate (`true`) it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

/// The most characters a merchant's name may have in each language.
pub const MERCHANT_NAME_MAX: usize = 40;
/// The most characters a merchant's address may have in each language.
pub const MERCHANT_ADDRESS_MAX: usize = 120;
/// The highest settlement value per code, in fen (10,000 yuan).
pub const SETTLEMENT_MAX_FEN: i64 = 1_000_000;

/// Why a merchant is refused before it reaches the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MerchantError {
    /// A slug that is not 2–32 of `a-z 0-9 -`.
    Slug,
    /// A name empty or over 40 characters, or with control or direction characters.
    Name,
    /// An address over 120 characters, or with control or direction characters.
    Address,
    /// A logo that is not an image path (`catalog_admin::image_path_ok`).
    Logo,
    /// A settlement value outside 0–10,000 yuan.
    Settlement,
}

impl MerchantError {
    /// The reason in English, for the API's error message.
    pub fn message(self) -> &'static str {
        match self {
            MerchantError::Slug => "a slug is 2–32 characters of a-z, 0-9 and '-'",
            MerchantError::Name => "names need 1–40 characters in both languages, without control or direction characters",
            MerchantError::Address => "addresses have at most 120 characters in each language, without control or direction characters",
            MerchantError::Logo => "logo must be an uploaded /media/… path or one of the app's /img/… images",
            MerchantError::Settlement => "settlement values are 0–10,000 yuan",
        }
    }
}

fn merchant_name(name: &I18nText) -> Result<(), MerchantError> {
    use crate::catalog_admin::name_fits;
    match name_fits(&name.zh, MERCHANT_NAME_MAX) && name_fits(&name.en, MERCHANT_NAME_MAX) {
        true => Ok(()),
        false => Err(MerchantError::Name),
    }
}

fn merchant_address(address: &I18nText) -> Result<(), MerchantError> {
    let fits = |s: &str| s.trim().chars().count() <= MERCHANT_ADDRESS_MAX && crate::text::readable(s.trim());
    match fits(&address.zh) && fits(&address.en) {
        true => Ok(()),
        false => Err(MerchantError::Address),
    }
}

fn merchant_logo(logo: &str) -> Result<(), MerchantError> {
    match crate::catalog_admin::image_path_ok(logo) {
        true => Ok(()),
        false => Err(MerchantError::Logo),
    }
}

fn settlement_value(value: Option<Cash>) -> Result<(), MerchantError> {
    match value.is_none_or(|v| (0..=SETTLEMENT_MAX_FEN).contains(&v.fen())) {
        true => Ok(()),
        false => Err(MerchantError::Settlement),
    }
}

/// The rules of a new merchant (the server and the operator's form apply the same).
pub fn check_merchant(new: &NewMerchant) -> Result<(), MerchantError> {
    if !crate::catalog_admin::slug_ok(&new.slug) {
        return Err(MerchantError::Slug);
    }
    merchant_name(&new.name)?;
    merchant_logo(&new.logo)?;
    merchant_address(&new.address)?;
    settlement_value(Some(new.settlement))?;
    settlement_value(new.offer_settlement)
}

impl MerchantPatch {
    /// The rules of the fields the patch changes.
    pub fn check(&self) -> Result<(), MerchantError> {
        if let Some(name) = &self.name {
            merchant_name(name)?;
        }
        if let Some(logo) = &self.logo {
            merchant_logo(logo)?;
        }
        if let Some(address) = &self.address {
            merchant_address(address)?;
        }
        settlement_value(self.settlement)?;
        settlement_value(self.offer_settlement)
    }
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

    fn text(s: &str) -> I18nText {
        I18nText { zh: s.into(), en: s.into() }
    }

    fn merchant() -> NewMerchant {
        NewMerchant {
            slug: "luckin".into(),
            name: text("瑞幸咖啡"),
            logo: "/media/0123456789abcdef0123456789abcdef.png".into(),
            address: text(""),
            settlement: Cash::from_fen(250),
            offer_settlement: None,
        }
    }

    #[test]
    fn merchant_rules() {
        assert_eq!(check_merchant(&merchant()), Ok(()));
        assert_eq!(check_merchant(&NewMerchant { logo: String::new(), ..merchant() }), Err(MerchantError::Logo));
        assert_eq!(check_merchant(&NewMerchant { slug: "Luckin".into(), ..merchant() }), Err(MerchantError::Slug));
        assert_eq!(check_merchant(&NewMerchant { name: text(&"名".repeat(41)), ..merchant() }), Err(MerchantError::Name));
        assert_eq!(check_merchant(&NewMerchant { name: text("\u{202e}x"), ..merchant() }), Err(MerchantError::Name));
        assert_eq!(check_merchant(&NewMerchant { address: text(&"路".repeat(121)), ..merchant() }), Err(MerchantError::Address));
        assert_eq!(check_merchant(&NewMerchant { address: text(&"路".repeat(120)), ..merchant() }), Ok(()));
        assert_eq!(check_merchant(&NewMerchant { logo: "https://x.example/a.png".into(), ..merchant() }), Err(MerchantError::Logo));
        let value = |fen| NewMerchant { settlement: Cash::from_fen(fen), ..merchant() };
        assert_eq!(check_merchant(&value(SETTLEMENT_MAX_FEN)), Ok(()));
        assert_eq!(check_merchant(&value(SETTLEMENT_MAX_FEN + 1)), Err(MerchantError::Settlement));
        assert_eq!(check_merchant(&value(-1)), Err(MerchantError::Settlement));
        let offer = NewMerchant { offer_settlement: Some(Cash::from_fen(-5)), ..merchant() };
        assert_eq!(check_merchant(&offer), Err(MerchantError::Settlement));
        assert_eq!(MerchantPatch { active: Some(false), ..Default::default() }.check(), Ok(()));
        assert_eq!(MerchantPatch { name: Some(text("")), ..Default::default() }.check(), Err(MerchantError::Name));
        let patch = MerchantPatch { offer_settlement: Some(Cash::from_fen(SETTLEMENT_MAX_FEN + 1)), ..Default::default() };
        assert_eq!(patch.check(), Err(MerchantError::Settlement));
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
    /// What the mall owes for them (the sum of their settlement values), in yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "45.00"))]
    pub amount: crate::cash::Cash,
}

/// `GET /api/merchant/settlement?from=&to=`: the settlement values of the codes the
/// merchant verified, per shop day and in total. Each code carries the value in force
/// when it was issued (its free offers' codes the offer value), so a change of the
/// merchant's terms never changes a past statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Settlement {
    /// The merchant.
    pub merchant: MerchantRef,
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, `YYYY-MM-DD`.
    pub to: String,
    /// What the mall pays per verified code issued from now on, in yuan (the codes of the
    /// range carry their own values: see `amount`).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "15.00"))]
    pub settlement_value: crate::cash::Cash,
    /// What the mall pays per verified code of the merchant's free offers issued from now on.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "0.00"))]
    pub offer_settlement_value: crate::cash::Cash,
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
    /// A name is empty, longer than `OFFER_NAME_MAX` or holds control or direction characters.
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
            ProposalError::Name => "offer_zh and offer_en must each have 1–60 characters, without control or direction characters",
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
        let fits = |name: &str| crate::catalog_admin::name_fits(name, OFFER_NAME_MAX);
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
        assert_eq!(NewOffer { offer_en: "Free\u{2066} latte".into(), ..offer() }.check(now, now + day, now), Err(ProposalError::Name));
    }
}
