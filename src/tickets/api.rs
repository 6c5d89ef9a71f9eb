//! Server functions of the technician side of tickets. Each checks the caller first; a
//! restricted technician reaches only the tickets of their clients ("not found" otherwise).

use super::model::{TicketFilter, TicketItem, TicketRecord};
use crate::clients::model::ListPage;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::desk::{Desk, Draft},
    super::model::{Source, Status},
    crate::clients::model::client_ref,
    crate::server::auth::{guard, session::Session},
    crate::server::mail::{Mail, Mailer},
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

/// Who and where a new ticket can be for and who can take it: the chosen client's active
/// contacts and locations, and the assignable technicians.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketChoices {
    pub contacts: Vec<(i64, String)>,
    pub locations: Vec<(i64, String)>,
    pub technicians: Vec<Technician>,
}

/// What became of a portal invitation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invitation {
    pub email: String,
    /// The link, when no mail server is configured to send it.
    pub link: Option<String>,
}

#[cfg(feature = "ssr")]
pub fn mailer() -> Mailer {
    expect_context::<Mailer>()
}

/// The signed-in technician's desk.
#[cfg(feature = "ssr")]
fn desk(s: &Session) -> Desk {
    Desk {
        db: guard::db(),
        mailer: mailer(),
        user_id: s.user.id,
        user_name: s.user.name.clone(),
        scope: guard::scope(s),
    }
}

#[server(prefix = "/rpc", endpoint = "list_tickets")]
pub async fn list_tickets(#[server(default)] filter: TicketFilter) -> Result<TicketList, AppError> {
    let s = guard::require_user()?;
    let desk = desk(&s);
    let scope = crate::server::db::TicketScope::staff(desk.scope);
    Ok(TicketList {
        page: desk
            .db
            .list_tickets(scope, &filter, Some(s.user.id))
            .await?,
        technicians: desk.technicians().await?,
        can_write: s.user.role().can_write(),
    })
}

#[server(prefix = "/rpc", endpoint = "ticket_detail")]
pub async fn ticket_detail(id: i64) -> Result<TicketView, AppError> {
    let s = guard::require_user()?;
    let desk = desk(&s);
    let ticket = desk.ticket(id).await.map_err(AppError::respond)?;
    Ok(TicketView {
        record: TicketRecord {
            replies: desk.db.ticket_replies(id, true).await?,
            events: desk.db.ticket_events(id).await?,
            ticket,
        },
        technicians: desk.technicians().await?,
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

#[server(prefix = "/rpc", endpoint = "new_ticket_choices")]
pub async fn new_ticket_choices(
    #[server(default)] client: Option<i64>,
) -> Result<TicketChoices, AppError> {
    let s = guard::require_writer()?;
    let desk = desk(&s);
    let mut choices = TicketChoices {
        contacts: Vec::new(),
        locations: Vec::new(),
        technicians: desk.technicians().await?,
    };
    let Some(id) = client else {
        return Ok(choices);
    };
    // A client the technician may not see offers nobody.
    if desk.db.client_name(desk.scope, id).await?.is_none() {
        return Ok(choices);
    }
    let contacts = desk.db.contacts_of(id).await?.into_iter();
    choices.contacts = contacts
        .filter(|k| !k.archived())
        .map(|k| (k.id, k.fields.name))
        .collect();
    let locations = desk.db.locations_of(id).await?.into_iter();
    choices.locations = locations
        .filter(|l| !l.archived())
        .map(|l| (l.id, l.fields.name))
        .collect();
    Ok(choices)
}

/// Opens a ticket for a client (and optionally one of its contacts and locations) from Docket.
#[server(prefix = "/rpc", endpoint = "create_ticket")]
pub async fn create_ticket(
    client: String,
    #[server(default)] contact: String,
    #[server(default)] location: String,
    subject: String,
    #[server(default)] details: String,
    #[server(default)] priority: String,
    #[server(default)] assignee: String,
) -> Result<(), AppError> {
    let s = guard::require_writer()?;
    let draft = Draft {
        client_id: client_ref(&client),
        contact_id: contact.trim().parse().ok(),
        location_id: location.trim().parse().ok(),
        subject,
        details,
        priority: choice("priority", &priority)?,
        assignee_id: assignee.trim().parse().ok(),
    };
    let (id, _) = desk(&s)
        .open(&draft, Source::Ui)
        .await
        .map_err(AppError::respond)?;
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
    let desk = desk(&s);
    let ticket = desk.ticket(id).await.map_err(AppError::respond)?;
    let internal = internal.is_some_and(|v| !v.is_empty() && v != "false");
    let status = choice::<Status>("status", &status)?;
    desk.reply(&ticket, &body, internal, status)
        .await
        .map_err(AppError::respond)?;
    Ok(())
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
    let desk = desk(&s);
    let ticket = desk.ticket(id).await.map_err(AppError::respond)?;
    let assignee = match assignee.trim() {
        "" => None,
        id => Some(id.parse::<i64>().unwrap_or_default()),
    };
    desk.change(
        &ticket,
        choice("status", &status)?,
        choice("priority", &priority)?,
        Some(assignee),
    )
    .await
    .map_err(AppError::respond)?;
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
