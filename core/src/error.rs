//! Error codes: the one vocabulary for everything that can go wrong, with its HTTP status.

use serde::{Deserialize, Serialize};

/// A machine-readable reason for a refused request. Serialised in `snake_case`.
/// Decoded by a table (`ErrorCode::from_wire`), not a derived parser: the member's wasm
/// holds one entry per code it decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request is malformed (bad query string, bad header, bad cursor…).
    BadRequest,
    /// The body is not valid JSON or has the wrong shape.
    InvalidJson,
    /// The body parsed but a value is out of range.
    ValidationFailed,
    /// The body is not declared as JSON.
    UnsupportedMediaType,
    /// The body is larger than the server accepts.
    PayloadTooLarge,
    /// No valid session cookie.
    Unauthorized,
    /// Logged in, but not allowed to do this.
    Forbidden,
    /// No such path or resource.
    NotFound,
    /// The path exists but not for this method.
    MethodNotAllowed,
    /// The demo login is switched off in this configuration.
    DemoLoginDisabled,
    /// A host ticket whose signature does not match.
    TicketInvalid,
    /// A host ticket past its expiry (or too long-lived).
    TicketExpired,
    /// A host ticket that was already exchanged.
    TicketReplayed,
    /// No member with this id.
    MemberNotFound,
    /// No item with this id.
    ItemNotFound,
    /// The item has no stock left (or not enough for the quantity).
    OutOfStock,
    /// The member has reached the per-member limit for this item.
    LimitReached,
    /// The balance does not cover the price.
    InsufficientPoints,
    /// The item is reserved for a higher tier.
    TierLocked,
    /// A money-moving request without an `Idempotency-Key` header.
    IdempotencyKeyMissing,
    /// The same `Idempotency-Key` was used with a different request.
    IdempotencyKeyReused,
    /// That local day already has a check-in.
    AlreadyCheckedIn,
    /// A make-up for a day that cannot be made up (today, future, another month).
    MakeupNotAllowed,
    /// No make-ups left this month.
    MakeupLimitReached,
    /// No such earning task.
    TaskNotFound,
    /// The order is not pending any more.
    NotCancellable,
    /// The status change does not follow pending → shipped → delivered.
    InvalidTransition,
    /// An invite code that does not exist (or is the member's own).
    InviteInvalid,
    /// The member already accepted an invite.
    AlreadyInvited,
    /// The member has already bought (a purchase of theirs was reported): too late to
    /// accept a friend's invite.
    InviteTooLate,
    /// A signed hook whose signature does not match.
    SignatureInvalid,
    /// A signed hook whose timestamp is too far from the server's clock.
    StaleRequest,
    /// No such sale.
    SaleNotFound,
    /// The sale has not opened (for this member) yet.
    SaleNotStarted,
    /// The sale is over.
    SaleEnded,
    /// No codes left.
    SoldOut,
    /// A schedule that overlaps another slot of the same offer.
    SaleOverlap,
    /// A schedule whose window is already over on the server's clock.
    SaleWindowPassed,
    /// A typed code that is not well-formed (wrong length, character or check character).
    CodeInvalid,
    /// No such code.
    CodeNotFound,
    /// The code was already used.
    CodeUsed,
    /// The code's validity has passed.
    CodeExpired,
    /// The code was voided.
    CodeVoid,
    /// No free code could be generated.
    CodeSpaceExhausted,
    /// Too many requests; retry after the `Retry-After` header.
    RateLimited,
    /// Something failed on the server; details are in the server's log only.
    Internal,
    /// The database is unreachable.
    Unavailable,
    /// A merchant tried to verify another merchant's code.
    CodeOfOtherMerchant,
    /// The member is frozen: it may not spend (the reason is in `details.reason`).
    MemberFrozen,
    /// The sale was cancelled by an operator.
    SaleCancelled,
    /// The sale has started: it can no longer be edited.
    SaleStarted,
    /// Wrong username or password.
    StaffLoginFailed,
    /// A stock change would take the stock below zero.
    StockBelowZero,
    /// A physical item needs a delivery address (`address_id`).
    AddressRequired,
    /// The cause no longer takes donations.
    CauseClosed,
    /// A payment was asked for an order that is not awaiting one (paid, cancelled…).
    /// The app does not decode it (its order page shows the order's status instead).
    OrderNotAwaitingPayment,
    /// The order was not paid in time: its points and stock came back. On the payment
    /// hook: the host refunds the member. The app does not decode it (the order page
    /// shows the lapse).
    OrderLapsed,
    // The host's server-to-server codes. The app never receives them, so it does not
    // decode them (`decoded_by_app` leaves them out): not a byte of them in the member's wasm.
    /// A signed purchase report reused its `purchase_id` with another body.
    PurchaseIdReused,
    /// A signed refund reused its `refund_id` with another body.
    RefundIdReused,
    /// A deduction reused the host's `order_id` with another body.
    OrderIdReused,
    /// No purchase with this `purchase_id`.
    PurchaseNotFound,
    /// A refund beyond what the purchase paid.
    RefundExceedsPaid,
    /// No deduction with this id.
    DeductionNotFound,
    /// More points than the deduction share of the order allows.
    DeductionOverShare,
    /// Fewer points than the smallest deduction.
    DeductionBelowMinimum,
    /// The hold was released (or expired): it can no longer be captured.
    DeductionReleased,
    /// The hold was captured: refund it instead of releasing it.
    DeductionCaptured,
    /// Only a captured deduction can be refunded.
    DeductionNotCaptured,
    /// A refund beyond what was captured and not yet refunded.
    RefundExceedsCapture,
    /// A payment confirmation reused its `payment_id` with another body.
    PaymentIdReused,
    /// No order awaits this `payment_id` (with this `order_id`).
    PaymentNotFound,
    /// A payment confirmation whose `paid` is not the order's cash part.
    PaymentAmountMismatch,
    // Refusals the member's app never meets on its own screens (it shows the reason
    // first), and the staff pages phrase by status: not decoded in the wasm either.
    /// A task the mall cannot see happen, while the shop has not turned such tasks on.
    TaskOff,
    /// An item with a cash part, while no host payment is configured to collect it.
    CashPaymentUnavailable,
    /// The staff username is taken.
    UsernameTaken,
    /// An operator tried to disable or demote their own account.
    OwnAccount,
    /// The current password given for a password change is wrong.
    CurrentPasswordWrong,
    /// A new category's or merchant's slug is taken.
    SlugTaken,
    /// The partner merchant is inactive: new sales, vouchers and approved offers cannot
    /// name it, and members cannot buy its vouchers or grab its sales.
    MerchantInactive,
    /// A signed task event reused its `event_id` with another body.
    EventIdReused,
    /// A birthday is recorded once: a different date was sent.
    BirthdayLocked,
    /// The birthday gift cannot be taken now (no birthday, not the day, recorded too
    /// recently, or taken this year): the message says which.
    BirthdayGiftUnavailable,
    /// Any code this build does not know (a newer server's, or one of the codes above that
    /// it does not decode): the app reads the refusal as a generic one instead of failing to
    /// read the error body. Deserialise-only: the server never sends it (serialising it fails).
    #[serde(skip_serializing)]
    Unknown,
}

