//! The REST shape: `/api/v1/clients`, `/api/v1/locations`, `/api/v1/contacts`. Records are
//! JSON objects wrapped in their kind (`{"client": {...}}`), lists carry the total, updates
//! change only the fields they name, and errors are `{"message": ..., "fields": {...}}` with
//! an honest status. Keys come in the `Authorization: Bearer` or `authtoken` header.

mod clients;
mod contacts;
mod deleted;
mod locations;
mod openapi;
mod tickets;

pub use openapi::reference;

use super::call::{self, Call, Req};
use super::Caller;
use crate::clients::model::LocationInput;
use crate::clients::records::{Editor, RecordKind};
use crate::error::{AppError, FieldError};
use crate::server::db::Window;
use crate::server::http::AppState;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi::serve))
        .route("/api/v1/clients", get(clients::list).post(clients::create))
        .route(
            "/api/v1/clients/{id}",
            get(clients::one)
                .put(clients::update)
                .delete(clients::delete),
        )
        .route(
            "/api/v1/clients/{id}/locations",
            get(locations::list).post(locations::create),
        )
        .route("/api/v1/locations", get(locations::list_all))
        .route(
            "/api/v1/locations/{id}",
            get(locations::one)
                .put(locations::update)
                .delete(locations::delete),
        )
        .route(
            "/api/v1/contacts",
            get(contacts::list).post(contacts::create),
        )
        .route("/api/v1/deleted", get(deleted::list))
        .route("/api/v1/tickets", get(tickets::list).post(tickets::create))
        .route(
            "/api/v1/tickets/{id}",
            get(tickets::one).put(tickets::update),
        )
        .route(
            "/api/v1/tickets/{id}/replies",
            get(tickets::replies).post(tickets::add_reply),
        )
        .route("/api/v1/me", get(tickets::me))
        .route(
            "/api/v1/contacts/{id}",
            get(contacts::one)
                .put(contacts::update)
                .delete(contacts::delete),
        )
}

/// A page when the caller names none, and the largest one.
const DEFAULT_PAGE_SIZE: i64 = 50;
const MAX_PAGE_SIZE: i64 = 500;

type Answer = Result<Response, AppError>;

async fn reader(call: &Call) -> Result<Caller, AppError> {
    call.caller(None).await
}

async fn editor(call: &Call, deletes: bool) -> Result<Editor, AppError> {
    call.editor(None, deletes).await
}

/// `page` (from 1) and `page_size`, as (page, size).
fn paging(call: &Call) -> Result<(i64, i64), AppError> {
    let page = call.whole("page")?.unwrap_or(1).max(1);
    let size = call.whole("page_size")?.unwrap_or(DEFAULT_PAGE_SIZE);
    Ok((page, size.clamp(1, MAX_PAGE_SIZE)))
}

/// Changes this recent may still be committing: a sync sees them on its next call.
const SETTLE: chrono::TimeDelta = chrono::TimeDelta::seconds(5);

/// The [`Window`] a list call names: `include_inactive`, the created and updated ranges, and,
/// with `updated_from` or a `cursor`, a sync: ordered by change time then id, paged by the
/// `next` cursor of the previous answer, so every change is answered once however writes
/// interleave.
fn window(call: &Call) -> Result<Window, AppError> {
    let cursor = call.param("cursor").map(|c| parse_cursor(&c)).transpose()?;
    let updated_from = time(call, "updated_from")?;
    let sync = cursor.is_some() || updated_from.is_some();
    let mut updated_to = time(call, "updated_to")?;
    if sync {
        let settled = Utc::now() - SETTLE;
        updated_to = Some(updated_to.map_or(settled, |t| t.min(settled)));
    }
    Ok(Window {
        include_archived: call.param("include_inactive").as_deref() == Some("true"),
        created_from: time(call, "created_from")?,
        created_to: time(call, "created_to")?,
        updated_from,
        updated_to,
        sync_after: sync.then_some(cursor),
    })
}

fn parse_cursor(cursor: &str) -> Result<(DateTime<Utc>, i64), AppError> {
    let bad = || AppError::BadRequest("cursor must be the next value of an earlier answer".into());
    let (nanos, id) = cursor.trim().split_once('-').ok_or_else(bad)?;
    let nanos: i64 = nanos.parse().map_err(|_| bad())?;
    Ok((
        DateTime::from_timestamp_nanos(nanos),
        id.parse().map_err(|_| bad())?,
    ))
}

/// The rows a list skips: a sync starts at its cursor, other lists at their page.
fn offset(window: &Window, (page, size): (i64, i64)) -> i64 {
    match window.is_sync() {
        true => 0,
        false => (page - 1) * size,
    }
}

