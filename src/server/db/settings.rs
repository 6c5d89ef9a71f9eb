//! Instance-wide settings: a small key/value table.

use super::{Db, DbResult};
use crate::on_pool;

/// Settings key: comma-separated roles that must use two-factor sign-in.
pub const MFA_REQUIRED_ROLES: &str = "mfa_required_roles";

impl Db {
    pub async fn setting(&self, name: &str) -> DbResult<Option<String>> {
        let sql = "SELECT value FROM settings WHERE name = $1";
        Ok(on_pool!(self, pool => sqlx::query_scalar(sql).bind(name).fetch_optional(pool).await)?)
    }

    pub async fn put_setting(&self, name: &str, value: &str) -> DbResult<()> {
        let sql = "INSERT INTO settings (name, value, updated_at) VALUES ($1, $2, $3) \
                   ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at";
        let now = chrono::Utc::now();
        on_pool!(self, pool => sqlx::query(sql).bind(name).bind(value).bind(now).execute(pool).await.map(|_| ()))?;
        Ok(())
    }
}
