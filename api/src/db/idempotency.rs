//! Stored answers of money-moving requests, keyed by (owner, Idempotency-Key): a member's
//! own requests in `idempotency`, a staff member's in `staff_idempotency`.

use super::{on, Access, Tx};

/// Whose keys: each owner has its own key space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// A member's request.
    Member(i64),
    /// A staff member's request (0: the automation token).
    Staff(i64),
    /// A signed call of the host shop, per hook (`hook::…`): the key is the call's id.
    Hook(i64),
}

/// The host's hooks, each with its own id space in `hook_idempotency`.
pub mod hook {
    /// `POST /api/hooks/purchase`, keyed by `purchase_id`.
    pub const PURCHASE: i64 = 1;
    /// `POST /api/hooks/refund`, keyed by `refund_id`.
    pub const REFUND: i64 = 2;
    /// `POST /api/host/deductions`, keyed by `order_id`.
    pub const HOLD: i64 = 3;
    /// `…/capture`, keyed by the deduction id.
    pub const CAPTURE: i64 = 4;
    /// `…/release`, keyed by the deduction id.
    pub const RELEASE: i64 = 5;
    /// `…/refund`, keyed by the `Idempotency-Key` header.
    pub const DEDUCTION_REFUND: i64 = 6;
    /// `POST /api/hooks/payment`, keyed by `payment_id`.
    pub const PAYMENT: i64 = 7;
    /// `POST /api/hooks/task`, keyed by `event_id`.
    pub const TASK: i64 = 8;
}

impl Owner {
    /// The table and its owner column.
    pub(super) fn table(self) -> (&'static str, &'static str, i64) {
        match self {
            Owner::Member(id) => ("idempotency", "member_id", id),
            Owner::Staff(id) => ("staff_idempotency", "staff_id", id),
            Owner::Hook(hook) => ("hook_idempotency", "hook", hook),
        }
    }
}

/// A key's row: the request it came with and, once committed, the answer.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Stored {
    /// Fingerprint of the first request.
    pub request_hash: String,
    /// HTTP status of the answer.
    pub status: Option<i64>,
    /// JSON body of the answer.
    pub response: Option<String>,
}

/// A key whose row waits for its request's answer: written with it as the request's last
/// write, by [`insert`] or together with the work's own last write (`items::take_stock`).
/// The transaction carries it (`Tx::await_answer`) until one of them writes it.
#[derive(Debug, Clone)]
pub struct PendingKey {
    /// Whose key space.
    pub owner: Owner,
    /// The key.
    pub key: String,
    /// The request's fingerprint.
    pub request_hash: String,
    /// The status the answer goes with.
    pub status: u16,
    /// When (Unix seconds).
    pub now: i64,
}

/// The text of a key's insert with its answer, `ON CONFLICT … DO NOTHING RETURNING 1`: `$N`
/// from `first` on are the owner, key, fingerprint, status, answer and time, selected
/// `source` (a `FROM` or nothing, then a `WHERE`, which SQLite needs before `ON CONFLICT`).
pub(super) fn insert_sql(owner: Owner, first: usize, source: &str) -> String {
    let (table, column, _) = owner.table();
    let [id, key, hash, status, response, now] = std::array::from_fn(|i| format!("${}", first + i));
    format!(
        "INSERT INTO {table} ({column}, idem_key, request_hash, status, response, created_at) \
         SELECT {id}, {key}, {hash}, {status}, {response}, {now} {source} ON CONFLICT ({column}, idem_key) DO NOTHING RETURNING 1"
    )
}

/// Binds a key's `$N`…`$N+5` (see [`insert_sql`]) to `$query`, with its answer `$response`.
macro_rules! bind_key {
    ($query:expr, $pending:expr, $response:expr) => {
        $query
            .bind($pending.owner.table().2)
            .bind(&$pending.key)
            .bind(&$pending.request_hash)
            .bind(i64::from($pending.status))
            .bind($response)
            .bind($pending.now)
    };
}
pub(super) use bind_key;

/// Inserts the key with the request's fingerprint and its answer; false if the key is
/// already there (on PostgreSQL after the transaction that wrote it ended).
pub async fn insert(tx: &mut Tx, pending: &PendingKey, response: &str) -> Result<bool, sqlx::Error> {
    let sql = insert_sql(pending.owner, 1, "WHERE 1 = 1");
    let written: Vec<i32> = on!(tx, |c| bind_key!(sqlx::query_scalar(&sql), pending, response).fetch_all(c).await)?;
    Ok(!written.is_empty())
}

/// The key's row, if it is there.
pub async fn stored(conn: &mut impl Access, owner: Owner, key: &str) -> Result<Option<Stored>, sqlx::Error> {
    let (table, column, id) = owner.table();
    let sql = format!("SELECT request_hash, status, response FROM {table} WHERE {column} = $1 AND idem_key = $2");
    on!(conn, |c| sqlx::query_as(&sql).bind(id).bind(key).fetch_optional(c).await)
}

/// The tables of stored answers, for pruning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// Members' keys (`idempotency`).
    Member,
    /// Staff members' keys (`staff_idempotency`).
    Staff,
    /// The host's signed calls (`hook_idempotency`).
    Hook,
}

/// Deletes at most `limit` stored answers of `table` made before `before`; returns how
/// many. A key used again after its row is gone runs as a new request (the host's ids
/// still meet their own unique keys: `purchases`, `refunds`, `deductions`).
pub async fn prune(conn: &mut impl Access, table: Table, before: i64, limit: i64) -> Result<u64, sqlx::Error> {
    let (table, column, _) = match table {
        Table::Member => Owner::Member(0),
        Table::Staff => Owner::Staff(0),
        Table::Hook => Owner::Hook(0),
    }
    .table();
    let sql = format!(
        "DELETE FROM {table} WHERE ({column}, idem_key) IN (SELECT {column}, idem_key FROM {table} WHERE created_at < $1 LIMIT $2)"
    );
    on!(conn, |c| sqlx::query(&sql).bind(before).bind(limit).execute(c).await.map(|r| r.rows_affected()))
}
