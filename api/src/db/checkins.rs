//! Check-ins: one row per member and local day (the primary key is the "once").

use super::{on, Access, Tx};

/// A checked day.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DayRow {
    /// Local day number.
    pub day: i64,
    /// `normal` or `makeup`.
    pub kind: String,
    /// Points it paid.
    pub points: i64,
}

/// Inserts a check-in of `kind` (`normal` or `makeup`) for `day`; false if the day
/// already has one.
pub async fn insert(tx: &mut Tx, member_id: i64, day: i64, kind: &str, created_at: i64) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query(
        "INSERT INTO checkins (member_id, day, kind, streak, points, created_at) VALUES ($1, $2, $3, 0, 0, $4) \
         ON CONFLICT (member_id, day) DO NOTHING",
    )
    .bind(member_id)
    .bind(day)
    .bind(kind)
    .bind(created_at)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Records what a check-in paid.
pub async fn set_reward(tx: &mut Tx, member_id: i64, day: i64, streak: i64, points: i64, early_bird: bool) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query("UPDATE checkins SET streak = $1, points = $2, early_bird = $3 WHERE member_id = $4 AND day = $5")
        .bind(streak)
        .bind(points)
        .bind(early_bird as i64)
        .bind(member_id)
        .bind(day)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Checked days of the member in `[from, to)`, oldest first.
pub async fn between(conn: &mut impl Access, member_id: i64, from: i64, to: i64) -> Result<Vec<DayRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as("SELECT day, kind, points FROM checkins WHERE member_id = $1 AND day >= $2 AND day < $3 ORDER BY day")
        .bind(member_id)
        .bind(from)
        .bind(to)
        .fetch_all(c)
        .await)
}
