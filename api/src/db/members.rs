//! Members: rows, lookups, the demo list and invite codes.

use std::sync::LazyLock;

use super::{like_pattern, on, Access, Exec, Tx};

/// A member to insert.
#[derive(Debug, Clone)]
pub struct NewMember<'a> {
    /// Member id (the host shop's).
    pub id: i64,
    /// Name in Chinese.
    pub name_zh: &'a str,
    /// Name in English.
    pub name_en: &'a str,
    /// Growth to start with.
    pub growth: i64,
    /// The tier that growth reaches under the thresholds in force.
    pub tier_reached: mall_core::Tier,
    /// Unix seconds.
    pub created_at: i64,
    /// The member's own invite code.
    pub invite_code: &'a str,
}

/// A member as the summary shows it, with the spendable balance.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    /// Member id.
    pub id: i64,
    /// Name in Chinese.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
    /// Growth.
    pub growth: i64,
    /// The rank of the highest tier reached (`Tier::rank`).
    pub tier_reached: i64,
    /// Stored balance minus due lots.
    pub balance: i64,
}

impl MemberRow {
    /// The tier held under `tiers` (the thresholds in force): never below the one reached.
    pub fn tier(&self, tiers: &mall_core::TierTable) -> mall_core::Tier {
        tiers.held(self.growth, mall_core::Tier::from_rank(self.tier_reached))
    }
}

/// A member's summary: the row, the spendable balance and what expires soon, read in
/// one statement (one snapshot).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SummaryRow {
    /// The member with its spendable balance.
    #[sqlx(flatten)]
    pub member: MemberRow,
    /// Points in lots that still count and expire by the horizon.
    pub expiring_points: i64,
    /// The soonest expiry among them.
    pub expiring_first: Option<i64>,
    /// Purchase points inside their return window.
    pub pending_points: i64,
    /// Points refunds could not take back.
    pub shortfall_points: i64,
    /// Whether the member has a lapsed hold or unpaid order that no write has recorded
    /// yet (its points come back: see `summary_of`).
    pub lapsed: bool,
}

/// A member as the back office lists it: the row and whether it is frozen.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffViewRow {
    /// The member with its spendable balance.
    #[sqlx(flatten)]
    pub member: MemberRow,
    /// Why it is frozen.
    pub frozen_reason: Option<String>,
    /// Since when (Unix seconds).
    pub frozen_at: Option<i64>,
}

/// A member's invite code and how many friends used it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InviteRow {
    /// The code (members created before invites may have none).
    pub invite_code: Option<String>,
    /// Invites accepted.
    pub accepted: i64,
    /// Invites credited (the friend bought something).
    pub credited: i64,
    /// Whether the member accepted someone's invite (0 or 1).
    pub invited: i64,
}

/// The columns of `MemberRow` (of `members m`), the balance as spendable at `$2`.
fn member_columns() -> String {
    format!("SELECT m.id, m.name_zh, m.name_en, m.growth, m.tier_reached, {} AS balance", super::lots::spendable_sql("m"))
}

/// The summary (`SummaryRow`) of the member row that `source` (a `FROM … WHERE …` clause
/// naming it `m`) selects, at `$2` with points expiring by `$3`: the member row (a
/// materialized CTE), its lots and its unsettled purchases each summed in one scan
/// (`lots::lot_and_purchase_sums`), then the spendable balance and the shortfall left from
/// the parts (`lots::spendable_of`, the one formula). With `lapsed_parts` the CTE also sums
/// the points of lapsed holds and unpaid orders no write has recorded yet; without, it
/// only asks whether there are any (`lapsed`) and counts none back, so the caller runs the
/// statement again with them (see `summary_of`).
fn summary_sql(source: &str, lapsed_parts: bool) -> String {
    use super::lots::{any_lapsed, lapsed_holds, lapsed_orders, lot_and_purchase_sums, shortfall_left_of, spendable_of};
    let (lots, purchases) = lot_and_purchase_sums("me");
    let (held_back, unpaid_back) = match lapsed_parts {
        true => (lapsed_holds("m", ">", "$2"), lapsed_orders("m", ">", "$2")),
        false => ("0".to_string(), "0".to_string()),
    };
    format!(
        "WITH me AS MATERIALIZED (SELECT m.id, m.name_zh, m.name_en, m.growth, m.tier_reached, m.balance, m.shortfall, \
         {held_back} AS held_back, {unpaid_back} AS unpaid_back, {lapsed} AS lapsed {source}), \
         lots AS ({lots}), unsettled AS ({purchases}) \
         SELECT id, name_zh, name_en, growth, tier_reached, {balance} AS balance, expiring_points, expiring_first, pending_points, \
         {left} AS shortfall_points, lapsed FROM me, lots, unsettled",
        lapsed = any_lapsed("m", "$2"),
        balance = spendable_of("balance", "due", "held_back", "unpaid_back", "matured", "shortfall"),
        left = shortfall_left_of("matured", "shortfall"),
    )
}

