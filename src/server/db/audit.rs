//! The audit log: one writer for every change and sign-in event, and the filtered list.

use super::{Db, DbResult, Tx};
use crate::audit::model::{AuditFilter, AuditPage, AuditRow, Change};
use crate::{on_pool, on_tx};
use chrono::{DateTime, Utc};

/// Who did something: a technician, a portal contact, an API key, or Docket itself.
#[derive(Debug, Clone)]
pub struct Actor {
    pub kind: &'static str,
    pub id: Option<i64>,
    pub label: String,
}

impl Actor {
    pub fn user(id: i64, label: impl Into<String>) -> Self {
        Self {
            kind: "user",
            id: Some(id),
            label: label.into(),
        }
    }
    /// A client contact in the portal.
    pub fn contact(id: i64, label: impl Into<String>) -> Self {
        Self {
            kind: "contact",
            id: Some(id),
            label: label.into(),
        }
    }
    pub fn anonymous(label: impl Into<String>) -> Self {
        Self {
            kind: "anonymous",
            id: None,
            label: label.into(),
        }
    }
    pub fn system() -> Self {
        Self {
            kind: "system",
            id: None,
            label: "docket".into(),
        }
    }
}

/// Where a change came from: UI, API, import, portal or the command line, and from which
/// address and user agent.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub source: &'static str,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub actor: Actor,
    pub action: &'static str,
    pub record_type: Option<&'static str>,
    pub record_id: Option<i64>,
    pub record_label: Option<String>,
    pub client_id: Option<i64>,
    pub changes: Vec<Change>,
    pub origin: Origin,
}

impl AuditEntry {
    pub fn new(actor: Actor, action: &'static str, origin: Origin) -> Self {
        Self {
            actor,
            action,
            record_type: None,
            record_id: None,
            record_label: None,
            client_id: None,
            changes: Vec::new(),
            origin,
        }
    }

    pub fn record(mut self, kind: &'static str, id: i64, label: impl Into<String>) -> Self {
        self.record_type = Some(kind);
        self.record_id = Some(id);
        self.record_label = Some(label.into());
        self
    }

    pub fn client(mut self, client_id: Option<i64>) -> Self {
        self.client_id = client_id;
        self
    }

    /// Adds a field change when old and new differ.
    pub fn change(mut self, field: &str, old: impl ToString, new: impl ToString) -> Self {
        let (old, new) = (old.to_string(), new.to_string());
        if old != new {
            self.changes.push(Change {
                field: field.to_string(),
                old: Some(old),
                new: Some(new),
            });
        }
        self
    }
}

impl AuditEntry {
    /// Adds every field that differs between two snapshots of a record (no `before`: a new
    /// record, every field that is set).
    pub fn diff(mut self, before: Option<&[(&str, String)]>, after: &[(&str, String)]) -> Self {
        for (i, (field, new)) in after.iter().enumerate() {
            let old = before
                .and_then(|b| b.get(i))
                .map_or("", |(_, v)| v.as_str());
            let new = new.as_str();
            if before.is_some() || !(new.is_empty() || new == "false") {
                self = self.change(field, old, new);
            }
        }
        self
    }
}

impl Tx {
    pub async fn audit(&mut self, e: &AuditEntry) -> DbResult<()> {
        let sql =
            "INSERT INTO audit_log (at, actor_type, actor_id, actor_label, action, record_type, \
                   record_id, record_label, client_id, changes, source, ip, user_agent) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
        let changes =
            (!e.changes.is_empty()).then(|| serde_json::to_string(&e.changes).unwrap_or_default());
        on_tx!(self, conn => sqlx::query(sql)
            .bind(Utc::now())
            .bind(e.actor.kind)
            .bind(e.actor.id)
            .bind(&e.actor.label)
            .bind(e.action)
            .bind(e.record_type)
            .bind(e.record_id)
            .bind(&e.record_label)
            .bind(e.client_id)
            .bind(&changes)
            .bind(e.origin.source)
            .bind(&e.origin.ip)
            .bind(&e.origin.user_agent)
            .execute(conn)
            .await
            .map(|_| ()))?;
        Ok(())
    }
}

