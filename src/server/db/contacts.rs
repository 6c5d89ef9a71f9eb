//! Contacts: on a client, optionally at one of its locations. Emails are unique across Docket
//! (case-insensitive); at most one active contact of a client is primary.

use super::clients::{take_tags, Scope, SCOPE};
use super::{like_pattern, Db, DbResult, Tx, Window};
use crate::bind_window;
use crate::clients::model::{digits, Contact, ContactFilter, ContactInput, ListPage, COUNT_CAP};
use crate::error::AppError;
use crate::{on_pool, on_tx};
use chrono::{DateTime, Utc};

#[derive(sqlx::FromRow)]
struct ContactDbRow {
    id: i64,
    client_id: i64,
    client_name: String,
    location_id: Option<i64>,
    location_name: Option<String>,
    name: String,
    title: String,
    department: String,
    email: String,
    phone: String,
    extension: String,
    mobile: String,
    notes: String,
    is_primary: bool,
    important: bool,
    billing: bool,
    technical: bool,
    auth_method: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    archived_at: Option<DateTime<Utc>>,
}

impl From<ContactDbRow> for Contact {
    fn from(r: ContactDbRow) -> Self {
        Contact {
            id: r.id,
            client_id: r.client_id,
            client_name: r.client_name,
            location_name: r.location_name,
            fields: ContactInput {
                name: r.name,
                title: r.title,
                department: r.department,
                email: r.email,
                phone: r.phone,
                extension: r.extension,
                mobile: r.mobile,
                location_id: r.location_id.map(|l| l.to_string()).unwrap_or_default(),
                notes: r.notes,
                primary: r.is_primary,
                important: r.important,
                billing: r.billing,
                technical: r.technical,
                auth_method: r.auth_method,
                tag_ids: Vec::new(),
            },
            tags: Vec::new(),
            created_at: r.created_at.to_rfc3339(),
            updated_at: r.updated_at.to_rfc3339(),
            archived_at: r.archived_at.map(|t| t.to_rfc3339()),
        }
    }
}

const CONTACT_SELECT: &str = "SELECT k.id, k.client_id, c.name AS client_name, k.location_id, \
     l.name AS location_name, k.name, k.title, k.department, k.email, k.phone, k.extension, k.mobile, \
     k.notes, k.is_primary, k.important, k.billing, k.technical, k.auth_method, \
     k.created_at, k.updated_at, k.archived_at \
     FROM contacts k JOIN clients c ON c.id = k.client_id LEFT JOIN locations l ON l.id = k.location_id";

/// What the API's contact list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct ContactLookup {
    pub client: Option<i64>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// Who already has an email address.
#[derive(Debug, Clone, PartialEq)]
pub struct EmailOwner {
    pub contact_id: i64,
    pub client_id: i64,
    pub client_name: String,
}

/// What the API's contact list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct ContactQuery {
    pub window: Window,
    pub client: Option<i64>,
    pub search: Option<String>,
}

/// A text search of contacts: `$text` a LIKE pattern over names, emails, titles and the
/// client's name, `$digits` one over phone and mobile digits.
macro_rules! contact_search {
    ($text:literal, $digits:literal) => {
        concat!(
            "AND (",
            $text,
            " IS NULL OR lower(k.name) LIKE ",
            $text,
            " OR k.email_lower LIKE ",
            $text,
            " OR lower(k.title) LIKE ",
            $text,
            " OR lower(c.name) LIKE ",
            $text,
            " OR (",
            $digits,
            " IS NOT NULL AND (k.phone_digits LIKE ",
            $digits,
            " OR k.mobile_digits LIKE ",
            $digits,
            ")))"
        )
    };
}

/// The patterns of a [`contact_search`]: the text, and its digits when there are three or more.
fn search_patterns(q: Option<&str>) -> (Option<String>, Option<String>) {
    let text = q.and_then(like_pattern);
    let phone = q
        .map(digits)
        .filter(|d| d.len() >= 3)
        .map(|d| format!("%{d}%"));
    (text, phone)
}

/// The contact list's conditions after the scope: $2 archived mode, $3 flag, $4 client,
/// $5 tag, $6 text pattern, $7 digits pattern.
const CONTACT_WHERE: &str = concat!(
    "AND ($2 = 'include' OR ($2 = 'only') = (k.archived_at IS NOT NULL)) \
     AND ($3 IS NULL OR ($3 = 'primary' AND k.is_primary) OR ($3 = 'important' AND k.important) \
          OR ($3 = 'billing' AND k.billing) OR ($3 = 'technical' AND k.technical)) \
     AND ($4 IS NULL OR k.client_id = $4) \
     AND ($5 IS NULL OR k.id IN (SELECT contact_id FROM contact_tags WHERE tag_id = $5)) ",
    contact_search!("$6", "$7")
);

