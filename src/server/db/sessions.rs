//! Technician sessions. Only the SHA-256 of a session id is stored.

use super::settings::MFA_REQUIRED_ROLES;
use super::users::USER_COLUMNS;
use super::{Db, DbResult, UserRow};
use crate::on_pool;
use chrono::{DateTime, Utc};

/// A session with its user and the roles that must use two-factor sign-in: every signed-in
/// page needs all three, so they are read together.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub mfa_pending: bool,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub mfa_required_roles: Option<String>,
    #[sqlx(flatten)]
    pub user: UserRow,
}

pub struct NewSession<'a> {
    pub id_hash: &'a str,
    pub user_id: i64,
    pub mfa_pending: bool,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    pub expires_at: DateTime<Utc>,
}

impl Db {
    pub async fn insert_session(&self, s: &NewSession<'_>) -> DbResult<()> {
        let sql =
            "INSERT INTO sessions (id_hash, user_id, mfa_pending, ip, user_agent, created_at, \
                   last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $6, $7)";
        on_pool!(self, pool => sqlx::query(sql)
            .bind(s.id_hash)
            .bind(s.user_id)
            .bind(s.mfa_pending)
            .bind(s.ip)
            .bind(s.user_agent)
            .bind(Utc::now())
            .bind(s.expires_at)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    pub async fn session(&self, id_hash: &str) -> DbResult<Option<SessionRow>> {
        let sql = format!(
            "SELECT s.mfa_pending, s.last_seen_at, s.expires_at, \
             (SELECT value FROM settings WHERE name = $2) AS mfa_required_roles, u.* \
             FROM sessions s JOIN (SELECT {USER_COLUMNS} FROM users) u ON u.id = s.user_id \
             WHERE s.id_hash = $1"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(id_hash).bind(MFA_REQUIRED_ROLES).fetch_optional(pool).await)?)
    }

    pub async fn touch_session(&self, id_hash: &str, at: DateTime<Utc>) -> DbResult<()> {
        let sql = "UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1";
        on_pool!(self, pool => sqlx::query(sql).bind(id_hash).bind(at).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    pub async fn complete_session_mfa(&self, id_hash: &str) -> DbResult<()> {
        let sql = "UPDATE sessions SET mfa_pending = $2 WHERE id_hash = $1";
        on_pool!(self, pool => sqlx::query(sql).bind(id_hash).bind(false).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    pub async fn delete_session(&self, id_hash: &str) -> DbResult<()> {
        let sql = "DELETE FROM sessions WHERE id_hash = $1";
        on_pool!(self, pool => sqlx::query(sql).bind(id_hash).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Ends every session of a user except `keep` (the one making the request, if any).
    pub async fn delete_user_sessions(&self, user_id: i64, keep: Option<&str>) -> DbResult<u64> {
        let sql = "DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR id_hash <> $2)";
        Ok(
            on_pool!(self, pool => sqlx::query(sql).bind(user_id).bind(keep).execute(pool).await.map(|r| r.rows_affected()))?,
        )
    }

    /// Removes sessions past their lifetime or idle limit, and failure counters whose window
    /// and block are over. Called at sign-in, so the tables stay small without a scheduler.
    pub async fn purge_stale(
        &self,
        now: DateTime<Utc>,
        idle_since: DateTime<Utc>,
        window_since: DateTime<Utc>,
    ) -> DbResult<()> {
        let sessions = "DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2";
        let throttle = "DELETE FROM throttle WHERE window_started_at <= $1 AND (blocked_until IS NULL OR blocked_until <= $2)";
        on_pool!(self, pool => sqlx::query(sessions).bind(now).bind(idle_since).execute(pool).await.map(|_| ()))?;
        on_pool!(self, pool => sqlx::query(throttle).bind(window_since).bind(now).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    pub async fn count_user_sessions(&self, user_id: i64) -> DbResult<i64> {
        let sql = "SELECT COUNT(*) FROM sessions WHERE user_id = $1";
        Ok(on_pool!(self, pool => sqlx::query_scalar(sql).bind(user_id).fetch_one(pool).await)?)
    }
}
