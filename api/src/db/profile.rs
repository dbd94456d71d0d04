//! Member profiles: the display name, the birthday kept once, the consent to notices,
//! and the birthday gifts (one a member a year, by primary key).

use super::{on, Access, Tx};

/// A member's profile as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProfileRow {
    /// The display name, if set.
    pub display_name: Option<String>,
    /// `YYYY-MM-DD`, if set.
    pub birthday: Option<String>,
    /// When the birthday was recorded (unix seconds).
    pub birthday_set_at: Option<i64>,
    /// 1 when the member agreed to notices outside the app.
    pub notices_consent: i64,
}

/// The profile of `member_id`; `None` for an unknown member.
pub async fn get(conn: &mut impl Access, member_id: i64) -> Result<Option<ProfileRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as("SELECT display_name, birthday, birthday_set_at, notices_consent FROM members WHERE id = $1")
        .bind(member_id)
        .fetch_optional(c)
        .await)
}

/// Writes the whole profile of `member_id` (the caller read and merged it under the
/// member's lock). The birthday's moment is kept when the birthday is unchanged.
pub async fn put(tx: &mut Tx, member_id: i64, row: &ProfileRow) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query(
        "UPDATE members SET display_name = $2, birthday = $3, birthday_set_at = $4, notices_consent = $5 WHERE id = $1"
    )
    .bind(member_id)
    .bind(&row.display_name)
    .bind(&row.birthday)
    .bind(row.birthday_set_at)
    .bind(row.notices_consent)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Records the gift of `year`: false (nothing written) when that year's was given.
pub async fn give_gift(tx: &mut Tx, member_id: i64, year: i64, points: i64, now: i64) -> Result<bool, sqlx::Error> {
    let given = on!(tx, |c| sqlx::query(
        "INSERT INTO birthday_gifts (member_id, year, points, given_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING"
    )
    .bind(member_id)
    .bind(year)
    .bind(points)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(given == 1)
}

/// Whether the gift of `year` was given to `member_id`.
pub async fn gift_given(conn: &mut impl Access, member_id: i64, year: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = on!(conn, |c| sqlx::query_scalar("SELECT COUNT(*) FROM birthday_gifts WHERE member_id = $1 AND year = $2")
        .bind(member_id)
        .bind(year)
        .fetch_one(c)
        .await)?;
    Ok(n > 0)
}
