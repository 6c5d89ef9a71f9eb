//! Server functions of the technician side of tickets. Each checks the caller first; a
//! restricted technician reaches only the tickets of their clients ("not found" otherwise).

use super::model::{TicketFilter, TicketItem, TicketRecord};
use crate::clients::model::ListPage;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::model::{body_problem, subject_problem, Priority, Source, Status},
    crate::clients::model::client_ref,
    crate::server::auth::{guard, session::Session},
    crate::server::db::{Author, Db, NewTicket, TicketChanges, TicketScope},
    crate::server::mail::{Mail, Mailer},
    crate::tickets::model::Ticket,
};

/// A technician who can be assigned: (id, name).
pub type Technician = (i64, String);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketList {
    pub page: ListPage<TicketItem>,
    pub technicians: Vec<Technician>,
    pub can_write: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketView {
    pub record: TicketRecord,
    pub technicians: Vec<Technician>,
    pub can_write: bool,
}

/// What became of a portal invitation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invitation {
    pub email: String,
    /// The link, when no mail server is configured to send it.
    pub link: Option<String>,
}

#[cfg(feature = "ssr")]
async fn technicians(db: &Db) -> Result<Vec<Technician>, AppError> {
    Ok(db
        .list_users()
        .await?
        .into_iter()
        .filter(|u| u.disabled_at.is_none() && u.role().can_write())
        .map(|u| (u.id, u.name))
        .collect())
}

#[cfg(feature = "ssr")]
fn scope(s: &Session) -> TicketScope {
    TicketScope::staff(guard::scope(s))
}

#[cfg(feature = "ssr")]
pub fn mailer() -> Mailer {
    expect_context::<Mailer>()
}

#[server(prefix = "/rpc", endpoint = "list_tickets")]
pub async fn list_tickets(
    #[server(default)] filter: TicketFilter,
) -> Result<TicketList, AppError> {
    let s = guard::require_user()?;
    let db = guard::db();
    Ok(TicketList {
        page: db.list_tickets(scope(&s), &filter, Some(s.user.id)).await?,
        technicians: technicians(&db).await?,
        can_write: s.user.role().can_write(),
    })
}

#[cfg(feature = "ssr")]
async fn visible_ticket(s: &Session, id: i64) -> Result<Ticket, AppError> {
    guard::db()
        .ticket(scope(s), id)
        .await?
        .ok_or_else(|| AppError::NotFound.respond())
}

#[server(prefix = "/rpc", endpoint = "ticket_detail")]
pub async fn ticket_detail(id: i64) -> Result<TicketView, AppError> {
    let s = guard::require_user()?;
    let db = guard::db();
    let ticket = visible_ticket(&s, id).await?;
    Ok(TicketView {
        record: TicketRecord {
            replies: db.ticket_replies(id, true).await?,
            events: db.ticket_events(id).await?,
            ticket,
        },
        technicians: technicians(&db).await?,
        can_write: s.user.role().can_write(),
    })
}

/// Parses an optional choice from a form; empty is "not given".
#[cfg(feature = "ssr")]
fn choice<T: std::str::FromStr<Err = String>>(
    field: &str,
    value: &str,
) -> Result<Option<T>, AppError> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    value
        .parse()
        .map(Some)
        .map_err(|e| AppError::invalid(field, e).respond())
}

/// An assignee from a form: a technician's id, or empty for nobody.
#[cfg(feature = "ssr")]
async fn assignee(db: &Db, value: &str) -> Result<Option<(i64, String)>, AppError> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    let id = value.trim().parse::<i64>().unwrap_or_default();
    technicians(db)
        .await?
        .into_iter()
        .find(|(t, _)| *t == id)
        .map(Some)
        .ok_or_else(|| AppError::invalid("assignee", "Choose a technician").respond())
}

/// Opens a ticket for a client (and optionally one of its contacts) from Docket.
#[server(prefix = "/rpc", endpoint = "create_ticket")]
pub async fn create_ticket(
    client: String,
    #[server(default)] contact: String,
    subject: String,
    #[server(default)] details: String,
    #[server(default)] priority: String,
    #[server(default)] assignee: String,
) -> Result<(), AppError> {
    let s = guard::require_writer()?;
    let db = guard::db();
    let mut problems = Vec::new();
    let client_id = client_ref(&client);
    let client_name = match client_id {
        Some(id) => db.client_name(guard::scope(&s), id).await?,
        None => None,
    };
    if client_name.is_none() {
        problems.push(("client", "Choose a client".to_string()));
    }
    if let Some(p) = subject_problem(&subject) {
        problems.push(("subject", p));
    }
    if let Some(p) = body_problem(&details, false) {
        problems.push(("details", p));
    }
    if !problems.is_empty() {
        return Err(AppError::fields(problems).respond());
    }
    let client_id = client_id.unwrap_or_default();
    let contact_id = match contact.trim().parse::<i64>().ok() {
        Some(k) => Some(
            db.contact(guard::scope(&s), k)
                .await?
                .filter(|c| c.client_id == client_id && !c.archived())
                .ok_or_else(|| AppError::invalid("contact", "Choose one of the client's contacts").respond())?
                .id,
        ),
        None => None,
    };
    let priority = choice::<Priority>("priority", &priority)?.unwrap_or(Priority::Medium);
    let assignee = self::assignee(&db, &assignee).await?;
    let mut tx = db.begin().await?;
    let (id, _) = tx
        .insert_ticket(&NewTicket {
            client_id,
            contact_id,
            location_id: None,
            assignee_id: assignee.map(|a| a.0),
            subject: &subject,
            details: &details,
            priority,
            source: Source::Ui,
        })
        .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/tickets/{id}"));
    Ok(())
}

