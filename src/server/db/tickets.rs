//! Tickets, their replies and their history. Who may see a ticket is one condition
//! ([`TicketScope`]) that every query carries: a restricted technician's clients, or a portal
//! contact's own tickets (all of their client's for primary and technical contacts).

use super::{like_pattern, Db, DbResult, Scope, Tx};
use crate::clients::model::{ListPage, COUNT_CAP};
use crate::tickets::model::{
    Event, Priority, Reply, Show, Source, Status, Ticket, TicketFilter, TicketItem, PAGE_SIZE,
};
use crate::tickets::rich::SafeHtml;
use crate::{on_pool, on_tx};
use chrono::{DateTime, Utc};

/// Who is looking: `$1` a restricted technician, `$2` a contact's client, `$3` the contact
/// when they may see only their own tickets. All None: everything.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TicketScope {
    pub user: Option<i64>,
    pub client: Option<i64>,
    pub contact: Option<i64>,
}

impl TicketScope {
    pub fn staff(scope: Scope) -> Self {
        Self {
            user: scope.restricted_user,
            ..Self::default()
        }
    }

    /// A portal contact: their client's tickets when `whole_client`, else their own.
    pub fn contact(client: i64, contact: i64, whole_client: bool) -> Self {
        Self {
            user: None,
            client: Some(client),
            contact: (!whole_client).then_some(contact),
        }
    }
}

const SCOPED: &str =
    "($1 IS NULL OR t.client_id IN (SELECT client_id FROM user_clients WHERE user_id = $1)) \
     AND ($2 IS NULL OR t.client_id = $2) AND ($3 IS NULL OR t.contact_id = $3)";

const TICKET_SELECT: &str = "SELECT t.id, t.number, t.subject, t.status, t.priority, t.client_id, \
     c.name AS client_name, k.name AS contact_name, u.name AS assignee_name, t.created_at, t.updated_at, \
     t.details, t.source, t.contact_id, t.location_id, l.name AS location_name, t.assignee_id, \
     t.resolved_at, t.closed_at \
     FROM tickets t JOIN clients c ON c.id = t.client_id \
     LEFT JOIN contacts k ON k.id = t.contact_id \
     LEFT JOIN users u ON u.id = t.assignee_id \
     LEFT JOIN locations l ON l.id = t.location_id";

#[derive(sqlx::FromRow)]
struct TicketRow {
    id: i64,
    number: i64,
    subject: String,
    status: String,
    priority: String,
    client_id: i64,
    client_name: String,
    contact_name: Option<String>,
    assignee_name: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    details: String,
    source: String,
    contact_id: Option<i64>,
    location_id: Option<i64>,
    location_name: Option<String>,
    assignee_id: Option<i64>,
    resolved_at: Option<DateTime<Utc>>,
    closed_at: Option<DateTime<Utc>>,
}

impl From<TicketRow> for Ticket {
    fn from(r: TicketRow) -> Self {
        Ticket {
            item: TicketItem {
                id: r.id,
                number: r.number,
                subject: r.subject,
                // The table's CHECK constraints hold only known codes.
                status: r.status.parse().unwrap_or(Status::Open),
                priority: r.priority.parse().unwrap_or(Priority::Medium),
                client_id: r.client_id,
                client_name: r.client_name,
                contact_name: r.contact_name,
                assignee_name: r.assignee_name,
                created_at: r.created_at.to_rfc3339(),
                updated_at: r.updated_at.to_rfc3339(),
            },
            details_html: SafeHtml::from_message(&r.details),
            details: r.details,
            source: r.source.parse().unwrap_or(Source::Ui),
            contact_id: r.contact_id,
            location_id: r.location_id,
            location_name: r.location_name,
            assignee_id: r.assignee_id,
            resolved_at: r.resolved_at.map(|t| t.to_rfc3339()),
            closed_at: r.closed_at.map(|t| t.to_rfc3339()),
        }
    }
}

