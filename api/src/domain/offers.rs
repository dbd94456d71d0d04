//! Partner merchants' free offers (advertising): a merchant account proposes one (what, how
//! many, a window of at most a week); an operator approves it into a flash sale of that
//! merchant at a points price, or declines it. Each step is audited, and an offer is
//! decided once: the decision is a conditional update in the same transaction as the sale
//! it creates.

use chrono::DateTime;
use chrono_tz::Tz;
use mall_core::{
    dto::I18nText,
    sales::{NewSale, SaleTerms},
    staff::{MerchantOffer, MerchantOffers, MerchantRef, NewOffer, OfferApproval, OfferStatus, ProposalError},
};

use super::{
    audit,
    ledger::At,
    sales::{self, SaleError, Verifier},
    staff::Actor,
};
use crate::{
    clock,
    db::{self, offers::OfferRow, Access, Tx},
};

/// The most offers a list shows.
const LISTED: i64 = 200;

/// A refused or failed offer step.
#[derive(Debug, thiserror::Error)]
pub enum OfferError {
    /// The proposal breaks a rule.
    #[error("{}", .0.message())]
    Invalid(ProposalError),
    /// Only a merchant account (a person, bound to its merchant) proposes offers.
    #[error("proposing an offer needs a merchant account")]
    NotAnAccount,
    /// No offer with this id.
    #[error("no offer with id {0}")]
    NotFound(i64),
    /// The offer was already approved or declined.
    #[error("this offer is {} already", .0.as_str())]
    Decided(OfferStatus),
    /// Scheduling its sale was refused.
    #[error(transparent)]
    Sale(#[from] SaleError),
    /// The database failed.
    #[error("offer database error")]
    Db(#[from] sqlx::Error),
}

/// An offer as the API shows it.
fn offer(zone: Tz, row: OfferRow) -> MerchantOffer {
    MerchantOffer {
        id: row.id,
        merchant: MerchantRef { id: row.merchant_id, name: I18nText { zh: row.merchant_zh, en: row.merchant_en } },
        offer: I18nText { zh: row.offer_zh, en: row.offer_en },
        quantity: row.quantity,
        starts_at: clock::rfc3339(zone, row.starts_at),
        ends_at: clock::rfc3339(zone, row.ends_at),
        status: row.status,
        sale_id: row.sale_id,
        proposed_by: row.proposed_by,
        created_at: clock::rfc3339(zone, row.created_at),
        decided_at: row.decided_at.map(|t| clock::rfc3339(zone, t)),
    }
}

/// Unix seconds of an RFC 3339 time with an offset.
fn instant(text: &str) -> Result<i64, OfferError> {
    DateTime::parse_from_rfc3339(text.trim()).map(|t| t.timestamp()).map_err(|_| OfferError::Invalid(ProposalError::Time))
}

/// The merchant account proposes a free offer for its merchant (audited).
pub async fn propose(tx: &mut Tx, merchant: &Verifier, new: &NewOffer, at: At) -> Result<MerchantOffer, OfferError> {
    let (Some(staff_id), Some(merchant_id)) = (merchant.actor.staff_id(), merchant.merchant_id) else {
        return Err(OfferError::NotAnAccount);
    };
    let (starts_at, ends_at) = (instant(&new.starts_at)?, instant(&new.ends_at)?);
    new.check(starts_at, ends_at, at.secs).map_err(OfferError::Invalid)?;
    let row = db::offers::NewOffer {
        merchant_id,
        proposed_by: staff_id,
        offer_zh: new.offer_zh.trim(),
        offer_en: new.offer_en.trim(),
        quantity: new.quantity,
        starts_at,
        ends_at,
    };
    let id = db::offers::insert(tx, &row, at.secs).await?;
    let proposed = current(tx, at.zone, id).await?;
    let act = audit::Act { actor: &merchant.actor, action: "offer.propose", target_kind: "offer", at: at.secs };
    audit::record(tx, act, &id.to_string(), None::<&()>, Some(&proposed)).await?;
    Ok(proposed)
}

/// The offer as it is now, or `NotFound`.
async fn current(conn: &mut impl Access, zone: Tz, id: i64) -> Result<MerchantOffer, OfferError> {
    Ok(offer(zone, db::offers::one(conn, id).await?.ok_or(OfferError::NotFound(id))?))
}

/// Why an offer could not be decided: unknown, or decided already.
async fn refusal(tx: &mut Tx, id: i64) -> OfferError {
    match db::offers::one(tx, id).await {
        Ok(Some(row)) => OfferError::Decided(row.status),
        Ok(None) => OfferError::NotFound(id),
        Err(e) => e.into(),
    }
}

/// The merchant's offers, newest first (at most 200).
pub async fn of_merchant(conn: &mut impl Access, zone: Tz, merchant_id: i64) -> Result<MerchantOffers, sqlx::Error> {
    let rows = db::offers::of_merchant(conn, merchant_id, LISTED).await?;
    Ok(MerchantOffers { offers: rows.into_iter().map(|r| offer(zone, r)).collect() })
}

/// Every merchant's offers of `status` (or all), newest first (at most 200).
pub async fn listed(conn: &mut impl Access, zone: Tz, status: Option<OfferStatus>) -> Result<MerchantOffers, sqlx::Error> {
    let rows = db::offers::listed(conn, status, LISTED).await?;
    Ok(MerchantOffers { offers: rows.into_iter().map(|r| offer(zone, r)).collect() })
}

/// Approves a proposed offer into a flash sale of its merchant (the offer's name and
/// window, the merchant's names and logo, the operator's price and per-member limit, the
/// default code validity), scheduled as `POST /api/admin/sales` schedules one; the sale and
/// the decision are one transaction, and both are audited.
pub async fn approve(tx: &mut Tx, actor: &Actor, at: At, id: i64, approval: &OfferApproval) -> Result<MerchantOffer, OfferError> {
    // Claim it first: a second approval (another operator, another replica) waits for this
    // transaction and then finds it decided, so it never schedules a second sale.
    if !db::offers::claim(tx, id).await? {
        return Err(refusal(tx, id).await);
    }
    let row = db::offers::one(tx, id).await?.ok_or(OfferError::NotFound(id))?;
    let merchant = db::merchants::one(tx, row.merchant_id).await?.ok_or(SaleError::UnknownMerchant(row.merchant_id))?;
    let before = offer(at.zone, row.clone());
    let sale = NewSale {
        terms: SaleTerms {
            offer_key: format!("offer-{id}"),
            offer: I18nText { zh: row.offer_zh, en: row.offer_en },
            merchant_id: merchant.id,
            image: merchant.logo,
            points: approval.points,
            quantity: row.quantity,
            per_member_limit: approval.per_member_limit,
            code_valid_days: None,
        },
        starts_at: row.starts_at,
        ends_at: row.ends_at,
    };
    let sale_id = sales::schedule(tx, actor, std::slice::from_ref(&sale), at.secs).await?[0];
    if !db::offers::decide(tx, id, Some(sale_id), at.secs).await? {
        return Err(refusal(tx, id).await);
    }
    let after = current(tx, at.zone, id).await?;
    let act = audit::Act { actor, action: "offer.approve", target_kind: "offer", at: at.secs };
    audit::record(tx, act, &id.to_string(), Some(&before), Some(&after)).await?;
    Ok(after)
}

/// Declines a proposed offer (audited).
pub async fn decline(tx: &mut Tx, actor: &Actor, at: At, id: i64) -> Result<MerchantOffer, OfferError> {
    let before = current(tx, at.zone, id).await?;
    if !db::offers::decide(tx, id, None, at.secs).await? {
        return Err(refusal(tx, id).await);
    }
    let after = current(tx, at.zone, id).await?;
    let act = audit::Act { actor, action: "offer.decline", target_kind: "offer", at: at.secs };
    audit::record(tx, act, &id.to_string(), Some(&before), Some(&after)).await?;
    Ok(after)
}
