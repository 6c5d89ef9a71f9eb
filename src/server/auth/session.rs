//! Technician sessions: the cookie, loading the session of a request, starting and ending one.

use crate::server::db::{Db, DbResult, NewSession, Origin, UserRow};
use crate::server::http::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::Response;
use chrono::{Duration, Utc};

use super::token::{random_token, sha256_hex};

pub const COOKIE_NAME: &str = "docket_session";
/// A session unused this long ends.
pub const IDLE_TIMEOUT: Duration = Duration::hours(12);
/// No session lives longer than this, used or not.
pub const ABSOLUTE_LIFETIME: Duration = Duration::days(7);
/// `last_seen_at` is written at most this often, to keep reads cheap.
const TOUCH_EVERY: Duration = Duration::seconds(60);

/// Whether cookies carry `Secure` (off only for plain-http tests and loopback).
#[derive(Clone, Copy, Debug)]
pub struct CookiePolicy {
    pub secure: bool,
}

impl CookiePolicy {
    /// A session cookie `name` holding `value` for `max_age` (zero removes it).
    pub fn cookie(&self, name: &str, value: &str, max_age: Duration) -> String {
        let secure = if self.secure { "; Secure" } else { "" };
        let max_age = max_age.num_seconds();
        format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
    }

    pub fn set(&self, token: &str) -> String {
        self.cookie(COOKIE_NAME, token, ABSOLUTE_LIFETIME)
    }

    pub fn clear(&self) -> String {
        self.cookie(COOKIE_NAME, "", Duration::zero())
    }
}

/// Which clients a technician may see.
#[derive(Clone, Debug, PartialEq)]
pub enum ClientScope {
    All,
    Only(Vec<i64>),
}

impl ClientScope {
    pub fn allows(&self, client_id: i64) -> bool {
        match self {
            ClientScope::All => true,
            ClientScope::Only(ids) => ids.contains(&client_id),
        }
    }
}

/// The signed-in technician of a request.
#[derive(Clone, Debug)]
pub struct Session {
    pub id_hash: String,
    pub user: UserRow,
    /// Password accepted, second step still to come.
    pub mfa_pending: bool,
    /// The user has no second factor yet and their role must have one.
    pub mfa_enrolment_due: bool,
    pub clients: ClientScope,
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find_map(|(k, v)| (k == name).then_some(v))
}

/// The valid session named by the request's cookie, if any. Expired sessions are removed.
pub async fn load(db: &Db, headers: &HeaderMap) -> DbResult<Option<Session>> {
    let Some(token) = cookie(headers, COOKIE_NAME).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let id_hash = sha256_hex(token);
    let Some(row) = db.session(&id_hash).await? else {
        return Ok(None);
    };
    let now = Utc::now();
    if now >= row.expires_at || now - row.last_seen_at >= IDLE_TIMEOUT {
        db.delete_session(&id_hash).await?;
        return Ok(None);
    }
    let user = row.user;
    if user.disabled_at.is_some() {
        return Ok(None);
    }
    if now - row.last_seen_at >= TOUCH_EVERY {
        db.touch_session(&id_hash, now).await?;
    }
    let clients = if user.restricted {
        ClientScope::Only(db.user_client_ids(user.id).await?)
    } else {
        ClientScope::All
    };
    let mfa_enrolment_due = user.totp_secret.is_none()
        && super::guard::roles(row.mfa_required_roles.as_deref()).contains(&user.role());
    Ok(Some(Session {
        id_hash,
        user,
        mfa_pending: row.mfa_pending,
        mfa_enrolment_due,
        clients,
    }))
}

/// Starts a new session (a fresh id: ids are never reused across logins) and returns the
/// token for the cookie.
pub async fn start(
    db: &Db,
    user: &UserRow,
    mfa_pending: bool,
    origin: &Origin,
) -> DbResult<String> {
    let token = random_token(32);
    let now = Utc::now();
    db.purge_stale(now, now - IDLE_TIMEOUT, now - Duration::days(1))
        .await?;
    db.insert_session(&NewSession {
        id_hash: &sha256_hex(&token),
        user_id: user.id,
        mfa_pending,
        ip: origin.ip.as_deref(),
        user_agent: origin.user_agent.as_deref(),
        expires_at: Utc::now() + ABSOLUTE_LIFETIME,
    })
    .await?;
    Ok(token)
}

/// Middleware: puts the request's `Session` (when there is one) into its extensions.
pub async fn attach(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if !(path.starts_with("/pkg/") || path == "/healthz") {
        match load(&state.db, req.headers()).await {
            Ok(Some(session)) => {
                req.extensions_mut().insert(session);
            }
            Ok(None) => {}
            Err(_) => return crate::server::http::error_response(crate::error::AppError::Internal),
        }
    }
    next.run(req).await
}
