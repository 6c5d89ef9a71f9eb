//! Clients: the record, the filtered list, bulk changes, archive and delete.
//!
//! Every read takes a `Scope`: a restricted technician sees only the clients assigned to them.

use super::window::given;
use super::{like_pattern, placeholders, Db, DbResult, TrigramMatch, Tx, Window};
use crate::bind_window;
use crate::clients::model::{
    domain_of, format_money, name_key, parse_days, parse_money, Archived, Client, ClientFilter,
    ClientInput, ClientRow, ClientSort, ListPage, Location, Tag, COUNT_CAP,
};
use crate::{on_pool, on_tx};
use chrono::{DateTime, Utc};

/// Which clients a caller may see: all, or those assigned to a restricted technician.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Scope {
    pub restricted_user: Option<i64>,
}

impl Scope {
    pub const ALL: Scope = Scope {
        restricted_user: None,
    };

    pub fn user(id: i64) -> Self {
        Scope {
            restricted_user: Some(id),
        }
    }
}

/// `$1` is the scope's user: the one condition every client query carries.
pub(super) const SCOPE: &str =
    "($1 IS NULL OR c.id IN (SELECT client_id FROM user_clients WHERE user_id = $1))";

const CLIENT_COLUMNS: &str = "c.id, c.name, c.lead, c.industry, c.referral, c.website, c.currency, \
     c.hourly_rate_cents, c.net_terms, c.tax_id, c.abbreviation, c.account_code, c.invoice_email, \
     c.invoice_reminders, c.show_location_on_invoice, c.trading_name, c.domain, c.colour, c.parent_id, \
     c.notes, c.created_at, c.updated_at, c.archived_at, p.name AS parent_name";

#[derive(sqlx::FromRow)]
struct ClientDbRow {
    id: i64,
    name: String,
    lead: bool,
    industry: String,
    referral: String,
    website: String,
    currency: String,
    hourly_rate_cents: i64,
    net_terms: i64,
    tax_id: String,
    abbreviation: String,
    account_code: String,
    invoice_email: String,
    invoice_reminders: bool,
    show_location_on_invoice: bool,
    trading_name: String,
    domain: String,
    colour: String,
    parent_id: Option<i64>,
    notes: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    archived_at: Option<DateTime<Utc>>,
    parent_name: Option<String>,
}

impl ClientDbRow {
    fn into_client(self, tags: Vec<Tag>) -> Client {
        Client {
            id: self.id,
            fields: ClientInput {
                name: self.name,
                lead: self.lead,
                industry: self.industry,
                referral: self.referral,
                website: self.website,
                currency: self.currency,
                hourly_rate: format_money(self.hourly_rate_cents),
                net_terms: self.net_terms.to_string(),
                tax_id: self.tax_id,
                abbreviation: self.abbreviation,
                account_code: self.account_code,
                invoice_email: self.invoice_email,
                invoice_reminders: self.invoice_reminders,
                show_location_on_invoice: self.show_location_on_invoice,
                trading_name: self.trading_name,
                domain: self.domain,
                colour: self.colour,
                parent_id: self.parent_id.map(|p| p.to_string()).unwrap_or_default(),
                notes: self.notes,
                tag_ids: tags.iter().map(|t| t.id).collect(),
            },
            parent_name: self.parent_name,
            tags,
            created_at: self.created_at.to_rfc3339(),
            updated_at: self.updated_at.to_rfc3339(),
            archived_at: self.archived_at.map(|t| t.to_rfc3339()),
        }
    }
}

#[derive(sqlx::FromRow)]
struct ListDbRow {
    id: i64,
    name: String,
    lead: bool,
    industry: String,
    archived: bool,
    primary_contact: Option<String>,
    city: Option<String>,
    contacts: i64,
    locations: i64,
    tag_ids: Option<String>,
}

/// Which archived clients a list shows, written out so that the planner sees
/// `archived_at IS NULL` and can read the index of active clients by name; $2 is the mode,
/// checked once per query.
fn archived_where(mode: Archived) -> &'static str {
    match mode {
        Archived::Hide => "AND c.archived_at IS NULL AND $2 = 'hide'",
        Archived::Include => "AND $2 = 'include'",
        Archived::Only => "AND c.archived_at IS NOT NULL AND $2 = 'only'",
    }
}

/// How many of the viewer's last opened clients lead the "recently opened" order.
const RECENT_OPENS: i64 = 100;
/// The viewer's ($V) last opened clients, newest first ($N of them).
macro_rules! recent_opens {
    ($viewer:literal, $n:literal) => {
        concat!(
            "SELECT client_id, opened_at FROM client_opens WHERE user_id = ",
            $viewer,
            " ORDER BY opened_at DESC, client_id LIMIT ",
            $n
        )
    };
}