/// The API list's conditions after the [`Window`]'s ($1 to $8): $9 client, $10/$11 search.
const API_WHERE: &str = concat!(
    "AND ($9 IS NULL OR k.client_id = $9) ",
    contact_search!("$10", "$11")
);

impl Db {
    async fn contacts_tagged(&self, rows: Vec<ContactDbRow>) -> DbResult<Vec<Contact>> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut tags = self.tags_of("contact", &ids).await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let mut k = Contact::from(r);
                k.tags = take_tags(&mut tags, k.id);
                k.fields.tag_ids = k.tags.iter().map(|t| t.id).collect();
                k
            })
            .collect())
    }

    /// A client's contacts: primary, then important, then by name; archived last.
    pub async fn contacts_of(&self, client: i64) -> DbResult<Vec<Contact>> {
        let sql = format!(
            "{CONTACT_SELECT} WHERE k.client_id = $1 \
             ORDER BY (k.archived_at IS NOT NULL), k.is_primary DESC, k.important DESC, lower(k.name), k.id"
        );
        let rows = on_pool!(self, pool => sqlx::query_as(&sql).bind(client).fetch_all(pool).await)?;
        self.contacts_tagged(rows).await
    }

    /// The active primary contact of each of these clients that has one.
    pub async fn primary_contacts(&self, clients: &[i64]) -> DbResult<Vec<Contact>> {
        self.contacts_of_clients("k.is_primary AND k.archived_at IS NULL", clients)
            .await
    }

    /// The active contacts of these clients.
    pub async fn active_contacts_of(&self, clients: &[i64]) -> DbResult<Vec<Contact>> {
        self.contacts_of_clients("k.archived_at IS NULL", clients)
            .await
    }

    /// Contacts of these clients that meet `condition` (a fixed SQL text), with their tags.
    async fn contacts_of_clients(
        &self,
        condition: &str,
        clients: &[i64],
    ) -> DbResult<Vec<Contact>> {
        let mut out = Vec::new();
        for chunk in clients.chunks(500) {
            let sql = format!(
                "{CONTACT_SELECT} WHERE {condition} AND k.client_id IN ({})",
                super::placeholders(1, chunk.len())
            );
            let rows: Vec<ContactDbRow> = on_pool!(self, pool => {
                let mut q = sqlx::query_as(&sql);
                for id in chunk {
                    q = q.bind(id);
                }
                q.fetch_all(pool).await
            })?;
            out.extend(self.contacts_tagged(rows).await?);
        }
        Ok(out)
    }

    /// One contact, when the scope may see its client.
    pub async fn contact(&self, scope: Scope, id: i64) -> DbResult<Option<Contact>> {
        let sql = format!("{CONTACT_SELECT} WHERE {} AND k.id = $2", SCOPE);
        let row: Option<ContactDbRow> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(scope.restricted_user).bind(id).fetch_optional(pool).await)?;
        Ok(self.contacts_tagged(row.into_iter().collect()).await?.pop())
    }

    /// One page of the contact list, and how many match up to just past [`COUNT_CAP`].
    pub async fn list_contacts(
        &self,
        scope: Scope,
        f: &ContactFilter,
    ) -> DbResult<ListPage<Contact>> {
        let count_sql = format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM contacts k JOIN clients c ON c.id = k.client_id \
             WHERE {SCOPE} {CONTACT_WHERE} LIMIT {}) n",
            COUNT_CAP + 1
        );
        let list_sql = format!(
            "{CONTACT_SELECT} WHERE {SCOPE} {CONTACT_WHERE} ORDER BY lower(k.name), k.id LIMIT $8 OFFSET $9"
        );
        let archived = f.archived.mode();
        let (text, phone) = search_patterns(f.q.as_deref());
        let (total, rows): (i64, Vec<ContactDbRow>) = on_pool!(self, pool => {
            let total = sqlx::query_scalar(&count_sql)
                .bind(scope.restricted_user).bind(archived).bind(&f.flag).bind(f.client).bind(f.tag)
                .bind(&text).bind(&phone)
                .fetch_one(pool).await?;
            let rows = sqlx::query_as(&list_sql)
                .bind(scope.restricted_user).bind(archived).bind(&f.flag).bind(f.client).bind(f.tag)
                .bind(&text).bind(&phone).bind(f.size).bind((f.page - 1) * f.size)
                .fetch_all(pool).await?;
            (total, rows)
        });
        Ok(ListPage {
            total,
            page: f.page,
            size: f.size,
            rows: self.contacts_tagged(rows).await?,
        })
    }

    /// One page of the contacts the query matches: by name, or in sync order.
    pub async fn api_contacts(
        &self,
        scope: Scope,
        q: &ContactQuery,
        limit: i64,
        offset: i64,
    ) -> DbResult<Vec<Contact>> {
        let sql = format!(
            "{CONTACT_SELECT} WHERE {SCOPE} {} {API_WHERE} ORDER BY {} LIMIT $12 OFFSET $13",
            q.window.sql("k"),
            q.window.order("k", "lower(k.name), k.id")
        );
        let (text, phone) = search_patterns(q.search.as_deref());
        let rows = on_pool!(self, pool => bind_window!(sqlx::query_as(&sql), scope, q.window)
            .bind(q.client).bind(&text).bind(&phone).bind(limit).bind(offset)
            .fetch_all(pool).await)?;
        self.contacts_tagged(rows).await
    }

    /// How many contacts the query matches.
    pub async fn api_contact_count(&self, scope: Scope, q: &ContactQuery) -> DbResult<i64> {
        let sql = format!(
            "SELECT COUNT(*) FROM contacts k JOIN clients c ON c.id = k.client_id \
             WHERE {SCOPE} {} {API_WHERE}",
            q.window.sql("k")
        );
        let (text, phone) = search_patterns(q.search.as_deref());
        Ok(
            on_pool!(self, pool => bind_window!(sqlx::query_scalar(&sql), scope, q.window)
            .bind(q.client).bind(&text).bind(&phone)
            .fetch_one(pool).await)?,
        )
    }

    /// Active contacts the scope may see, oldest first, narrowed to a client, an email (any
    /// case) or a phone or mobile number (its digits): the API's plain list.
    pub async fn contacts_page(
        &self,
        scope: Scope,
        lookup: &ContactLookup,
        limit: i64,
        offset: i64,
    ) -> DbResult<Vec<Contact>> {
        let sql = format!(
            "{CONTACT_SELECT} WHERE {} AND k.archived_at IS NULL \
             AND ($2 IS NULL OR k.client_id = $2) AND ($3 IS NULL OR k.email_lower = $3) \
             AND ($4 IS NULL OR k.phone_digits = $4 OR k.mobile_digits = $4) \
             ORDER BY k.id LIMIT $5 OFFSET $6",
            SCOPE
        );
        let email = lookup.email.as_deref().map(|e| e.trim().to_lowercase());
        let phone = lookup.phone.as_deref().map(digits);
        let rows = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(scope.restricted_user).bind(lookup.client).bind(&email).bind(&phone)
            .bind(limit).bind(offset)
            .fetch_all(pool).await)?;
        self.contacts_tagged(rows).await
    }

    /// The contact that has `email` (any case), other than `except`.
    pub async fn email_owner(
        &self,
        email: &str,
        except: Option<i64>,
    ) -> DbResult<Option<EmailOwner>> {
        let sql = "SELECT k.id, k.client_id, c.name FROM contacts k JOIN clients c ON c.id = k.client_id \
                   WHERE k.email_lower = $1 AND ($2 IS NULL OR k.id <> $2)";
        let email = email.trim().to_lowercase();
        let row: Option<(i64, i64, String)> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(&email).bind(except).fetch_optional(pool).await)?;
        Ok(row.map(|(contact_id, client_id, client_name)| EmailOwner {
            contact_id,
            client_id,
            client_name,
        }))
    }
}