#[derive(sqlx::FromRow)]
struct AuditDbRow {
    id: i64,
    at: DateTime<Utc>,
    actor_type: String,
    actor_label: String,
    action: String,
    record_type: Option<String>,
    record_id: Option<i64>,
    record_label: Option<String>,
    client_id: Option<i64>,
    changes: Option<String>,
    source: String,
    ip: Option<String>,
    user_agent: Option<String>,
}

// Optional filters are `($n IS NULL OR ...)`, so one SQL text serves every combination.
const AUDIT_WHERE: &str = "WHERE ($1 IS NULL OR (actor_type = 'user' AND actor_id = $1)) \
     AND ($2 IS NULL OR client_id = $2) \
     AND ($3 IS NULL OR action = $3) \
     AND ($4 IS NULL OR at >= $4) \
     AND ($5 IS NULL OR at < $5) \
     AND ($6 IS NULL OR lower(actor_label || ' ' || action || ' ' || COALESCE(record_label, '') || ' ' \
          || COALESCE(changes, '') || ' ' || COALESCE(ip, '')) LIKE $6)";

impl Db {
    /// Writes one entry in its own transaction (events that change nothing else).
    pub async fn audit(&self, entry: &AuditEntry) -> DbResult<()> {
        let mut tx = self.begin().await?;
        tx.audit(entry).await?;
        tx.commit().await
    }

    pub async fn list_audit(&self, f: &AuditFilter) -> DbResult<AuditPage> {
        let text = f.text.as_deref().and_then(super::like_pattern);
        let action = f.action.as_deref().filter(|a| !a.is_empty());
        let from = super::day_start(f.from.as_deref());
        let to = super::day_start(f.to.as_deref()).map(|d| d + chrono::Duration::days(1));
        let page_size = f.page_size();
        let offset = (f.page() - 1) * page_size;
        let count_sql = format!("SELECT COUNT(*) FROM audit_log {AUDIT_WHERE}");
        let list_sql = format!(
            "SELECT id, at, actor_type, actor_label, action, record_type, record_id, record_label, client_id, \
             changes, source, ip, user_agent FROM audit_log {AUDIT_WHERE} ORDER BY at DESC, id DESC LIMIT $7 OFFSET $8"
        );
        let (total, rows): (i64, Vec<AuditDbRow>) = on_pool!(self, pool => {
            let total = sqlx::query_scalar(&count_sql)
                .bind(f.user_id).bind(f.client_id).bind(action).bind(from).bind(to).bind(&text)
                .fetch_one(pool).await?;
            let rows = sqlx::query_as(&list_sql)
                .bind(f.user_id).bind(f.client_id).bind(action).bind(from).bind(to).bind(&text)
                .bind(page_size).bind(offset)
                .fetch_all(pool).await?;
            (total, rows)
        });
        let rows = rows
            .into_iter()
            .map(|r| AuditRow {
                id: r.id,
                at: r.at.to_rfc3339(),
                actor: if r.actor_type == "user" {
                    r.actor_label
                } else {
                    format!("{} ({})", r.actor_label, r.actor_type)
                },
                action: r.action,
                record: match (r.record_type, r.record_id) {
                    (Some(kind), Some(id)) => Some(
                        format!("{kind} #{id} {}", r.record_label.unwrap_or_default())
                            .trim()
                            .to_string(),
                    ),
                    _ => r.record_label,
                },
                client_id: r.client_id,
                changes: r
                    .changes
                    .and_then(|c| serde_json::from_str(&c).ok())
                    .unwrap_or_default(),
                source: r.source,
                ip: r.ip,
                user_agent: r.user_agent,
            })
            .collect();
        Ok(AuditPage {
            total,
            page: f.page(),
            page_size,
            rows,
        })
    }
}
