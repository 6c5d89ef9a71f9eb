//! Server functions of the client portal. Every one that reads or writes tickets takes the
//! contact, and through them the client, from the portal session: never from the request.

use crate::clients::model::ListPage;
use crate::error::AppError;
use crate::tickets::model::{Reply, Ticket, TicketItem};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    crate::accounts::api::{check_blocked, set_cookie},
    crate::accounts::model::password_problem,
    crate::server::auth::portal::{self, PortalSession},
    crate::server::auth::{guard, password, token},
    crate::server::db::{
        Actor, AuditEntry, Author, Db, Limit, NewTicket, Origin, TicketChanges, TokenPurpose,
    },
    crate::server::mail::Mail,
    crate::tickets::api::mailer,
    crate::tickets::model::{
        body_problem, subject_problem, Priority, Show, Source, Status, TicketFilter,
    },
    chrono::{Duration, Utc},
};

/// How long an invitation or reset link works.
#[cfg(feature = "ssr")]
pub const LINK_LIFETIME: Duration = Duration::hours(24);

/// Five wrong passwords or reset requests for one address within 15 minutes block it for 15.
#[cfg(feature = "ssr")]
const EMAIL_LIMIT: Limit = Limit {
    max_failures: 5,
    window: Duration::minutes(15),
    block: Duration::minutes(15),
};

/// The signed-in contact as the portal shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactProfile {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub client_name: String,
    /// Primary and technical contacts see every ticket of their client.
    pub whole_client: bool,
    /// For billing contacts: what Docket holds for invoicing their client.
    pub billing: Option<Billing>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Billing {
    pub currency: String,
    pub hourly_rate: String,
    pub net_terms: String,
    pub invoice_email: String,
    pub tax_id: String,
}

/// A ticket as a contact sees it: public replies only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactTicket {
    pub ticket: Ticket,
    pub replies: Vec<Reply>,
}

/// What a one-time link is for, to title its page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkInfo {
    pub invite: bool,
    pub name: String,
}

#[cfg(feature = "ssr")]
async fn contact() -> Result<PortalSession, AppError> {
    portal::require_contact().await
}

#[cfg(feature = "ssr")]
fn actor(s: &PortalSession) -> Actor {
    Actor::contact(
        s.contact.id,
        format!("{} <{}>", s.contact.name, s.contact.email),
    )
}

#[cfg(feature = "ssr")]
fn origin() -> Origin {
    Origin {
        source: "portal",
        ..guard::origin()
    }
}

/// Makes a one-time link for a contact (ending their earlier one of the same kind), records
/// it, and returns its address.
#[cfg(feature = "ssr")]
pub async fn issue_link(
    db: &Db,
    contact: i64,
    purpose: TokenPurpose,
    origin: Origin,
    actor: Actor,
) -> Result<String, AppError> {
    let secret = token::random_token(32);
    let mut tx = db.begin().await?;
    tx.insert_portal_token(
        &token::sha256_hex(&secret),
        contact,
        purpose,
        Utc::now() + LINK_LIFETIME,
    )
    .await?;
    let action = match purpose {
        TokenPurpose::Invite => "portal.invite",
        TokenPurpose::Reset => "portal.reset_requested",
    };
    tx.audit(&AuditEntry::new(actor, action, origin).record("contact", contact, ""))
        .await?;
    tx.commit().await?;
    Ok(mailer().link(&format!("/portal/password?token={secret}")))
}

/// The signed-in contact, or None.
#[server(prefix = "/rpc", endpoint = "portal_me")]
pub async fn portal_me() -> Result<Option<ContactProfile>, AppError> {
    let headers = use_context::<http::request::Parts>()
        .map(|p| p.headers)
        .unwrap_or_default();
    let db = guard::db();
    let Some(s) = portal::load(&db, &headers).await? else {
        return Ok(None);
    };
    let c = s.contact;
    let billing = match c.billing {
        true => db
            .client(crate::server::db::Scope::ALL, c.client_id)
            .await?
            .map(|client| Billing {
                currency: client.fields.currency,
                hourly_rate: client.fields.hourly_rate,
                net_terms: client.fields.net_terms,
                invoice_email: client.fields.invoice_email,
                tax_id: client.fields.tax_id,
            }),
        false => None,
    };
    Ok(Some(ContactProfile {
        whole_client: c.sees_whole_client(),
        name: c.name,
        email: c.email,
        phone: c.phone,
        client_name: c.client_name,
        billing,
    }))
}