/// Binds the contact columns in the order of `CONTACT_WRITE_COLUMNS`.
macro_rules! bind_contact {
    ($q:expr, $i:expr) => {{
        let i: &ContactInput = $i;
        let email = i.email.trim();
        $q.bind(i.name.trim())
            .bind(i.title.trim())
            .bind(i.department.trim())
            .bind(email)
            .bind((!email.is_empty()).then(|| email.to_lowercase()))
            .bind(i.phone.trim())
            .bind(digits(&i.phone))
            .bind(i.extension.trim())
            .bind(i.mobile.trim())
            .bind(digits(&i.mobile))
            .bind(i.location())
            .bind(i.notes.trim())
            .bind(i.important)
            .bind(i.billing)
            .bind(i.technical)
            .bind(i.auth_method())
    }};
}

const CONTACT_WRITE_COLUMNS: &str = "name, title, department, email, email_lower, phone, phone_digits, \
     extension, mobile, mobile_digits, location_id, notes, important, billing, technical, auth_method";

fn email_taken(err: sqlx::Error, email: &str) -> AppError {
    match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => AppError::invalid(
            "contact[email]",
            format!("{} is already a contact's email", email.trim()),
        ),
        _ => err.into(),
    }
}

impl Tx {
    /// Adds a contact; it is the primary one when asked, or when the client has none yet. The
    /// location must belong to the same client (checked by the caller).
    pub async fn insert_contact(&mut self, client: i64, input: &ContactInput) -> DbResult<i64> {
        let sql = format!(
            "INSERT INTO contacts (client_id, {CONTACT_WRITE_COLUMNS}, created_at, updated_at, is_primary) VALUES \
             ($1, {}, $18, $18, $19 OR NOT EXISTS \
             (SELECT 1 FROM contacts WHERE client_id = $1 AND archived_at IS NULL AND is_primary)) RETURNING id",
            super::placeholders(2, 16)
        );
        // One primary per client (a unique index): the old one steps down first.
        if input.primary {
            self.clear_primaries("contacts", client, None).await?;
        }
        let result: Result<i64, sqlx::Error> = on_tx!(self, conn =>
            bind_contact!(sqlx::query_scalar(&sql).bind(client), input).bind(Utc::now()).bind(input.primary)
                .fetch_one(conn).await);
        let id = result.map_err(|e| email_taken(e, &input.email))?;
        self.add_tags("contact", id, &input.tag_ids).await?;
        Ok(id)
    }

