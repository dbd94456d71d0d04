//! The API's one error type: every refusal becomes `{"error":{"code","message"}}`
//! with the status its code implies. Every domain error (and the database's) is mapped
//! to it here, in one place: handlers only convert them (`?`, `AppError::from`).
//! Internal errors are logged once, here, with their causes, and reach the client only
//! as `internal`.

use std::borrow::Cow;

use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use mall_core::{earning::CapReason, ApiError, ApiErrorBody, ErrorCode, ErrorDetails};

use crate::domain::{
    addresses::AddressError, campaigns::CampaignError, catalog::CatalogError, checkins::CheckinError, codes::VoidError,
    deductions::DeductionError, donations::DonationError, earning::EarningError, idempotency::IdempotencyError, ledger::LedgerError,
    lottery::LotteryError, members::MemberError, merchants::MerchantError, offers::OfferError, orders::OrderError, profile::ProfileError,
    rules::RulesError, sales::SaleError, staff::StaffError, tasks::ClaimError,
};

/// A refused request.
#[derive(Debug)]
pub struct AppError {
    /// The code the client sees.
    pub code: ErrorCode,
    /// The message the client sees.
    pub message: Cow<'static, str>,
    /// Seconds for a `Retry-After` header (rate limiting).
    pub retry_after: Option<u64>,
    /// Facts the app phrases in the member's language (boxed: most refusals have none).
    pub details: Option<Box<ErrorDetails>>,
}

/// Handlers return this.
pub type AppResult<T, E = AppError> = Result<T, E>;

impl AppError {
    /// A refusal with a code and a message for the client.
    pub fn new(code: ErrorCode, message: impl Into<Cow<'static, str>>) -> Self {
        AppError { code, message: message.into(), retry_after: None, details: None }
    }

    /// The same refusal with facts attached.
    pub fn with_details(mut self, details: ErrorDetails) -> Self {
        self.details = Some(Box::new(details));
        self
    }

    /// 401: no valid session.
    pub fn unauthorized() -> Self {
        Self::new(ErrorCode::Unauthorized, "log in first")
    }

    /// 404 for an unknown path or id.
    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorCode::NotFound, format!("{what} not found"))
    }

    /// 429 with `Retry-After`.
    pub fn rate_limited(retry_after_secs: u64) -> Self {
        AppError { retry_after: Some(retry_after_secs.max(1)), ..Self::new(ErrorCode::RateLimited, "too many attempts; wait a moment") }
    }

    /// A server-side failure: logs the cause, answers `internal` without details.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(ErrorCode::Internal, "something went wrong on our side; please try again")
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => {
                tracing::error!(error = %e, "database unavailable");
                AppError::new(ErrorCode::Unavailable, "the service is busy; please try again")
            }
            e if crate::db::is_unreachable(&e) => {
                // A restart or a network fault: the pool reconnects on its own.
                tracing::error!(error = %chain(&e), "database unreachable");
                AppError {
                    retry_after: Some(1),
                    ..AppError::new(ErrorCode::Unavailable, "the database cannot be reached; please try again")
                }
            }
            e if crate::db::is_conflict(&e) => {
                // `db::transaction` already ran the work again several times.
                tracing::warn!(error = %e, "write conflict persisted");
                AppError { retry_after: Some(1), ..AppError::new(ErrorCode::Unavailable, "the service is busy; please try again") }
            }
            other => AppError::internal(chain(&other)),
        }
    }
}

/// The domain's errors become HTTP answers here, and only here. Internal causes are
/// logged with their whole chain (`source()`s) and never reach the client.
impl From<LedgerError> for AppError {
    fn from(e: LedgerError) -> Self {
        match e {
            LedgerError::Insufficient { .. } => AppError::new(ErrorCode::InsufficientPoints, e.to_string()),
            LedgerError::Db(db) => db.into(),
            LedgerError::OutOfBalance { .. } => AppError::internal(chain(&e)),
        }
    }
}

impl From<RulesError> for AppError {
    fn from(e: RulesError) -> Self {
        match e {
            RulesError::Invalid(ref fields) => AppError::new(ErrorCode::ValidationFailed, e.to_string())
                .with_details(ErrorDetails { fields: fields.clone(), ..Default::default() }),
            RulesError::Busy => AppError::new(ErrorCode::Unavailable, e.to_string()),
            RulesError::Db(db) => db.into(),
            RulesError::Stored(..) => AppError::internal(chain(&e)),
        }
    }
}

