//! ITFlow's API v1 dialect: its paths, parameters, field names and envelopes, so scripts
//! written for ITFlow work unchanged. Unlike ITFlow, the status codes are honest, a client
//! filter filters, and every lookup respects the key's client restriction.
//!
//! Parameters come from the query string and, for POSTs, a JSON object body (which wins), as
//! ITFlow reads them. Writes go through the same checks and audit log as the browser.

mod clients;
mod contacts;
mod locations;
mod tickets;

use super::call::{self, Call, Req};
use super::Caller;
use crate::clients::records::{Editor, RecordKind};
use crate::error::AppError;
use crate::server::http::AppState;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/clients/read.php", get(clients::read))
        .route("/api/v1/clients/create.php", post(clients::create))
        .route("/api/v1/clients/update.php", post(clients::update))
        .route("/api/v1/clients/archive.php", post(clients::archive))
        .route("/api/v1/clients/unarchive.php", post(clients::unarchive))
        .route("/api/v1/contacts/read.php", get(contacts::read))
        .route("/api/v1/contacts/create.php", post(contacts::create))
        .route("/api/v1/contacts/update.php", post(contacts::update))
        .route("/api/v1/contacts/archive.php", post(contacts::archive))
        .route("/api/v1/contacts/unarchive.php", post(contacts::unarchive))
        .route("/api/v1/contacts/delete.php", post(contacts::delete))
        .route("/api/v1/locations/read.php", get(locations::read))
        .route("/api/v1/locations/create.php", post(locations::create))
        .route("/api/v1/tickets/read.php", get(tickets::read))
        .route("/api/v1/tickets/create.php", post(tickets::create))
        .route("/api/v1/tickets/resolve.php", post(tickets::resolve))
        .route(
            "/api/v1/ticket_replies/read.php",
            get(tickets::read_replies),
        )
        .route(
            "/api/v1/ticket_replies/create.php",
            post(tickets::create_reply),
        )
        .layer(axum::middleware::map_response(method_refused))
}

/// A wrong method answers 405 with ITFlow's failure envelope, keeping the `Allow` header.
async fn method_refused(res: Response) -> Response {
    if res.status() != StatusCode::METHOD_NOT_ALLOWED {
        return res;
    }
    let (parts, _) = res.into_parts();
    let body = json!({"success": "False", "message": "This endpoint does not take that method"});
    (parts, Json(body)).into_response()
}

/// A list's page when the script names none, and the most one call answers.
const DEFAULT_LIMIT: i64 = 50;
const MAX_LIMIT: i64 = 500;
/// Where a script may put its key besides the headers.
const KEY: Option<&str> = Some("api_key");

/// The key's user, reading.
async fn reader(call: &Call) -> Result<Caller, AppError> {
    call.caller(KEY).await
}

/// The key's user, changing records; `deletes` asks for an admin.
async fn editor(call: &Call, deletes: bool) -> Result<Editor, AppError> {
    call.editor(KEY, deletes).await
}

/// A whole-number parameter the call must give.
fn id(call: &Call, name: &str) -> Result<i64, AppError> {
    call.whole(name)?
        .ok_or_else(|| AppError::invalid(name, format!("{name} is required")))
}

/// `limit` and `offset`.
fn page(call: &Call) -> Result<(i64, i64), AppError> {
    let limit = call.whole("limit")?.unwrap_or(DEFAULT_LIMIT);
    let offset = call.whole("offset")?.unwrap_or(0);
    Ok((limit.clamp(1, MAX_LIMIT), offset.max(0)))
}

/// `base` with the fields the call names, query and body alike.
fn fill<T: Serialize + DeserializeOwned>(
    call: &Call,
    base: &T,
    names: &[(&str, &str)],
) -> Result<T, AppError> {
    let mut given = call.query.clone();
    given.extend(call.body.clone());
    call::fill(base, &given, names)
}

/// Archives (`archived` true) or restores the record named by the parameter `param`.
async fn set_archived(call: Req, kind: RecordKind, param: &str, archived: bool) -> Response {
    reply(
        async {
            let call = call?;
            let editor = editor(&call, false).await?;
            editor
                .set_archived(kind, id(&call, param)?, archived)
                .await?;
            Ok(changed())
        }
        .await,
    )
}

/// ITFlow's `YYYY-MM-DD HH:MM:SS` (UTC) from RFC 3339.
fn datetime(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.naive_utc().format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default()
}

/// A read's answer: `{"success":"True","count":N,"data":[...]}`.
fn rows<T>(records: &[T], row: fn(&T) -> Value) -> Value {
    let data: Vec<Value> = records.iter().map(row).collect();
    json!({"success": "True", "count": data.len(), "data": data})
}

/// A create's answer, with ITFlow's count as text.
fn inserted(id: i64) -> Value {
    json!({"success": "True", "count": "1", "data": [{"insert_id": id}]})
}

/// An update's (archive's, delete's) answer.
fn changed() -> Value {
    json!({"success": "True", "count": 1})
}

fn reply(result: Result<Value, AppError>) -> Response {
    match result {
        Ok(body) => Json(body).into_response(),
        Err(err) => failure(err),
    }
}

/// ITFlow's failure envelope with the status the failure deserves; invalid fields are named.
pub(super) fn failure(err: AppError) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut body = json!({"success": "False", "message": err.api_message()});
    if let AppError::Invalid(errors) = err {
        let fields: Map<String, Value> = errors
            .into_iter()
            .map(|e| (e.field, Value::String(e.message)))
            .collect();
        body["fields"] = Value::Object(fields);
    }
    (status, Json(body)).into_response()
}