impl ErrorCode {
    /// The HTTP status this code is answered with.
    pub fn status(self) -> u16 {
        use ErrorCode::*;
        match self {
            BadRequest | InvalidJson | IdempotencyKeyMissing => 400,
            Unauthorized | TicketInvalid | TicketExpired | TicketReplayed | SignatureInvalid | StaleRequest | StaffLoginFailed => 401,
            Forbidden | TierLocked | DemoLoginDisabled | CodeOfOtherMerchant | MemberFrozen | TaskOff => 403,
            NotFound | MemberNotFound | ItemNotFound | TaskNotFound | SaleNotFound | CodeNotFound | PurchaseNotFound
            | DeductionNotFound | PaymentNotFound => 404,
            MethodNotAllowed => 405,
            OutOfStock
            | LimitReached
            | InsufficientPoints
            | AlreadyCheckedIn
            | MakeupLimitReached
            | NotCancellable
            | InvalidTransition
            | AlreadyInvited
            | InviteTooLate
            | SaleNotStarted
            | SaleEnded
            | SoldOut
            | SaleOverlap
            | CodeUsed
            | CodeExpired
            | CodeVoid
            | SaleCancelled
            | SaleStarted
            | StockBelowZero
            | PurchaseIdReused
            | RefundIdReused
            | OrderIdReused
            | DeductionReleased
            | DeductionCaptured
            | DeductionNotCaptured
            | CauseClosed
            | OrderNotAwaitingPayment
            | OrderLapsed
            | PaymentIdReused
            | CashPaymentUnavailable
            | UsernameTaken
            | OwnAccount
            | SlugTaken
            | MerchantInactive
            | EventIdReused
            | BirthdayLocked
            | BirthdayGiftUnavailable => 409,
            PayloadTooLarge => 413,
            UnsupportedMediaType => 415,
            ValidationFailed
            | IdempotencyKeyReused
            | MakeupNotAllowed
            | InviteInvalid
            | CodeInvalid
            | SaleWindowPassed
            | AddressRequired
            | RefundExceedsPaid
            | DeductionOverShare
            | DeductionBelowMinimum
            | RefundExceedsCapture
            | PaymentAmountMismatch
            | CurrentPasswordWrong => 422,
            RateLimited => 429,
            Internal | Unknown => 500,
            Unavailable | CodeSpaceExhausted => 503,
        }
    }