/// Inserts a member with a zero balance; false if the id already exists (the "once").
pub async fn insert(tx: &mut Tx, m: &NewMember<'_>) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query(
        "INSERT INTO members (id, name_zh, name_en, growth, balance, created_at, invite_code, tier_reached) \
         VALUES ($1, $2, $3, $4, 0, $5, $6, $7) ON CONFLICT (id) DO NOTHING",
    )
    .bind(m.id)
    .bind(m.name_zh)
    .bind(m.name_en)
    .bind(m.growth)
    .bind(m.created_at)
    .bind(m.invite_code)
    .bind(m.tier_reached.rank())
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Locks the member's row until the transaction ends, so ledger steps of one member never
/// interleave: each reads lots and then writes by what it read. PostgreSQL: `SELECT … FOR
/// NO KEY UPDATE` (a second transaction waits here; the key-share locks that foreign-key
/// checks take on the row do not conflict with it, so a row inserted earlier in the
/// transaction that references the member cannot deadlock against it). SQLite: nothing to
/// do, a write transaction (`BEGIN IMMEDIATE`) already excludes every other writer.
pub async fn lock(tx: &mut Tx, member_id: i64) -> Result<(), sqlx::Error> {
    if let Exec::Postgres(c) = tx.exec() {
        let outcome = sqlx::query("SELECT 1 FROM members WHERE id = $1 FOR NO KEY UPDATE").bind(member_id).execute(c).await;
        tx.saw(&outcome);
        outcome?;
    }
    Ok(())
}

/// A member's standing as a write transaction finds it, with its row locked (see `lock`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Standing {
    /// Why the member is frozen, when it is.
    pub frozen_reason: Option<String>,
    /// Growth points.
    pub growth: i64,
    /// Rank of the highest tier reached.
    pub tier_reached: i64,
    /// Whether time made something due by now that no write has recorded yet: a checkout
    /// hold or an unpaid order that lapsed, a purchase whose window ended, a lot that
    /// expired (what `ledger::catch_up` records).
    pub due: bool,
}

/// The columns of `Standing`, of member row `m` at `$2`.
pub(crate) static STANDING_COLUMNS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "m.frozen_reason, m.growth, m.tier_reached, ({} \
         OR EXISTS (SELECT 1 FROM purchases p WHERE p.member_id = m.id AND p.settled_at IS NULL AND p.settles_at <= $2) \
         OR EXISTS (SELECT 1 FROM point_lots l WHERE l.member_id = m.id AND l.remaining > 0 AND l.expires_at <= $2)) AS due",
        super::lots::any_lapsed("m", "$2")
    )
});

/// How a write locks the member row `m` it reads: PostgreSQL `FOR NO KEY UPDATE OF m`
/// (see `lock`); SQLite nothing (its write transaction excludes every other writer).
pub(crate) fn row_lock(tx: &mut Tx) -> &'static str {
    match tx.exec() {
        Exec::Sqlite(_) => "",
        Exec::Postgres(_) => " FOR NO KEY UPDATE OF m",
    }
}

/// Locks the member's row as `lock` does and reads its standing at `now`, in one statement
/// (a write's first round trip: most find nothing due and go on). `None` for an unknown id.
pub async fn lock_standing(tx: &mut Tx, id: i64, now: i64) -> Result<Option<Standing>, sqlx::Error> {
    let sql = format!("SELECT {} FROM members m WHERE m.id = $1{}", *STANDING_COLUMNS, row_lock(tx));
    on!(tx, |c| sqlx::query_as(&sql).bind(id).bind(now).fetch_optional(c).await)
}

/// How many members there are.
pub async fn count(conn: &mut impl Access) -> Result<i64, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar("SELECT COUNT(*) FROM members").fetch_one(c).await)
}

/// The member's growth; `None` for an unknown id.
pub async fn growth(conn: &mut impl Access, id: i64) -> Result<Option<i64>, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar("SELECT growth FROM members WHERE id = $1").bind(id).fetch_optional(c).await)
}

/// The member's growth and the rank of the highest tier it reached; `None` for an
/// unknown id.
pub async fn standing(conn: &mut impl Access, id: i64) -> Result<Option<(i64, i64)>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as("SELECT growth, tier_reached FROM members WHERE id = $1").bind(id).fetch_optional(c).await)
}

/// Whose summary `summary_of` reads.
#[derive(Debug, Clone, Copy)]
enum Whose<'a> {
    /// The member of a live session, by its token's hash.
    Session(&'a str),
    /// A member by id.
    Member(i64),
}

