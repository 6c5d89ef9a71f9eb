//! `/api/v1/tickets`, a ticket's replies, and `/api/v1/me` for a portal contact.

use super::{paging, record, wrapped, Answer};
use crate::error::{AppError, FieldError};
use crate::server::api::call::{Call, Req};
use crate::server::db::TicketScope;
use crate::tickets::desk::Draft;
use crate::tickets::model::{Reply, Source, Ticket, TicketFilter};
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Map, Value};
use std::str::FromStr;

/// What a new ticket may name, and a change.
pub const NEW_FIELDS: &[&str] = &[
    "client_id",
    "contact_id",
    "location_id",
    "subject",
    "details",
    "priority",
    "assignee_id",
];
pub const CHANGE_FIELDS: &[&str] = &["status", "priority", "assignee_id"];
pub const REPLY_FIELDS: &[&str] = &["body", "internal", "status"];

/// Tickets newest activity first, narrowed by `status`, `priority`, `client_id`,
/// `assignee_id`, `search` and `state` (open, closed, all: the default).
pub async fn list(call: Req) -> Answer {
    let call = call?;
    let desk = call.desk(None, false).await?;
    let text = |name: &str| call.param(name).unwrap_or_default();
    let filter = TicketFilter {
        q: text("search"),
        show: call.param("state").unwrap_or_else(|| "all".into()),
        status: known::<crate::tickets::model::Status>(&call, "status")?,
        priority: known::<crate::tickets::model::Priority>(&call, "priority")?,
        client: text("client_id"),
        assignee: text("assignee_id"),
        ..Default::default()
    };
    let (page, size) = paging(&call)?;
    let (found, total) = desk
        .db
        .find_tickets(
            TicketScope::staff(desk.scope),
            &filter,
            None,
            size,
            (page - 1) * size,
        )
        .await?;
    let rows: Vec<Value> = found.iter().map(row).collect();
    Ok(
        Json(json!({"tickets": rows, "total": total, "page": page, "page_size": size}))
            .into_response(),
    )
}

/// A code parameter that must be one of `T`'s, as text (empty when absent).
fn known<T: FromStr<Err = String>>(call: &Call, name: &str) -> Result<String, AppError> {
    match call.param(name).filter(|v| !v.is_empty()) {
        Some(v) => v
            .parse::<T>()
            .map(|_| v)
            .map_err(|e| AppError::invalid(name, e)),
        None => Ok(String::new()),
    }
}

/// The fields of `given` must all be in `allowed`.
fn only(given: &Map<String, Value>, allowed: &[&str]) -> Result<(), AppError> {
    let unknown: Vec<FieldError> = given
        .keys()
        .filter(|k| !allowed.contains(&k.as_str()))
        .map(|k| FieldError {
            field: k.clone(),
            message: "Not a field of this record".into(),
        })
        .collect();
    match unknown.is_empty() {
        true => Ok(()),
        false => Err(AppError::Invalid(unknown)),
    }
}

fn text(given: &Map<String, Value>, name: &str) -> String {
    match given.get(name) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// An id field: absent is None, a number is Some, anything else is refused.
fn id_of(given: &Map<String, Value>, name: &str) -> Result<Option<i64>, AppError> {
    match given.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .map(Some)
            .ok_or_else(|| AppError::invalid(name, "Give a number")),
    }
}

/// A code field: absent is None, a known code is Some, anything else is refused.
fn code<T: FromStr<Err = String>>(
    given: &Map<String, Value>,
    name: &str,
) -> Result<Option<T>, AppError> {
    match text(given, name).as_str() {
        "" => Ok(None),
        v => v.parse().map(Some).map_err(|e| AppError::invalid(name, e)),
    }
}

/// `{"ticket": {"client_id": N, "subject": ..., ...}}`.
pub async fn create(call: Req) -> Answer {
    let call = call?;
    let desk = call.desk(None, true).await?;
    let given = wrapped(&call, "ticket")?;
    only(given, NEW_FIELDS)?;
    let draft = Draft {
        client_id: id_of(given, "client_id")?,
        contact_id: id_of(given, "contact_id")?,
        location_id: id_of(given, "location_id")?,
        subject: text(given, "subject"),
        details: text(given, "details"),
        priority: code(given, "priority")?,
        assignee_id: id_of(given, "assignee_id")?,
    };
    let (id, _) = desk.open(&draft, Source::Api).await.map_err(named)?;
    record(StatusCode::CREATED, "ticket", row(&desk.ticket(id).await?))
}

