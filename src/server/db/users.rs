//! Technician accounts.

use super::{Db, DbResult, Tx};
use crate::accounts::model::Role;
use crate::error::AppError;
use crate::{on_pool, on_tx};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub password_hash: String,
    pub must_change_password: bool,
    pub restricted: bool,
    pub totp_secret: Option<String>,
    pub totp_pending_secret: Option<String>,
    pub totp_last_step: Option<i64>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub disabled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl UserRow {
    pub fn role(&self) -> Role {
        self.role.parse().unwrap_or(Role::ReadOnly)
    }
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
    pub must_change_password: bool,
}

/// Which fields an admin changes on a user; `None` leaves a field as it is.
#[derive(Default)]
pub struct UserChanges<'a> {
    pub name: Option<&'a str>,
    pub role: Option<Role>,
    pub restricted: Option<bool>,
    pub disabled: Option<bool>,
}

pub(super) const USER_COLUMNS: &str = "id, email, name, role, password_hash, must_change_password, restricted, \
     totp_secret, totp_pending_secret, totp_last_step, last_login_at, disabled_at, created_at, updated_at";

impl Db {
    /// True once any technician account exists (first-run setup is over).
    pub async fn has_users(&self) -> DbResult<bool> {
        let sql = "SELECT EXISTS (SELECT 1 FROM users)";
        Ok(on_pool!(self, pool => sqlx::query_scalar(sql).fetch_one(pool).await)?)
    }

