//! The audit log as both builds see it: one entry, the list filters, one page of entries.

use serde::{Deserialize, Serialize};

/// A field that changed: old → new.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub record: Option<String>,
    pub client_id: Option<i64>,
    pub changes: Vec<Change>,
    pub source: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Filters of the audit list; every field comes from the page's URL.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub user_id: Option<i64>,
    pub client_id: Option<i64>,
    pub action: Option<String>,
    /// First day included, `YYYY-MM-DD` (UTC).
    pub from: Option<String>,
    /// Last day included, `YYYY-MM-DD` (UTC).
    pub to: Option<String>,
    pub text: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

impl AuditFilter {
    pub fn page(&self) -> i64 {
        self.page.unwrap_or(1).max(1)
    }
    pub fn page_size(&self) -> i64 {
        self.page_size.unwrap_or(50).clamp(10, 200)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
    pub rows: Vec<AuditRow>,
}

impl AuditPage {
    pub fn pages(&self) -> i64 {
        ((self.total + self.page_size - 1) / self.page_size).max(1)
    }
}
