//! Locations of a client. Exactly one active location of a client is primary while it has any.

use super::clients::SCOPE;
use super::{Db, DbResult, Scope, Tx, Window};
use crate::bind_window;
use crate::clients::model::{Location, LocationInput, Tag};
use crate::{on_pool, on_tx};
use chrono::{DateTime, Utc};

#[derive(sqlx::FromRow)]
struct LocationDbRow {
    id: i64,
    client_id: i64,
    name: String,
    is_primary: bool,
    address_1: String,
    address_2: String,
    address_3: String,
    city: String,
    state: String,
    postal_code: String,
    country: String,
    phone: String,
    phone_secondary: String,
    fax: String,
    invoice_email: String,
    hours: String,
    time_zone: String,
    notes: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    archived_at: Option<DateTime<Utc>>,
}

impl From<LocationDbRow> for Location {
    fn from(r: LocationDbRow) -> Self {
        Location {
            id: r.id,
            client_id: r.client_id,
            fields: LocationInput {
                name: r.name,
                primary: r.is_primary,
                address_1: r.address_1,
                address_2: r.address_2,
                address_3: r.address_3,
                city: r.city,
                state: r.state,
                postal_code: r.postal_code,
                country: r.country,
                phone: r.phone,
                phone_secondary: r.phone_secondary,
                fax: r.fax,
                invoice_email: r.invoice_email,
                hours: r.hours,
                time_zone: r.time_zone,
                notes: r.notes,
                tag_ids: Vec::new(),
            },
            tags: Vec::new(),
            created_at: r.created_at.to_rfc3339(),
            updated_at: r.updated_at.to_rfc3339(),
            archived_at: r.archived_at.map(|t| t.to_rfc3339()),
        }
    }
}

/// Locations with their tags, taken from those loaded for the batch.
fn all_tagged(rows: Vec<LocationDbRow>, mut tags: Vec<(i64, Tag)>) -> Vec<Location> {
    rows.into_iter()
        .map(|row| {
            let mut l = Location::from(row);
            l.tags = super::clients::take_tags(&mut tags, l.id);
            l.fields.tag_ids = l.tags.iter().map(|t| t.id).collect();
            l
        })
        .collect()
}

/// What the API's location list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct LocationQuery {
    pub window: Window,
    pub client: Option<i64>,
}

impl LocationQuery {
    /// The conditions on locations `l`: the scope, the [`Window`] ($1 to $8), $9 the client.
    fn filter(&self) -> String {
        format!(
            "($1 IS NULL OR l.client_id IN (SELECT client_id FROM user_clients WHERE user_id = $1)) {} \
             AND ($9 IS NULL OR l.client_id = $9)",
            self.window.sql("l")
        )
    }
}

const LOCATION_SELECT: &str = "SELECT id, client_id, name, is_primary, address_1, address_2, address_3, \
     city, state, postal_code, country, phone, phone_secondary, fax, invoice_email, hours, time_zone, \
     notes, created_at, updated_at, archived_at FROM locations";

