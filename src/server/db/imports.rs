//! CSV imports: the uploaded file and its state, and the lookups that match rows to clients
//! and contacts in batches.

use super::clients::SCOPE;
use super::{placeholders, Db, DbResult, EmailOwner, Scope, Tx};
use crate::clients::import::ImportStatus;
use crate::{on_pool, on_tx};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ImportRow {
    pub id: i64,
    pub user_id: i64,
    pub file_name: String,
    pub csv: String,
    pub total_rows: i64,
    pub mapping: Option<String>,
    pub status: String,
    pub report: Option<String>,
    pub error: Option<String>,
}

impl ImportRow {
    pub fn status(&self) -> ImportStatus {
        ImportStatus::parse(&self.status)
    }
}

/// An existing client a row may name: by account code or normalised name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClientKey {
    pub id: i64,
    pub name: String,
    pub name_key: String,
    pub account_code: String,
}

impl Db {
    pub async fn insert_import(
        &self,
        user: i64,
        file_name: &str,
        csv: &str,
        rows: usize,
    ) -> DbResult<i64> {
        let sql = "INSERT INTO imports (user_id, file_name, csv, total_rows, created_at) \
                   VALUES ($1, $2, $3, $4, $5) RETURNING id";
        Ok(on_pool!(self, pool => sqlx::query_scalar(sql)
            .bind(user).bind(file_name).bind(csv).bind(rows as i64).bind(Utc::now())
            .fetch_one(pool).await)?)
    }

    /// An import with its file.
    pub async fn import(&self, id: i64) -> DbResult<Option<ImportRow>> {
        let sql = "SELECT id, user_id, file_name, csv, total_rows, mapping, status, report, error \
                   FROM imports WHERE id = $1";
        Ok(on_pool!(self, pool => sqlx::query_as(sql).bind(id).fetch_optional(pool).await)?)
    }

    /// An import without its file (`csv` is empty): what a page polling a run reads.
    pub async fn import_state(&self, id: i64) -> DbResult<Option<ImportRow>> {
        let sql = "SELECT id, user_id, file_name, '' AS csv, total_rows, mapping, status, report, \
                   error FROM imports WHERE id = $1";
        Ok(on_pool!(self, pool => sqlx::query_as(sql).bind(id).fetch_optional(pool).await)?)
    }

    /// Marks a run as failed when it has recorded no progress since `before` (its server
    /// stopped); false when it is alive or over.
    pub async fn fail_stalled_import(
        &self,
        id: i64,
        before: DateTime<Utc>,
        error: &str,
    ) -> DbResult<bool> {
        let sql = "UPDATE imports SET status = 'failed', error = $3, finished_at = $4 \
                   WHERE id = $1 AND status = 'running' AND progress_at < $2";
        let done = on_pool!(self, pool => sqlx::query(sql)
            .bind(id).bind(before).bind(error).bind(Utc::now())
            .execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(done == 1)
    }

    /// Stores a mapping and its dry run, unless the import has started.
    pub async fn set_import_checked(&self, id: i64, mapping: &str, report: &str) -> DbResult<bool> {
        let sql = "UPDATE imports SET mapping = $2, report = $3, status = 'checked' \
                   WHERE id = $1 AND status IN ('uploaded', 'checked')";
        let done = on_pool!(self, pool => sqlx::query(sql)
            .bind(id).bind(mapping).bind(report).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(done == 1)
    }

    /// Moves a checked import to running; false when it is not checked (already started, say
    /// by a second click or another node).
    pub async fn claim_import(&self, id: i64) -> DbResult<bool> {
        let sql = "UPDATE imports SET status = 'running', report = NULL, progress_at = $2 \
                   WHERE id = $1 AND status = 'checked'";
        let done = on_pool!(self, pool => sqlx::query(sql)
            .bind(id).bind(Utc::now()).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(done == 1)
    }

    /// Ends a run: done with its report, or failed with the reason (keeping the report of
    /// the batches that were committed). A run already given up as stalled stays failed.
    pub async fn finish_import(
        &self,
        id: i64,
        status: ImportStatus,
        report: Option<&str>,
        error: Option<&str>,
    ) -> DbResult<()> {
        let sql = "UPDATE imports SET status = $2, report = COALESCE($3, report), error = $4, \
                   finished_at = $5 WHERE id = $1 AND status = 'running'";
        on_pool!(self, pool => sqlx::query(sql)
            .bind(id).bind(status.as_str()).bind(report).bind(error).bind(Utc::now())
            .execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Clients in scope whose account code or normalised name is one of those given.
    pub async fn client_keys(
        &self,
        scope: Scope,
        codes: &[String],
        names: &[String],
    ) -> DbResult<Vec<ClientKey>> {
        let keys: Vec<&String> = codes.iter().chain(names).collect();
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT c.id, c.name, c.name_key, c.account_code FROM clients c WHERE {SCOPE} \
             AND (c.account_code IN ({}) OR c.name_key IN ({})) ORDER BY c.id",
            in_list(2, codes.len()),
            in_list(2 + codes.len(), names.len()),
        );
        Ok(on_pool!(self, pool => {
            let mut q = sqlx::query_as(&sql).bind(scope.restricted_user);
            for k in &keys {
                q = q.bind(k.as_str());
            }
            q.fetch_all(pool).await
        })?)
    }

    /// The contacts that hold any of these emails (lower case), by email.
    pub async fn email_owners(&self, emails: &[String]) -> DbResult<Vec<(String, EmailOwner)>> {
        if emails.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT k.email_lower, k.id, k.client_id, c.name FROM contacts k \
             JOIN clients c ON c.id = k.client_id WHERE k.email_lower IN ({})",
            placeholders(1, emails.len())
        );
        let rows: Vec<(String, i64, i64, String)> = on_pool!(self, pool => {
            let mut q = sqlx::query_as(&sql);
            for e in emails {
                q = q.bind(e.as_str());
            }
            q.fetch_all(pool).await
        })?;
        Ok(rows
            .into_iter()
            .map(|(email, contact_id, client_id, client_name)| {
                (
                    email,
                    EmailOwner {
                        contact_id,
                        client_id,
                        client_name,
                    },
                )
            })
            .collect())
    }
}

/// Placeholders for an `IN` list, or a NULL that matches nothing when the list is empty.
fn in_list(start: usize, n: usize) -> String {
    if n == 0 {
        "NULL".into()
    } else {
        placeholders(start, n)
    }
}

impl Tx {
    /// Records a run's progress with the batch that made it; false when the run was given up
    /// as stalled meanwhile, and the batch must not be committed.
    pub async fn import_progress(&mut self, id: i64, report: &str) -> DbResult<bool> {
        let sql = "UPDATE imports SET report = $2, progress_at = $3 \
                   WHERE id = $1 AND status = 'running'";
        let done = on_tx!(self, conn => sqlx::query(sql)
            .bind(id).bind(report).bind(Utc::now())
            .execute(conn).await.map(|r| r.rows_affected()))?;
        Ok(done == 1)
    }
}