    /// Every code the server sends (all but `Unknown`), in the order of `as_str`: the
    /// OpenAPI document's list and the app's decoding table are built from it.
    pub const SENT: [ErrorCode; 82] = [
        ErrorCode::BadRequest,
        ErrorCode::InvalidJson,
        ErrorCode::ValidationFailed,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::PayloadTooLarge,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::DemoLoginDisabled,
        ErrorCode::TicketInvalid,
        ErrorCode::TicketExpired,
        ErrorCode::TicketReplayed,
        ErrorCode::MemberNotFound,
        ErrorCode::ItemNotFound,
        ErrorCode::OutOfStock,
        ErrorCode::LimitReached,
        ErrorCode::InsufficientPoints,
        ErrorCode::TierLocked,
        ErrorCode::IdempotencyKeyMissing,
        ErrorCode::IdempotencyKeyReused,
        ErrorCode::AlreadyCheckedIn,
        ErrorCode::MakeupNotAllowed,
        ErrorCode::MakeupLimitReached,
        ErrorCode::TaskNotFound,
        ErrorCode::NotCancellable,
        ErrorCode::InvalidTransition,
        ErrorCode::InviteInvalid,
        ErrorCode::AlreadyInvited,
        ErrorCode::InviteTooLate,
        ErrorCode::SignatureInvalid,
        ErrorCode::StaleRequest,
        ErrorCode::SaleNotFound,
        ErrorCode::SaleNotStarted,
        ErrorCode::SaleEnded,
        ErrorCode::SoldOut,
        ErrorCode::SaleOverlap,
        ErrorCode::SaleWindowPassed,
        ErrorCode::CodeInvalid,
        ErrorCode::CodeNotFound,
        ErrorCode::CodeUsed,
        ErrorCode::CodeExpired,
        ErrorCode::CodeVoid,
        ErrorCode::CodeSpaceExhausted,
        ErrorCode::RateLimited,
        ErrorCode::CodeOfOtherMerchant,
        ErrorCode::MemberFrozen,
        ErrorCode::SaleCancelled,
        ErrorCode::SaleStarted,
        ErrorCode::StaffLoginFailed,
        ErrorCode::StockBelowZero,
        ErrorCode::AddressRequired,
        ErrorCode::CauseClosed,
        ErrorCode::OrderNotAwaitingPayment,
        ErrorCode::OrderLapsed,
        ErrorCode::PurchaseIdReused,
        ErrorCode::RefundIdReused,
        ErrorCode::OrderIdReused,
        ErrorCode::PurchaseNotFound,
        ErrorCode::RefundExceedsPaid,
        ErrorCode::DeductionNotFound,
        ErrorCode::DeductionOverShare,
        ErrorCode::DeductionBelowMinimum,
        ErrorCode::DeductionReleased,
        ErrorCode::DeductionCaptured,
        ErrorCode::DeductionNotCaptured,
        ErrorCode::RefundExceedsCapture,
        ErrorCode::PaymentIdReused,
        ErrorCode::PaymentNotFound,
        ErrorCode::PaymentAmountMismatch,
        ErrorCode::TaskOff,
        ErrorCode::CashPaymentUnavailable,
        ErrorCode::UsernameTaken,
        ErrorCode::OwnAccount,
        ErrorCode::CurrentPasswordWrong,
        ErrorCode::SlugTaken,
        ErrorCode::MerchantInactive,
        ErrorCode::EventIdReused,
        ErrorCode::BirthdayLocked,
        ErrorCode::BirthdayGiftUnavailable,
        ErrorCode::Internal,
        ErrorCode::Unavailable,
    ];