/// The search of the lists over the search index (migrations 0007 and 0010): a client matches
/// when the text is part of its own searchable text or of one of its active contacts' or
/// locations' (archived ones are not in the index), or of one of its tags' names. The
/// matching clients are found from the index alone. $9 is the index query, $10 the text as a
/// LIKE pattern; [`Search`] gives both.
const SEARCH_FTS: &str = "(SELECT client_id FROM search_index WHERE search_index MATCH $9 \
     UNION ALL SELECT client_id FROM client_tags \
          WHERE tag_id IN (SELECT id FROM tags WHERE name_lower LIKE $10))";
/// The same for text too short for trigrams (SQLite) and for PostgreSQL, whose trigram index
/// serves LIKE (its text is stored in lower case; SQLite's LIKE ignores case): $9 is the phone
/// digits as a pattern.
const SEARCH_LIKE: &str = "(SELECT client_id FROM search_index \
          WHERE body LIKE $10 OR body LIKE $9 \
     UNION ALL SELECT client_id FROM client_tags \
          WHERE tag_id IN (SELECT id FROM tags WHERE name_lower LIKE $10))";
/// A search's matches found beforehand ([`Search::pinned`]): $9 their ids as a JSON array,
/// $10 unused (NULL).
const PINNED_SQLITE: &str = "(SELECT value FROM json_each($9) WHERE CAST($10 AS TEXT) IS NULL)";
const PINNED_POSTGRES: &str = "(SELECT CAST(value AS BIGINT) \
     FROM json_array_elements_text(CAST($9 AS JSON)) WHERE CAST($10 AS TEXT) IS NULL)";
/// No search: the two values are unused (and NULL).
const NO_SEARCH: &str = " AND CAST($9 AS TEXT) IS NULL AND CAST($10 AS TEXT) IS NULL";
/// More matches than this, and a name-ordered page is found by scanning clients in name order.
const MANY_MATCHES: i64 = 1000;

/// The list's columns of the clients with the given ids ($1 on); their tags' ids joined by
/// commas (the page names them from the tags it lists).
fn list_rows_sql(n: usize) -> String {
    format!(
        "SELECT c.id, c.name, c.lead, c.industry, c.archived_at IS NOT NULL AS archived, \
         (SELECT k.name FROM contacts k WHERE k.client_id = c.id AND k.is_primary AND k.archived_at IS NULL) AS primary_contact, \
         (SELECT l.city FROM locations l WHERE l.client_id = c.id AND l.is_primary AND l.archived_at IS NULL) AS city, \
         (SELECT COUNT(*) FROM contacts k WHERE k.client_id = c.id AND k.archived_at IS NULL) AS contacts, \
         (SELECT COUNT(*) FROM locations l WHERE l.client_id = c.id AND l.archived_at IS NULL) AS locations, \
         (SELECT string_agg(CAST(x.tag_id AS TEXT), ',') FROM client_tags x WHERE x.client_id = c.id) AS tag_ids \
         FROM clients c WHERE c.id IN ({})",
        placeholders(1, n)
    )
}

/// The queries of one client list page. Each binds $1-$10 with [`bind_list`]; the page
/// queries add their own values after those.
struct ListSql {
    /// The ids of the clients that match, up to one past [`COUNT_CAP`], in no order: what the
    /// page's total counts.
    matches: String,
    /// The viewer's recently opened clients that match ($11 how many, $12 the viewer).
    opened: String,
    /// One page of ids in the chosen order ($11 limit, $12 offset); in the "recently
    /// opened" order, the clients after the opened ones ($13 the viewer, $14 how many opened).
    page: String,
}

impl ListSql {
    /// The queries for `filter` (the conditions, [`ListBinds::filter`]) in this order.
    fn new(sort: ClientSort, filter: &str) -> Self {
        let order = match sort {
            ClientSort::Recent => concat!(
                "AND c.id NOT IN (SELECT client_id FROM (",
                recent_opens!("$13", "$14"),
                ") r) ORDER BY lower(c.name), c.id"
            ),
            ClientSort::Name => "ORDER BY lower(c.name), c.id",
            ClientSort::Created => "ORDER BY c.created_at DESC, c.id DESC",
            ClientSort::Updated => "ORDER BY c.updated_at DESC, c.id DESC",
        };
        ListSql {
            matches: format!(
                "SELECT c.id FROM clients c WHERE {filter} LIMIT {}",
                COUNT_CAP + 1
            ),
            opened: format!(
                "SELECT c.id FROM ({}) o JOIN clients c ON c.id = o.client_id \
                 WHERE {filter} ORDER BY o.opened_at DESC, c.id",
                recent_opens!("$12", "$11")
            ),
            page: format!("SELECT c.id FROM clients c WHERE {filter} {order} LIMIT $11 OFFSET $12"),
        }
    }
}

/// Binds the list filter's values, $1 to $10.
macro_rules! bind_list {
    ($q:expr, $scope:expr, $f:expr, $b:expr) => {
        $q.bind($scope.restricted_user)
            .bind($b.archived)
            .bind($f.tag)
            .bind(&$f.industry)
            .bind(&$f.referral)
            .bind($f.lead)
            .bind($b.from)
            .bind($b.to)
            .bind(&$b.search.index)
            .bind(&$b.search.pattern)
    };
}

