//! Wallet codes: issuing one under the primary key (a collision draws again) for a flash
//! sale, a redeemed voucher or a lottery's coupon prize, and the wallet as the member
//! reads it (an issued code past its validity shows as expired, 已失效).

use chrono_tz::Tz;
use mall_core::{
    code,
    dto::I18nText,
    sales::{CodeStatus, WalletCode},
};
use rand::{rngs::OsRng, Rng};

use crate::{
    clock,
    db::{
        self,
        codes::{CodeRow, NewCode, Source},
        Access, Tx,
    },
};

/// Tries per code to find an unused one before giving up.
const CODE_ATTEMPTS: usize = 8;
/// The most codes the wallet lists.
const WALLET_SIZE: i64 = 200;

/// A new code from the OS CSPRNG, each character uniform over the alphabet (tests may
/// shrink the space to force collisions).
pub fn new_code(space: Option<u32>) -> String {
    let mut random = [0u8; code::RANDOM_LEN];
    let alphabet = code::ALPHABET.len() as u8;
    match space {
        None => random.iter_mut().for_each(|b| *b = OsRng.gen_range(0..alphabet)),
        Some(n) => random[0] = OsRng.gen_range(0..n.clamp(1, alphabet as u32)) as u8,
    }
    code::from_random(random)
}

/// What a code is issued for, apart from the code itself.
#[derive(Debug, Clone, Copy)]
pub struct Issue {
    /// Holder.
    pub member_id: i64,
    /// What issued it.
    pub source: Source,
    /// The merchant that may verify it.
    pub merchant_id: Option<i64>,
    /// Valid from (Unix seconds).
    pub valid_from: i64,
    /// Valid until (exclusive).
    pub valid_until: i64,
    /// The history entry that paid for it.
    pub history_id: i64,
}

/// Issues a fresh code inside `tx`; `None` when every attempt collided (the code space is
/// exhausted: the caller refuses and rolls back).
pub async fn issue(tx: &mut Tx, issue: &Issue, space: Option<u32>) -> Result<Option<String>, sqlx::Error> {
    for _ in 0..CODE_ATTEMPTS {
        let candidate = new_code(space);
        let row = NewCode {
            code: &candidate,
            member_id: issue.member_id,
            source: issue.source,
            merchant_id: issue.merchant_id,
            valid_from: issue.valid_from,
            valid_until: issue.valid_until,
            history_id: issue.history_id,
        };
        if db::codes::insert(tx, &row).await? {
            return Ok(Some(candidate));
        }
    }
    Ok(None)
}

/// A stored code as the wallet shows it at `now` (an issued code past its validity is expired).
pub fn wallet_code(zone: Tz, now: i64, row: CodeRow) -> WalletCode {
    let status = match row.status {
        CodeStatus::Issued if row.valid_until <= now => CodeStatus::Expired,
        other => other,
    };
    WalletCode {
        code: code::display(&row.code),
        status,
        offer: I18nText { zh: row.offer_zh, en: row.offer_en },
        merchant: I18nText { zh: row.merchant_zh, en: row.merchant_en },
        sale_id: row.sale_id,
        valid_from: clock::rfc3339(zone, row.valid_from),
        valid_until: clock::rfc3339(zone, row.valid_until),
        used_at: row.used_at.map(|t| clock::rfc3339(zone, t)),
        void_reason: row.void_reason,
    }
}

/// The member's codes, newest first.
pub async fn wallet(conn: &mut impl Access, zone: Tz, member_id: i64, now: i64) -> Result<Vec<WalletCode>, sqlx::Error> {
    let rows = db::codes::of_member(conn, member_id, WALLET_SIZE).await?;
    Ok(rows.into_iter().map(|r| wallet_code(zone, now, r)).collect())
}
