//! Creating members: an invite code of their own and the welcome bonus, once.

use mall_core::{code::ALPHABET, dto::EntryKind, Rules};
use rand::Rng;

use crate::{db::Tx, ledger};

/// Characters in an invite code.
const INVITE_CODE_LEN: usize = 8;

/// A random invite code from the look-alike-free alphabet.
pub fn new_invite_code() -> String {
    let mut rng = rand::rngs::OsRng;
    (0..INVITE_CODE_LEN).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}

/// Creates member `id` (a host-shop member seen for the first time) with the register
/// bonus. Returns false if the member already existed (the insert is the "once").
pub async fn create(tx: &mut Tx<'_>, rules: &Rules, id: i64, at: ledger::At) -> Result<bool, sqlx::Error> {
    let fresh = sqlx::query(
        "INSERT INTO members (id, name_zh, name_en, growth, balance, created_at, invite_code) VALUES ($1, $2, $3, 0, 0, $4, $5) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(format!("会员{id}"))
    .bind(format!("Member {id}"))
    .bind(at.secs)
    .bind(new_invite_code())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if fresh == 1 {
        ledger::earn(
            tx,
            rules,
            id,
            ledger::Earning { kind: EntryKind::Register, points: rules.register_points, growth: rules.register_growth },
            at,
            None,
        )
        .await?;
    }
    Ok(fresh == 1)
}
