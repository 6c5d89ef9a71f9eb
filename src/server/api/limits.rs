//! Rate limits of the API: each key may make [`PER_KEY`] calls a minute on each node (unless
//! configured otherwise), and an
//! address that presents [`FAILED_AUTH`]'s number of bad keys is blocked for a while on every
//! node (the failures are counted in the database, like sign-in failures). Every answer to a
//! call with a key carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`; a
//! refusal carries `Retry-After`.

use crate::error::AppError;
use crate::server::auth::token::sha256_hex;
use crate::server::db::Limit;
use crate::server::http::AppState;
use axum::body::Body;
use axum::extract::{ConnectInfo, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;

/// Calls one key may make in a minute, on one node, unless configured otherwise.
pub const PER_KEY: u32 = 600;
/// Bad keys from one address before it is blocked.
pub const FAILED_AUTH: Limit = Limit {
    max_failures: 20,
    window: Duration::minutes(15),
    block: Duration::minutes(15),
};
/// The largest body read to find a key in it (larger bodies are refused later anyway).
const MAX_BODY: usize = 1024 * 1024;

/// Calls per key in the current minute.
pub struct Rates {
    per_key: u32,
    minutes: Mutex<HashMap<String, (i64, u32)>>,
}

/// Where a key stands in the current minute.
struct Quota {
    remaining: u32,
    reset: u64,
}

impl Rates {
    pub fn new(per_key: u32) -> Self {
        Self {
            per_key,
            minutes: Mutex::default(),
        }
    }

    /// Counts one call of `key`; None once the minute's calls are used up.
    fn take(&self, key: &str, now: i64) -> (Option<Quota>, u64) {
        let minute = now.div_euclid(60);
        let reset = (60 - now.rem_euclid(60)) as u64;
        let mut minutes = self.minutes.lock().unwrap_or_else(|e| e.into_inner());
        if minutes.len() > 10_000 {
            minutes.retain(|_, (m, _)| *m == minute);
        }
        let entry = minutes.entry(key.to_string()).or_insert((minute, 0));
        if entry.0 != minute {
            *entry = (minute, 0);
        }
        if entry.1 >= self.per_key {
            return (None, reset);
        }
        entry.1 += 1;
        let remaining = self.per_key - entry.1;
        (Some(Quota { remaining, reset }), reset)
    }
}

/// The layer over every API route.
pub async fn enforce(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or("unknown".to_string(), |ConnectInfo(a)| a.ip().to_string());
    let bucket = format!("api-ip:{ip}");
    let now = Utc::now();
    match state.db.blocked_until(&bucket, now).await {
        Ok(Some(until)) => return refuse(req.uri().path(), (until - now).num_seconds()),
        Ok(None) => {}
        Err(err) => return err.into_response(),
    }
    let (req, key) = match presented(req).await {
        Ok(found) => found,
        Err(err) => return err.into_response(),
    };
    let quota = match key {
        Some(key) => match state.rates.take(&sha256_hex(&key), now.timestamp()) {
            (Some(quota), _) => Some(quota),
            (None, reset) => {
                let mut res = refuse(req.uri().path(), reset as i64);
                set_quota(res.headers_mut(), state.rates.per_key, 0, reset);
                return res;
            }
        },
        None => None,
    };
    let path = req.uri().path().to_string();
    let mut res = next.run(req).await;
    if res.status() == StatusCode::UNAUTHORIZED {
        match state.db.record_failure(&bucket, FAILED_AUTH, now).await {
            Ok(Some(until)) => return refuse(&path, (until - now).num_seconds()),
            Ok(None) => {}
            Err(err) => return err.into_response(),
        }
    }
    if let Some(q) = quota {
        set_quota(res.headers_mut(), state.rates.per_key, q.remaining, q.reset);
    }
    res
}

/// The request, and the key it presents: in a header, the query or a JSON body.
async fn presented(req: Request) -> Result<(Request, Option<String>), AppError> {
    let in_head = super::presented_key(req.headers(), None)
        .map(String::from)
        .or_else(|| query_key(req.uri()));
    if in_head.is_some() || req.method() != Method::POST {
        return Ok((req, in_head));
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| AppError::TooLarge(MAX_BODY / 1024))?;
    let key = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| v.get("api_key")?.as_str().map(String::from));
    Ok((Request::from_parts(parts, Body::from(bytes)), key))
}

fn query_key(uri: &Uri) -> Option<String> {
    let Query(mut query) = Query::<HashMap<String, String>>::try_from_uri(uri).ok()?;
    query.remove("api_key")
}

/// 429 in the dialect of the path, with `Retry-After`.
fn refuse(path: &str, seconds: i64) -> Response {
    let err = AppError::Throttled(seconds.max(1) as u64);
    let mut res = match path.ends_with(".php") {
        true => super::itflow::failure(err),
        false => err.into_response(),
    };
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
    res
}

fn set_quota(headers: &mut HeaderMap, limit: u32, remaining: u32, reset: u64) {
    headers.insert("ratelimit-limit", HeaderValue::from(limit));
    headers.insert("ratelimit-remaining", HeaderValue::from(remaining));
    headers.insert("ratelimit-reset", HeaderValue::from(reset));
}