    /// Whether the member's app decodes this code. The others (the host's
    /// server-to-server codes, refusals the app's screens prevent or phrase by status) read
    /// as `Unknown` there: not a byte of them in the member's wasm.
    pub const fn decoded_by_app(self) -> bool {
        use ErrorCode::*;
        !matches!(
            self,
            OrderNotAwaitingPayment
                | OrderLapsed
                | PurchaseIdReused
                | RefundIdReused
                | OrderIdReused
                | PurchaseNotFound
                | RefundExceedsPaid
                | DeductionNotFound
                | DeductionOverShare
                | DeductionBelowMinimum
                | DeductionReleased
                | DeductionCaptured
                | DeductionNotCaptured
                | RefundExceedsCapture
                | PaymentIdReused
                | PaymentNotFound
                | PaymentAmountMismatch
                | TaskOff
                | CashPaymentUnavailable
                | UsernameTaken
                | OwnAccount
                | CurrentPasswordWrong
                | SlugTaken
                | MerchantInactive
                | EventIdReused
                | BirthdayLocked
                | BirthdayGiftUnavailable
                | Unknown
        )
    }

    /// The code named `wire`, or `Unknown` for a name this build does not decode (a newer
    /// server's code, or one `decoded_by_app` leaves out).
    pub fn from_wire(wire: &str) -> ErrorCode {
        DECODED.iter().find(|(name, _)| *name == wire).map_or(ErrorCode::Unknown, |&(_, code)| code)
    }

