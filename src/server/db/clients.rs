//! Clients (the full record comes with the client feature).

use super::{Db, DbResult, Tx};
use crate::{on_pool, on_tx};
use chrono::Utc;

impl Db {
    /// Every client that is not archived, by name: (id, name).
    pub async fn client_choices(&self) -> DbResult<Vec<(i64, String)>> {
        let sql = "SELECT id, name FROM clients WHERE archived_at IS NULL ORDER BY lower(name), id";
        Ok(on_pool!(self, pool => sqlx::query_as(sql).fetch_all(pool).await)?)
    }
}

impl Tx {
    pub async fn insert_client(&mut self, name: &str) -> DbResult<i64> {
        let sql =
            "INSERT INTO clients (name, created_at, updated_at) VALUES ($1, $2, $2) RETURNING id";
        Ok(
            on_tx!(self, conn => sqlx::query_scalar(sql).bind(name.trim()).bind(Utc::now()).fetch_one(conn).await)?,
        )
    }
}
