//! Reading the audit log (admins only); writing happens in the data layer.

use super::model::{AuditFilter, AuditPage};
use crate::error::AppError;
use leptos::prelude::*;

#[server(prefix = "/rpc", endpoint = "list_audit")]
pub async fn list_audit(#[server(default)] filter: AuditFilter) -> Result<AuditPage, AppError> {
    crate::server::auth::guard::require_admin()?;
    crate::server::auth::guard::db()
        .list_audit(&filter)
        .await
        .map_err(AppError::respond)
}