impl Db {
    /// SQLite's plans for the client list's queries, one line per step (empty on
    /// PostgreSQL): what the test that no list reads a whole table reads. Each is named.
    pub async fn client_list_plans(&self) -> DbResult<Vec<(&'static str, Vec<String>)>> {
        let unfiltered = ClientFilter::default();
        let searching = ClientFilter {
            q: Some("okafor".into()),
            sort: ClientSort::Name,
            ..ClientFilter::default()
        };
        let default = ListSql::new(
            ClientSort::Recent,
            &ListBinds::new(self, &unfiltered).filter(&unfiltered, false),
        );
        let searched = ListSql::new(
            ClientSort::Name,
            &ListBinds::new(self, &searching).filter(&searching, false),
        );
        let scanned = ListSql::new(
            ClientSort::Name,
            &ListBinds::new(self, &searching).filter(&searching, true),
        );
        let mut found = ListBinds::new(self, &searching);
        found.search = Search::pinned(self, "[1, 2]".into());
        let pinned = ListSql::new(ClientSort::Recent, &found.filter(&searching, false));
        let mut plans = Vec::new();
        for (name, sql) in [
            ("count", &default.matches),
            ("recently opened", &default.opened),
            ("page after the recently opened", &default.page),
            ("matches of a search", &searched.matches),
            ("page of a search", &searched.page),
            ("page of a search with many hits", &scanned.page),
            ("count of a search's matches found", &pinned.matches),
            (
                "recently opened among a search's matches found",
                &pinned.opened,
            ),
            ("page of a search's matches found", &pinned.page),
        ] {
            plans.push((name, self.sqlite_plan(sql).await?));
        }
        Ok(plans)
    }
}

impl Db {
    /// SQLite's plans for the API's client list with no filter, its count and a page.
    pub async fn api_client_plans(&self) -> DbResult<Vec<(&'static str, Vec<String>)>> {
        let q = ClientQuery::default();
        let (filter, _) = q.filter(self);
        Ok(vec![
            (
                "API count",
                self.sqlite_plan(&ClientQuery::count_sql(&filter)).await?,
            ),
            ("API page", self.sqlite_plan(&q.page_sql(&filter)).await?),
        ])
    }
}

/// A list search: the condition and its two values ($9, $10).
struct Search {
    /// The clients that match, as a subquery; None without a search.
    hits: Option<&'static str>,
    index: Option<String>,
    pattern: Option<String>,
}

impl Search {
    /// The condition. The planner reads the hits, then each hit's client; with `scan`, the id
    /// is hidden from it (`+c.id`), so it reads clients in the list's order from the index and
    /// keeps those among the hits until the page is full: far less work when thousands match.
    fn condition(&self, scan: bool) -> String {
        match self.hits {
            None => NO_SEARCH.to_string(),
            Some(hits) => format!(" AND {}c.id IN {hits}", if scan { "+" } else { "" }),
        }
    }

    fn new(db: &Db, q: Option<&str>) -> Self {
        let text = q.map(str::trim).unwrap_or_default().to_lowercase();
        let Some(pattern) = like_pattern(&text) else {
            return Search {
                hits: None,
                index: None,
                pattern: None,
            };
        };
        let digits = crate::clients::model::digits(&text);
        let digits = (digits.len() >= 3).then_some(digits);
        if matches!(db, Db::Sqlite(_)) && text.chars().count() >= 3 {
            let mut phrases = vec![format!("\"{}\"", text.replace('"', "\"\""))];
            phrases.extend(digits.map(|d| format!("\"{d}\"")));
            return Search {
                hits: Some(SEARCH_FTS),
                index: Some(phrases.join(" OR ")),
                pattern: Some(pattern),
            };
        }
        Search {
            hits: Some(SEARCH_LIKE),
            index: digits.map(|d| format!("%{d}%")),
            pattern: Some(pattern),
        }
    }

    /// The search as the clients it matched, found beforehand with the list's filter: a page
    /// asks for its matches three times (count, recently opened, page), and matching the index
    /// is what costs; reading a list of ids costs little.
    fn pinned(db: &Db, ids: String) -> Self {
        Search {
            hits: Some(match db {
                Db::Sqlite(_) => PINNED_SQLITE,
                Db::Postgres(_) => PINNED_POSTGRES,
            }),
            index: Some(ids),
            pattern: None,
        }
    }
}

/// What the API's client list is narrowed to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClientQuery {
    pub window: Window,
    pub id: Option<i64>,
    pub name: Option<String>,
    pub account_code: Option<String>,
    pub search: Option<String>,
}