/// Email and password of a contact with portal access.
#[server(prefix = "/rpc", endpoint = "portal_login")]
pub async fn portal_login(
    email: String,
    password: String,
    #[server(default)] next: Option<String>,
) -> Result<(), AppError> {
    let db = guard::db();
    let origin = origin();
    let email_key = email.trim().to_lowercase();
    let email_bucket = format!("portal-login:{email_key}");
    let ip_bucket = format!("portal-ip:{}", origin.ip.as_deref().unwrap_or("unknown"));
    let attempt = Actor::anonymous(email_key.chars().take(254).collect::<String>());
    check_blocked(&db, &[&email_bucket, &ip_bucket], &attempt, &origin).await?;
    let contact = db.portal_contact_by_email(&email_key).await?;
    let hash = contact.as_ref().and_then(|c| c.password_hash.clone());
    let valid = password::verify(password, hash).await;
    let Some(contact) = contact.filter(|_| valid) else {
        db.audit(&AuditEntry::new(attempt, "portal.login_failed", origin))
            .await?;
        let now = Utc::now();
        let blocked = db.record_failure(&email_bucket, EMAIL_LIMIT, now).await?;
        let ip_blocked = db
            .record_failure(&ip_bucket, crate::accounts::api::IP_LIMIT, now)
            .await?;
        if let Some(until) = blocked.or(ip_blocked) {
            return Err(AppError::throttled_until(until).respond());
        }
        return Err(AppError::invalid("password", "Email or password is incorrect").respond());
    };
    db.clear_failures(&email_bucket).await?;
    start_session(&db, contact.id, &origin).await?;
    let next = guard::safe_next(next.as_deref());
    let next = if next.starts_with("/portal/") {
        next
    } else {
        "/portal/tickets".into()
    };
    leptos_axum::redirect(&next);
    Ok(())
}

#[cfg(feature = "ssr")]
async fn start_session(db: &Db, contact: i64, origin: &Origin) -> Result<(), AppError> {
    let headers = use_context::<http::request::Parts>()
        .map(|p| p.headers)
        .unwrap_or_default();
    if let Some(old) = portal::load(db, &headers).await? {
        db.delete_portal_session(&old.id_hash).await?;
    }
    let token = portal::start(db, contact).await?;
    if let Some(c) = db.portal_contact(contact).await? {
        let actor = Actor::contact(c.id, format!("{} <{}>", c.name, c.email));
        db.audit(&AuditEntry::new(actor, "portal.login", origin.clone()))
            .await?;
    }
    set_cookie(&portal::set_cookie(guard::cookie_policy(), &token));
    Ok(())
}

#[server(prefix = "/rpc", endpoint = "portal_logout")]
pub async fn portal_logout() -> Result<(), AppError> {
    let headers = use_context::<http::request::Parts>()
        .map(|p| p.headers)
        .unwrap_or_default();
    let db = guard::db();
    if let Some(s) = portal::load(&db, &headers).await? {
        db.delete_portal_session(&s.id_hash).await?;
    }
    set_cookie(&portal::clear_cookie(guard::cookie_policy()));
    leptos_axum::redirect("/portal");
    Ok(())
}

/// Sends a reset link to a contact with portal access. The answer is the same whether or not
/// the address has access, so it cannot be used to find out who has.
#[server(prefix = "/rpc", endpoint = "portal_forgot")]
pub async fn portal_forgot(email: String) -> Result<(), AppError> {
    let db = guard::db();
    let origin = origin();
    let email_key = email.trim().to_lowercase();
    if crate::accounts::model::email_problem(&email_key).is_some() {
        return Err(AppError::invalid("email", "Enter your email address").respond());
    }
    let bucket = format!("portal-reset:{email_key}");
    let ip_bucket = format!("portal-ip:{}", origin.ip.as_deref().unwrap_or("unknown"));
    let attempt = Actor::anonymous(email_key.chars().take(254).collect::<String>());
    check_blocked(&db, &[&bucket, &ip_bucket], &attempt, &origin).await?;
    // Every request counts, so one address cannot be flooded with mail.
    db.record_failure(&bucket, EMAIL_LIMIT, Utc::now()).await?;
    let contact = db
        .portal_contact_by_email(&email_key)
        .await?
        .filter(|c| c.password_hash.is_some());
    if let Some(c) = contact {
        let actor = Actor::anonymous(c.email.clone());
        let link = issue_link(&db, c.id, TokenPurpose::Reset, origin, actor).await?;
        let mail = Mail {
            to_name: &c.name,
            to_email: &c.email,
            subject: "Reset your support portal password",
            body: format!(
                "Hello {},\n\nSomeone asked to reset the password of your support portal account. \
                 To choose a new one within 24 hours, open: {link}\n\nIf it was not you, ignore this \
                 message; your password stays as it is.\n",
                c.name
            ),
        };
        if let Err(err) = mailer().send(mail).await {
            tracing::warn!(contact = c.id, error = %err, "reset link not sent");
        }
    }
    Ok(())
}