#[derive(sqlx::FromRow)]
struct ReplyRow {
    id: i64,
    author: String,
    contact_id: Option<i64>,
    user_id: Option<i64>,
    body: String,
    internal: bool,
    created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    field: String,
    old_value: String,
    new_value: String,
    actor: String,
    created_at: DateTime<Utc>,
}

/// A new ticket; the number is drawn when it is inserted.
pub struct NewTicket<'a> {
    pub client_id: i64,
    pub contact_id: Option<i64>,
    pub location_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub subject: &'a str,
    pub details: &'a str,
    pub priority: Priority,
    pub source: Source,
}

/// Who wrote a reply.
#[derive(Clone, Copy, Debug)]
pub enum Author<'a> {
    User(i64, &'a str),
    Contact(i64, &'a str),
}

/// Changes a technician makes on a ticket; None leaves a field as it is.
#[derive(Clone, Copy, Debug, Default)]
pub struct TicketChanges {
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    /// `Some(None)` unassigns.
    pub assignee: Option<Option<i64>>,
}

/// The list's filter as SQL after the scope (`$1`–`$3`): `$4` show, `$5` status, `$6` priority,
/// `$7` client, `$8` assignee (0 = nobody), `$9` search pattern, `$10` number.
const FILTER: &str =
    "AND ($4 = 'all' OR ($4 = 'open') = (t.status NOT IN ('resolved', 'closed'))) \
     AND ($5 IS NULL OR t.status = $5) AND ($6 IS NULL OR t.priority = $6) \
     AND ($7 IS NULL OR t.client_id = $7) \
     AND ($8 IS NULL OR COALESCE(t.assignee_id, 0) = $8) \
     AND ($9 IS NULL OR lower(t.subject) LIKE $9 OR t.number = $10)";

fn order(sort: &str) -> &'static str {
    match sort {
        "created" => "t.created_at DESC, t.id DESC",
        "number" => "t.number DESC",
        // Urgent first: the codes do not sort by weight, so name it.
        "priority" => {
            "CASE t.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, \
             t.updated_at DESC, t.id DESC"
        }
        _ => "t.updated_at DESC, t.id DESC",
    }
}

impl Db {
    /// A page of tickets the scope may see. `me` resolves the "me" assignee filter.
    pub async fn list_tickets(
        &self,
        scope: TicketScope,
        f: &TicketFilter,
        me: Option<i64>,
    ) -> DbResult<ListPage<TicketItem>> {
        let page = f.page.max(1);
        let (rows, total) = self
            .find_tickets(scope, f, me, PAGE_SIZE, (page - 1) * PAGE_SIZE)
            .await?;
        Ok(ListPage {
            total,
            page,
            size: PAGE_SIZE,
            rows: rows.into_iter().map(|t| t.item).collect(),
        })
    }