impl ClientQuery {
    /// The conditions: the scope, the [`Window`]'s ($1 to $8), a [`Search`]'s ($9, $10), then
    /// $11 id, $12 name, $13 account code; with the search's values.
    fn filter(&self, db: &Db) -> (String, Search) {
        let search = Search::new(db, self.search.as_deref());
        let sql = format!(
            "{SCOPE} {}{}{}{}{}",
            self.window.sql("c"),
            search.condition(false),
            given(self.id.is_some(), 11, "c.id = $11"),
            given(self.name.is_some(), 12, "lower(c.name) = lower($12)"),
            given(
                self.account_code.is_some(),
                13,
                "lower(c.account_code) = lower($13)"
            ),
        );
        (sql, search)
    }

    /// One page of the clients a [`ClientQuery::filter`] matches ($14 limit, $15 offset).
    fn page_sql(&self, filter: &str) -> String {
        format!(
            "SELECT {CLIENT_COLUMNS} FROM clients c LEFT JOIN clients p ON p.id = c.parent_id \
             WHERE {filter} ORDER BY {} LIMIT $14 OFFSET $15",
            self.window.order("c", "c.id")
        )
    }

    fn count_sql(filter: &str) -> String {
        format!("SELECT COUNT(*) FROM clients c WHERE {filter}")
    }
}

/// Binds an API client query's values, $1 to $13.
macro_rules! bind_api {
    ($q:expr, $scope:expr, $query:expr, $search:expr) => {
        bind_window!($q, $scope, $query.window)
            .bind(&$search.index)
            .bind(&$search.pattern)
            .bind($query.id)
            .bind(&$query.name)
            .bind(&$query.account_code)
    };
}

impl Db {
    /// How many active clients there are: the number the migrations' triggers keep
    /// (migration 0012), one row instead of a count of every client.
    async fn active_clients(&self) -> DbResult<i64> {
        let sql = "SELECT active FROM client_count";
        Ok(on_pool!(self, pool => sqlx::query_scalar(sql).fetch_one(pool).await)?)
    }

    /// How many clients there are, archived ones included.
    pub async fn client_count(&self) -> DbResult<i64> {
        let sql = "SELECT COUNT(*) FROM clients";
        Ok(on_pool!(self, pool => sqlx::query_scalar(sql).fetch_one(pool).await)?)
    }

    /// Whether the client exists and the scope may see it.
    pub async fn client_visible(&self, scope: Scope, id: i64) -> DbResult<bool> {
        let sql = format!("SELECT EXISTS (SELECT 1 FROM clients c WHERE {SCOPE} AND c.id = $2)");
        Ok(on_pool!(self, pool => sqlx::query_scalar(&sql)
            .bind(scope.restricted_user).bind(id).fetch_one(pool).await)?)
    }

    /// A client's name, when the scope may see the client.
    pub async fn client_name(&self, scope: Scope, id: i64) -> DbResult<Option<String>> {
        let sql = format!("SELECT c.name FROM clients c WHERE {SCOPE} AND c.id = $2");
        Ok(on_pool!(self, pool => sqlx::query_scalar(&sql)
            .bind(scope.restricted_user).bind(id).fetch_optional(pool).await)?)
    }

