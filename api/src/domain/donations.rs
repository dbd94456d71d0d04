//! Donation (积分捐赠): a member gives points to an open cause, irrevocably; the cause's
//! `raised` moves in the same transaction, so it is always the sum of its donations.
//! Operators open and close causes (audited).

use mall_core::{
    donation::{check_cause, AdminCause, AdminCauses, Cause, Donated, NewCause},
    dto::{EntryKind, I18nText},
    Rules,
};

use super::{
    audit,
    ledger::{self, At, LedgerError},
    members::{self, MemberError},
    staff::Actor,
};
use crate::db::{self, causes::CauseRow, Access, Tx};

/// A refused or failed donation step.
#[derive(Debug, thiserror::Error)]
pub enum DonationError {
    /// The request breaks a rule (the reason).
    #[error("{0}")]
    Invalid(String),
    /// No such cause.
    #[error("no cause {0}")]
    NotFound(i64),
    /// The cause no longer takes donations.
    #[error("this cause is closed")]
    Closed,
    /// The member is unknown or frozen.
    #[error(transparent)]
    Member(#[from] MemberError),
    /// The balance does not cover it.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The database failed.
    #[error("donation database error")]
    Db(#[from] sqlx::Error),
}

fn cause(rules: &Rules, row: CauseRow) -> Cause {
    Cause {
        id: row.id,
        name: I18nText { zh: row.name_zh, en: row.name_en },
        description: I18nText { zh: row.description_zh, en: row.description_en },
        image: row.image,
        target: row.target,
        raised: row.raised,
        given: row.given,
        open: row.closed_at.is_none(),
        min_points: rules.donation_min_points,
    }
}

/// Every cause (open first), with what `member_id` gave each.
pub async fn list(conn: &mut impl Access, rules: &Rules, member_id: i64) -> Result<Vec<Cause>, sqlx::Error> {
    Ok(db::causes::list(conn, member_id).await?.into_iter().map(|row| cause(rules, row)).collect())
}

/// Gives `points` of the member's to cause `id`: at least the rules' minimum, an open
/// cause, a member who may spend and a balance that covers it.
pub async fn donate(tx: &mut Tx, rules: &Rules, at: At, member_id: i64, id: i64, points: i64) -> Result<Donated, DonationError> {
    if points < rules.donation_min_points {
        return Err(DonationError::Invalid(format!("a donation gives at least {} points", rules.donation_min_points)));
    }
    let row = db::causes::get(tx, member_id, id).await?.ok_or(DonationError::NotFound(id))?;
    members::ensure_not_frozen(tx, member_id).await?;
    // The cause takes it only while open (conditional), before the points move.
    if !db::causes::add_raised(tx, id, points).await? {
        return Err(DonationError::Closed);
    }
    let reference = ledger::Reference::labelled("cause", id.to_string(), row.name_zh, row.name_en);
    let debit = ledger::debit(tx, member_id, EntryKind::Donation, points, at, Some(&reference)).await?;
    db::causes::insert_donation(tx, id, member_id, points, debit.history_id, at.secs).await?;
    let after = db::causes::get(tx, member_id, id).await?.ok_or(DonationError::NotFound(id))?;
    Ok(Donated { cause: cause(rules, after), points, balance: debit.balance_after })
}

/// Opens a cause (audited).
pub async fn create(tx: &mut Tx, rules: &Rules, actor: &Actor, new: &NewCause, now: i64) -> Result<Cause, DonationError> {
    check_cause(new).map_err(|e| DonationError::Invalid(e.message().into()))?;
    if let Some(name) = new.image.strip_prefix("/media/") {
        if !db::images::exists(tx, name).await? {
            return Err(DonationError::Invalid(format!("no uploaded image {}", new.image)));
        }
    }
    let row = db::causes::NewCause {
        name_zh: new.name.zh.trim(),
        name_en: new.name.en.trim(),
        description_zh: new.description.zh.trim(),
        description_en: new.description.en.trim(),
        image: &new.image,
        target: new.target,
    };
    let id = db::causes::insert(tx, &row, now).await?;
    let act = audit::Act { actor, action: "cause.create", target_kind: "cause", at: now };
    audit::record(tx, act, &id.to_string(), None::<&()>, Some(new)).await?;
    Ok(cause(rules, db::causes::get(tx, 0, id).await?.ok_or(DonationError::NotFound(id))?))
}

/// Closes a cause (audited); closing a closed one answers it as it is.
pub async fn close(tx: &mut Tx, rules: &Rules, actor: &Actor, id: i64, now: i64) -> Result<Cause, DonationError> {
    if db::causes::close(tx, id, now).await? {
        let act = audit::Act { actor, action: "cause.close", target_kind: "cause", at: now };
        audit::record(tx, act, &id.to_string(), Some(&"open"), Some(&"closed")).await?;
    }
    Ok(cause(rules, db::causes::get(tx, 0, id).await?.ok_or(DonationError::NotFound(id))?))
}

/// Every cause, newest first, with its donations and donors.
pub async fn staff_list(conn: &mut impl Access, zone: chrono_tz::Tz) -> Result<AdminCauses, sqlx::Error> {
    let causes = db::causes::staff_all(conn)
        .await?
        .into_iter()
        .map(|c| AdminCause {
            id: c.id,
            name: I18nText { zh: c.name_zh, en: c.name_en },
            description: I18nText { zh: c.description_zh, en: c.description_en },
            image: c.image,
            target: c.target,
            raised: c.raised,
            donations: c.donations,
            donors: c.donors,
            open: c.closed_at.is_none(),
            created_at: crate::clock::rfc3339(zone, c.created_at),
            closed_at: c.closed_at.map(|t| crate::clock::rfc3339(zone, t)),
        })
        .collect();
    Ok(AdminCauses { causes })
}