/// The summary of `whose` at `now`, with points expiring by `horizon`. One statement
/// without the lapsed holds' and unpaid orders' parts (on PostgreSQL each is a join of
/// three tables whose plan is started on every read, about a tenth of the summary's cost
/// together, even when it finds nothing);
/// a second, with them, only when the first found one (from a lapse until the sweep or the
/// member's next write records it).
async fn summary_of(conn: &mut impl Access, whose: Whose<'_>, now: i64, horizon: i64) -> Result<Option<SummaryRow>, sqlx::Error> {
    const BY_SESSION: &str = "FROM sessions x JOIN members m ON m.id = x.member_id WHERE x.token_hash = $1 AND x.expires_at > $2";
    const BY_ID: &str = "FROM members m WHERE m.id = $1";
    static SQL: LazyLock<[[String; 2]; 2]> =
        LazyLock::new(|| [BY_SESSION, BY_ID].map(|source| [false, true].map(|lapsed_parts| summary_sql(source, lapsed_parts))));
    let statements = match whose {
        Whose::Session(_) => &SQL[0],
        Whose::Member(_) => &SQL[1],
    };
    let mut row = None;
    for sql in statements {
        row = on!(conn, |c| {
            let query = sqlx::query_as(sql.as_str());
            let query = match whose {
                Whose::Session(hash) => query.bind(hash),
                Whose::Member(id) => query.bind(id),
            };
            query.bind(now).bind(horizon).fetch_optional(c).await
        })?;
        if !row.as_ref().is_some_and(|r: &SummaryRow| r.lapsed) {
            break;
        }
    }
    Ok(row)
}

/// The member's summary at `now`, with points expiring by `horizon`; `None` for an unknown id.
pub async fn summary(conn: &mut impl Access, id: i64, now: i64, horizon: i64) -> Result<Option<SummaryRow>, sqlx::Error> {
    summary_of(conn, Whose::Member(id), now, horizon).await
}

/// As `summary`, for the member of a live session (by its token's hash): the balance
/// refresh, usually in one statement. `None` when the session is unknown or over.
pub async fn summary_by_session(
    conn: &mut impl Access,
    token_hash: &str,
    now: i64,
    horizon: i64,
) -> Result<Option<SummaryRow>, sqlx::Error> {
    summary_of(conn, Whose::Session(token_hash), now, horizon).await
}

/// The first `limit` members by id, with spendable balances (the demo login's list).
pub async fn first(conn: &mut impl Access, limit: i64, now: i64) -> Result<Vec<MemberRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{} FROM members m ORDER BY m.id LIMIT $1", member_columns()))
        .bind(limit)
        .bind(now)
        .fetch_all(c)
        .await)
}

/// The member holding an invite code.
pub async fn by_invite_code(conn: &mut impl Access, code: &str) -> Result<Option<i64>, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar("SELECT id FROM members WHERE invite_code = $1").bind(code).fetch_optional(c).await)
}

/// The member's invite code and counts.
pub async fn invites(conn: &mut impl Access, id: i64) -> Result<InviteRow, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(
        "SELECT m.invite_code, (SELECT COUNT(*) FROM invites WHERE inviter_id = m.id) AS accepted, \
         (SELECT COUNT(*) FROM invites WHERE inviter_id = m.id AND credited_at IS NOT NULL) AS credited, \
         (SELECT COUNT(*) FROM invites WHERE invitee_id = m.id) AS invited FROM members m WHERE m.id = $1",
    )
    .bind(id)
    .fetch_one(c)
    .await)
}

/// Members whose id is `id` or whose name contains `text` (case-insensitive), by id, at
/// most `limit`, with spendable balances at `now`.
pub async fn search(conn: &mut impl Access, id: i64, text: &str, now: i64, limit: i64) -> Result<Vec<StaffViewRow>, sqlx::Error> {
    let pattern = like_pattern(text);
    on!(conn, |c| sqlx::query_as(&format!(
        "{}, m.frozen_reason, m.frozen_at FROM members m WHERE m.id = $1 \
         OR LOWER(m.name_zh) LIKE $3 ESCAPE '\\' OR LOWER(m.name_en) LIKE $3 ESCAPE '\\' ORDER BY m.id LIMIT $4",
        member_columns()
    ))
    .bind(id)
    .bind(now)
    .bind(&pattern)
    .bind(limit)
    .fetch_all(c)
    .await)
}

/// One member as the back office shows it, at `now`.
pub async fn staff_view(conn: &mut impl Access, id: i64, now: i64) -> Result<Option<StaffViewRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{}, m.frozen_reason, m.frozen_at FROM members m WHERE m.id = $1", member_columns()))
        .bind(id)
        .bind(now)
        .fetch_optional(c)
        .await)
}

/// Freezes the member with `reason` at `at`, or unfreezes it (`None`); false for an
/// unknown id.
pub async fn set_frozen(tx: &mut Tx, id: i64, frozen: Option<(&str, i64)>) -> Result<bool, sqlx::Error> {
    let (reason, at) = frozen.map_or((None, None), |(r, t)| (Some(r), Some(t)));
    let done = on!(tx, |c| sqlx::query("UPDATE members SET frozen_reason = $1, frozen_at = $2 WHERE id = $3")
        .bind(reason)
        .bind(at)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Why the member is frozen; `None` when it is not (or unknown).
pub async fn frozen_reason(conn: &mut impl Access, id: i64) -> Result<Option<String>, sqlx::Error> {
    let reason: Option<Option<String>> =
        on!(conn, |c| sqlx::query_scalar("SELECT frozen_reason FROM members WHERE id = $1").bind(id).fetch_optional(c).await)?;
    Ok(reason.flatten())
}