/// The desk's field names as the API's: `client` is `client_id`, and so on.
fn named(err: AppError) -> AppError {
    match err {
        AppError::Invalid(errors) => AppError::Invalid(
            errors
                .into_iter()
                .map(|mut e| {
                    if ["client", "contact", "location", "assignee"].contains(&e.field.as_str()) {
                        e.field = format!("{}_id", e.field);
                    }
                    e
                })
                .collect(),
        ),
        other => other,
    }
}

pub async fn one(Path(id): Path<i64>, call: Req) -> Answer {
    let call = call?;
    let desk = call.desk(None, false).await?;
    record(StatusCode::OK, "ticket", row(&desk.ticket(id).await?))
}

/// `{"ticket": {"status": ..., "priority": ..., "assignee_id": N or null}}`; absent fields
/// stay as they are.
pub async fn update(Path(id): Path<i64>, call: Req) -> Answer {
    let call = call?;
    let desk = call.desk(None, true).await?;
    let ticket = desk.ticket(id).await?;
    let given = wrapped(&call, "ticket")?;
    only(given, CHANGE_FIELDS)?;
    let assignee = match given.contains_key("assignee_id") {
        true => Some(id_of(given, "assignee_id")?),
        false => None,
    };
    desk.change(
        &ticket,
        code(given, "status")?,
        code(given, "priority")?,
        assignee,
    )
    .await
    .map_err(named)?;
    record(StatusCode::OK, "ticket", row(&desk.ticket(id).await?))
}

/// The conversation, internal notes included, oldest first.
pub async fn replies(Path(id): Path<i64>, call: Req) -> Answer {
    let call = call?;
    let desk = call.desk(None, false).await?;
    desk.ticket(id).await?;
    let replies = desk.db.ticket_replies(id, true).await?;
    let rows: Vec<Value> = replies.iter().map(reply_row).collect();
    Ok(Json(json!({"replies": rows})).into_response())
}

/// `{"reply": {"body": ..., "internal": false, "status": ...}}`: public replies are mailed
/// to the ticket's contact.
pub async fn add_reply(Path(id): Path<i64>, call: Req) -> Answer {
    let call = call?;
    let desk = call.desk(None, true).await?;
    let ticket = desk.ticket(id).await?;
    let given = wrapped(&call, "reply")?;
    only(given, REPLY_FIELDS)?;
    let internal = match given.get("internal") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(AppError::invalid("internal", "Give true or false")),
    };
    let reply = desk
        .reply(
            &ticket,
            &text(given, "body"),
            internal,
            code(given, "status")?,
        )
        .await?;
    let replies = desk.db.ticket_replies(id, true).await?;
    let made = replies
        .iter()
        .find(|r| r.id == reply)
        .ok_or(AppError::Internal)?;
    record(StatusCode::CREATED, "reply", reply_row(made))
}

/// The portal contact whose session token the request carries (as `Authorization: Bearer`
/// or the portal's cookie), with their client.
pub async fn me(headers: HeaderMap, call: Req) -> Answer {
    let call = call?;
    let token = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let session = match token {
        Some(token) => crate::server::auth::portal::load_token(&call.db, token).await?,
        None => crate::server::auth::portal::load(&call.db, &headers).await?,
    };
    let c = session.ok_or(AppError::Unauthorized)?.contact;
    Ok(Json(json!({
        "contact": {
            "id": c.id, "name": c.name, "email": c.email, "phone": c.phone,
            "primary": c.is_primary, "technical": c.technical, "billing": c.billing,
            "client_id": c.client_id,
        },
        "client": {"id": c.client_id, "name": c.client_name},
    }))
    .into_response())
}

pub fn row(t: &Ticket) -> Value {
    let i = &t.item;
    json!({
        "id": i.id,
        "number": i.number,
        "subject": i.subject,
        "details": t.details,
        "status": i.status,
        "priority": i.priority,
        "source": t.source,
        "client_id": i.client_id,
        "contact_id": t.contact_id,
        "location_id": t.location_id,
        "assignee_id": t.assignee_id,
        "created_at": i.created_at,
        "updated_at": i.updated_at,
        "resolved_at": t.resolved_at,
        "closed_at": t.closed_at,
    })
}

fn reply_row(r: &Reply) -> Value {
    json!({
        "id": r.id,
        "author": r.author,
        "by_contact": r.by_contact,
        "body": r.body,
        "internal": r.internal,
        "created_at": r.created_at,
    })
}
