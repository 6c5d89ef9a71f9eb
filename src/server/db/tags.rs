//! Typed tags (client, location, contact) and their links to records.

use super::{placeholders, Db, DbResult, Tx};
use crate::clients::model::Tag;
use crate::error::AppError;
use crate::{on_pool, on_tx};
use chrono::Utc;

/// The link table and its record column for a tag kind; only these names reach SQL.
fn link_table(kind: &str) -> DbResult<(&'static str, &'static str)> {
    match kind {
        "client" => Ok(("client_tags", "client_id")),
        "location" => Ok(("location_tags", "location_id")),
        "contact" => Ok(("contact_tags", "contact_id")),
        _ => Err(AppError::BadRequest(format!("unknown tag kind {kind}"))),
    }
}

#[derive(sqlx::FromRow)]
struct TagDbRow {
    /// Which kind of record `record_id` is, where one query reads two.
    #[sqlx(default)]
    owner: String,
    record_id: i64,
    id: i64,
    kind: String,
    name: String,
    colour: String,
}

impl TagDbRow {
    fn tagged(self) -> (i64, Tag) {
        let tag = Tag {
            id: self.id,
            kind: self.kind,
            name: self.name,
            colour: self.colour,
        };
        (self.record_id, tag)
    }
}

impl Db {
    pub async fn list_tags(&self) -> DbResult<Vec<Tag>> {
        let sql = "SELECT id, kind, name, colour FROM tags ORDER BY kind, name_lower";
        let rows: Vec<(i64, String, String, String)> =
            on_pool!(self, pool => sqlx::query_as(sql).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|(id, kind, name, colour)| Tag {
                id,
                kind,
                name,
                colour,
            })
            .collect())
    }

    /// The tags of each record of one kind: (record id, tag), by tag name.
    pub async fn tags_of(&self, kind: &str, ids: &[i64]) -> DbResult<Vec<(i64, Tag)>> {
        let (table, column) = link_table(kind)?;
        let rows = self
            .tag_rows(ids, |p| {
                format!(
                    "SELECT x.{column} AS record_id, t.id, t.kind, t.name, t.colour FROM {table} x \
                     JOIN tags t ON t.id = x.tag_id WHERE x.{column} IN ({p}) ORDER BY t.name_lower"
                )
            })
            .await?;
        Ok(rows.into_iter().map(TagDbRow::tagged).collect())
    }

    /// The tags of these clients and of their active primary locations, in one query: (client
    /// id, tag) and (location id, tag), by tag name.
    pub(super) async fn client_and_primary_tags(&self, clients: &[i64]) -> DbResult<TagsOfBoth> {
        let rows = self
            .tag_rows(clients, |p| {
                format!(
                    "SELECT 'client' AS owner, x.client_id AS record_id, t.id, t.kind, t.name, \
                     t.colour, t.name_lower FROM client_tags x JOIN tags t ON t.id = x.tag_id \
                     WHERE x.client_id IN ({p}) \
                     UNION ALL SELECT 'location', l.id, t.id, t.kind, t.name, t.colour, t.name_lower \
                     FROM locations l JOIN location_tags x ON x.location_id = l.id \
                     JOIN tags t ON t.id = x.tag_id \
                     WHERE l.client_id IN ({p}) AND l.is_primary AND l.archived_at IS NULL \
                     ORDER BY name_lower"
                )
            })
            .await?;
        let (clients, locations): (Vec<_>, Vec<_>) =
            rows.into_iter().partition(|r| r.owner == "client");
        Ok(TagsOfBoth {
            clients: clients.into_iter().map(TagDbRow::tagged).collect(),
            locations: locations.into_iter().map(TagDbRow::tagged).collect(),
        })
    }

    /// Runs a tags query for up to 500 ids at a time; `sql` writes it given their placeholders.
    async fn tag_rows(&self, ids: &[i64], sql: impl Fn(&str) -> String) -> DbResult<Vec<TagDbRow>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(500) {
            let sql = sql(&placeholders(1, chunk.len()));
            let rows: Vec<TagDbRow> = on_pool!(self, pool => {
                let mut q = sqlx::query_as(&sql);
                for id in chunk {
                    q = q.bind(id);
                }
                q.fetch_all(pool).await
            })?;
            out.extend(rows);
        }
        Ok(out)
    }
}