    /// The code as it appears on the wire.
    pub const fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            BadRequest => "bad_request",
            InvalidJson => "invalid_json",
            ValidationFailed => "validation_failed",
            UnsupportedMediaType => "unsupported_media_type",
            PayloadTooLarge => "payload_too_large",
            Unauthorized => "unauthorized",
            Forbidden => "forbidden",
            NotFound => "not_found",
            MethodNotAllowed => "method_not_allowed",
            DemoLoginDisabled => "demo_login_disabled",
            TicketInvalid => "ticket_invalid",
            TicketExpired => "ticket_expired",
            TicketReplayed => "ticket_replayed",
            MemberNotFound => "member_not_found",
            ItemNotFound => "item_not_found",
            OutOfStock => "out_of_stock",
            LimitReached => "limit_reached",
            InsufficientPoints => "insufficient_points",
            TierLocked => "tier_locked",
            IdempotencyKeyMissing => "idempotency_key_missing",
            IdempotencyKeyReused => "idempotency_key_reused",
            AlreadyCheckedIn => "already_checked_in",
            MakeupNotAllowed => "makeup_not_allowed",
            MakeupLimitReached => "makeup_limit_reached",
            TaskNotFound => "task_not_found",
            NotCancellable => "not_cancellable",
            InvalidTransition => "invalid_transition",
            InviteInvalid => "invite_invalid",
            AlreadyInvited => "already_invited",
            InviteTooLate => "invite_too_late",
            SignatureInvalid => "signature_invalid",
            StaleRequest => "stale_request",
            SaleNotFound => "sale_not_found",
            SaleNotStarted => "sale_not_started",
            SaleEnded => "sale_ended",
            SoldOut => "sold_out",
            SaleOverlap => "sale_overlap",
            SaleWindowPassed => "sale_window_passed",
            CodeInvalid => "code_invalid",
            CodeNotFound => "code_not_found",
            CodeUsed => "code_used",
            CodeExpired => "code_expired",
            CodeVoid => "code_void",
            CodeSpaceExhausted => "code_space_exhausted",
            RateLimited => "rate_limited",
            CodeOfOtherMerchant => "code_of_other_merchant",
            MemberFrozen => "member_frozen",
            SaleCancelled => "sale_cancelled",
            SaleStarted => "sale_started",
            StaffLoginFailed => "staff_login_failed",
            StockBelowZero => "stock_below_zero",
            AddressRequired => "address_required",
            CauseClosed => "cause_closed",
            OrderNotAwaitingPayment => "order_not_awaiting_payment",
            OrderLapsed => "order_lapsed",
            PurchaseIdReused => "purchase_id_reused",
            RefundIdReused => "refund_id_reused",
            OrderIdReused => "order_id_reused",
            PurchaseNotFound => "purchase_not_found",
            RefundExceedsPaid => "refund_exceeds_paid",
            DeductionNotFound => "deduction_not_found",
            DeductionOverShare => "deduction_over_share",
            DeductionBelowMinimum => "deduction_below_minimum",
            DeductionReleased => "deduction_released",
            DeductionCaptured => "deduction_captured",
            DeductionNotCaptured => "deduction_not_captured",
            RefundExceedsCapture => "refund_exceeds_capture",
            PaymentIdReused => "payment_id_reused",
            PaymentNotFound => "payment_not_found",
            PaymentAmountMismatch => "payment_amount_mismatch",
            TaskOff => "task_off",
            CashPaymentUnavailable => "cash_payment_unavailable",
            UsernameTaken => "username_taken",
            OwnAccount => "own_account",
            CurrentPasswordWrong => "current_password_wrong",
            SlugTaken => "slug_taken",
            MerchantInactive => "merchant_inactive",
            EventIdReused => "event_id_reused",
            BirthdayLocked => "birthday_locked",
            BirthdayGiftUnavailable => "birthday_gift_unavailable",
            Internal => "internal",
            Unavailable => "unavailable",
            Unknown => "unknown",
        }
    }
}

/// How many codes the member's app decodes (checked when `DECODED` is built).
const DECODED_COUNT: usize = 55;

/// The wire name of every code `decoded_by_app`, built at compile time from `SENT` and
/// `as_str`.
const DECODED: [(&str, ErrorCode); DECODED_COUNT] = {
    let mut table = [("", ErrorCode::Unknown); DECODED_COUNT];
    let (mut i, mut n) = (0, 0);
    while i < ErrorCode::SENT.len() {
        let code = ErrorCode::SENT[i];
        if code.decoded_by_app() {
            table[n] = (code.as_str(), code);
            n += 1;
        }
        i += 1;
    }
    assert!(n == DECODED_COUNT, "DECODED_COUNT is not the number of codes decoded_by_app");
    table
};

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<ErrorCode, D::Error> {
        Ok(ErrorCode::from_wire(&String::deserialize(deserializer)?))
    }
}

