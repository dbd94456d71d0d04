//! Uploaded images, bytes in the database so every replica serves them.

use super::{on, on_pool, Access, Pool, Tx};

/// A stored image.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ImageRow {
    /// `image/png`, `image/jpeg` or `image/webp`.
    pub content_type: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Stores an image under its content-derived name (once: the same bytes keep one row).
pub async fn insert(tx: &mut Tx, name: &str, content_type: &str, bytes: &[u8], now: i64) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query(
        "INSERT INTO images (name, content_type, bytes, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING"
    )
    .bind(name)
    .bind(content_type)
    .bind(bytes)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The image stored under `name`.
pub async fn one(reader: &Pool, name: &str) -> Result<Option<ImageRow>, sqlx::Error> {
    on_pool!(reader, |p| sqlx::query_as("SELECT content_type, bytes FROM images WHERE name = $1").bind(name).fetch_optional(p).await)
}

/// Whether an image with this name exists (an item may name it).
pub async fn exists(conn: &mut impl Access, name: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> =
        on!(conn, |c| sqlx::query_scalar("SELECT name FROM images WHERE name = $1").bind(name).fetch_optional(c).await)?;
    Ok(found.is_some())
}