    pub async fn client(&self, scope: Scope, id: i64) -> DbResult<Option<Client>> {
        let sql = format!(
            "SELECT {CLIENT_COLUMNS} FROM clients c LEFT JOIN clients p ON p.id = c.parent_id \
             WHERE {SCOPE} AND c.id = $2"
        );
        let row: Option<ClientDbRow> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(scope.restricted_user).bind(id).fetch_optional(pool).await)?;
        let Some(row) = row else { return Ok(None) };
        let tags = self.tags_of("client", &[id]).await?;
        Ok(Some(
            row.into_client(tags.into_iter().map(|(_, t)| t).collect()),
        ))
    }

    /// One page of the list, and the number of matching clients up to just past
    /// [`COUNT_CAP`]. In the default order the clients `viewer` opened last come first, then
    /// the rest by name.
    pub async fn list_clients(
        &self,
        scope: Scope,
        viewer: i64,
        f: &ClientFilter,
    ) -> DbResult<ListPage<ClientRow>> {
        let mut b = ListBinds::new(self, f);
        let unfiltered = ClientFilter {
            sort: f.sort,
            page: f.page,
            size: f.size,
            ..ClientFilter::default()
        };
        let total = if scope.restricted_user.is_none() && *f == unfiltered {
            self.active_clients().await?.min(COUNT_CAP + 1)
        } else {
            self.count_list(scope, f, &mut b).await?
        };
        if total == 0 {
            return Ok(ListPage {
                total,
                page: f.page,
                size: f.size,
                rows: Vec::new(),
            });
        }
        // A search that many clients match reads the clients in name order and keeps those
        // that match until the page is full, instead of reading and sorting every match.
        let many = total > MANY_MATCHES && matches!(f.sort, ClientSort::Name | ClientSort::Recent);
        let sql = ListSql::new(f.sort, &b.filter(f, many));
        let offset = (f.page - 1) * f.size;
        let ids: Vec<i64> = on_pool!(self, pool => {
            let mut ids = Vec::new();
            let mut rest_offset = offset;
            if f.sort == ClientSort::Recent {
                let opened: Vec<i64> = bind_list!(sqlx::query_scalar(&sql.opened), scope, f, b)
                    .bind(RECENT_OPENS).bind(viewer)
                    .fetch_all(pool).await?;
                rest_offset = (offset - opened.len() as i64).max(0);
                ids.extend(opened.into_iter().skip(offset as usize).take(f.size as usize));
            }
            let wanted = f.size - ids.len() as i64;
            if wanted > 0 {
                let q = bind_list!(sqlx::query_scalar(&sql.page), scope, f, b)
                    .bind(wanted).bind(rest_offset);
                let more: Vec<i64> = if f.sort == ClientSort::Recent {
                    q.bind(viewer).bind(RECENT_OPENS).fetch_all(pool).await?
                } else {
                    q.fetch_all(pool).await?
                };
                ids.extend(more);
            }
            ids
        });
        Ok(ListPage {
            total,
            page: f.page,
            size: f.size,
            rows: self.client_rows(&ids).await?,
        })
    }

    /// How many clients the list's filter matches, up to one past [`COUNT_CAP`]. A search's
    /// matches come back with their count as a list of ids, which the page's queries then read
    /// ([`Search::pinned`]) when there are not too many: SQLite takes up to [`COUNT_CAP`],
    /// PostgreSQL only [`MANY_MATCHES`]: it cannot know a list's length, and joined each client
    /// to a list of thousands in turn (2 s for a common surname's page).
    async fn count_list(&self, scope: Scope, f: &ClientFilter, b: &mut ListBinds) -> DbResult<i64> {
        let Some(text) = b.search.pattern.as_deref() else {
            let sql = format!(
                "SELECT COUNT(*) FROM ({}) n",
                ListSql::new(f.sort, &b.filter(f, false)).matches
            );
            return Ok(
                on_pool!(self, pool => bind_list!(sqlx::query_scalar(&sql), scope, f, b)
                .fetch_one(pool).await)?,
            );
        };
        let (ids, most) = match self {
            Db::Sqlite(_) => ("json_group_array(id)", COUNT_CAP),
            Db::Postgres(_) => ("CAST(json_agg(id) AS TEXT)", MANY_MATCHES),
        };
        let mut matches = ListSql::new(f.sort, &b.filter(f, false)).matches;
        // PostgreSQL asks its trigram index for the words of the text ($11 on), not the whole
        // pattern; the page's queries read the ids found here, so only this query does.
        let words = matches!(self, Db::Postgres(_))
            .then(|| TrigramMatch::new(&[text.trim_matches('%').to_string()]));
        if let Some(words) = &words {
            matches = matches.replace("body LIKE $10", &format!("({})", words.sql("body", 11)));
        }
        let sql = format!("SELECT COUNT(*), COALESCE({ids}, '[]') FROM ({matches}) n");
        let (found, ids): (i64, String) = on_pool!(self, pool => {
            let mut q = bind_list!(sqlx::query_as(&sql), scope, f, b);
            for value in words.iter().flat_map(TrigramMatch::values) {
                q = q.bind(value);
            }
            q.fetch_one(pool).await
        })?;
        if found <= most {
            b.search = Search::pinned(self, ids);
        }
        Ok(found)
    }

    /// The list rows of these clients, in the order given.
    async fn client_rows(&self, ids: &[i64]) -> DbResult<Vec<ClientRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = list_rows_sql(ids.len());
        let mut rows: Vec<ListDbRow> = on_pool!(self, pool => {
            let mut q = sqlx::query_as(&sql);
            for id in ids {
                q = q.bind(id);
            }
            q.fetch_all(pool).await
        })?;
        rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
        Ok(rows
            .into_iter()
            .map(|r| ClientRow {
                tag_ids: r
                    .tag_ids
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|id| id.parse().ok())
                    .collect(),
                id: r.id,
                name: r.name,
                lead: r.lead,
                industry: r.industry,
                primary_contact: r.primary_contact,
                city: r.city,
                contacts: r.contacts,
                locations: r.locations,
                archived: r.archived,
            })
            .collect())
    }

    /// The ids of every client the filter matches (for exporting a whole view).
    pub async fn filtered_client_ids(&self, scope: Scope, f: &ClientFilter) -> DbResult<Vec<i64>> {
        let b = ListBinds::new(self, f);
        let sql = format!(
            "SELECT c.id FROM clients c WHERE {} ORDER BY lower(c.name), c.id",
            b.filter(f, false)
        );
        Ok(
            on_pool!(self, pool => bind_list!(sqlx::query_scalar(&sql), scope, f, b)
            .fetch_all(pool).await)?,
        )
    }

    /// One page of the clients the query matches, oldest first or in sync order.
    pub async fn api_clients(
        &self,
        scope: Scope,
        q: &ClientQuery,
        limit: i64,
        offset: i64,
    ) -> DbResult<Vec<Client>> {
        let rows = self.api_client_rows(scope, q, limit, offset).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let tags = self.tags_of("client", &ids).await?;
        Ok(with_client_tags(rows, tags))
    }

    /// The same page and the clients' active primary locations; the tags of both come back
    /// in one query.
    pub async fn api_clients_located(
        &self,
        scope: Scope,
        q: &ClientQuery,
        limit: i64,
        offset: i64,
    ) -> DbResult<(Vec<Client>, Vec<Location>)> {
        let rows = self.api_client_rows(scope, q, limit, offset).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let tags = self.client_and_primary_tags(&ids).await?;
        let primary = self.primary_locations_tagged(&ids, tags.locations).await?;
        Ok((with_client_tags(rows, tags.clients), primary))
    }

    async fn api_client_rows(
        &self,
        scope: Scope,
        q: &ClientQuery,
        limit: i64,
        offset: i64,
    ) -> DbResult<Vec<ClientDbRow>> {
        let (filter, search) = q.filter(self);
        let sql = q.page_sql(&filter);
        let rows = on_pool!(self, pool => bind_api!(sqlx::query_as(&sql), scope, q, search)
            .bind(limit).bind(offset).fetch_all(pool).await)?;
        Ok(rows)
    }

    /// How many clients the query matches: for every active client, the number the
    /// migrations' triggers keep (migration 0012); else counted.
    pub async fn api_client_count(&self, scope: Scope, q: &ClientQuery) -> DbResult<i64> {
        if scope.restricted_user.is_none() && *q == ClientQuery::default() {
            return self.active_clients().await;
        }
        let (filter, search) = q.filter(self);
        let sql = ClientQuery::count_sql(&filter);
        Ok(
            on_pool!(self, pool => bind_api!(sqlx::query_scalar(&sql), scope, q, search)
            .fetch_one(pool).await)?,
        )
    }

    /// Full records of the given clients that the scope may see, by name.
    pub async fn clients_by_ids(&self, scope: Scope, ids: &[i64]) -> DbResult<Vec<Client>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT {CLIENT_COLUMNS} FROM clients c LEFT JOIN clients p ON p.id = c.parent_id \
                 WHERE {SCOPE} AND c.id IN ({}) ORDER BY lower(c.name), c.id",
                placeholders(2, chunk.len())
            );
            let rows: Vec<ClientDbRow> = on_pool!(self, pool => {
                let mut q = sqlx::query_as(&sql).bind(scope.restricted_user);
                for id in chunk {
                    q = q.bind(id);
                }
                q.fetch_all(pool).await
            })?;
            let tags = self.tags_of("client", chunk).await?;
            out.extend(with_client_tags(rows, tags));
        }
        Ok(out)
    }

    /// Clients that look like the one being typed in: the same normalised name or domain.
    pub async fn similar_clients(
        &self,
        scope: Scope,
        name: &str,
        domain: &str,
    ) -> DbResult<Vec<(i64, String)>> {
        let key = name_key(name);
        let domain = domain_of(domain);
        if key.is_empty() && domain.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT c.id, c.name FROM clients c WHERE {SCOPE} \
             AND (($2 <> '' AND c.name_key = $2) OR ($3 <> '' AND c.domain = $3)) \
             ORDER BY lower(c.name), c.id LIMIT 5"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(scope.restricted_user).bind(&key).bind(&domain).fetch_all(pool).await)?)
    }

    /// What the list's filters offer: every tag, and the distinct industries and referral
    /// sources (up to 200 each), read in one query.
    pub async fn client_list_choices(&self, scope: Scope) -> DbResult<ListChoices> {
        // Over every client, each next value is one index seek past the last, not a read of
        // every row; a restricted technician's few clients are read directly.
        let values = |col: &str| match scope.restricted_user {
            None => format!(
                "SELECT '{col}' AS list, 0 AS id, x AS name, '' AS kind, '' AS colour FROM \
                 (WITH RECURSIVE v(x) AS \
                 (SELECT MIN({col}) FROM clients WHERE {col} > '' UNION ALL \
                 SELECT (SELECT MIN({col}) FROM clients WHERE {col} > v.x) FROM v \
                 WHERE v.x IS NOT NULL) SELECT x FROM v WHERE x IS NOT NULL LIMIT 200) {col}s"
            ),
            Some(_) => format!(
                "SELECT '{col}', 0, x, '', '' FROM (SELECT DISTINCT c.{col} AS x FROM clients c \
                 WHERE {SCOPE} AND c.{col} <> '' ORDER BY c.{col} LIMIT 200) {col}s"
            ),
        };
        let sql = format!(
            "{} UNION ALL {} UNION ALL SELECT * FROM \
             (SELECT 'tag', id, name, kind, colour FROM tags ORDER BY kind, name_lower) t",
            values("industry"),
            values("referral")
        );
        let rows: Vec<(String, i64, String, String, String)> = on_pool!(self, pool => {
            let q = sqlx::query_as(&sql);
            match scope.restricted_user {
                Some(user) => q.bind(user),
                None => q,
            }
            .fetch_all(pool)
            .await
        })?;
        let mut choices = ListChoices::default();
        for (list, id, name, kind, colour) in rows {
            match list.as_str() {
                "industry" => choices.industries.push(name),
                "referral" => choices.referrals.push(name),
                _ => choices.tags.push(Tag {
                    id,
                    kind,
                    name,
                    colour,
                }),
            }
        }
        Ok(choices)
    }

    /// Remembers that `user` opened `client` (the list's default order).
    pub async fn record_client_open(&self, user: i64, client: i64) -> DbResult<()> {
        let sql = "INSERT INTO client_opens (user_id, client_id, opened_at) VALUES ($1, $2, $3) \
                   ON CONFLICT (user_id, client_id) DO UPDATE SET opened_at = excluded.opened_at";
        on_pool!(self, pool => sqlx::query(sql).bind(user).bind(client).bind(Utc::now())
            .execute(pool).await.map(|_| ()))?;
        Ok(())
    }
}