impl From<crate::domain::tasks::EventError> for AppError {
    fn from(e: crate::domain::tasks::EventError) -> Self {
        use crate::domain::tasks::EventError;
        match e {
            EventError::Member(e) => e.into(),
            EventError::Ledger(e) => e.into(),
            EventError::Db(e) => e.into(),
        }
    }
}

impl From<ProfileError> for AppError {
    fn from(e: ProfileError) -> Self {
        match e {
            ProfileError::Invalid(ref fields) => AppError::new(ErrorCode::ValidationFailed, e.to_string())
                .with_details(ErrorDetails { fields: fields.clone(), ..Default::default() }),
            ProfileError::BirthdayLocked => AppError::new(ErrorCode::BirthdayLocked, e.to_string()),
            ProfileError::GiftUnavailable(why) => AppError::new(ErrorCode::BirthdayGiftUnavailable, why),
            ProfileError::Member(e) => e.into(),
            ProfileError::Ledger(e) => e.into(),
            ProfileError::Db(e) => e.into(),
        }
    }
}

impl From<CampaignError> for AppError {
    fn from(e: CampaignError) -> Self {
        match e {
            CampaignError::Invalid(ref fields) => AppError::new(ErrorCode::ValidationFailed, e.to_string())
                .with_details(ErrorDetails { fields: fields.clone(), ..Default::default() }),
            CampaignError::NotFound(_) => AppError::new(ErrorCode::NotFound, e.to_string()),
            CampaignError::Ended(_) => AppError::new(ErrorCode::InvalidTransition, e.to_string()),
            CampaignError::Member(e) => e.into(),
            CampaignError::Ledger(e) => e.into(),
            CampaignError::Db(e) => e.into(),
        }
    }
}

impl From<MemberError> for AppError {
    fn from(e: MemberError) -> Self {
        match e {
            MemberError::NotFound(_) => AppError::new(ErrorCode::MemberNotFound, e.to_string()),
            MemberError::Frozen(ref reason) => AppError::new(ErrorCode::MemberFrozen, e.to_string())
                .with_details(ErrorDetails { reason: Some(reason.clone()), ..Default::default() }),
            MemberError::Db(db) => db.into(),
        }
    }
}

impl From<IdempotencyError> for AppError {
    fn from(e: IdempotencyError) -> Self {
        match e {
            IdempotencyError::Missing => AppError::new(ErrorCode::IdempotencyKeyMissing, e.to_string()),
            IdempotencyError::Malformed => AppError::new(ErrorCode::BadRequest, e.to_string()),
            IdempotencyError::Reused => AppError::new(ErrorCode::IdempotencyKeyReused, e.to_string()),
            IdempotencyError::Db(db) => db.into(),
            // A race its retry lost: `idempotency::run` replays the winner's answer instead;
            // only if that answer is gone by then (pruned) does the client see this.
            IdempotencyError::Taken => AppError {
                retry_after: Some(1),
                ..AppError::new(ErrorCode::Unavailable, "this request is being answered; please try again")
            },
            IdempotencyError::NoAnswer | IdempotencyError::Answer(_) => AppError::internal(chain(&e)),
        }
    }
}

impl From<OrderError> for AppError {
    fn from(e: OrderError) -> Self {
        let code = match e {
            OrderError::ItemNotFound(_) => ErrorCode::ItemNotFound,
            OrderError::TierLocked(_) => ErrorCode::TierLocked,
            OrderError::OutOfStock => ErrorCode::OutOfStock,
            OrderError::LimitReached(_) => ErrorCode::LimitReached,
            OrderError::NotFound => ErrorCode::NotFound,
            OrderError::NotCancellable(_) | OrderError::Prize => ErrorCode::NotCancellable,
            OrderError::CodeSpaceExhausted => ErrorCode::CodeSpaceExhausted,
            OrderError::NotAStep | OrderError::WrongStatus { .. } => ErrorCode::InvalidTransition,
            OrderError::AddressNotFound(_) | OrderError::Invalid(_) => ErrorCode::ValidationFailed,
            OrderError::AddressRequired | OrderError::NoShipTo => ErrorCode::AddressRequired,
            OrderError::CashUnavailable => ErrorCode::CashPaymentUnavailable,
            OrderError::NotAwaitingPayment(_) => ErrorCode::OrderNotAwaitingPayment,
            OrderError::Lapsed => ErrorCode::OrderLapsed,
            OrderError::PaymentNotFound(_) => ErrorCode::PaymentNotFound,
            OrderError::AmountMismatch(_) => ErrorCode::PaymentAmountMismatch,
            OrderError::MerchantInactive => ErrorCode::MerchantInactive,
            OrderError::PriceOverflow => return AppError::internal(chain(&e)),
            OrderError::Ledger(e) => return e.into(),
            OrderError::Member(e) => return e.into(),
            OrderError::Db(e) => return e.into(),
        };
        AppError::new(code, e.to_string())
    }
}

