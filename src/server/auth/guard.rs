//! Who is calling: the first line of every server function, and the page guard that sends
//! visitors to setup, sign-in, the second step or a forced password change.

use super::session::{ClientScope, CookiePolicy, Session};
use crate::accounts::model::Role;
use crate::error::AppError;
use crate::server::db::{Actor, Db, DbResult, Origin, Scope, MFA_REQUIRED_ROLES};
use crate::server::http::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, request::Parts, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::{expect_context, use_context};
use std::net::SocketAddr;

/// Pages anyone may open.
const PUBLIC_PAGES: &[&str] = &["/login", "/login/mfa", "/setup", "/logout"];

pub fn db() -> Db {
    expect_context::<Db>()
}

pub fn cookie_policy() -> CookiePolicy {
    expect_context::<CookiePolicy>()
}

fn parts() -> Option<Parts> {
    use_context::<Parts>()
}

/// The session of the current request, whatever its state.
pub fn session() -> Option<Session> {
    parts().and_then(|p| p.extensions.get::<Session>().cloned())
}

/// Address and user agent of the current request, for the audit log and sessions.
pub fn origin() -> Origin {
    parts()
        .map(|p| origin_of(&p.headers, p.extensions.get::<ConnectInfo<SocketAddr>>()))
        .unwrap_or_default()
}

pub fn origin_of(headers: &HeaderMap, peer: Option<&ConnectInfo<SocketAddr>>) -> Origin {
    Origin {
        source: "ui",
        ip: peer.map(|ConnectInfo(addr)| addr.ip().to_string()),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(300).collect()),
    }
}

/// A fully signed-in technician (second step done, no password change pending).
pub fn require_user() -> Result<Session, AppError> {
    match session() {
        Some(s) if !s.mfa_pending && !s.user.must_change_password => Ok(s),
        Some(s) if !s.mfa_pending => Err(AppError::Forbidden.respond()),
        _ => Err(AppError::Unauthorized.respond()),
    }
}

/// A technician or admin: read-only users may not change anything.
pub fn require_writer() -> Result<Session, AppError> {
    let s = require_user()?;
    if s.user.role().can_write() {
        Ok(s)
    } else {
        Err(AppError::Forbidden.respond())
    }
}

pub fn require_admin() -> Result<Session, AppError> {
    let s = require_user()?;
    if s.user.role() == Role::Admin {
        Ok(s)
    } else {
        Err(AppError::Forbidden.respond())
    }
}

/// The clients the signed-in technician may see.
pub fn scope(session: &Session) -> Scope {
    match session.clients {
        ClientScope::All => Scope::ALL,
        ClientScope::Only(_) => Scope::user(session.user.id),
    }
}

pub fn actor(session: &Session) -> Actor {
    Actor::user(
        session.user.id,
        format!("{} <{}>", session.user.name, session.user.email),
    )
}

/// The roles that must use two-factor sign-in.
pub async fn mfa_required_roles(db: &Db) -> DbResult<Vec<Role>> {
    Ok(roles(db.setting(MFA_REQUIRED_ROLES).await?.as_deref()))
}

/// The roles of a [`MFA_REQUIRED_ROLES`] setting's value.
pub fn roles(setting: Option<&str>) -> Vec<Role> {
    setting
        .unwrap_or_default()
        .split(',')
        .filter_map(|r| r.parse().ok())
        .collect()
}

/// Middleware on page routes: where a visitor must go before they may see a page.
pub async fn pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD
        || req.uri().path().starts_with("/rpc/")
    {
        return next.run(req).await;
    }
    let path = req.uri().path().to_string();
    let path_and_query = req
        .uri()
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_string();
    let session = req.extensions().get::<Session>().cloned();
    let redirect = if path.starts_with("/portal") {
        portal_redirect(&state, &path, &path_and_query, req.headers()).await
    } else {
        page_redirect(&state, &path, &path_and_query, session.as_ref()).await
    };
    match redirect {
        Ok(Some(to)) => Redirect::to(&to).into_response(),
        Ok(None) => next.run(req).await,
        Err(err) => crate::server::http::error_response(err),
    }
}

async fn page_redirect(
    state: &AppState,
    path: &str,
    path_and_query: &str,
    session: Option<&Session>,
) -> Result<Option<String>, AppError> {
    if !state.setup_done().await? {
        return Ok((path != "/setup").then(|| "/setup".to_string()));
    }
    if PUBLIC_PAGES.contains(&path) {
        return Ok(None);
    }
    let Some(session) = session else {
        let next = match path_and_query {
            "/" => String::new(),
            next => format!("?next={}", crate::url::encode(next)),
        };
        return Ok(Some(format!("/login{next}")));
    };
    if session.mfa_pending {
        return Ok(Some("/login/mfa".into()));
    }
    if session.user.must_change_password {
        return Ok((path != "/account/password").then(|| "/account/password".into()));
    }
    if session.mfa_enrolment_due && path != "/account/mfa" {
        return Ok(Some("/account/mfa".into()));
    }
    Ok(None)
}

/// Portal pages a contact may open without signing in.
const PORTAL_PUBLIC: &[&str] = &["/portal", "/portal/forgot", "/portal/password"];

/// Where a visitor of a portal page must go first: signed-in contacts skip the sign-in page,
/// everyone else signs in before seeing their tickets.
async fn portal_redirect(
    state: &AppState,
    path: &str,
    path_and_query: &str,
    headers: &HeaderMap,
) -> Result<Option<String>, AppError> {
    let signed_in = super::portal::load(&state.db, headers).await?.is_some();
    Ok(match (PORTAL_PUBLIC.contains(&path), signed_in) {
        (true, true) if path == "/portal" => Some("/portal/tickets".into()),
        (false, false) => Some(format!(
            "/portal?next={}",
            crate::url::encode(path_and_query)
        )),
        _ => None,
    })
}

/// Only local paths may be a redirect target after sign-in.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(super::safe_next(Some("/clients?q=a")), "/clients?q=a");
        assert_eq!(super::safe_next(Some("//evil.example")), "/");
        assert_eq!(super::safe_next(Some("https://evil.example")), "/");
        assert_eq!(super::safe_next(Some("/\\evil.example")), "/");
        assert_eq!(super::safe_next(None), "/");
    }
}
