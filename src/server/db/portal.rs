//! The client portal's side of contacts: who may sign in, their sessions, and the one-time
//! links that set a password. Secrets are stored as their SHA-256 only.

use super::{Db, DbResult, Tx};
use crate::{on_pool, on_tx};
use chrono::{DateTime, Utc};

/// A contact as the portal knows them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PortalContact {
    pub id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub password_hash: Option<String>,
    pub is_primary: bool,
    pub technical: bool,
    pub billing: bool,
}

impl PortalContact {
    /// Primary and technical contacts see all of their client's tickets.
    pub fn sees_whole_client(&self) -> bool {
        self.is_primary || self.technical
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PortalSessionRow {
    pub contact_id: i64,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    Invite,
    Reset,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Invite => "invite",
            TokenPurpose::Reset => "reset",
        }
    }
    fn parse(s: &str) -> Self {
        if s == "invite" {
            TokenPurpose::Invite
        } else {
            TokenPurpose::Reset
        }
    }
}

/// Active contacts of active clients only: archiving either ends portal access.
const CONTACT_SELECT: &str =
    "SELECT k.id, k.client_id, c.name AS client_name, k.name, k.email, k.phone, \
     k.password_hash, k.is_primary, k.technical, k.billing \
     FROM contacts k JOIN clients c ON c.id = k.client_id \
     WHERE k.archived_at IS NULL AND c.archived_at IS NULL";

impl Db {
    pub async fn portal_contact_by_email(&self, email: &str) -> DbResult<Option<PortalContact>> {
        let sql = format!("{CONTACT_SELECT} AND k.email_lower = $1");
        let email = email.trim().to_lowercase();
        Ok(on_pool!(self, pool => sqlx::query_as(&sql).bind(email).fetch_optional(pool).await)?)
    }

    pub async fn portal_contact(&self, id: i64) -> DbResult<Option<PortalContact>> {
        let sql = format!("{CONTACT_SELECT} AND k.id = $1");
        Ok(on_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?)
    }

    pub async fn insert_portal_session(
        &self,
        id_hash: &str,
        contact: i64,
        expires_at: DateTime<Utc>,
    ) -> DbResult<()> {
        let sql = "INSERT INTO portal_sessions (id_hash, contact_id, created_at, last_seen_at, expires_at) \
                   VALUES ($1, $2, $3, $3, $4)";
        on_pool!(self, pool => sqlx::query(sql).bind(id_hash).bind(contact).bind(Utc::now())
            .bind(expires_at).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    pub async fn portal_session(&self, id_hash: &str) -> DbResult<Option<PortalSessionRow>> {
        let sql =
            "SELECT contact_id, last_seen_at, expires_at FROM portal_sessions WHERE id_hash = $1";
        Ok(on_pool!(self, pool => sqlx::query_as(sql).bind(id_hash).fetch_optional(pool).await)?)
    }

    pub async fn touch_portal_session(&self, id_hash: &str, at: DateTime<Utc>) -> DbResult<()> {
        let sql = "UPDATE portal_sessions SET last_seen_at = $2 WHERE id_hash = $1";
        on_pool!(self, pool => sqlx::query(sql).bind(id_hash).bind(at).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    pub async fn delete_portal_session(&self, id_hash: &str) -> DbResult<()> {
        let sql = "DELETE FROM portal_sessions WHERE id_hash = $1";
        on_pool!(self, pool => sqlx::query(sql).bind(id_hash).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Removes portal sessions and links past their time.
    pub async fn purge_portal(
        &self,
        now: DateTime<Utc>,
        idle_since: DateTime<Utc>,
    ) -> DbResult<()> {
        let sessions = "DELETE FROM portal_sessions WHERE expires_at <= $1 OR last_seen_at <= $2";
        let tokens = "DELETE FROM portal_tokens WHERE expires_at <= $1";
        on_pool!(self, pool => sqlx::query(sessions).bind(now).bind(idle_since).execute(pool).await.map(|_| ()))?;
        on_pool!(self, pool => sqlx::query(tokens).bind(now).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// What an unused, unexpired link is for, without using it.
    pub async fn portal_token(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> DbResult<Option<(i64, TokenPurpose)>> {
        let sql = "SELECT contact_id, purpose FROM portal_tokens \
                   WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2";
        let row: Option<(i64, String)> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(token_hash).bind(now).fetch_optional(pool).await)?;
        Ok(row.map(|(id, p)| (id, TokenPurpose::parse(&p))))
    }
}

impl Tx {
    /// Stores a new link; earlier unused links of the contact for the same purpose end.
    pub async fn insert_portal_token(
        &mut self,
        token_hash: &str,
        contact: i64,
        purpose: TokenPurpose,
        expires_at: DateTime<Utc>,
    ) -> DbResult<()> {
        let now = Utc::now();
        let old = "UPDATE portal_tokens SET used_at = $3 WHERE contact_id = $1 AND purpose = $2 AND used_at IS NULL";
        on_tx!(self, conn => sqlx::query(old).bind(contact).bind(purpose.as_str()).bind(now).execute(conn).await.map(|_| ()))?;
        let sql =
            "INSERT INTO portal_tokens (token_hash, contact_id, purpose, created_at, expires_at) \
                   VALUES ($1, $2, $3, $4, $5)";
        on_tx!(self, conn => sqlx::query(sql).bind(token_hash).bind(contact).bind(purpose.as_str())
            .bind(now).bind(expires_at).execute(conn).await.map(|_| ()))?;
        Ok(())
    }

    /// Uses a link: answers its contact only if it was unused and unexpired, and marks it used
    /// in the same statement, so two uses cannot both succeed.
    pub async fn take_portal_token(
        &mut self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> DbResult<Option<i64>> {
        let sql = "UPDATE portal_tokens SET used_at = $2 \
                   WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING contact_id";
        Ok(
            on_tx!(self, conn => sqlx::query_scalar(sql).bind(token_hash).bind(now).fetch_optional(conn).await)?,
        )
    }

    /// Sets a contact's portal password; their other portal sessions end.
    pub async fn set_portal_password(&mut self, contact: i64, hash: &str) -> DbResult<()> {
        let sql = "UPDATE contacts SET password_hash = $2, auth_method = 'local', updated_at = $3 WHERE id = $1";
        on_tx!(self, conn => sqlx::query(sql).bind(contact).bind(hash).bind(Utc::now()).execute(conn).await.map(|_| ()))?;
        let sessions = "DELETE FROM portal_sessions WHERE contact_id = $1";
        on_tx!(self, conn => sqlx::query(sessions).bind(contact).execute(conn).await.map(|_| ()))?;
        Ok(())
    }

    /// The contact's own profile fields from the portal.
    pub async fn update_portal_profile(
        &mut self,
        contact: i64,
        name: &str,
        phone: &str,
    ) -> DbResult<()> {
        let sql = "UPDATE contacts SET name = $2, phone = $3, phone_digits = $4, updated_at = $5 WHERE id = $1";
        on_tx!(self, conn => sqlx::query(sql).bind(contact).bind(name.trim()).bind(phone.trim())
            .bind(crate::clients::model::digits(phone)).bind(Utc::now()).execute(conn).await.map(|_| ()))?;
        Ok(())
    }
}
