//! Tombstones: what was deleted and when, so integrations that sync can drop it too.

use super::{Db, DbResult, Scope, Tx};
use crate::{on_pool, on_tx};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Tombstone {
    pub record_type: String,
    pub record_id: i64,
    pub client_id: i64,
    pub deleted_at: DateTime<Utc>,
}

impl Tx {
    /// Records the deletion of a record of `client` for everyone who could see it. Call it
    /// before deleting: a client's access rows go with the client.
    pub async fn insert_tombstone(
        &mut self,
        kind: &'static str,
        id: i64,
        client: i64,
        now: DateTime<Utc>,
    ) -> DbResult<()> {
        let everyone = "INSERT INTO tombstones (record_type, record_id, client_id, deleted_at) \
                        VALUES ($1, $2, $3, $4)";
        let restricted =
            "INSERT INTO tombstones (record_type, record_id, client_id, user_id, deleted_at) \
                          SELECT $1, $2, $3, user_id, $4 FROM user_clients WHERE client_id = $3";
        on_tx!(self, conn => {
            sqlx::query(everyone).bind(kind).bind(id).bind(client).bind(now).execute(&mut *conn).await?;
            if kind == "client" {
                sqlx::query(restricted).bind(kind).bind(id).bind(client).bind(now).execute(&mut *conn).await?;
            }
            Ok::<_, sqlx::Error>(())
        })?;
        Ok(())
    }
}

impl Db {
    /// Deletions the scope could see, at or after `since`, oldest first.
    pub async fn tombstones(
        &self,
        scope: Scope,
        since: DateTime<Utc>,
        limit: i64,
        offset: i64,
    ) -> DbResult<Vec<Tombstone>> {
        let sql = "SELECT record_type, record_id, client_id, deleted_at FROM tombstones t \
                   WHERE t.deleted_at >= $2 AND (($1 IS NULL AND t.user_id IS NULL) OR t.user_id = $1 \
                        OR (t.user_id IS NULL AND t.record_type <> 'client' \
                            AND t.client_id IN (SELECT client_id FROM user_clients WHERE user_id = $1))) \
                   ORDER BY t.deleted_at, t.id LIMIT $3 OFFSET $4";
        Ok(on_pool!(self, pool => sqlx::query_as(sql)
            .bind(scope.restricted_user).bind(since).bind(limit).bind(offset)
            .fetch_all(pool).await)?)
    }
}
