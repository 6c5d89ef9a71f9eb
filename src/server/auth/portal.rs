//! Portal sessions of client contacts: their own cookie and table, apart from technicians'.
//! Every portal query is scoped by the contact this session names, never by the request.

use super::session::{cookie, CookiePolicy};
use super::token::{random_token, sha256_hex};
use crate::error::AppError;
use crate::server::db::{Db, DbResult, PortalContact, TicketScope};
use axum::http::HeaderMap;
use chrono::{Duration, Utc};
use leptos::prelude::use_context;

pub const COOKIE_NAME: &str = "docket_portal";
pub const IDLE_TIMEOUT: Duration = Duration::hours(12);
pub const ABSOLUTE_LIFETIME: Duration = Duration::days(7);
const TOUCH_EVERY: Duration = Duration::seconds(60);

/// The signed-in contact of a request.
#[derive(Clone, Debug)]
pub struct PortalSession {
    pub id_hash: String,
    pub contact: PortalContact,
}

impl PortalSession {
    /// The tickets this contact may see.
    pub fn tickets(&self) -> TicketScope {
        let c = &self.contact;
        TicketScope::contact(c.client_id, c.id, c.sees_whole_client())
    }
}

/// The valid portal session named by the request's cookie. A contact who was archived, lost
/// their password or whose client was archived has none.
pub async fn load(db: &Db, headers: &HeaderMap) -> DbResult<Option<PortalSession>> {
    match cookie(headers, COOKIE_NAME).filter(|t| !t.is_empty()) {
        Some(token) => load_token(db, token).await,
        None => Ok(None),
    }
}

/// The valid portal session of a session token (the cookie's value).
pub async fn load_token(db: &Db, token: &str) -> DbResult<Option<PortalSession>> {
    let id_hash = sha256_hex(token);
    let Some(row) = db.portal_session(&id_hash).await? else {
        return Ok(None);
    };
    let now = Utc::now();
    if now >= row.expires_at || now - row.last_seen_at >= IDLE_TIMEOUT {
        db.delete_portal_session(&id_hash).await?;
        return Ok(None);
    }
    let Some(contact) = db
        .portal_contact(row.contact_id)
        .await?
        .filter(|c| c.password_hash.is_some())
    else {
        return Ok(None);
    };
    if now - row.last_seen_at >= TOUCH_EVERY {
        db.touch_portal_session(&id_hash, now).await?;
    }
    Ok(Some(PortalSession { id_hash, contact }))
}

/// Starts a session for a contact and returns the cookie's token.
pub async fn start(db: &Db, contact: i64) -> DbResult<String> {
    let token = random_token(32);
    let now = Utc::now();
    db.purge_portal(now, now - IDLE_TIMEOUT).await?;
    db.insert_portal_session(&sha256_hex(&token), contact, now + ABSOLUTE_LIFETIME)
        .await?;
    Ok(token)
}

pub fn set_cookie(policy: CookiePolicy, token: &str) -> String {
    policy.cookie(COOKIE_NAME, token, ABSOLUTE_LIFETIME)
}

pub fn clear_cookie(policy: CookiePolicy) -> String {
    policy.cookie(COOKIE_NAME, "", Duration::zero())
}

/// The signed-in contact of the current server function call, or 401.
pub async fn require_contact() -> Result<PortalSession, AppError> {
    let headers = use_context::<axum::http::request::Parts>()
        .map(|p| p.headers)
        .unwrap_or_default();
    load(&super::guard::db(), &headers)
        .await?
        .ok_or_else(|| AppError::Unauthorized.respond())
}
