//! Instance security settings: which roles must use two-factor sign-in.

use crate::accounts::model::Role;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::{
    auth::guard,
    db::{AuditEntry, MFA_REQUIRED_ROLES},
};

#[server(prefix = "/rpc", endpoint = "mfa_required")]
pub async fn mfa_required() -> Result<Vec<Role>, AppError> {
    guard::require_admin()?;
    guard::mfa_required_roles(&guard::db())
        .await
        .map_err(AppError::respond)
}

/// Each role is a checkbox; a checked one arrives with any value.
#[server(prefix = "/rpc", endpoint = "set_mfa_required")]
pub async fn set_mfa_required(
    admin: Option<String>,
    technician: Option<String>,
    read_only: Option<String>,
) -> Result<(), AppError> {
    let session = guard::require_admin()?;
    let db = guard::db();
    let before = guard::mfa_required_roles(&db).await?;
    let roles: Vec<&str> = [
        (Role::Admin, admin),
        (Role::Technician, technician),
        (Role::ReadOnly, read_only),
    ]
    .into_iter()
    .filter_map(|(role, on)| on.map(|_| role.as_str()))
    .collect();
    let value = roles.join(",");
    let old = before
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",");
    db.put_setting(MFA_REQUIRED_ROLES, &value).await?;
    db.audit(
        &AuditEntry::new(guard::actor(&session), "settings.update", guard::origin()).change(
            "mfa_required_roles",
            old,
            &value,
        ),
    )
    .await?;
    leptos_axum::redirect("/admin/security?saved=1");
    Ok(())
}