    /// `limit` tickets from `offset` in the filter's order, and how many match (up to just
    /// past [`COUNT_CAP`]).
    pub async fn find_tickets(
        &self,
        scope: TicketScope,
        f: &TicketFilter,
        me: Option<i64>,
        limit: i64,
        offset: i64,
    ) -> DbResult<(Vec<Ticket>, i64)> {
        let show = Show::parse(&f.show);
        let status = f.status.parse::<Status>().ok().map(Status::as_str);
        let priority = f.priority.parse::<Priority>().ok().map(Priority::as_str);
        let client = crate::clients::model::client_ref(&f.client);
        let assignee = match f.assignee.as_str() {
            "me" => me,
            "none" => Some(0),
            other => other.parse::<i64>().ok(),
        };
        let pattern = like_pattern(&f.q);
        let number = f.q.trim().trim_start_matches('#').parse::<i64>().ok();
        let base = format!("FROM tickets t WHERE {SCOPED} {FILTER}");
        let count_sql = format!(
            "SELECT COUNT(*) FROM (SELECT 1 {base} LIMIT {}) n",
            COUNT_CAP + 1
        );
        let ids_sql = format!(
            "SELECT t.id {base} ORDER BY {} LIMIT $11 OFFSET $12",
            order(&f.sort)
        );
        macro_rules! binds {
            ($q:expr) => {
                $q.bind(scope.user)
                    .bind(scope.client)
                    .bind(scope.contact)
                    .bind(show.as_str())
                    .bind(status)
                    .bind(priority)
                    .bind(client)
                    .bind(assignee)
                    .bind(pattern.as_deref())
                    .bind(number)
            };
        }
        let total: i64 =
            on_pool!(self, pool => binds!(sqlx::query_scalar(&count_sql)).fetch_one(pool).await)?;
        let ids: Vec<i64> = on_pool!(self, pool => binds!(sqlx::query_scalar(&ids_sql))
            .bind(limit).bind(offset).fetch_all(pool).await)?;
        let mut rows = self.tickets_by_id(&ids).await?;
        rows.sort_by_key(|t| ids.iter().position(|id| *id == t.item.id));
        Ok((rows, total))
    }

    async fn tickets_by_id(&self, ids: &[i64]) -> DbResult<Vec<Ticket>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "{TICKET_SELECT} WHERE t.id IN ({})",
            super::placeholders(1, ids.len())
        );
        let rows: Vec<TicketRow> = on_pool!(self, pool => {
            let mut q = sqlx::query_as(&sql);
            for id in ids {
                q = q.bind(id);
            }
            q.fetch_all(pool).await
        })?;
        Ok(rows.into_iter().map(Ticket::from).collect())
    }

    /// One ticket, when the scope may see it.
    pub async fn ticket(&self, scope: TicketScope, id: i64) -> DbResult<Option<Ticket>> {
        let sql = format!("{TICKET_SELECT} WHERE {SCOPED} AND t.id = $4");
        let row: Option<TicketRow> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(scope.user).bind(scope.client).bind(scope.contact).bind(id)
            .fetch_optional(pool).await)?;
        Ok(row.map(Ticket::from))
    }

    /// The conversation, oldest first; internal notes only when asked for.
    pub async fn ticket_replies(&self, ticket: i64, internal: bool) -> DbResult<Vec<Reply>> {
        let sql = "SELECT id, author, contact_id, user_id, body, internal, created_at FROM ticket_replies \
                   WHERE ticket_id = $1 AND ($2 OR NOT internal) ORDER BY id";
        let rows: Vec<ReplyRow> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(ticket).bind(internal).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|r| Reply {
                id: r.id,
                author: r.author,
                by_contact: r.contact_id.is_some() || r.user_id.is_none() && !r.internal,
                body_html: SafeHtml::from_message(&r.body),
                body: r.body,
                internal: r.internal,
                created_at: r.created_at.to_rfc3339(),
            })
            .collect())
    }

    pub async fn ticket_events(&self, ticket: i64) -> DbResult<Vec<Event>> {
        let sql = "SELECT field, old_value, new_value, actor, created_at FROM ticket_events \
                   WHERE ticket_id = $1 ORDER BY id";
        let rows: Vec<EventRow> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(ticket).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|r| Event {
                field: r.field,
                old_value: r.old_value,
                new_value: r.new_value,
                actor: r.actor,
                created_at: r.created_at.to_rfc3339(),
            })
            .collect())
    }

    /// Closes tickets resolved at or before `before`; returns how many.
    pub async fn close_resolved(&self, before: DateTime<Utc>) -> DbResult<u64> {
        let now = Utc::now();
        let mut tx = self.begin().await?;
        let events = "INSERT INTO ticket_events (ticket_id, field, old_value, new_value, actor, created_at) \
                      SELECT id, 'status', 'resolved', 'closed', 'Docket (closed after resolution)', $2 \
                      FROM tickets WHERE status = 'resolved' AND resolved_at <= $1";
        let close = "UPDATE tickets SET status = 'closed', closed_at = $2, updated_at = $2 \
                     WHERE status = 'resolved' AND resolved_at <= $1";
        on_tx!(&mut tx, conn => sqlx::query(events).bind(before).bind(now).execute(&mut *conn).await.map(|_| ()))?;
        let n = on_tx!(&mut tx, conn => sqlx::query(close).bind(before).bind(now).execute(conn).await
            .map(|r| r.rows_affected()))?;
        tx.commit().await?;
        Ok(n)
    }
}