/// What the client list's filters offer.
#[derive(Debug, Default)]
pub struct ListChoices {
    pub tags: Vec<Tag>,
    pub industries: Vec<String>,
    pub referrals: Vec<String>,
}

/// The derived values the list filter binds.
struct ListBinds {
    archived: &'static str,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    search: Search,
}

impl ListBinds {
    /// The list's conditions: the scope, [`archived_where`], $3 tag, $4 industry, $5 referral,
    /// $6 lead, $7/$8 created range, then the [`Search`] ($9, $10), its hits found by
    /// `scan`ning the clients (see [`Search::condition`]). Filters not asked for name no
    /// column, so the indexes of active clients can answer alone.
    fn filter(&self, f: &ClientFilter, scan: bool) -> String {
        let tag = "c.id IN (SELECT client_id FROM client_tags WHERE tag_id = $3)";
        [
            format!("{SCOPE} {}", archived_where(f.archived)),
            given(f.tag.is_some(), 3, tag),
            given(f.industry.is_some(), 4, "c.industry = $4"),
            given(f.referral.is_some(), 5, "c.referral = $5"),
            given(f.lead.is_some(), 6, "c.lead = $6"),
            given(self.from.is_some(), 7, "c.created_at >= $7"),
            given(self.to.is_some(), 8, "c.created_at < $8"),
            self.search.condition(scan),
        ]
        .concat()
    }