/// Answers a ticket, publicly (the contact is told by mail) or as an internal note, and
/// optionally sets its status in the same step.
#[server(prefix = "/rpc", endpoint = "reply_ticket")]
pub async fn reply_ticket(
    id: i64,
    body: String,
    #[server(default)] internal: Option<String>,
    #[server(default)] status: String,
) -> Result<(), AppError> {
    let s = guard::require_writer()?;
    let db = guard::db();
    let ticket = visible_ticket(&s, id).await?;
    if let Some(p) = body_problem(&body, true) {
        return Err(AppError::invalid("body", p).respond());
    }
    let internal = internal.is_some_and(|v| !v.is_empty() && v != "false");
    // A first public answer starts the work.
    let status = choice::<Status>("status", &status)?.or(
        (!internal && ticket.item.status == Status::New).then_some(Status::Open),
    );
    let mut tx = db.begin().await?;
    tx.insert_reply(id, Author::User(s.user.id, &s.user.name), &body, internal)
        .await?;
    tx.change_ticket(
        &ticket,
        TicketChanges {
            status,
            ..Default::default()
        },
        &s.user.name,
        None,
    )
    .await?;
    tx.commit().await?;
    if !internal {
        notify_contact(&db, &ticket, &s.user.name, &body).await;
    }
    Ok(())
}

/// Mails a technician's public reply to the ticket's contact. A failure is logged: the reply
/// is saved and shows in the portal either way.
#[cfg(feature = "ssr")]
async fn notify_contact(db: &Db, ticket: &Ticket, author: &str, body: &str) {
    let Some(contact) = ticket.contact_id else {
        return;
    };
    let Ok(Some(contact)) = db.portal_contact(contact).await else {
        return;
    };
    let mailer = mailer();
    let t = &ticket.item;
    let mail = Mail {
        to_name: &contact.name,
        to_email: &contact.email,
        subject: &format!("[Ticket #{}] {}", t.number, t.subject),
        body: format!(
            "{author} replied to your ticket #{}:\n\n{body}\n\nSee the whole conversation and reply: {}\n",
            t.number,
            mailer.link(&format!("/portal/tickets/{}", t.id)),
        ),
    };
    if let Err(err) = mailer.send(mail).await {
        tracing::warn!(ticket = t.id, error = %err, "reply notification not sent");
    }
}

/// Changes status, priority and assignee; each change goes into the ticket's history.
#[server(prefix = "/rpc", endpoint = "update_ticket")]
pub async fn update_ticket(
    id: i64,
    #[server(default)] status: String,
    #[server(default)] priority: String,
    #[server(default)] assignee: String,
) -> Result<(), AppError> {
    let s = guard::require_writer()?;
    let db = guard::db();
    let ticket = visible_ticket(&s, id).await?;
    let assignee = self::assignee(&db, &assignee).await?;
    let changes = TicketChanges {
        status: choice("status", &status)?,
        priority: choice("priority", &priority)?,
        assignee: Some(assignee.as_ref().map(|a| a.0)),
    };
    let mut tx = db.begin().await?;
    tx.change_ticket(
        &ticket,
        changes,
        &s.user.name,
        assignee.as_ref().map(|a| a.1.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Gives a contact portal access: a single-use link, valid 24 hours, to set their password.
/// Mailed to the contact; shown to the technician when no mail server is configured.
#[server(prefix = "/rpc", endpoint = "invite_contact")]
pub async fn invite_contact(id: i64) -> Result<Invitation, AppError> {
    let s = guard::require_writer()?;
    let db = guard::db();
    let contact = db
        .contact(guard::scope(&s), id)
        .await?
        .filter(|c| !c.archived())
        .ok_or_else(|| AppError::NotFound.respond())?;
    let email = contact.fields.email.trim().to_string();
    if email.is_empty() {
        return Err(
            AppError::invalid("email", "Give the contact an email address first").respond(),
        );
    }
    let link = crate::portal::api::issue_link(
        &db,
        contact.id,
        crate::server::db::TokenPurpose::Invite,
        guard::origin(),
        guard::actor(&s),
    )
    .await?;
    let mailer = mailer();
    let mail = Mail {
        to_name: &contact.fields.name,
        to_email: &email,
        subject: "Your support portal access",
        body: format!(
            "Hello {},\n\n{} has given you access to the support portal, where you can open and \
             follow tickets.\n\nSet your password within 24 hours: {link}\n\nAfterwards, sign in at {} \
             with this email address.\n",
            contact.fields.name,
            s.user.name,
            mailer.link("/portal"),
        ),
    };
    let sent = mailer.send(mail).await.map_err(AppError::respond)?;
    Ok(Invitation {
        email,
        link: (!sent).then_some(link),
    })
}
