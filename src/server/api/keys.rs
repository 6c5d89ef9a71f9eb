//! Issuing API keys: a key is shown once, when it is made, and stored only as its SHA-256.

use crate::error::{AppError, FieldError};
use crate::server::auth::token::{random_token, sha256_hex};
use crate::server::db::{Actor, AuditEntry, Db, NewApiKey, Origin, UserRow};
use chrono::{DateTime, Utc};

/// A key just made: its id, and the key itself, which is never readable again.
pub struct IssuedKey {
    pub id: i64,
    pub key: String,
}

/// Makes a key for `user`, audited in the same transaction.
pub async fn issue(
    db: &Db,
    user: &UserRow,
    name: &str,
    expires_at: Option<DateTime<Utc>>,
    by: Actor,
    origin: Origin,
) -> Result<IssuedKey, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::Invalid(vec![FieldError {
            field: "name".into(),
            message: "Name the key (at most 100 characters), e.g. the script that uses it".into(),
        }]));
    }
    let key = format!("dk_{}", random_token(32));
    let last_four = &key[key.len() - 4..];
    let mut tx = db.begin().await?;
    let id = tx
        .insert_api_key(&NewApiKey {
            user_id: user.id,
            name,
            key_hash: &sha256_hex(&key),
            last_four,
            expires_at,
        })
        .await?;
    let mut entry = AuditEntry::new(by, "api_key.create", origin)
        .record("api_key", id, name)
        .change("user", "", &user.email)
        .change("last_four", "", last_four);
    if let Some(end) = expires_at {
        entry = entry.change("expires_at", "", end.to_rfc3339());
    }
    tx.audit(&entry).await?;
    tx.commit().await?;
    Ok(IssuedKey { id, key })
}