    fn new(db: &Db, f: &ClientFilter) -> Self {
        ListBinds {
            archived: f.archived.mode(),
            from: super::day_start(f.from.as_deref()),
            to: super::day_start(f.to.as_deref()).map(|d| d + chrono::Duration::days(1)),
            search: Search::new(db, f.q.as_deref()),
        }
    }
}

/// Clients with their tags, taken from those loaded for the batch.
fn with_client_tags(rows: Vec<ClientDbRow>, mut tags: Vec<(i64, Tag)>) -> Vec<Client> {
    rows.into_iter()
        .map(|r| {
            let mine = take_tags(&mut tags, r.id);
            r.into_client(mine)
        })
        .collect()
}

/// Takes the tags of `id` out of a (record id, tag) list.
pub(super) fn take_tags(tags: &mut Vec<(i64, Tag)>, id: i64) -> Vec<Tag> {
    let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(tags)
        .into_iter()
        .partition(|(r, _)| *r == id);
    *tags = rest;
    mine.into_iter().map(|(_, t)| t).collect()
}

/// The client fields as stored: trimmed text, money in cents, derived lookup keys.
struct ClientValues<'a> {
    input: &'a ClientInput,
    rate: i64,
    terms: i64,
}

impl<'a> ClientValues<'a> {
    fn new(input: &'a ClientInput) -> Self {
        ClientValues {
            input,
            rate: parse_money(&input.hourly_rate).unwrap_or_default(),
            terms: parse_days(&input.net_terms).unwrap_or_default(),
        }
    }
}

/// Binds the 20 client columns in the order of `CLIENT_WRITE_COLUMNS`.
macro_rules! bind_client {
    ($q:expr, $v:expr) => {{
        let i = $v.input;
        let domain = match i.domain.trim() {
            "" => domain_of(&i.website),
            d => d.to_lowercase(),
        };
        $q.bind(i.name.trim())
            .bind(name_key(&i.name))
            .bind(i.lead)
            .bind(i.industry.trim())
            .bind(i.referral.trim())
            .bind(i.website.trim())
            .bind(i.currency.trim())
            .bind($v.rate)
            .bind($v.terms)
            .bind(i.tax_id.trim())
            .bind(i.abbreviation.trim())
            .bind(i.account_code.trim())
            .bind(i.invoice_email.trim())
            .bind(i.invoice_reminders)
            .bind(i.show_location_on_invoice)
            .bind(i.trading_name.trim())
            .bind(domain)
            .bind(i.colour.trim())
            .bind(i.parent())
            .bind(i.notes.trim())
    }};
}