/// The inner object of every error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// What went wrong, for programs.
    pub code: ErrorCode,
    /// What went wrong, for people (English; the app shows its own words per code).
    pub message: String,
    /// Facts some refusals carry so the app can phrase them in the member's language.
    #[serde(default, skip_serializing_if = "ErrorDetails::is_empty")]
    pub details: ErrorDetails,
}

/// Facts that come with some refusals: when a sale opens, when and by whom a code was used,
/// when a code expired. Times are RFC 3339 in the shop's zone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetails {
    /// The moment the refusal is about (a sale's opening, a code's use or expiry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// The server's clock when it refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_time: Option<String>,
    /// Who did it (the merchant that used a code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// Why, in the words of the operator who decided it (a frozen member).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The fields a `validation_failed` refusal names, each with its rule (a rules change).
    /// Not in the app's build (wasm32): every refusal is read, cloned and compared in the
    /// main module, so even an undecoded list would cost every first visit; the back
    /// office names a refused field from the same `Rules::validate` before it sends.
    #[cfg(not(target_arch = "wasm32"))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

/// One refused field of a request: its path (`checkin_ladder[2]`, `tiers.thresholds`) and
/// the rule it breaks, in English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's path in the request body.
    pub field: String,
    /// The rule it breaks.
    pub message: String,
}

impl FieldError {
    /// A refusal of `field` with `message`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError { field: field.into(), message: message.into() }
    }
}

impl ErrorDetails {
    /// True when there is nothing to send.
    pub fn is_empty(&self) -> bool {
        let no_fields = {
            #[cfg(not(target_arch = "wasm32"))]
            let none = self.fields.is_empty();
            #[cfg(target_arch = "wasm32")]
            let none = true;
            none
        };
        self.at.is_none() && self.server_time.is_none() && self.by.is_none() && self.reason.is_none() && no_fields
    }
}

