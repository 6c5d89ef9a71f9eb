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
    record_id: i64,
    id: i64,
    kind: String,
    name: String,
    colour: String,
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
        let mut out = Vec::new();
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT x.{column} AS record_id, t.id, t.kind, t.name, t.colour FROM {table} x \
                 JOIN tags t ON t.id = x.tag_id WHERE x.{column} IN ({}) ORDER BY t.name_lower",
                placeholders(1, chunk.len())
            );
            let rows: Vec<TagDbRow> = on_pool!(self, pool => {
                let mut q = sqlx::query_as(&sql);
                for id in chunk {
                    q = q.bind(id);
                }
                q.fetch_all(pool).await
            })?;
            out.extend(rows.into_iter().map(|r| {
                (
                    r.record_id,
                    Tag {
                        id: r.id,
                        kind: r.kind,
                        name: r.name,
                        colour: r.colour,
                    },
                )
            }));
        }
        Ok(out)
    }
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
