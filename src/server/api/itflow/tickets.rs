//! `/api/v1/tickets/*.php` and `/api/v1/ticket_replies/*.php`.

use super::{datetime, id, inserted, page, reply, rows, KEY};
use crate::error::AppError;
use crate::server::api::call::{Call, Req};
use crate::server::db::TicketScope;
use crate::tickets::desk::Draft;
use crate::tickets::model::{Priority, Reply, Source, Status, Ticket, TicketFilter};
use axum::response::Response;
use serde_json::{json, Value};
use std::str::FromStr;

/// A code parameter: absent is None, anything but a known code is refused at its name.
fn code<T: FromStr<Err = String>>(call: &Call, name: &str) -> Result<Option<T>, AppError> {
    match call.param(name).filter(|v| !v.trim().is_empty()) {
        Some(v) => v.parse().map(Some).map_err(|e| AppError::invalid(name, e)),
        None => Ok(None),
    }
}

/// Tickets, newest first; one by `ticket_id`, or those of `client_id`.
pub async fn read(call: Req) -> Response {
    reply(
        async {
            let call = call?;
            let desk = call.desk(KEY, false).await?;
            if let Some(id) = call.whole("ticket_id")? {
                return Ok(rows(&[desk.ticket(id).await?], row));
            }
            let filter = TicketFilter {
                show: "all".into(),
                client: call
                    .whole("client_id")?
                    .map(|c| c.to_string())
                    .unwrap_or_default(),
                sort: "number".into(),
                ..Default::default()
            };
            let (limit, offset) = page(&call)?;
            let scope = TicketScope::staff(desk.scope);
            let (tickets, _) = desk
                .db
                .find_tickets(scope, &filter, None, limit, offset)
                .await?;
            Ok(rows(&tickets, row))
        }
        .await,
    )
}

/// A ticket for `client_id`: `ticket_subject`, `ticket_details`, `ticket_priority`,
/// `ticket_contact_id`, `ticket_assigned_to`.
pub async fn create(call: Req) -> Response {
    reply(
        async {
            let call = call?;
            let desk = call.desk(KEY, true).await?;
            let draft = Draft {
                client_id: Some(id(&call, "client_id")?),
                contact_id: call.whole("ticket_contact_id")?,
                location_id: call.whole("ticket_location_id")?.filter(|l| *l > 0),
                subject: call.param("ticket_subject").unwrap_or_default(),
                details: call.param("ticket_details").unwrap_or_default(),
                priority: code::<Priority>(&call, "ticket_priority")?,
                assignee_id: call.whole("ticket_assigned_to")?.filter(|a| *a > 0),
            };
            let (id, _) = desk.open(&draft, Source::Api).await.map_err(renamed)?;
            Ok(inserted(id))
        }
        .await,
    )
}

/// Marks `ticket_id` resolved.
pub async fn resolve(call: Req) -> Response {
    reply(
        async {
            let call = call?;
            let desk = call.desk(KEY, true).await?;
            let ticket = desk.ticket(id(&call, "ticket_id")?).await?;
            desk.change(&ticket, Some(Status::Resolved), None, None)
                .await?;
            Ok(super::changed())
        }
        .await,
    )
}

/// The replies of `ticket_id`, oldest first, internal notes included.
pub async fn read_replies(call: Req) -> Response {
    reply(
        async {
            let call = call?;
            let desk = call.desk(KEY, false).await?;
            let ticket = desk.ticket(id(&call, "ticket_id")?).await?;
            let replies = desk.db.ticket_replies(ticket.item.id, true).await?;
            let rows_of = |r: &Reply| reply_row(r, ticket.item.id);
            let data: Vec<Value> = replies.iter().map(rows_of).collect();
            Ok(json!({"success": "True", "count": data.len(), "data": data}))
        }
        .await,
    )
}

/// A reply to `ticket_id`: `ticket_reply`, `ticket_reply_type` (`Public`, the default, or
/// `Internal`), and optionally `ticket_status`.
pub async fn create_reply(call: Req) -> Response {
    reply(
        async {
            let call = call?;
            let desk = call.desk(KEY, true).await?;
            let ticket = desk.ticket(id(&call, "ticket_id")?).await?;
            let internal = match call
                .param("ticket_reply_type")
                .unwrap_or_default()
                .to_lowercase()
                .as_str()
            {
                "" | "public" => false,
                "internal" => true,
                _ => {
                    return Err(AppError::invalid(
                        "ticket_reply_type",
                        "Choose Public or Internal",
                    ))
                }
            };
            let body = call.param("ticket_reply").unwrap_or_default();
            let status = code::<Status>(&call, "ticket_status")?;
            let id = desk
                .reply(&ticket, &body, internal, status)
                .await
                .map_err(|e| super::call::renamed(e, &[("ticket_reply", "body")]))?;
            Ok(inserted(id))
        }
        .await,
    )
}

/// The desk's field names as ITFlow's.
fn renamed(err: AppError) -> AppError {
    super::call::renamed(
        err,
        &[
            ("client_id", "client"),
            ("ticket_contact_id", "contact"),
            ("ticket_location_id", "location"),
            ("ticket_subject", "subject"),
            ("ticket_details", "details"),
            ("ticket_assigned_to", "assignee"),
        ],
    )
}

/// ITFlow's columns for a ticket.
fn row(t: &Ticket) -> Value {
    let i = &t.item;
    let time = |v: &Option<String>| v.as_deref().map(datetime);
    json!({
        "ticket_id": i.id,
        "ticket_prefix": "TKT-",
        "ticket_number": i.number,
        "ticket_source": t.source.label(),
        "ticket_subject": i.subject,
        "ticket_details": t.details,
        "ticket_priority": i.priority.label(),
        "ticket_status": i.status.label(),
        "ticket_created_at": datetime(&i.created_at),
        "ticket_updated_at": datetime(&i.updated_at),
        "ticket_resolved_at": time(&t.resolved_at),
        "ticket_closed_at": time(&t.closed_at),
        "ticket_assigned_to": t.assignee_id.unwrap_or(0),
        "ticket_client_id": i.client_id,
        "ticket_contact_id": t.contact_id.unwrap_or(0),
        "ticket_location_id": t.location_id.unwrap_or(0),
    })
}

fn reply_row(r: &Reply, ticket: i64) -> Value {
    json!({
        "ticket_reply_id": r.id,
        "ticket_reply": r.body,
        "ticket_reply_type": if r.internal { "Internal" } else { "Public" },
        "ticket_reply_by": r.author,
        "ticket_reply_created_at": datetime(&r.created_at),
        "ticket_reply_ticket_id": ticket,
    })
}
