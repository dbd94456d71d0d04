//! The member's address book: at most `MAX_ADDRESSES`, one of them the default (the first
//! one is); a deleted address stays for the orders that copied it.

use mall_core::{
    dto::ShipTo,
    fulfilment::{Address, AddressInput, MAX_ADDRESSES},
};

use crate::db::{self, addresses::AddressRow, Access, Tx};

/// A refused or failed address step.
#[derive(Debug, thiserror::Error)]
pub enum AddressError {
    /// A field is not acceptable.
    #[error("{0}")]
    Invalid(&'static str),
    /// The book is full.
    #[error("an address book holds at most 20 addresses")]
    Full,
    /// Not one of the member's addresses.
    #[error("no such address")]
    NotFound,
    /// The database failed.
    #[error("address database error")]
    Db(#[from] sqlx::Error),
}

fn address(row: AddressRow) -> Address {
    Address {
        id: row.id,
        to: ShipTo { name: row.name, phone: row.phone, region: row.region, detail: row.detail },
        is_default: row.is_default == 1,
    }
}

/// The member's addresses, the default first.
pub async fn list(conn: &mut impl Access, member_id: i64) -> Result<Vec<Address>, AddressError> {
    Ok(db::addresses::of_member(conn, member_id).await?.into_iter().map(address).collect())
}

/// Adds an address (the default when asked, or when it is the first).
pub async fn add(tx: &mut Tx, member_id: i64, input: &AddressInput, now: i64) -> Result<Address, AddressError> {
    input.to.validate().map_err(AddressError::Invalid)?;
    db::members::lock(tx, member_id).await?;
    let count = db::addresses::of_member(tx, member_id).await?.len();
    if count >= MAX_ADDRESSES {
        return Err(AddressError::Full);
    }
    let id = db::addresses::insert(tx, member_id, &input.to, now).await?;
    if input.is_default || count == 0 {
        db::addresses::set_default(tx, member_id, id).await?;
    }
    one(tx, member_id, id).await
}

/// Rewrites an address (and makes it the default when asked).
pub async fn update(tx: &mut Tx, member_id: i64, id: i64, input: &AddressInput) -> Result<Address, AddressError> {
    input.to.validate().map_err(AddressError::Invalid)?;
    // The member first, as `add` does: two changes of different addresses would each
    // hold their own row and wait for the other's in `set_default`.
    db::members::lock(tx, member_id).await?;
    if !db::addresses::update(tx, member_id, id, &input.to).await? {
        return Err(AddressError::NotFound);
    }
    if input.is_default {
        db::addresses::set_default(tx, member_id, id).await?;
    }
    one(tx, member_id, id).await
}

/// Deletes an address; another becomes the default if it was.
pub async fn delete(tx: &mut Tx, member_id: i64, id: i64, now: i64) -> Result<(), AddressError> {
    db::members::lock(tx, member_id).await?;
    if !db::addresses::delete(tx, member_id, id, now).await? {
        return Err(AddressError::NotFound);
    }
    let rest = db::addresses::of_member(tx, member_id).await?;
    if !rest.is_empty() && rest.iter().all(|a| a.is_default == 0) {
        db::addresses::set_default(tx, member_id, rest[0].id).await?;
    }
    Ok(())
}

async fn one(tx: &mut Tx, member_id: i64, id: i64) -> Result<Address, AddressError> {
    Ok(address(db::addresses::one(tx, member_id, id).await?.ok_or(AddressError::NotFound)?))
}