/// What [`Db::client_and_primary_tags`] finds: (record id, tag) on each side.
pub(super) struct TagsOfBoth {
    pub(super) clients: Vec<(i64, Tag)>,
    pub(super) locations: Vec<(i64, Tag)>,
}

impl Tx {
    pub async fn insert_tag(&mut self, kind: &str, name: &str, colour: &str) -> DbResult<i64> {
        link_table(kind)?;
        let sql = "INSERT INTO tags (kind, name, name_lower, colour, created_at, updated_at) \
                   VALUES ($1, $2, $3, $4, $5, $5) RETURNING id";
        let name = name.trim();
        let result: Result<i64, sqlx::Error> = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(kind).bind(name).bind(name.to_lowercase()).bind(colour.trim()).bind(Utc::now())
            .fetch_one(conn).await);
        result.map_err(|err| match &err {
            sqlx::Error::Database(db) if db.is_unique_violation() => AppError::invalid(
                "name",
                format!("There is already a {kind} tag called {name}"),
            ),
            _ => err.into(),
        })
    }

    /// Deletes a tag and removes it from every record; the tag as it was, when it existed.
    pub async fn delete_tag(&mut self, id: i64) -> DbResult<Option<Tag>> {
        let sql = "DELETE FROM tags WHERE id = $1 RETURNING id, kind, name, colour";
        let row: Option<(i64, String, String, String)> =
            on_tx!(self, conn => sqlx::query_as(sql).bind(id).fetch_optional(conn).await)?;
        Ok(row.map(|(id, kind, name, colour)| Tag {
            id,
            kind,
            name,
            colour,
        }))
    }

    /// Replaces the tags of a record; ids of tags of another kind are ignored.
    pub async fn set_tags(&mut self, kind: &str, record: i64, tag_ids: &[i64]) -> DbResult<()> {
        let (table, column) = link_table(kind)?;
        let clear = format!("DELETE FROM {table} WHERE {column} = $1");
        on_tx!(self, conn => sqlx::query(&clear).bind(record).execute(conn).await.map(|_| ()))?;
        self.add_tags(kind, record, tag_ids).await
    }

    /// Adds tags to a record; ids of tags of another kind are ignored.
    pub async fn add_tags(&mut self, kind: &str, record: i64, tag_ids: &[i64]) -> DbResult<()> {
        let pairs: Vec<(i64, i64)> = tag_ids.iter().map(|t| (record, *t)).collect();
        self.add_tags_to_many(kind, &pairs).await
    }

    /// Adds (record, tag) pairs, many to a statement; tags of another kind are ignored.
    pub async fn add_tags_to_many(&mut self, kind: &str, pairs: &[(i64, i64)]) -> DbResult<()> {
        let (table, column) = link_table(kind)?;
        for chunk in pairs.chunks(super::rows_per_statement(2)) {
            let values = super::value_rows(chunk.len(), 2, 2, |p| format!("({})", p.join(", ")));
            let sql = format!(
                "INSERT INTO {table} ({column}, tag_id) SELECT v.column1, v.column2 FROM (VALUES {values}) v \
                 WHERE v.column2 IN (SELECT id FROM tags WHERE kind = $1) ON CONFLICT DO NOTHING"
            );
            on_tx!(self, conn => {
                let mut q = sqlx::query(&sql).bind(kind);
                for (record, tag) in chunk {
                    q = q.bind(record).bind(tag);
                }
                q.execute(conn).await.map(|_| ())
            })?;
        }
        Ok(())
    }

    pub async fn remove_tag(&mut self, kind: &str, record: i64, tag: i64) -> DbResult<()> {
        let (table, column) = link_table(kind)?;
        let sql = format!("DELETE FROM {table} WHERE {column} = $1 AND tag_id = $2");
        on_tx!(self, conn => sqlx::query(&sql).bind(record).bind(tag).execute(conn).await.map(|_| ()))?;
        Ok(())
    }
}
