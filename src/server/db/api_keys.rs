//! API keys. Only the SHA-256 of a key is stored, with its last four characters.

use super::users::USER_COLUMNS;
use super::{Db, DbResult, Tx, UserRow};
use crate::{on_pool, on_tx};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiKeyRow {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub last_four: String,
    pub created_at: DateTime<Utc>,
    #[sqlx(flatten)]
    pub state: KeyState,
}

/// A key presented to the API with its owner: every API request needs both, so they are read
/// together.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KeyUse {
    pub key_id: i64,
    #[sqlx(flatten)]
    pub state: KeyState,
    #[sqlx(flatten)]
    pub user: UserRow,
}

/// What a use of a key checks and records.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KeyState {
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl KeyState {
    /// Whether a use at `now` should be written: the last one written is a minute old. The
    /// check is made here, not by the UPDATE alone, because an UPDATE takes SQLite's write lock
    /// even when it changes nothing, and every API request would queue for it.
    pub fn use_is_news(&self, now: DateTime<Utc>) -> bool {
        self.last_used_at
            .is_none_or(|at| now - at >= chrono::TimeDelta::minutes(1))
    }

    /// Neither revoked nor expired at `now`.
    pub fn usable(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|end| now < end)
    }
}

pub struct NewApiKey<'a> {
    pub user_id: i64,
    pub name: &'a str,
    pub key_hash: &'a str,
    pub last_four: &'a str,
    pub expires_at: Option<DateTime<Utc>>,
}

impl Db {
    /// The key whose SHA-256 is `key_hash` with its owner, usable or not.
    pub async fn api_key_use(&self, key_hash: &str) -> DbResult<Option<KeyUse>> {
        let sql = format!(
            "SELECT k.id AS key_id, k.expires_at, k.last_used_at, k.revoked_at, u.* \
             FROM api_keys k JOIN (SELECT {USER_COLUMNS} FROM users) u ON u.id = k.user_id \
             WHERE k.key_hash = $1"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql).bind(key_hash).fetch_optional(pool).await)?)
    }

    /// Records a use; written at most once a minute per key (see [`ApiKeyRow::use_is_news`]).
    pub async fn touch_api_key(&self, id: i64, now: DateTime<Utc>) -> DbResult<()> {
        let sql = "UPDATE api_keys SET last_used_at = $2 WHERE id = $1 \
                   AND (last_used_at IS NULL OR last_used_at < $3)";
        let stale = now - chrono::TimeDelta::minutes(1);
        on_pool!(self, pool => sqlx::query(sql)
            .bind(id).bind(now).bind(stale).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Every key with its owner's email: usable keys first, newest first.
    pub async fn list_api_keys(&self) -> DbResult<Vec<(ApiKeyRow, String)>> {
        let sql = "SELECT k.id, k.user_id, k.name, k.last_four, k.created_at, k.expires_at, \
                   k.last_used_at, k.revoked_at, u.email AS owner FROM api_keys k \
                   JOIN users u ON u.id = k.user_id \
                   ORDER BY k.revoked_at IS NOT NULL, k.created_at DESC, k.id DESC";
        let rows: Vec<ListedKey> =
            on_pool!(self, pool => sqlx::query_as(sql).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(|r| (r.key, r.owner)).collect())
    }
}

#[derive(sqlx::FromRow)]
struct ListedKey {
    #[sqlx(flatten)]
    key: ApiKeyRow,
    owner: String,
}

impl Tx {
    pub async fn insert_api_key(&mut self, key: &NewApiKey<'_>) -> DbResult<i64> {
        let sql = "INSERT INTO api_keys (user_id, name, key_hash, last_four, created_at, \
                   expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
        Ok(on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(key.user_id).bind(key.name).bind(key.key_hash).bind(key.last_four)
            .bind(Utc::now()).bind(key.expires_at)
            .fetch_one(conn).await)?)
    }

    /// Revokes a key for good and answers its name; None when it was revoked already or
    /// does not exist.
    pub async fn revoke_api_key(&mut self, id: i64) -> DbResult<Option<String>> {
        let sql = "UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL \
                   RETURNING name";
        Ok(on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(id).bind(Utc::now()).fetch_optional(conn).await)?)
    }
}
