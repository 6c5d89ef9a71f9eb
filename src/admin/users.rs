//! Server functions for managing technician accounts (admins only).

use crate::accounts::model::Role;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    crate::accounts::model::{email_problem, name_problem, password_problem},
    crate::server::auth::{guard, password},
    crate::server::db::{AuditEntry, NewUser, Scope, UserChanges, UserRow},
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserItem {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub disabled: bool,
    pub mfa_enabled: bool,
    pub must_change_password: bool,
    pub restricted: bool,
    /// RFC 3339, UTC.
    pub last_login_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRecord {
    pub user: UserItem,
    /// The clients a restricted user may see: (id, name).
    pub clients: Vec<(i64, String)>,
}

#[cfg(feature = "ssr")]
fn item(u: &UserRow) -> UserItem {
    UserItem {
        id: u.id,
        name: u.name.clone(),
        email: u.email.clone(),
        role: u.role(),
        disabled: u.disabled_at.is_some(),
        mfa_enabled: u.totp_secret.is_some(),
        must_change_password: u.must_change_password,
        restricted: u.restricted,
        last_login_at: u.last_login_at.map(|t| t.to_rfc3339()),
    }
}

#[server(prefix = "/rpc", endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<UserItem>, AppError> {
    guard::require_admin()?;
    Ok(guard::db().list_users().await?.iter().map(item).collect())
}

#[server(prefix = "/rpc", endpoint = "user_detail")]
pub async fn user_detail(id: i64) -> Result<UserRecord, AppError> {
    guard::require_admin()?;
    let db = guard::db();
    let user = db
        .user_by_id(id)
        .await?
        .ok_or_else(|| AppError::NotFound.respond())?;
    Ok(UserRecord {
        user: item(&user),
        clients: db.user_clients(id).await?,
    })
}

/// Creates a technician with a temporary password they must change at first sign-in.
#[server(prefix = "/rpc", endpoint = "create_user")]
pub async fn create_user(
    name: String,
    email: String,
    role: Role,
    password: String,
) -> Result<(), AppError> {
    let admin = guard::require_admin()?;
    let problems: Vec<_> = [
        ("name", name_problem(&name)),
        ("email", email_problem(&email)),
        ("password", password_problem(&password)),
    ]
    .into_iter()
    .filter_map(|(field, p)| p.map(|p| AppError::invalid(field, p).into_fields()))
    .flatten()
    .collect();
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems).respond());
    }
    let hash = password::hash(password).await?;
    let mut tx = guard::db().begin().await?;
    let new = NewUser {
        email: &email,
        name: &name,
        role,
        password_hash: &hash,
        must_change_password: true,
    };
    let id = tx.insert_user(&new).await.map_err(|e| match e {
        AppError::Conflict(m) => AppError::invalid("email", m).respond(),
        other => other.respond(),
    })?;
    tx.audit(
        &AuditEntry::new(guard::actor(&admin), "user.create", guard::origin())
            .record("user", id, email.trim())
            .change("name", "", name.trim())
            .change("role", "", role),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/admin/users/{id}"));
    Ok(())
}

/// Changes name, role, client restriction and disabled state. The clients are those kept
/// ticked (`client_ids`) and one more named in `add_client` ("Name #12" or "#12"). Admins
/// cannot lock themselves out.
#[server(prefix = "/rpc", endpoint = "update_user")]
pub async fn update_user(
    id: i64,
    name: String,
    role: Role,
    restricted: Option<String>,
    client_ids: Option<Vec<i64>>,
    add_client: Option<String>,
    disabled: Option<String>,
) -> Result<(), AppError> {
    let admin = guard::require_admin()?;
    let db = guard::db();
    let before = db
        .user_by_id(id)
        .await?
        .ok_or_else(|| AppError::NotFound.respond())?;
    if let Some(p) = name_problem(&name) {
        return Err(AppError::invalid("name", p).respond());
    }
    let (restricted, disabled) = (restricted.is_some(), disabled.is_some());
    if id == admin.user.id && (role != Role::Admin || disabled) {
        return Err(AppError::Conflict(
            "You cannot remove your own admin role or disable yourself".into(),
        )
        .respond());
    }
    let mut client_ids = client_ids.unwrap_or_default();
    let added = add_client.as_deref().map(str::trim).unwrap_or_default();
    if !added.is_empty() {
        let not_found = || {
            AppError::invalid(
                "add_client",
                "Choose a client from the suggestions, or type its number like #12",
            )
            .respond()
        };
        let client = crate::clients::model::client_ref(added).ok_or_else(not_found)?;
        if !db.client_visible(Scope::ALL, client).await? {
            return Err(not_found());
        }
        client_ids.push(client);
    }
    let before_clients = db.user_client_ids(id).await?;
    let mut tx = db.begin().await?;
    let changes = UserChanges {
        name: Some(&name),
        role: Some(role),
        restricted: Some(restricted),
        disabled: Some(disabled),
    };
    tx.update_user(id, &changes).await?;
    tx.set_user_clients(id, &client_ids).await?;
    let list = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let mut sorted = client_ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    tx.audit(
        &AuditEntry::new(guard::actor(&admin), "user.update", guard::origin())
            .record("user", id, &before.email)
            .change("name", &before.name, name.trim())
            .change("role", before.role(), role)
            .change("restricted", before.restricted, restricted)
            .change("clients", list(&before_clients), list(&sorted))
            .change("disabled", before.disabled_at.is_some(), disabled),
    )
    .await?;
    tx.commit().await?;
    if disabled {
        db.delete_user_sessions(id, None).await?;
    }
    leptos_axum::redirect(&format!("/admin/users/{id}?saved=1"));
    Ok(())
}

/// Sets a temporary password; the user must choose a new one at next sign-in, and their
/// sessions end now.
#[server(prefix = "/rpc", endpoint = "reset_user_password")]
pub async fn reset_user_password(id: i64, password: String) -> Result<(), AppError> {
    let admin = guard::require_admin()?;
    if let Some(p) = password_problem(&password) {
        return Err(AppError::invalid("password", p).respond());
    }
    let db = guard::db();
    let user = db
        .user_by_id(id)
        .await?
        .ok_or_else(|| AppError::NotFound.respond())?;
    let hash = password::hash(password).await?;
    let mut tx = db.begin().await?;
    tx.set_password(id, &hash, true).await?;
    tx.audit(
        &AuditEntry::new(guard::actor(&admin), "user.password_reset", guard::origin()).record(
            "user",
            id,
            &user.email,
        ),
    )
    .await?;
    tx.commit().await?;
    db.delete_user_sessions(id, None).await?;
    leptos_axum::redirect(&format!("/admin/users/{id}?reset=1"));
    Ok(())
}