    /// The first contacts of new clients (clients without any yet), many to a statement; their
    /// ids in the same order. Each client's first contact marked primary is its primary one,
    /// else its first. Their tags are not written here.
    pub async fn insert_new_contacts(
        &mut self,
        rows: &[(i64, &ContactInput)],
    ) -> DbResult<Vec<i64>> {
        const PER_ROW: usize = 18;
        let flags: Vec<(i64, bool)> = rows.iter().map(|(c, k)| (*c, k.primary)).collect();
        let primary = super::primaries(&flags);
        let mut ids = Vec::with_capacity(rows.len());
        let size = super::rows_per_statement(PER_ROW);
        for (chunk, primary) in rows.chunks(size).zip(primary.chunks(size)) {
            let values = super::value_rows(chunk.len(), PER_ROW, 2, |p| {
                format!("({}, $1, $1)", p.join(", "))
            });
            let sql = format!(
                "INSERT INTO contacts (client_id, {CONTACT_WRITE_COLUMNS}, is_primary, created_at, updated_at) \
                 VALUES {values} RETURNING id"
            );
            let got: Vec<i64> = on_tx!(self, conn => {
                let mut q = sqlx::query_scalar(&sql).bind(Utc::now());
                for ((client, input), primary) in chunk.iter().zip(primary) {
                    q = bind_contact!(q.bind(client), *input).bind(primary);
                }
                q.fetch_all(conn).await
            })?;
            ids.extend(super::in_insert_order(got));
        }
        Ok(ids)
    }

    pub async fn update_contact(
        &mut self,
        id: i64,
        client: i64,
        input: &ContactInput,
    ) -> DbResult<()> {
        let sets: Vec<String> = CONTACT_WRITE_COLUMNS
            .split(", ")
            .enumerate()
            .map(|(i, col)| format!("{col} = ${}", i + 2))
            .collect();
        let sql = format!(
            "UPDATE contacts SET {}, is_primary = (is_primary AND $19), updated_at = $18 WHERE id = $1",
            sets.join(", ")
        );
        let result: Result<(), sqlx::Error> = on_tx!(self, conn =>
            bind_contact!(sqlx::query(&sql).bind(id), input).bind(Utc::now()).bind(input.primary)
                .execute(conn).await.map(|_| ()));
        result.map_err(|e| email_taken(e, &input.email))?;
        self.set_tags("contact", id, &input.tag_ids).await?;
        if input.primary {
            self.make_primary("contacts", client, id).await?;
        }
        Ok(())
    }

    pub async fn set_contact_archived(&mut self, id: i64, archived: bool) -> DbResult<()> {
        let sql = "UPDATE contacts SET archived_at = CASE WHEN $2 THEN COALESCE(archived_at, $3) ELSE NULL END, \
                   is_primary = FALSE, updated_at = $3 WHERE id = $1";
        on_tx!(self, conn => sqlx::query(sql).bind(id).bind(archived).bind(Utc::now())
            .execute(conn).await.map(|_| ()))?;
        Ok(())
    }

    pub async fn delete_archived_contact(&mut self, id: i64) -> DbResult<bool> {
        let sql = "DELETE FROM contacts WHERE id = $1 AND archived_at IS NOT NULL";
        let n = on_tx!(self, conn => sqlx::query(sql).bind(id).execute(conn).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }
}
