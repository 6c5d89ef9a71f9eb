//! The API for scripts and integrations. Every call carries an API key, and a key acts as its
//! user: the same role and the same client restriction as in the browser.

mod call;
mod itflow;
pub mod keys;
pub mod limits;
mod rest;

pub use rest::reference;

use super::db::{Db, KeyUse, Scope, UserRow};
use super::http::AppState;
use crate::clients::model::ContactInput;
use crate::clients::records::Editor;
use crate::error::AppError;
use axum::http::{header, HeaderMap};
use axum::{middleware, Router};

pub fn routes(state: &AppState) -> Router<AppState> {
    itflow::routes()
        .merge(rest::routes())
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            limits::enforce,
        ))
}

/// The user a key belongs to, and what that user may see.
pub struct Caller {
    pub user: UserRow,
    pub scope: Scope,
}

/// The key a request presents: `Authorization: Bearer KEY` or `authtoken: KEY`, else
/// `fallback` (the ITFlow dialect's `api_key` parameter).
fn presented_key<'a>(headers: &'a HeaderMap, fallback: Option<&'a str>) -> Option<&'a str> {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    header(header::AUTHORIZATION.as_str())
        .and_then(|v| v.strip_prefix("Bearer "))
        .or_else(|| header("authtoken"))
        .or(fallback)
        .map(str::trim)
        .filter(|k| !k.is_empty())
}

/// The caller named by the request's key; Unauthorized for a missing, unknown, revoked or
/// expired key or a disabled user.
pub async fn caller(
    db: &Db,
    headers: &HeaderMap,
    fallback: Option<&str>,
) -> Result<Caller, AppError> {
    let key = presented_key(headers, fallback).ok_or(AppError::Unauthorized)?;
    let now = chrono::Utc::now();
    let KeyUse {
        key_id,
        state,
        user,
    } = db
        .api_key_use(&super::auth::token::sha256_hex(key))
        .await?
        .filter(|k| k.state.usable(now) && k.user.disabled_at.is_none())
        .ok_or(AppError::Unauthorized)?;
    if state.use_is_news(now) {
        db.touch_api_key(key_id, now).await?;
    }
    let scope = if user.restricted {
        Scope::user(user.id)
    } else {
        Scope::ALL
    };
    Ok(Caller { user, scope })
}

/// 409 when another contact has the email; its client is named only if the caller sees it.
pub async fn refuse_taken_email(
    editor: &Editor,
    contact: &ContactInput,
    except: Option<i64>,
) -> Result<(), AppError> {
    match editor.email_owner(&contact.email, except).await? {
        Some(message) => Err(AppError::Conflict(message)),
        None => Ok(()),
    }
}