impl From<SaleError> for AppError {
    fn from(e: SaleError) -> Self {
        let details = match &e {
            SaleError::NotStarted { at, now } => {
                Some(ErrorDetails { at: Some(at.clone()), server_time: Some(now.clone()), ..Default::default() })
            }
            SaleError::CodeUsed { at, by } => Some(ErrorDetails { at: Some(at.clone()), by: Some(by.clone()), ..Default::default() }),
            SaleError::CodeExpired(at) => Some(ErrorDetails { at: Some(at.clone()), ..Default::default() }),
            _ => None,
        };
        let code = match e {
            SaleError::NotFound(_) => ErrorCode::SaleNotFound,
            SaleError::NotStarted { .. } => ErrorCode::SaleNotStarted,
            SaleError::Ended => ErrorCode::SaleEnded,
            SaleError::SoldOut => ErrorCode::SoldOut,
            SaleError::LimitReached(_) => ErrorCode::LimitReached,
            SaleError::CodeSpaceExhausted => ErrorCode::CodeSpaceExhausted,
            SaleError::Invalid(_) | SaleError::NoSuchTime(_) | SaleError::Image => ErrorCode::ValidationFailed,
            SaleError::Overlap => ErrorCode::SaleOverlap,
            SaleError::WindowPassed => ErrorCode::SaleWindowPassed,
            SaleError::CodeInvalid(_) => ErrorCode::CodeInvalid,
            SaleError::CodeNotFound => ErrorCode::CodeNotFound,
            SaleError::CodeUsed { .. } => ErrorCode::CodeUsed,
            SaleError::CodeVoid => ErrorCode::CodeVoid,
            SaleError::CodeExpired(_) | SaleError::CodeNotYetValid => ErrorCode::CodeExpired,
            SaleError::Cancelled => ErrorCode::SaleCancelled,
            SaleError::Started => ErrorCode::SaleStarted,
            SaleError::OtherMerchant => ErrorCode::CodeOfOtherMerchant,
            SaleError::UnknownMerchant(_) => ErrorCode::ValidationFailed,
            SaleError::MerchantInactive(_) => ErrorCode::MerchantInactive,
            SaleError::Ledger(e) => return e.into(),
            SaleError::Member(e) => return e.into(),
            SaleError::Db(e) => return e.into(),
        };
        let refusal = AppError::new(code, e.to_string());
        match details {
            Some(d) => refusal.with_details(d),
            None => refusal,
        }
    }
}

impl From<CheckinError> for AppError {
    fn from(e: CheckinError) -> Self {
        let code = match e {
            CheckinError::AlreadyCheckedIn => ErrorCode::AlreadyCheckedIn,
            CheckinError::MakeupNotAllowed => ErrorCode::MakeupNotAllowed,
            CheckinError::MakeupLimitReached(_) => ErrorCode::MakeupLimitReached,
            CheckinError::Ledger(e) => return e.into(),
            CheckinError::Member(e) => return e.into(),
            CheckinError::Campaign(e) => return e.into(),
            CheckinError::Db(e) => return e.into(),
        };
        AppError::new(code, e.to_string())
    }
}

impl From<EarningError> for AppError {
    fn from(e: EarningError) -> Self {
        let code = match e {
            EarningError::Invalid(_) => ErrorCode::ValidationFailed,
            EarningError::Replayed => ErrorCode::PurchaseIdReused,
            EarningError::RefundReplayed => ErrorCode::RefundIdReused,
            EarningError::PurchaseNotFound(_) => ErrorCode::PurchaseNotFound,
            EarningError::RefundExceedsPaid { .. } => ErrorCode::RefundExceedsPaid,
            EarningError::Ledger(e) => return e.into(),
            EarningError::InviteInvalid => ErrorCode::InviteInvalid,
            EarningError::AlreadyInvited => ErrorCode::AlreadyInvited,
            EarningError::InviteTooLate => ErrorCode::InviteTooLate,
            EarningError::Member(e) => return e.into(),
            EarningError::Campaign(e) => return e.into(),
            EarningError::Db(e) => return e.into(),
        };
        AppError::new(code, e.to_string())
    }
}