/// Whom an unused, unexpired link is for.
#[server(prefix = "/rpc", endpoint = "portal_link")]
pub async fn portal_link(token: String) -> Result<Option<LinkInfo>, AppError> {
    let db = guard::db();
    let Some((contact, purpose)) = db
        .portal_token(&token::sha256_hex(token.trim()), Utc::now())
        .await?
    else {
        return Ok(None);
    };
    Ok(db.portal_contact(contact).await?.map(|c| LinkInfo {
        invite: purpose == TokenPurpose::Invite,
        name: c.name,
    }))
}

/// Sets the password through a one-time link, then signs the contact in.
#[server(prefix = "/rpc", endpoint = "portal_set_password")]
pub async fn portal_set_password(
    token: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    new_password_problem(&password, &confirm)?;
    let db = guard::db();
    let hash = password::hash(password).await?;
    let mut tx = db.begin().await?;
    let Some(contact) = tx
        .take_portal_token(&token::sha256_hex(token.trim()), Utc::now())
        .await?
    else {
        return Err(AppError::invalid(
            "password",
            "This link has expired or was already used; ask for a new one",
        )
        .respond());
    };
    tx.set_portal_password(contact, &hash).await?;
    tx.audit(
        &AuditEntry::new(
            Actor::anonymous("portal link"),
            "portal.password_set",
            origin(),
        )
        .record("contact", contact, ""),
    )
    .await?;
    tx.commit().await?;
    start_session(&db, contact, &origin()).await?;
    leptos_axum::redirect("/portal/tickets");
    Ok(())
}

#[cfg(feature = "ssr")]
fn new_password_problem(password: &str, confirm: &str) -> Result<(), AppError> {
    if let Some(p) = password_problem(password) {
        return Err(AppError::invalid("password", p).respond());
    }
    if password != confirm {
        return Err(AppError::invalid("confirm", "The passwords do not match").respond());
    }
    Ok(())
}

/// The contact's tickets (their client's, for primary and technical contacts).
#[server(prefix = "/rpc", endpoint = "portal_tickets")]
pub async fn portal_tickets(
    #[server(default)] show: String,
    #[server(default)] page: i64,
) -> Result<ListPage<TicketItem>, AppError> {
    let s = contact().await?;
    let filter = TicketFilter {
        show: Show::parse(&show).as_str().into(),
        page,
        ..Default::default()
    };
    guard::db().list_tickets(s.tickets(), &filter, None).await
}

#[cfg(feature = "ssr")]
async fn own_ticket(s: &PortalSession, id: i64) -> Result<Ticket, AppError> {
    guard::db()
        .ticket(s.tickets(), id)
        .await?
        .ok_or_else(|| AppError::NotFound.respond())
}

#[server(prefix = "/rpc", endpoint = "portal_ticket")]
pub async fn portal_ticket(id: i64) -> Result<ContactTicket, AppError> {
    let s = contact().await?;
    let mut ticket = own_ticket(&s, id).await?;
    // Who works on it internally is not the contact's business.
    ticket.assignee_id = None;
    Ok(ContactTicket {
        replies: guard::db().ticket_replies(id, false).await?,
        ticket,
    })
}

