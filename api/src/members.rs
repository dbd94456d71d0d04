//! Members: creating one (an invite code of its own and the welcome bonus, once), and the
//! lookups every route shares (does it exist, which tier is it).

use mall_core::{code::ALPHABET, dto::EntryKind, ErrorCode, Rules, Tier};
use rand::Rng;

use crate::{
    db::{Conn, Tx},
    error::{AppError, AppResult},
    ledger,
};

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

fn not_found(id: i64) -> AppError {
    AppError::new(ErrorCode::MemberNotFound, format!("no member with id {id}"))
}

/// Refuses an unknown member id with `member_not_found`.
pub async fn exists(conn: &mut Conn, id: i64) -> AppResult<()> {
    let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM members WHERE id = $1").bind(id).fetch_optional(conn).await?;
    found.map(|_| ()).ok_or_else(|| not_found(id))
}

/// The member's tier, from its growth; `member_not_found` for an unknown id.
pub async fn tier(conn: &mut Conn, rules: &Rules, id: i64) -> AppResult<Tier> {
    let growth: Option<(i64,)> = sqlx::query_as("SELECT growth FROM members WHERE id = $1").bind(id).fetch_optional(conn).await?;
    growth.map(|(g,)| rules.tiers.tier_for(g)).ok_or_else(|| not_found(id))
}