const CLIENT_WRITE_COLUMNS: &str = "name, name_key, lead, industry, referral, website, currency, \
     hourly_rate_cents, net_terms, tax_id, abbreviation, account_code, invoice_email, \
     invoice_reminders, show_location_on_invoice, trading_name, domain, colour, parent_id, notes";

impl Tx {
    pub async fn insert_client(&mut self, input: &ClientInput) -> DbResult<i64> {
        let id = self.insert_clients(&[input]).await?[0];
        self.add_tags("client", id, &input.tag_ids).await?;
        Ok(id)
    }

    /// New clients, many to a statement (a bulk load); their ids in the same order. Their tags
    /// are not written here.
    pub async fn insert_clients(&mut self, inputs: &[&ClientInput]) -> DbResult<Vec<i64>> {
        const PER_ROW: usize = 20;
        let mut ids = Vec::with_capacity(inputs.len());
        for chunk in inputs.chunks(super::rows_per_statement(PER_ROW)) {
            let rows = super::value_rows(chunk.len(), PER_ROW, 2, |p| {
                format!("({}, $1, $1)", p.join(", "))
            });
            let sql = format!(
                "INSERT INTO clients ({CLIENT_WRITE_COLUMNS}, created_at, updated_at) VALUES {rows} RETURNING id"
            );
            let got: Vec<i64> = on_tx!(self, conn => {
                let mut q = sqlx::query_scalar(&sql).bind(Utc::now());
                for input in chunk {
                    let v = ClientValues::new(input);
                    q = bind_client!(q, v);
                }
                q.fetch_all(conn).await
            })?;
            ids.extend(super::in_insert_order(got));
        }
        Ok(ids)
    }

    /// Replaces every field and the tags of a client.
    pub async fn update_client(&mut self, id: i64, input: &ClientInput) -> DbResult<()> {
        let sets: Vec<String> = CLIENT_WRITE_COLUMNS
            .split(", ")
            .enumerate()
            .map(|(i, col)| format!("{col} = ${}", i + 1))
            .collect();
        let sql = format!(
            "UPDATE clients SET {}, updated_at = $21 WHERE id = $22",
            sets.join(", ")
        );
        let v = ClientValues::new(input);
        on_tx!(self, conn => bind_client!(sqlx::query(&sql), v)
            .bind(Utc::now()).bind(id).execute(conn).await.map(|_| ()))?;
        self.set_tags("client", id, &input.tag_ids).await
    }

    pub async fn set_client_notes(&mut self, id: i64, notes: &str) -> DbResult<()> {
        let sql = "UPDATE clients SET notes = $2, updated_at = $3 WHERE id = $1";
        on_tx!(self, conn => sqlx::query(sql).bind(id).bind(notes.trim()).bind(Utc::now())
            .execute(conn).await.map(|_| ()))?;
        Ok(())
    }

    /// Sets one bulk-editable field on a client.
    pub async fn set_client_field(&mut self, id: i64, field: BulkField<'_>) -> DbResult<()> {
        let now = Utc::now();
        on_tx!(self, conn => match field {
            BulkField::Industry(v) => sqlx::query("UPDATE clients SET industry = $2, updated_at = $3 WHERE id = $1")
                .bind(id).bind(v.trim()).bind(now).execute(conn).await,
            BulkField::Referral(v) => sqlx::query("UPDATE clients SET referral = $2, updated_at = $3 WHERE id = $1")
                .bind(id).bind(v.trim()).bind(now).execute(conn).await,
            BulkField::HourlyRate(v) => sqlx::query("UPDATE clients SET hourly_rate_cents = $2, updated_at = $3 WHERE id = $1")
                .bind(id).bind(v).bind(now).execute(conn).await,
            BulkField::NetTerms(v) => sqlx::query("UPDATE clients SET net_terms = $2, updated_at = $3 WHERE id = $1")
                .bind(id).bind(v).bind(now).execute(conn).await,
        }.map(|_| ()))?;
        Ok(())
    }

    pub async fn set_client_archived(&mut self, id: i64, archived: bool) -> DbResult<()> {
        let sql = "UPDATE clients SET archived_at = CASE WHEN $2 THEN COALESCE(archived_at, $3) ELSE NULL END, \
                   updated_at = $3 WHERE id = $1";
        on_tx!(self, conn => sqlx::query(sql).bind(id).bind(archived).bind(Utc::now())
            .execute(conn).await.map(|_| ()))?;
        Ok(())
    }

    /// Removes an archived client with everything that belongs to it; false when the client is
    /// not archived (or gone).
    pub async fn delete_archived_client(&mut self, id: i64) -> DbResult<bool> {
        // Children of the client keep existing, without a parent.
        let n = on_tx!(self, conn => sqlx::query("DELETE FROM clients WHERE id = $1 AND archived_at IS NOT NULL")
            .bind(id).execute(conn).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }
}

/// A field a bulk action sets.
#[derive(Clone, Copy, Debug)]
pub enum BulkField<'a> {
    Industry(&'a str),
    Referral(&'a str),
    HourlyRate(i64),
    NetTerms(i64),
}