impl Tx {
    /// Inserts a ticket with the next number; returns (id, number). The counter row is
    /// written first, so concurrent creations queue on it (a row lock on PostgreSQL, the write
    /// lock on SQLite) and each draws its own number.
    pub async fn insert_ticket(&mut self, t: &NewTicket<'_>) -> DbResult<(i64, i64)> {
        let status = if t.assignee_id.is_some() {
            Status::Open
        } else {
            Status::New
        };
        self.insert_ticket_at(t, status, Utc::now()).await
    }

    /// A ticket in the state it reached at `at`, resolved or closed then when it is: what
    /// `insert_ticket` does for now.
    pub async fn insert_ticket_at(
        &mut self,
        t: &NewTicket<'_>,
        status: Status,
        at: DateTime<Utc>,
    ) -> DbResult<(i64, i64)> {
        Ok(self.insert_tickets_at(&[(t, status, at)]).await?[0])
    }

    /// Tickets, each in the state it reached at its time, many to a statement (a bulk load);
    /// (id, number) of each in the same order. Their numbers are drawn together, in order.
    pub async fn insert_tickets_at(
        &mut self,
        tickets: &[(&NewTicket<'_>, Status, DateTime<Utc>)],
    ) -> DbResult<Vec<(i64, i64)>> {
        const PER_ROW: usize = 11;
        let draw = "UPDATE ticket_counter SET last_number = last_number + $1 WHERE id = 1 RETURNING last_number";
        let last: i64 = on_tx!(self, conn => sqlx::query_scalar(draw).bind(tickets.len() as i64).fetch_one(conn).await)?;
        let mut number = last - tickets.len() as i64;
        let mut out = Vec::with_capacity(tickets.len());
        for chunk in tickets.chunks(super::rows_per_statement(PER_ROW)) {
            let values = super::value_rows(chunk.len(), PER_ROW, 1, |p| {
                let (status, at) = (&p[7], &p[10]);
                format!(
                    "({}, {at}, CASE WHEN {status} IN ('resolved', 'closed') THEN {at} END, \
                     CASE WHEN {status} = 'closed' THEN {at} END)",
                    p.join(", ")
                )
            });
            let sql = format!(
                "INSERT INTO tickets (number, client_id, contact_id, location_id, assignee_id, subject, \
                 details, status, priority, source, created_at, updated_at, resolved_at, closed_at) \
                 VALUES {values} RETURNING id"
            );
            let numbers: Vec<i64> = (number + 1..=number + chunk.len() as i64).collect();
            number += chunk.len() as i64;
            let ids: Vec<i64> = on_tx!(self, conn => {
                let mut q = sqlx::query_scalar(&sql);
                for ((t, status, at), number) in chunk.iter().zip(&numbers) {
                    q = q.bind(number).bind(t.client_id).bind(t.contact_id).bind(t.location_id)
                        .bind(t.assignee_id).bind(t.subject.trim()).bind(t.details).bind(status.as_str())
                        .bind(t.priority.as_str()).bind(t.source.as_str()).bind(at);
                }
                q.fetch_all(conn).await
            })?;
            out.extend(super::in_insert_order(ids).into_iter().zip(numbers));
        }
        Ok(out)
    }

    /// Adds a reply and marks the ticket updated; returns the reply's id.
    pub async fn insert_reply(
        &mut self,
        ticket: i64,
        author: Author<'_>,
        body: &str,
        internal: bool,
    ) -> DbResult<i64> {
        self.insert_reply_at(ticket, author, body, internal, Utc::now())
            .await
    }

    /// A reply written at `at`.
    pub async fn insert_reply_at(
        &mut self,
        ticket: i64,
        author: Author<'_>,
        body: &str,
        internal: bool,
        at: DateTime<Utc>,
    ) -> DbResult<i64> {
        let (user, contact, name) = match author {
            Author::User(id, name) => (Some(id), None, name),
            Author::Contact(id, name) => (None, Some(id), name),
        };
        let sql = "INSERT INTO ticket_replies (ticket_id, user_id, contact_id, author, body, internal, created_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
        let id: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(ticket).bind(user).bind(contact).bind(name).bind(body).bind(internal).bind(at)
            .fetch_one(conn).await)?;
        let touch = "UPDATE tickets SET updated_at = $2 WHERE id = $1";
        on_tx!(self, conn => sqlx::query(touch).bind(ticket).bind(at).execute(conn).await.map(|_| ()))?;
        Ok(id)
    }

    /// Applies the changes that differ from the ticket as it is, each with a history entry.
    /// Resolving and closing stamp their time; reopening clears both.
    pub async fn change_ticket(
        &mut self,
        ticket: &Ticket,
        changes: TicketChanges,
        actor: &str,
        assignee_name: Option<&str>,
    ) -> DbResult<bool> {
        let now = Utc::now();
        let t = &ticket.item;
        let mut events: Vec<(&str, String, String)> = Vec::new();
        if let Some(s) = changes.status.filter(|s| *s != t.status) {
            let stamps = "UPDATE tickets SET status = $2, \
                 resolved_at = CASE WHEN $2 = 'resolved' THEN $3 WHEN $2 = 'closed' THEN resolved_at ELSE NULL END, \
                 closed_at = CASE WHEN $2 = 'closed' THEN $3 ELSE NULL END WHERE id = $1";
            on_tx!(self, conn => sqlx::query(stamps).bind(t.id).bind(s.as_str()).bind(now).execute(conn).await.map(|_| ()))?;
            events.push(("status", t.status.label().into(), s.label().into()));
        }
        if let Some(p) = changes.priority.filter(|p| *p != t.priority) {
            let sql = "UPDATE tickets SET priority = $2 WHERE id = $1";
            on_tx!(self, conn => sqlx::query(sql).bind(t.id).bind(p.as_str()).execute(conn).await.map(|_| ()))?;
            events.push(("priority", t.priority.label().into(), p.label().into()));
        }
        if let Some(a) = changes.assignee.filter(|a| *a != ticket.assignee_id) {
            let sql = "UPDATE tickets SET assignee_id = $2 WHERE id = $1";
            on_tx!(self, conn => sqlx::query(sql).bind(t.id).bind(a).execute(conn).await.map(|_| ()))?;
            let name = |n: Option<&str>| n.unwrap_or("Nobody").to_string();
            events.push((
                "assignee",
                name(t.assignee_name.as_deref()),
                name(assignee_name),
            ));
        }
        for (field, old, new) in &events {
            let sql = "INSERT INTO ticket_events (ticket_id, field, old_value, new_value, actor, created_at) \
                       VALUES ($1, $2, $3, $4, $5, $6)";
            on_tx!(self, conn => sqlx::query(sql).bind(t.id).bind(*field).bind(old).bind(new)
                .bind(actor).bind(now).execute(conn).await.map(|_| ()))?;
        }
        if !events.is_empty() {
            let sql = "UPDATE tickets SET updated_at = $2 WHERE id = $1";
            on_tx!(self, conn => sqlx::query(sql).bind(t.id).bind(now).execute(conn).await.map(|_| ()))?;
        }
        Ok(!events.is_empty())
    }
}