/// Every error answer: `{"error":{"code":"…","message":"…"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiErrorBody {
    /// The error.
    pub error: ApiError,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_name_matches_serde() {
        for code in [
            ErrorCode::OutOfStock,
            ErrorCode::IdempotencyKeyReused,
            ErrorCode::Internal,
            ErrorCode::SlugTaken,
            ErrorCode::MerchantInactive,
            ErrorCode::OrderLapsed,
            ErrorCode::OrderNotAwaitingPayment,
            ErrorCode::PaymentAmountMismatch,
        ] {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn every_code_the_server_sends_is_listed_once() {
        // A new code does not compile here until it has its place in `SENT`.
        fn place(code: ErrorCode) -> usize {
            use ErrorCode::*;
            match code {
                BadRequest => 0,
                InvalidJson => 1,
                ValidationFailed => 2,
                UnsupportedMediaType => 3,
                PayloadTooLarge => 4,
                Unauthorized => 5,
                Forbidden => 6,
                NotFound => 7,
                MethodNotAllowed => 8,
                DemoLoginDisabled => 9,
                TicketInvalid => 10,
                TicketExpired => 11,
                TicketReplayed => 12,
                MemberNotFound => 13,
                ItemNotFound => 14,
                OutOfStock => 15,
                LimitReached => 16,
                InsufficientPoints => 17,
                TierLocked => 18,
                IdempotencyKeyMissing => 19,
                IdempotencyKeyReused => 20,
                AlreadyCheckedIn => 21,
                MakeupNotAllowed => 22,
                MakeupLimitReached => 23,
                TaskNotFound => 24,
                NotCancellable => 25,
                InvalidTransition => 26,
                InviteInvalid => 27,
                AlreadyInvited => 28,
                InviteTooLate => 29,
                SignatureInvalid => 30,
                StaleRequest => 31,
                SaleNotFound => 32,
                SaleNotStarted => 33,
                SaleEnded => 34,
                SoldOut => 35,
                SaleOverlap => 36,
                SaleWindowPassed => 37,
                CodeInvalid => 38,
                CodeNotFound => 39,
                CodeUsed => 40,
                CodeExpired => 41,
                CodeVoid => 42,
                CodeSpaceExhausted => 43,
                RateLimited => 44,
                CodeOfOtherMerchant => 45,
                MemberFrozen => 46,
                SaleCancelled => 47,
                SaleStarted => 48,
                StaffLoginFailed => 49,
                StockBelowZero => 50,
                AddressRequired => 51,
                CauseClosed => 52,
                OrderNotAwaitingPayment => 53,
                OrderLapsed => 54,
                PurchaseIdReused => 55,
                RefundIdReused => 56,
                OrderIdReused => 57,
                PurchaseNotFound => 58,
                RefundExceedsPaid => 59,
                DeductionNotFound => 60,
                DeductionOverShare => 61,
                DeductionBelowMinimum => 62,
                DeductionReleased => 63,
                DeductionCaptured => 64,
                DeductionNotCaptured => 65,
                RefundExceedsCapture => 66,
                PaymentIdReused => 67,
                PaymentNotFound => 68,
                PaymentAmountMismatch => 69,
                TaskOff => 70,
                CashPaymentUnavailable => 71,
                UsernameTaken => 72,
                OwnAccount => 73,
                CurrentPasswordWrong => 74,
                SlugTaken => 75,
                MerchantInactive => 76,
                EventIdReused => 77,
                BirthdayLocked => 78,
                BirthdayGiftUnavailable => 79,
                Internal => 80,
                Unavailable => 81,
                Unknown => usize::MAX,
            }
        }
        for (i, code) in ErrorCode::SENT.iter().enumerate() {
            assert_eq!(place(*code), i, "{}", code.as_str());
            assert_eq!(serde_json::to_string(code).unwrap(), format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn an_unknown_code_reads_as_unknown() {
        let body: ApiErrorBody = serde_json::from_str(r#"{"error":{"code":"from_a_newer_server","message":"m"}}"#).unwrap();
        assert_eq!(body.error.code, ErrorCode::Unknown);
        // The codes the app does not decode read as `Unknown` too.
        let code: ErrorCode = serde_json::from_str("\"task_off\"").unwrap();
        assert_eq!(code, ErrorCode::Unknown);
        assert_eq!(serde_json::from_str::<ErrorCode>("\"out_of_stock\"").unwrap(), ErrorCode::OutOfStock);
        // Every code reads back as itself when the app decodes it, as `Unknown` otherwise.
        for code in ErrorCode::SENT {
            let read: ErrorCode = serde_json::from_str(&serde_json::to_string(&code).unwrap()).unwrap();
            assert_eq!(read, if code.decoded_by_app() { code } else { ErrorCode::Unknown }, "{}", code.as_str());
        }
        assert!(serde_json::from_str::<ErrorCode>("17").is_err(), "a code is a string");
        // Never on the wire.
        assert!(serde_json::to_string(&ErrorCode::Unknown).is_err());
        assert_eq!((ErrorCode::Unknown.as_str(), ErrorCode::Unknown.status()), ("unknown", 500));
    }

    #[test]
    fn conflicts_are_409_and_bad_input_is_4xx() {
        assert_eq!(ErrorCode::InsufficientPoints.status(), 409);
        assert_eq!(ErrorCode::OutOfStock.status(), 409);
        assert_eq!(ErrorCode::InvalidJson.status(), 400);
        assert_eq!(ErrorCode::PayloadTooLarge.status(), 413);
        assert_eq!(ErrorCode::Unauthorized.status(), 401);
    }
}