    pub async fn user_by_email(&self, email: &str) -> DbResult<Option<UserRow>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email_lower = $1");
        let email = email.trim().to_lowercase();
        Ok(on_pool!(self, pool => sqlx::query_as(&sql).bind(&email).fetch_optional(pool).await)?)
    }

    pub async fn user_by_id(&self, id: i64) -> DbResult<Option<UserRow>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        Ok(on_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?)
    }

    pub async fn list_users(&self) -> DbResult<Vec<UserRow>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY lower(name), id");
        Ok(on_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await)?)
    }

    /// The clients a restricted user may see.
    pub async fn user_client_ids(&self, user_id: i64) -> DbResult<Vec<i64>> {
        let sql = "SELECT client_id FROM user_clients WHERE user_id = $1 ORDER BY client_id";
        Ok(on_pool!(self, pool => sqlx::query_scalar(sql).bind(user_id).fetch_all(pool).await)?)
    }

    /// The clients a user is restricted to, by name: (id, name).
    pub async fn user_clients(&self, user_id: i64) -> DbResult<Vec<(i64, String)>> {
        let sql = "SELECT c.id, c.name FROM user_clients u JOIN clients c ON c.id = u.client_id \
                   WHERE u.user_id = $1 ORDER BY lower(c.name), c.id";
        Ok(on_pool!(self, pool => sqlx::query_as(sql).bind(user_id).fetch_all(pool).await)?)
    }

    pub async fn record_login(&self, user_id: i64, at: DateTime<Utc>) -> DbResult<()> {
        let sql = "UPDATE users SET last_login_at = $2 WHERE id = $1";
        on_pool!(self, pool => sqlx::query(sql).bind(user_id).bind(at).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Remembers the last TOTP step used so a code cannot be replayed.
    pub async fn use_totp_step(&self, user_id: i64, step: i64) -> DbResult<bool> {
        let sql = "UPDATE users SET totp_last_step = $2 \
                   WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)";
        let updated = on_pool!(self, pool => sqlx::query(sql).bind(user_id).bind(step).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(updated == 1)
    }
}

impl Tx {
    pub async fn insert_user(&mut self, user: &NewUser<'_>) -> DbResult<i64> {
        let sql = "INSERT INTO users (email, email_lower, name, role, password_hash, must_change_password, \
                   restricted, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id";
        let email = user.email.trim();
        let now = Utc::now();
        let result: Result<i64, sqlx::Error> = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(email)
            .bind(email.to_lowercase())
            .bind(user.name.trim())
            .bind(user.role.as_str())
            .bind(user.password_hash)
            .bind(user.must_change_password)
            .bind(false)
            .bind(now)
            .fetch_one(conn)
            .await);
        result.map_err(|err| match &err {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                AppError::Conflict(format!("A user with the email {email} already exists"))
            }
            _ => err.into(),
        })
    }

    pub async fn update_user(&mut self, id: i64, changes: &UserChanges<'_>) -> DbResult<()> {
        let sql = "UPDATE users SET name = COALESCE($2, name), role = COALESCE($3, role), \
                   restricted = COALESCE($4, restricted), \
                   disabled_at = CASE WHEN $5 IS NULL THEN disabled_at WHEN $5 THEN COALESCE(disabled_at, $6) ELSE NULL END, \
                   updated_at = $6 WHERE id = $1";
        let role = changes.role.map(Role::as_str);
        on_tx!(self, conn => sqlx::query(sql)
            .bind(id)
            .bind(changes.name.map(str::trim))
            .bind(role)
            .bind(changes.restricted)
            .bind(changes.disabled)
            .bind(Utc::now())
            .execute(conn)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    pub async fn set_password(&mut self, id: i64, hash: &str, must_change: bool) -> DbResult<()> {
        let sql = "UPDATE users SET password_hash = $2, must_change_password = $3, updated_at = $4 WHERE id = $1";
        on_tx!(self, conn => sqlx::query(sql).bind(id).bind(hash).bind(must_change).bind(Utc::now())
            .execute(conn).await.map(|_| ()))?;
        Ok(())
    }

    /// Replaces the clients a restricted user may see.
    pub async fn set_user_clients(&mut self, user_id: i64, client_ids: &[i64]) -> DbResult<()> {
        on_tx!(self, conn => sqlx::query("DELETE FROM user_clients WHERE user_id = $1")
            .bind(user_id).execute(&mut *conn).await.map(|_| ()))?;
        for client_id in client_ids {
            self.add_user_client(user_id, *client_id).await?;
        }
        Ok(())
    }

    pub async fn add_user_client(&mut self, user_id: i64, client_id: i64) -> DbResult<()> {
        let sql =
            "INSERT INTO user_clients (user_id, client_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
        on_tx!(self, conn => sqlx::query(sql).bind(user_id).bind(client_id)
            .execute(conn).await.map(|_| ()))?;
        Ok(())
    }

    /// Starts (Some) or abandons (None) a two-factor enrolment.
    pub async fn set_pending_totp(&mut self, id: i64, secret: Option<&str>) -> DbResult<()> {
        let sql = "UPDATE users SET totp_pending_secret = $2, updated_at = $3 WHERE id = $1";
        on_tx!(self, conn => sqlx::query(sql).bind(id).bind(secret).bind(Utc::now())
            .execute(conn).await.map(|_| ()))?;
        Ok(())
    }

    /// Turns two-factor on with `secret` (Some) or off (None), replacing the recovery codes.
    pub async fn set_totp(
        &mut self,
        id: i64,
        secret: Option<&str>,
        step: Option<i64>,
        code_hashes: &[String],
    ) -> DbResult<()> {
        let now = Utc::now();
        let sql =
            "UPDATE users SET totp_secret = $2, totp_pending_secret = NULL, totp_last_step = $3, \
                   updated_at = $4 WHERE id = $1";
        on_tx!(self, conn => sqlx::query(sql).bind(id).bind(secret).bind(step).bind(now)
            .execute(conn).await.map(|_| ()))?;
        on_tx!(self, conn => sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(id).execute(conn).await.map(|_| ()))?;
        for hash in code_hashes {
            let sql =
                "INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)";
            on_tx!(self, conn => sqlx::query(sql).bind(id).bind(hash).bind(now)
                .execute(conn).await.map(|_| ()))?;
        }
        Ok(())
    }
}

impl Db {
    /// Spends a recovery code; true when it was valid and unused.
    pub async fn use_recovery_code(&self, user_id: i64, code_hash: &str) -> DbResult<bool> {
        let sql = "UPDATE recovery_codes SET used_at = $3 \
                   WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL";
        let n = on_pool!(self, pool => sqlx::query(sql).bind(user_id).bind(code_hash).bind(Utc::now())
            .execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    pub async fn unused_recovery_codes(&self, user_id: i64) -> DbResult<i64> {
        let sql = "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL";
        Ok(on_pool!(self, pool => sqlx::query_scalar(sql).bind(user_id).fetch_one(pool).await)?)
    }
}