/// A list's answer: `{"<kind>": [...], "total": N, "page": P, "page_size": S}`, and in a
/// sync `"next"`: the cursor after `last` (the last record's change time and id) or, with
/// nothing new, where this call started (its cursor, or `updated_from`).
fn listing<T: Serialize>(
    kind: &str,
    rows: &[T],
    total: i64,
    (page, page_size): (i64, i64),
    window: &Window,
    last: Option<(&str, i64)>,
) -> Answer {
    let next = window.sync_after.map(|cursor| {
        let last = last.and_then(|(at, id)| {
            let at = DateTime::parse_from_rfc3339(at).ok()?;
            Some((at.with_timezone(&Utc), id))
        });
        let start = window.updated_from.map(|at| (at, 0));
        last.or(cursor)
            .or(start)
            .map(|(at, id)| format!("{}-{id}", at.timestamp_nanos_opt().unwrap_or_default()))
    });
    let body = Listing {
        rows: Wrapped(kind, rows),
        total,
        page,
        page_size,
        next,
    };
    Ok(Json(body).into_response())
}

/// One record's answer: `{"<kind>": {...}}`, with `status` (201 for a new one).
fn record<T: Serialize>(status: StatusCode, kind: &str, row: T) -> Answer {
    Ok((status, Json(Wrapped(kind, row))).into_response())
}

/// `{"<kind>": value}`: the wrapping of records and lists.
struct Wrapped<'a, T>(&'a str, T);

impl<T: Serialize> Serialize for Wrapped<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map([(self.0, &self.1)])
    }
}

#[derive(Serialize)]
struct Listing<'a, T> {
    #[serde(flatten)]
    rows: Wrapped<'a, &'a [T]>,
    total: i64,
    page: i64,
    page_size: i64,
    /// Only in a sync, where it may be null.
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<Option<String>>,
}

fn deleted() -> Answer {
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The object under `kind` in the body (`{"client": {...}}`).
fn wrapped<'a>(call: &'a Call, kind: &str) -> Result<&'a Map<String, Value>, AppError> {
    match call.body.get(kind) {
        Some(Value::Object(fields)) => Ok(fields),
        _ => Err(AppError::BadRequest(format!(
            "the body must be {{\"{kind}\": {{...}}}}"
        ))),
    }
}

/// `base` with the fields `given` names; a field this kind does not have is refused.
fn fill<T: Serialize + DeserializeOwned>(
    base: &T,
    given: &Map<String, Value>,
    names: &[(&str, &str)],
    also: &[&str],
) -> Result<T, AppError> {
    let unknown: Vec<FieldError> = given
        .keys()
        .filter(|k| !names.iter().any(|(n, _)| n == k) && !also.contains(&k.as_str()))
        .map(|k| FieldError {
            field: k.clone(),
            message: "Not a field of this record".into(),
        })
        .collect();
    if !unknown.is_empty() {
        return Err(AppError::Invalid(unknown));
    }
    call::fill(base, given, names)
}

/// An id field kept as text in the editors: a number, or none (null).
fn id_or_null(text: &str) -> Option<i64> {
    text.trim().parse().ok()
}

/// In this shape a location's `state` (two characters) and `country` are required.
fn address_problems(location: &LocationInput) -> Vec<FieldError> {
    let mut problems = Vec::new();
    if location.state.trim().chars().count() != 2 {
        problems.push(FieldError {
            field: "state".into(),
            message: "Enter the two-character state or province code".into(),
        });
    }
    if location.country.trim().is_empty() {
        problems.push(FieldError {
            field: "country".into(),
            message: "Enter a two-letter country code like US or NL".into(),
        });
    }
    problems
}

/// `"active"` in an update: false archives the record, true restores it.
fn active(given: &Map<String, Value>) -> Result<Option<bool>, AppError> {
    match given.get("active") {
        None => Ok(None),
        Some(Value::Bool(active)) => Ok(Some(*active)),
        Some(_) => Err(AppError::invalid("active", "Use true or false")),
    }
}

/// Archives or restores a record after an update, when the update asked.
async fn set_active(
    editor: &Editor,
    kind: RecordKind,
    id: i64,
    active: Option<bool>,
) -> Result<(), AppError> {
    match active {
        Some(active) => editor.set_archived(kind, id, !active).await,
        None => Ok(()),
    }
}

/// The fields every record answers with besides its own.
#[derive(Serialize)]
struct Stamps<'a> {
    id: i64,
    active: bool,
    created_at: &'a str,
    updated_at: &'a str,
    archived_at: Option<&'a str>,
}

impl<'a> Stamps<'a> {
    fn new(
        id: i64,
        created_at: &'a str,
        updated_at: &'a str,
        archived_at: &'a Option<String>,
    ) -> Self {
        Stamps {
            id,
            active: archived_at.is_none(),
            created_at,
            updated_at,
            archived_at: archived_at.as_deref(),
        }
    }
}

async fn delete_record(call: Req, kind: RecordKind, id: i64) -> Answer {
    let call = call?;
    let editor = editor(&call, true).await?;
    editor.delete_archived(kind, id, None).await?;
    deleted()
}

/// A time filter: RFC 3339, any offset (compared in UTC).
fn time(call: &Call, name: &str) -> Result<Option<DateTime<Utc>>, AppError> {
    call.param(name)
        .map(|v| {
            DateTime::parse_from_rfc3339(v.trim())
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| AppError::BadRequest(format!("{name} must be an RFC 3339 time")))
        })
        .transpose()
}