/// An error and its causes, `: `-separated, for the log.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = ApiErrorBody {
            error: ApiError { code: self.code, message: self.message.into_owned(), details: self.details.map(|d| *d).unwrap_or_default() },
        };
        let mut res = (status, Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        res
    }
}

impl From<CatalogError> for AppError {
    fn from(e: CatalogError) -> Self {
        let code = match e {
            CatalogError::Invalid(_)
            | CatalogError::Category(_)
            | CatalogError::UnknownCategory(_)
            | CatalogError::UnknownMerchant(_)
            | CatalogError::UnknownImage(_)
            | CatalogError::BadChange => ErrorCode::ValidationFailed,
            CatalogError::NotFound(_) => ErrorCode::ItemNotFound,
            CatalogError::CategoryNotFound(_) => ErrorCode::NotFound,
            CatalogError::SlugTaken(_) => ErrorCode::SlugTaken,
            CatalogError::MerchantInactive(_) => ErrorCode::MerchantInactive,
            CatalogError::BelowZero(_) => ErrorCode::StockBelowZero,
            CatalogError::ImageType => ErrorCode::UnsupportedMediaType,
            CatalogError::ImageTooLarge => ErrorCode::PayloadTooLarge,
            CatalogError::Specs(_) => return AppError::internal(chain(&e)),
            CatalogError::Db(db) => return db.into(),
        };
        AppError::new(code, e.to_string())
    }
}

impl From<AddressError> for AppError {
    fn from(e: AddressError) -> Self {
        let code = match e {
            AddressError::Invalid(_) => ErrorCode::ValidationFailed,
            AddressError::Full => ErrorCode::LimitReached,
            AddressError::NotFound => ErrorCode::NotFound,
            AddressError::Db(db) => return db.into(),
        };
        AppError::new(code, e.to_string())
    }
}

impl From<DeductionError> for AppError {
    fn from(e: DeductionError) -> Self {
        let code = match e {
            DeductionError::Invalid(_) => ErrorCode::ValidationFailed,
            DeductionError::BelowMinimum(_) => ErrorCode::DeductionBelowMinimum,
            DeductionError::OverShare(_) => ErrorCode::DeductionOverShare,
            DeductionError::NotFound(_) => ErrorCode::DeductionNotFound,
            DeductionError::Released => ErrorCode::DeductionReleased,
            DeductionError::Captured => ErrorCode::DeductionCaptured,
            DeductionError::NotCaptured => ErrorCode::DeductionNotCaptured,
            DeductionError::RefundExceedsCapture(_) => ErrorCode::RefundExceedsCapture,
            DeductionError::Member(e) => return e.into(),
            DeductionError::Ledger(e) => return e.into(),
            DeductionError::Db(e) => return e.into(),
        };
        AppError::new(code, e.to_string())
    }
}

impl From<DonationError> for AppError {
    fn from(e: DonationError) -> Self {
        let code = match e {
            DonationError::Invalid(_) => ErrorCode::ValidationFailed,
            DonationError::NotFound(_) => ErrorCode::NotFound,
            DonationError::Closed => ErrorCode::CauseClosed,
            DonationError::Member(e) => return e.into(),
            DonationError::Ledger(e) => return e.into(),
            DonationError::Db(e) => return e.into(),
        };
        AppError::new(code, e.to_string())
    }
}

impl From<LotteryError> for AppError {
    fn from(e: LotteryError) -> Self {
        let code = match e {
            LotteryError::Invalid(_) => ErrorCode::ValidationFailed,
            LotteryError::NotFound(_) => ErrorCode::NotFound,
            LotteryError::LimitReached(_) => ErrorCode::LimitReached,
            LotteryError::AddressRequired => ErrorCode::AddressRequired,
            LotteryError::Member(e) => return e.into(),
            LotteryError::Ledger(e) => return e.into(),
            LotteryError::Order(e) => return e.into(),
            LotteryError::Db(e) => return e.into(),
        };
        AppError::new(code, e.to_string())
    }
}

