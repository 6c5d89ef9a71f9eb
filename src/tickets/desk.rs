//! The technician's side of tickets as one set of checked operations, shared by the server
//! functions and both API dialects: find a ticket in the technician's scope, open one, answer
//! it, change it. Each write is one transaction.

use super::model::{body_problem, subject_problem, Priority, Source, Status, Ticket};
use crate::error::AppError;
use crate::server::db::{Author, Db, NewTicket, Scope, TicketChanges, TicketScope};
use crate::server::mail::{Mail, Mailer};

/// A technician (or their API key) at work.
pub struct Desk {
    pub db: Db,
    pub mailer: Mailer,
    pub user_id: i64,
    pub user_name: String,
    pub scope: Scope,
}

/// A new ticket as given: ids still to be checked against the technician's scope.
#[derive(Default)]
pub struct Draft {
    pub client_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub location_id: Option<i64>,
    pub subject: String,
    pub details: String,
    pub priority: Option<Priority>,
    pub assignee_id: Option<i64>,
}

impl Desk {
    /// A ticket the technician may see; "not found" otherwise.
    pub async fn ticket(&self, id: i64) -> Result<Ticket, AppError> {
        self.db
            .ticket(TicketScope::staff(self.scope), id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Technicians who may be assigned: (id, name).
    pub async fn technicians(&self) -> Result<Vec<(i64, String)>, AppError> {
        Ok(self
            .db
            .list_users()
            .await?
            .into_iter()
            .filter(|u| u.disabled_at.is_none() && u.role().can_write())
            .map(|u| (u.id, u.name))
            .collect())
    }

    /// The assignable technician with this id, or a field error.
    async fn assignee(&self, id: i64) -> Result<(i64, String), AppError> {
        self.technicians()
            .await?
            .into_iter()
            .find(|(t, _)| *t == id)
            .ok_or_else(|| AppError::invalid("assignee", "Choose a technician"))
    }

    /// Opens a ticket; returns (id, number).
    pub async fn open(&self, d: &Draft, source: Source) -> Result<(i64, i64), AppError> {
        let mut problems = Vec::new();
        let client = match d.client_id {
            Some(id) => self.db.client_name(self.scope, id).await?.map(|_| id),
            None => None,
        };
        if client.is_none() {
            problems.push(("client", "Choose a client".to_string()));
        }
        if let Some(p) = subject_problem(&d.subject) {
            problems.push(("subject", p));
        }
        if let Some(p) = body_problem(&d.details, false) {
            problems.push(("details", p));
        }
        if let (Some(client), Some(contact)) = (client, d.contact_id) {
            let theirs = self.db.contact(self.scope, contact).await?;
            if !theirs.is_some_and(|c| c.client_id == client && !c.archived()) {
                problems.push(("contact", "Choose one of the client's contacts".into()));
            }
        }
        if let (Some(client), Some(location)) = (client, d.location_id) {
            let theirs = self.db.location(location).await?;
            if !theirs.is_some_and(|l| l.client_id == client && !l.archived()) {
                problems.push(("location", "Choose one of the client's locations".into()));
            }
        }
        if let Some(a) = d.assignee_id {
            if let Err(err) = self.assignee(a).await {
                problems.extend(
                    err.into_fields()
                        .into_iter()
                        .map(|e| ("assignee", e.message)),
                );
            }
        }
        if !problems.is_empty() {
            return Err(AppError::fields(problems));
        }
        let mut tx = self.db.begin().await?;
        let opened = tx
            .insert_ticket(&NewTicket {
                client_id: client.unwrap_or_default(),
                contact_id: d.contact_id,
                location_id: d.location_id,
                assignee_id: d.assignee_id,
                subject: &d.subject,
                details: &d.details,
                priority: d.priority.unwrap_or(Priority::Medium),
                source,
            })
            .await?;
        tx.commit().await?;
        Ok(opened)
    }

    /// Answers publicly (mailed to the contact) or as an internal note, and optionally sets
    /// the status in the same step. A first public answer to a new ticket opens it.
    pub async fn reply(
        &self,
        ticket: &Ticket,
        body: &str,
        internal: bool,
        status: Option<Status>,
    ) -> Result<i64, AppError> {
        if let Some(p) = body_problem(body, true) {
            return Err(AppError::invalid("body", p));
        }
        let status =
            status.or((!internal && ticket.item.status == Status::New).then_some(Status::Open));
        let mut tx = self.db.begin().await?;
        let id = tx
            .insert_reply(
                ticket.item.id,
                Author::User(self.user_id, &self.user_name),
                body,
                internal,
            )
            .await?;
        let changes = TicketChanges {
            status,
            ..Default::default()
        };
        tx.change_ticket(ticket, changes, &self.user_name, None)
            .await?;
        tx.commit().await?;
        if !internal {
            self.notify_contact(ticket, body).await;
        }
        Ok(id)
    }

    /// Changes status, priority and assignee (`Some(None)` unassigns); each change goes into
    /// the ticket's history.
    pub async fn change(
        &self,
        ticket: &Ticket,
        status: Option<Status>,
        priority: Option<Priority>,
        assignee: Option<Option<i64>>,
    ) -> Result<(), AppError> {
        let assignee_name = match assignee.flatten() {
            Some(id) => Some(self.assignee(id).await?.1),
            None => None,
        };
        let changes = TicketChanges {
            status,
            priority,
            assignee,
        };
        let mut tx = self.db.begin().await?;
        tx.change_ticket(ticket, changes, &self.user_name, assignee_name.as_deref())
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Mails a public reply to the ticket's contact. A failure is logged: the reply is saved
    /// and shows in the portal either way.
    async fn notify_contact(&self, ticket: &Ticket, body: &str) {
        let Some(contact) = ticket.contact_id else {
            return;
        };
        let Ok(Some(contact)) = self.db.portal_contact(contact).await else {
            return;
        };
        let t = &ticket.item;
        let mail = Mail {
            to_name: &contact.name,
            to_email: &contact.email,
            subject: &format!("[Ticket #{}] {}", t.number, t.subject),
            body: format!(
                "{} replied to your ticket #{}:\n\n{body}\n\nSee the whole conversation and reply: {}\n",
                self.user_name,
                t.number,
                self.mailer.link(&format!("/portal/tickets/{}", t.id)),
            ),
        };
        if let Err(err) = self.mailer.send(mail).await {
            tracing::warn!(ticket = t.id, error = %err, "reply notification not sent");
        }
    }
}
