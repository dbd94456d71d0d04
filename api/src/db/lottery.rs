//! Lotteries, their prizes (odds and stock) and the draws.

use mall_core::lottery::PrizeKind;

use super::{on, Access, Tx};

/// A lottery as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LotteryRow {
    /// Lottery id.
    pub id: i64,
    /// Name in Chinese.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
    /// Points a draw costs.
    pub cost_points: i64,
    /// Draws per member per local day.
    pub draws_per_day: i64,
    /// When it closed.
    pub closed_at: Option<i64>,
}

/// A prize as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PrizeRow {
    /// Prize id.
    pub id: i64,
    /// Name in Chinese.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
    /// What it gives.
    pub kind: PrizeKind,
    /// Points it gives (a points prize).
    pub points: Option<i64>,
    /// The catalogue item it gives (an item or coupon prize).
    pub item_id: Option<i64>,
    /// The item's image (read only: joined from the item).
    pub image: Option<String>,
    /// Chance per draw, in basis points.
    pub probability_bp: i64,
    /// Left.
    pub stock: i64,
}

const LOTTERY: &str = "SELECT id, name_zh, name_en, cost_points, draws_per_day, closed_at FROM lotteries";

/// The running lottery (the newest open one).
pub async fn current(conn: &mut impl Access) -> Result<Option<LotteryRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{LOTTERY} WHERE closed_at IS NULL ORDER BY id DESC LIMIT 1")).fetch_optional(c).await)
}

/// Lottery `id`.
pub async fn get(conn: &mut impl Access, id: i64) -> Result<Option<LotteryRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{LOTTERY} WHERE id = $1")).bind(id).fetch_optional(c).await)
}

/// A lottery's prizes, in their published order, each with the stock it has left: an item
/// prize's is the smaller of its cap and the item's catalogue stock (one stock of goods).
pub async fn prizes(conn: &mut impl Access, lottery_id: i64) -> Result<Vec<PrizeRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(
        "SELECT p.id, p.name_zh, p.name_en, p.kind, p.points, p.item_id, i.image, p.probability_bp, \
         CASE WHEN p.kind = 'item' AND i.stock < p.stock THEN i.stock ELSE p.stock END AS stock \
         FROM lottery_prizes p LEFT JOIN items i ON i.id = p.item_id WHERE p.lottery_id = $1 ORDER BY p.position"
    )
    .bind(lottery_id)
    .fetch_all(c)
    .await)
}

/// Takes one of prize `id` (conditional: never below zero); false when none is left.
pub async fn take_prize(tx: &mut Tx, id: i64) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query("UPDATE lottery_prizes SET stock = stock - 1 WHERE id = $1 AND stock > 0")
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Records a draw; returns its id.
pub async fn insert_draw(
    tx: &mut Tx,
    lottery_id: i64,
    member_id: i64,
    prize_id: Option<i64>,
    history_id: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar(
        "INSERT INTO lottery_draws (lottery_id, member_id, prize_id, history_id, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id"
    )
    .bind(lottery_id)
    .bind(member_id)
    .bind(prize_id)
    .bind(history_id)
    .bind(now)
    .fetch_one(c)
    .await)
}

/// A new lottery's row.
#[derive(Debug, Clone)]
pub struct NewLottery<'a> {
    /// Name in Chinese.
    pub name_zh: &'a str,
    /// Name in English.
    pub name_en: &'a str,
    /// Points a draw costs.
    pub cost_points: i64,
    /// Draws per member per day.
    pub draws_per_day: i64,
}

/// Inserts a lottery; returns its id.
pub async fn insert(tx: &mut Tx, l: &NewLottery<'_>, now: i64) -> Result<i64, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar(
        "INSERT INTO lotteries (name_zh, name_en, cost_points, draws_per_day, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id"
    )
    .bind(l.name_zh)
    .bind(l.name_en)
    .bind(l.cost_points)
    .bind(l.draws_per_day)
    .bind(now)
    .fetch_one(c)
    .await)
}

/// Inserts a prize at `position`.
pub async fn insert_prize(tx: &mut Tx, lottery_id: i64, position: i64, p: &PrizeRow) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query(
        "INSERT INTO lottery_prizes (lottery_id, position, name_zh, name_en, kind, points, item_id, probability_bp, stock) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(lottery_id)
    .bind(position)
    .bind(&p.name_zh)
    .bind(&p.name_en)
    .bind(p.kind)
    .bind(p.points)
    .bind(p.item_id)
    .bind(p.probability_bp)
    .bind(p.stock)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Closes every open lottery but `except` (a new one replaces the running one); returns how many closed.
pub async fn close_others(tx: &mut Tx, except: i64, now: i64) -> Result<u64, sqlx::Error> {
    on!(tx, |c| sqlx::query("UPDATE lotteries SET closed_at = $1 WHERE closed_at IS NULL AND id <> $2")
        .bind(now)
        .bind(except)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))
}

/// Closes lottery `id` if open; false otherwise.
pub async fn close(tx: &mut Tx, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query("UPDATE lotteries SET closed_at = $1 WHERE id = $2 AND closed_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// A lottery as the operator's list shows it, with its draws.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffLotteryRow {
    /// Lottery id.
    pub id: i64,
    /// Name in Chinese.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
    /// Points a draw costs.
    pub cost_points: i64,
    /// Draws per member per local day.
    pub draws_per_day: i64,
    /// When it opened.
    pub created_at: i64,
    /// When it closed.
    pub closed_at: Option<i64>,
    /// Draws made.
    pub draws: i64,
    /// Points the draws took (their cost entries).
    pub points_spent: i64,
}

/// Every lottery, newest first, with its draws and the points they took.
pub async fn staff_all(conn: &mut impl Access) -> Result<Vec<StaffLotteryRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(
        "SELECT l.id, l.name_zh, l.name_en, l.cost_points, l.draws_per_day, l.created_at, l.closed_at, \
         (SELECT COUNT(*) FROM lottery_draws d WHERE d.lottery_id = l.id) AS draws, \
         (SELECT CAST(COALESCE(SUM(-h.amount), 0) AS BIGINT) FROM lottery_draws d JOIN history h ON h.id = d.history_id \
          WHERE d.lottery_id = l.id) AS points_spent \
         FROM lotteries l ORDER BY l.id DESC"
    )
    .fetch_all(c)
    .await)
}

/// A prize as the operator's list shows it: the prize and how many draws won it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffPrizeRow {
    /// Its lottery.
    pub lottery_id: i64,
    /// The prize.
    #[sqlx(flatten)]
    pub prize: PrizeRow,
    /// Draws that won it.
    pub won: i64,
}

/// Every prize of every lottery, in their lottery's published order, with how many draws won each.
pub async fn staff_prizes(conn: &mut impl Access) -> Result<Vec<StaffPrizeRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(
        "SELECT p.lottery_id, p.id, p.name_zh, p.name_en, p.kind, p.points, p.item_id, i.image, p.probability_bp, p.stock, \
         (SELECT COUNT(*) FROM lottery_draws d WHERE d.prize_id = p.id) AS won \
         FROM lottery_prizes p LEFT JOIN items i ON i.id = p.item_id ORDER BY p.lottery_id, p.position"
    )
    .fetch_all(c)
    .await)
}
