//! Partner merchants as operators run them: create, change (names, logo, address, the
//! settlement values of the codes issued from then on), deactivate and reactivate. Every
//! write is audited. A merchant is never deleted: its codes, sales and statements keep it.

use mall_core::{
    cash::Cash,
    dto::I18nText,
    staff::{self, Merchant, MerchantPatch, NewMerchant},
};

use super::{audit, staff::Actor};
use crate::db::{self, merchants::MerchantRow, Access, Tx};

/// A refused or failed merchant step.
#[derive(Debug, thiserror::Error)]
pub enum MerchantError {
    /// A field breaks the merchant rules.
    #[error("{}", .0.message())]
    Invalid(staff::MerchantError),
    /// A `/media/…` logo that was never uploaded.
    #[error("no uploaded image {0}")]
    UnknownImage(String),
    /// The slug is taken by another merchant.
    #[error("the slug {0} is taken")]
    SlugTaken(String),
    /// No merchant with this id.
    #[error("no merchant with id {0}")]
    NotFound(i64),
    /// The database failed.
    #[error("merchant database error")]
    Db(#[from] sqlx::Error),
}

/// A merchant as the back office sees it.
pub fn merchant(m: MerchantRow) -> Merchant {
    Merchant {
        id: m.id,
        slug: m.slug,
        name: I18nText { zh: m.name_zh, en: m.name_en },
        logo: m.logo,
        address: I18nText { zh: m.address_zh, en: m.address_en },
        settlement: Cash::from_fen(m.settlement_fen),
        offer_settlement: Cash::from_fen(m.offer_settlement_fen),
        active: m.deactivated_at.is_none(),
    }
}

/// Every merchant, inactive ones too, by id.
pub async fn list(conn: &mut impl Access) -> Result<Vec<Merchant>, sqlx::Error> {
    Ok(db::merchants::all(conn).await?.into_iter().map(merchant).collect())
}

/// Refuses a `/media/…` logo that was never uploaded.
async fn check_logo(tx: &mut Tx, logo: &str) -> Result<(), MerchantError> {
    if let Some(name) = logo.strip_prefix("/media/") {
        if !db::images::exists(tx, name).await? {
            return Err(MerchantError::UnknownImage(logo.to_string()));
        }
    }
    Ok(())
}

/// Creates a merchant (active), audited. A slug taken is refused by the database's unique
/// key.
pub async fn create(tx: &mut Tx, actor: &Actor, new: &NewMerchant, now: i64) -> Result<Merchant, MerchantError> {
    staff::check_merchant(new).map_err(MerchantError::Invalid)?;
    check_logo(tx, &new.logo).await?;
    let row = MerchantRow {
        id: 0,
        slug: new.slug.clone(),
        name_zh: new.name.zh.trim().into(),
        name_en: new.name.en.trim().into(),
        logo: new.logo.clone(),
        address_zh: new.address.zh.trim().into(),
        address_en: new.address.en.trim().into(),
        settlement_fen: new.settlement.fen(),
        offer_settlement_fen: new.offer_settlement.map_or(0, Cash::fen),
        deactivated_at: None,
    };
    let id = db::merchants::insert(tx, &row, now).await?.ok_or_else(|| MerchantError::SlugTaken(new.slug.clone()))?;
    let made = merchant(MerchantRow { id, ..row });
    let act = audit::Act { actor, action: "merchant.create", target_kind: "merchant", at: now };
    audit::record(tx, act, &id.to_string(), None::<&()>, Some(&made)).await?;
    Ok(made)
}

/// Changes a merchant, audited. New settlement values apply to the codes issued from now
/// on (each code keeps the value it was issued with). Deactivating it stops new sales,
/// vouchers and approved offers naming it and takes its sales and vouchers out of members'
/// lists; its accounts still verify the codes already issued and read their statements.
pub async fn patch(tx: &mut Tx, actor: &Actor, id: i64, p: &MerchantPatch, now: i64) -> Result<Merchant, MerchantError> {
    p.check().map_err(MerchantError::Invalid)?;
    let mut row = db::merchants::one(tx, id).await?.ok_or(MerchantError::NotFound(id))?;
    let before = merchant(row.clone());
    if let Some(name) = &p.name {
        (row.name_zh, row.name_en) = (name.zh.trim().into(), name.en.trim().into());
    }
    if let Some(logo) = &p.logo {
        check_logo(tx, logo).await?;
        row.logo = logo.clone();
    }
    if let Some(address) = &p.address {
        (row.address_zh, row.address_en) = (address.zh.trim().into(), address.en.trim().into());
    }
    if let Some(value) = p.settlement {
        row.settlement_fen = value.fen();
    }
    if let Some(value) = p.offer_settlement {
        row.offer_settlement_fen = value.fen();
    }
    row.deactivated_at = match (p.active, row.deactivated_at) {
        (Some(false), None) => Some(now),
        (Some(true), _) => None,
        (_, at) => at,
    };
    db::merchants::update(tx, &row).await?;
    let after = merchant(row);
    let act = audit::Act { actor, action: "merchant.update", target_kind: "merchant", at: now };
    audit::record(tx, act, &id.to_string(), Some(&before), Some(&after)).await?;
    Ok(after)
}