#[server(prefix = "/rpc", endpoint = "portal_new_ticket")]
pub async fn portal_new_ticket(
    subject: String,
    #[server(default)] details: String,
    #[server(default)] priority: String,
) -> Result<(), AppError> {
    let s = contact().await?;
    let mut problems = Vec::new();
    if let Some(p) = subject_problem(&subject) {
        problems.push(("subject", p));
    }
    if let Some(p) = body_problem(&details, false) {
        problems.push(("details", p));
    }
    // Contacts may not raise a ticket to urgent: that is the technicians' call.
    let priority = match priority.trim() {
        "" => Priority::Medium,
        p => match p.parse::<Priority>() {
            Ok(p) if p != Priority::Urgent => p,
            _ => {
                problems.push(("priority", "Choose low, medium or high".into()));
                Priority::Medium
            }
        },
    };
    if !problems.is_empty() {
        return Err(AppError::fields(problems).respond());
    }
    let db = guard::db();
    let mut tx = db.begin().await?;
    let (id, number) = tx
        .insert_ticket(&NewTicket {
            client_id: s.contact.client_id,
            contact_id: Some(s.contact.id),
            location_id: None,
            assignee_id: None,
            subject: &subject,
            details: &details,
            priority,
            source: Source::Portal,
        })
        .await?;
    tx.audit(
        &AuditEntry::new(actor(&s), "ticket.create", origin())
            .record("ticket", id, format!("#{number}"))
            .client(Some(s.contact.client_id)),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/portal/tickets/{id}"));
    Ok(())
}

/// A contact's reply; it reopens a resolved ticket. Closed tickets take no replies.
#[server(prefix = "/rpc", endpoint = "portal_reply")]
pub async fn portal_reply(id: i64, body: String) -> Result<(), AppError> {
    let s = contact().await?;
    let ticket = own_ticket(&s, id).await?;
    if let Some(p) = body_problem(&body, true) {
        return Err(AppError::invalid("body", p).respond());
    }
    if ticket.item.status == Status::Closed {
        return Err(
            AppError::Conflict("This ticket is closed; reopen it to reply".into()).respond(),
        );
    }
    let db = guard::db();
    let mut tx = db.begin().await?;
    tx.insert_reply(
        id,
        Author::Contact(s.contact.id, &s.contact.name),
        &body,
        false,
    )
    .await?;
    let reopen = (ticket.item.status == Status::Resolved).then_some(Status::Open);
    let changes = TicketChanges {
        status: reopen,
        ..Default::default()
    };
    tx.change_ticket(&ticket, changes, &s.contact.name, None)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The contact marks their ticket resolved, reopens it, or closes it.
#[server(prefix = "/rpc", endpoint = "portal_set_status")]
pub async fn portal_set_status(id: i64, action: String) -> Result<(), AppError> {
    let s = contact().await?;
    let ticket = own_ticket(&s, id).await?;
    let status = match action.as_str() {
        "resolve" => Status::Resolved,
        "reopen" => Status::Open,
        "close" => Status::Closed,
        _ => return Err(AppError::invalid("action", "Choose resolve, reopen or close").respond()),
    };
    let db = guard::db();
    let mut tx = db.begin().await?;
    let changes = TicketChanges {
        status: Some(status),
        ..Default::default()
    };
    tx.change_ticket(&ticket, changes, &s.contact.name, None)
        .await?;
    tx.commit().await?;
    Ok(())
}

#[server(prefix = "/rpc", endpoint = "portal_update_profile")]
pub async fn portal_update_profile(
    name: String,
    #[server(default)] phone: String,
) -> Result<(), AppError> {
    let s = contact().await?;
    let mut problems = Vec::new();
    if let Some(p) = crate::accounts::model::name_problem(&name) {
        problems.push(("name", p.to_string()));
    }
    if phone.chars().count() > 50 {
        problems.push(("phone", "Keep the phone number under 50 characters".into()));
    }
    if !problems.is_empty() {
        return Err(AppError::fields(problems).respond());
    }
    let db = guard::db();
    let mut tx = db.begin().await?;
    tx.update_portal_profile(s.contact.id, &name, &phone)
        .await?;
    tx.audit(
        &AuditEntry::new(actor(&s), "contact.update", origin())
            .record("contact", s.contact.id, name.trim())
            .client(Some(s.contact.client_id))
            .change("name", &s.contact.name, name.trim())
            .change("phone", &s.contact.phone, phone.trim()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A new password, given the current one; other portal sessions end, this one continues.
#[server(prefix = "/rpc", endpoint = "portal_change_password")]
pub async fn portal_change_password(
    current: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    let s = contact().await?;
    let db = guard::db();
    let bucket = format!("portal-login:{}", s.contact.email.trim().to_lowercase());
    check_blocked(&db, &[&bucket], &actor(&s), &origin()).await?;
    if !password::verify(current, s.contact.password_hash.clone()).await {
        if let Some(until) = db.record_failure(&bucket, EMAIL_LIMIT, Utc::now()).await? {
            return Err(AppError::throttled_until(until).respond());
        }
        return Err(AppError::invalid("current", "This is not your current password").respond());
    }
    new_password_problem(&password, &confirm)?;
    let hash = password::hash(password).await?;
    let mut tx = db.begin().await?;
    tx.set_portal_password(s.contact.id, &hash).await?;
    tx.audit(
        &AuditEntry::new(actor(&s), "portal.password_changed", origin()).record(
            "contact",
            s.contact.id,
            "",
        ),
    )
    .await?;
    tx.commit().await?;
    start_session(&db, s.contact.id, &origin()).await?;
    Ok(())
}