impl From<OfferError> for AppError {
    fn from(e: OfferError) -> Self {
        let code = match e {
            OfferError::Invalid(_) => ErrorCode::ValidationFailed,
            OfferError::NotAnAccount => ErrorCode::Forbidden,
            OfferError::NotFound(_) => ErrorCode::NotFound,
            OfferError::Decided(_) => ErrorCode::InvalidTransition,
            OfferError::Sale(e) => return e.into(),
            OfferError::Db(e) => return e.into(),
        };
        AppError::new(code, e.to_string())
    }
}

impl From<MerchantError> for AppError {
    fn from(e: MerchantError) -> Self {
        let code = match e {
            MerchantError::Invalid(_) | MerchantError::UnknownImage(_) => ErrorCode::ValidationFailed,
            MerchantError::SlugTaken(_) => ErrorCode::SlugTaken,
            MerchantError::NotFound(_) => ErrorCode::NotFound,
            MerchantError::Db(e) => return e.into(),
        };
        AppError::new(code, e.to_string())
    }
}

impl From<VoidError> for AppError {
    fn from(e: VoidError) -> Self {
        if let VoidError::Used { at, by } = &e {
            let details = ErrorDetails { at: Some(at.clone()), by: Some(by.clone()), ..Default::default() };
            return AppError::new(ErrorCode::CodeUsed, e.to_string()).with_details(details);
        }
        let code = match e {
            VoidError::CodeInvalid(_) => ErrorCode::CodeInvalid,
            VoidError::Reason(_) => ErrorCode::ValidationFailed,
            VoidError::NotFound => ErrorCode::CodeNotFound,
            VoidError::Used { .. } => ErrorCode::CodeUsed,
            VoidError::Void => ErrorCode::CodeVoid,
            VoidError::Ledger(e) => return e.into(),
            VoidError::Db(e) => return e.into(),
        };
        AppError::new(code, e.to_string())
    }
}

impl From<StaffError> for AppError {
    fn from(e: StaffError) -> Self {
        match e {
            StaffError::LoginFailed => AppError::new(ErrorCode::StaffLoginFailed, e.to_string()),
            StaffError::TooManyAttempts(secs) => {
                AppError { message: e.to_string().into(), ..AppError::rate_limited(u64::try_from(secs).unwrap_or(1)) }
            }
            StaffError::Busy => AppError { message: e.to_string().into(), ..AppError::rate_limited(1) },
            StaffError::Invalid(_) | StaffError::NoMerchant => AppError::new(ErrorCode::ValidationFailed, e.to_string()),
            StaffError::Taken(_) => AppError::new(ErrorCode::UsernameTaken, e.to_string()),
            StaffError::NotFound => AppError::new(ErrorCode::NotFound, e.to_string()),
            StaffError::OwnAccount => AppError::new(ErrorCode::OwnAccount, e.to_string()),
            StaffError::WrongPassword => AppError::new(ErrorCode::CurrentPasswordWrong, e.to_string()),
            StaffError::Db(db) => db.into(),
            StaffError::Hash(_) => AppError::internal(e),
        }
    }
}

/// How a task claim ends short of an award: a cap, which the handler answers as a
/// success (`awarded: 0` with the reason), or a refusal.
pub enum ClaimRefusal {
    /// The cap that refused the claim.
    Capped(CapReason),
    /// Any other end, as its answer.
    App(AppError),
}

impl From<ClaimError> for ClaimRefusal {
    fn from(e: ClaimError) -> Self {
        match e {
            ClaimError::Capped(reason) => ClaimRefusal::Capped(reason),
            ClaimError::Ledger(e) => ClaimRefusal::App(e.into()),
            ClaimError::Db(e) => ClaimRefusal::App(e.into()),
        }
    }
}

impl From<sqlx::Error> for ClaimRefusal {
    fn from(e: sqlx::Error) -> Self {
        ClaimRefusal::App(e.into())
    }
}

impl From<IdempotencyError> for ClaimRefusal {
    fn from(e: IdempotencyError) -> Self {
        ClaimRefusal::App(e.into())
    }
}

impl From<AppError> for ClaimRefusal {
    fn from(e: AppError) -> Self {
        ClaimRefusal::App(e)
    }
}
