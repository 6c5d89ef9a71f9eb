//! Server functions for API keys (admins only): list, create (the key is answered once),
//! revoke.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    crate::error::FieldError,
    crate::server::api::keys,
    crate::server::auth::guard,
    crate::server::db::{ApiKeyRow, AuditEntry},
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiKeyItem {
    pub id: i64,
    pub name: String,
    /// The email of the technician the key acts as.
    pub owner: String,
    pub last_four: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    pub revoked: bool,
}

#[cfg(feature = "ssr")]
fn item((k, owner): (ApiKeyRow, String)) -> ApiKeyItem {
    ApiKeyItem {
        id: k.id,
        name: k.name,
        owner,
        last_four: k.last_four,
        created_at: k.created_at.to_rfc3339(),
        expires_at: k.state.expires_at.map(|t| t.to_rfc3339()),
        last_used_at: k.state.last_used_at.map(|t| t.to_rfc3339()),
        revoked: k.state.revoked_at.is_some(),
    }
}

#[server(prefix = "/rpc", endpoint = "list_api_keys")]
pub async fn list_api_keys() -> Result<Vec<ApiKeyItem>, AppError> {
    guard::require_admin()?;
    Ok(guard::db()
        .list_api_keys()
        .await?
        .into_iter()
        .map(item)
        .collect())
}

/// Makes a key for a technician and answers the key: the only time anyone sees it.
#[server(prefix = "/rpc", endpoint = "create_api_key")]
pub async fn create_api_key(
    name: String,
    user_id: i64,
    #[server(default)] expires_days: String,
) -> Result<String, AppError> {
    let s = guard::require_admin()?;
    let db = guard::db();
    let invalid = |field: &str, message: &str| {
        AppError::Invalid(vec![FieldError {
            field: field.into(),
            message: message.into(),
        }])
        .respond()
    };
    let user = db
        .user_by_id(user_id)
        .await?
        .filter(|u| u.disabled_at.is_none())
        .ok_or_else(|| invalid("user_id", "Choose an active technician"))?;
    let days = expires_days.trim();
    let expires_at = match days {
        "" => None,
        _ => match days.parse::<i64>() {
            Ok(d @ 1..=3650) => Some(chrono::Utc::now() + chrono::TimeDelta::days(d)),
            _ => {
                return Err(invalid(
                    "expires_days",
                    "Enter days from 1 to 3650, or leave empty",
                ))
            }
        },
    };
    let issued = keys::issue(
        &db,
        &user,
        &name,
        expires_at,
        guard::actor(&s),
        guard::origin(),
    )
    .await
    .map_err(AppError::respond)?;
    Ok(issued.key)
}

#[server(prefix = "/rpc", endpoint = "revoke_api_key")]
pub async fn revoke_api_key(id: i64) -> Result<(), AppError> {
    let s = guard::require_admin()?;
    let db = guard::db();
    let mut tx = db.begin().await?;
    let Some(name) = tx.revoke_api_key(id).await? else {
        return Err(AppError::NotFound.respond());
    };
    let entry = AuditEntry::new(guard::actor(&s), "api_key.revoke", guard::origin())
        .record("api_key", id, name);
    tx.audit(&entry).await?;
    tx.commit().await?;
    Ok(())
}