impl Db {
    /// A client's locations, primary first, archived last.
    pub async fn locations_of(&self, client: i64) -> DbResult<Vec<Location>> {
        let sql = format!(
            "{LOCATION_SELECT} WHERE client_id = $1 \
             ORDER BY (archived_at IS NOT NULL), is_primary DESC, lower(name), id"
        );
        let rows: Vec<LocationDbRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(client).fetch_all(pool).await)?;
        self.locations_tagged(rows).await
    }

    /// The active primary location of each of these clients that has one, with its tags.
    pub async fn primary_locations(&self, clients: &[i64]) -> DbResult<Vec<Location>> {
        let rows = self.primary_location_rows(clients).await?;
        self.locations_tagged(rows).await
    }

    /// The same, given their tags (read with the clients' by [`Db::client_and_primary_tags`]).
    pub(super) async fn primary_locations_tagged(
        &self,
        clients: &[i64],
        tags: Vec<(i64, Tag)>,
    ) -> DbResult<Vec<Location>> {
        let rows = self.primary_location_rows(clients).await?;
        Ok(all_tagged(rows, tags))
    }

    /// Locations with their tags, read in one query.
    async fn locations_tagged(&self, rows: Vec<LocationDbRow>) -> DbResult<Vec<Location>> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let tags = self.tags_of("location", &ids).await?;
        Ok(all_tagged(rows, tags))
    }

    async fn primary_location_rows(&self, clients: &[i64]) -> DbResult<Vec<LocationDbRow>> {
        let mut out = Vec::new();
        for chunk in clients.chunks(500) {
            let sql = format!(
                "{LOCATION_SELECT} WHERE is_primary AND archived_at IS NULL AND client_id IN ({})",
                super::placeholders(1, chunk.len())
            );
            let rows: Vec<LocationDbRow> = on_pool!(self, pool => {
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

    /// Active locations of the clients the scope may see, oldest first, optionally of one
    /// client: the API's plain list.
    pub async fn locations_page(
        &self,
        scope: Scope,
        client: Option<i64>,
        limit: i64,
        offset: i64,
    ) -> DbResult<Vec<Location>> {
        let sql = format!(
            "{LOCATION_SELECT} WHERE archived_at IS NULL AND ($2 IS NULL OR client_id = $2) \
             AND client_id IN (SELECT c.id FROM clients c WHERE {}) \
             ORDER BY id LIMIT $3 OFFSET $4",
            SCOPE
        );
        let rows: Vec<LocationDbRow> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(scope.restricted_user).bind(client).bind(limit).bind(offset)
            .fetch_all(pool).await)?;
        self.locations_tagged(rows).await
    }

    /// One page of the locations the query matches: a client's primary first, all by age,
    /// or in sync order.
    pub async fn api_locations(
        &self,
        scope: Scope,
        q: &LocationQuery,
        limit: i64,
        offset: i64,
    ) -> DbResult<Vec<Location>> {
        let plain = match q.client {
            Some(_) => "l.is_primary DESC, lower(l.name), l.id",
            None => "l.id",
        };
        let sql = format!(
            "{LOCATION_SELECT} l WHERE {} ORDER BY {} LIMIT $10 OFFSET $11",
            q.filter(),
            q.window.order("l", plain)
        );
        let rows: Vec<LocationDbRow> = on_pool!(self, pool => bind_window!(sqlx::query_as(&sql), scope, q.window)
            .bind(q.client).bind(limit).bind(offset).fetch_all(pool).await)?;
        self.locations_tagged(rows).await
    }

    /// How many locations the query matches.
    pub async fn api_location_count(&self, scope: Scope, q: &LocationQuery) -> DbResult<i64> {
        let sql = format!("SELECT COUNT(*) FROM locations l WHERE {}", q.filter());
        Ok(
            on_pool!(self, pool => bind_window!(sqlx::query_scalar(&sql), scope, q.window)
            .bind(q.client).fetch_one(pool).await)?,
        )
    }

    pub async fn location(&self, id: i64) -> DbResult<Option<Location>> {
        let sql = format!("{LOCATION_SELECT} WHERE id = $1");
        let row: Option<LocationDbRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?;
        Ok(self
            .locations_tagged(row.into_iter().collect())
            .await?
            .pop())
    }
}

impl Tx {
    /// Adds a location; it is the primary one when asked, or when the client has none yet.
    pub async fn insert_location(&mut self, client: i64, input: &LocationInput) -> DbResult<i64> {
        let cols = input.text_fields();
        let names: Vec<&str> = cols.iter().map(|(n, _)| *n).collect();
        let n = cols.len();
        let sql = format!(
            "INSERT INTO locations (client_id, {}, created_at, updated_at, is_primary) VALUES ($1, {}, ${t}, ${t}, \
             ${p} OR NOT EXISTS (SELECT 1 FROM locations WHERE client_id = $1 AND archived_at IS NULL AND is_primary)) \
             RETURNING id",
            names.join(", "),
            super::placeholders(2, n),
            t = n + 2,
            p = n + 3
        );
        // One primary per client (a unique index): the old one steps down first.
        if input.primary {
            self.clear_primaries("locations", client, None).await?;
        }
        let id: i64 = on_tx!(self, conn => {
            let mut q = sqlx::query_scalar(&sql).bind(client);
            for (name, value) in &cols {
                q = q.bind(stored(name, value));
            }
            q.bind(Utc::now()).bind(input.primary).fetch_one(conn).await
        })?;
        self.add_tags("location", id, &input.tag_ids).await?;
        Ok(id)
    }

    /// The first locations of new clients (clients without any yet), many to a statement; their
    /// ids in the same order. Each client's first location marked primary is its primary one,
    /// else its first. Their tags are not written here.
    pub async fn insert_new_locations(
        &mut self,
        rows: &[(i64, &LocationInput)],
    ) -> DbResult<Vec<i64>> {
        let Some((_, sample)) = rows.first() else {
            return Ok(Vec::new());
        };
        let names: Vec<&str> = sample.text_fields().iter().map(|(n, _)| *n).collect();
        let per_row = names.len() + 2;
        let flags: Vec<(i64, bool)> = rows.iter().map(|(c, l)| (*c, l.primary)).collect();
        let primary = super::primaries(&flags);
        let mut ids = Vec::with_capacity(rows.len());
        let size = super::rows_per_statement(per_row);
        for (chunk, primary) in rows.chunks(size).zip(primary.chunks(size)) {
            let values = super::value_rows(chunk.len(), per_row, 2, |p| {
                format!("({}, $1, $1)", p.join(", "))
            });
            let sql = format!(
                "INSERT INTO locations (client_id, {}, is_primary, created_at, updated_at) VALUES {values} RETURNING id",
                names.join(", ")
            );
            let got: Vec<i64> = on_tx!(self, conn => {
                let mut q = sqlx::query_scalar(&sql).bind(Utc::now());
                for ((client, input), primary) in chunk.iter().zip(primary) {
                    q = q.bind(client);
                    for (name, value) in input.text_fields() {
                        q = q.bind(stored(name, value));
                    }
                    q = q.bind(primary);
                }
                q.fetch_all(conn).await
            })?;
            ids.extend(super::in_insert_order(got));
        }
        Ok(ids)
    }

    pub async fn update_location(
        &mut self,
        id: i64,
        client: i64,
        input: &LocationInput,
    ) -> DbResult<()> {
        let cols = input.text_fields();
        let sets: Vec<String> = cols
            .iter()
            .enumerate()
            .map(|(i, (name, _))| format!("{name} = ${}", i + 2))
            .collect();
        let t = cols.len() + 2;
        let sql = format!(
            "UPDATE locations SET {}, is_primary = (is_primary AND ${}), updated_at = ${t} WHERE id = $1",
            sets.join(", "),
            t + 1
        );
        on_tx!(self, conn => {
            let mut q = sqlx::query(&sql).bind(id);
            for (name, value) in &cols {
                q = q.bind(stored(name, value));
            }
            q.bind(Utc::now()).bind(input.primary).execute(conn).await.map(|_| ())
        })?;
        self.set_tags("location", id, &input.tag_ids).await?;
        if input.primary {
            self.make_primary("locations", client, id).await?;
        }
        self.ensure_primary_location(client).await
    }

    pub async fn set_location_archived(
        &mut self,
        id: i64,
        client: i64,
        archived: bool,
    ) -> DbResult<()> {
        let sql = "UPDATE locations SET archived_at = CASE WHEN $2 THEN COALESCE(archived_at, $3) ELSE NULL END, \
                   is_primary = FALSE, updated_at = $3 WHERE id = $1";
        on_tx!(self, conn => sqlx::query(sql).bind(id).bind(archived).bind(Utc::now())
            .execute(conn).await.map(|_| ()))?;
        self.ensure_primary_location(client).await
    }

    pub async fn delete_archived_location(&mut self, id: i64) -> DbResult<bool> {
        let sql = "DELETE FROM locations WHERE id = $1 AND archived_at IS NOT NULL";
        let n = on_tx!(self, conn => sqlx::query(sql).bind(id).execute(conn).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Makes `id` the only active primary record of `table` for its client.
    pub(super) async fn make_primary(
        &mut self,
        table: &'static str,
        client: i64,
        id: i64,
    ) -> DbResult<()> {
        self.clear_primaries(table, client, Some(id)).await?;
        let set =
            format!("UPDATE {table} SET is_primary = TRUE WHERE id = $1 AND archived_at IS NULL");
        on_tx!(self, conn => sqlx::query(&set).bind(id).execute(conn).await.map(|_| ()))?;
        Ok(())
    }

    /// The client's contacts or locations other than `keep` stop being primary.
    pub(super) async fn clear_primaries(
        &mut self,
        table: &'static str,
        client: i64,
        keep: Option<i64>,
    ) -> DbResult<()> {
        let clear = format!(
            "UPDATE {table} SET is_primary = FALSE WHERE client_id = $1 AND is_primary AND ($2 IS NULL OR id <> $2)"
        );
        on_tx!(self, conn => sqlx::query(&clear).bind(client).bind(keep).execute(conn).await.map(|_| ()))?;
        Ok(())
    }

    /// A client with active locations but no primary one gets its oldest as primary.
    async fn ensure_primary_location(&mut self, client: i64) -> DbResult<()> {
        let sql = "UPDATE locations SET is_primary = TRUE WHERE id = \
                   (SELECT id FROM locations WHERE client_id = $1 AND archived_at IS NULL ORDER BY id LIMIT 1) \
                   AND NOT EXISTS (SELECT 1 FROM locations WHERE client_id = $1 AND archived_at IS NULL AND is_primary)";
        on_tx!(self, conn => sqlx::query(sql).bind(client).execute(conn).await.map(|_| ()))?;
        Ok(())
    }
}

/// A value as stored: trimmed; country codes in capitals.
fn stored(name: &str, value: &str) -> String {
    match name {
        "country" => value.trim().to_uppercase(),
        _ => value.trim().to_string(),
    }
}
