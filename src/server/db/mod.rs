//! The data layer: one type over a SQLite pool and a PostgreSQL pool, chosen from the URL.
//!
//! Each query is one SQL text for both engines (`$1` placeholders work on both); the
//! `on_pool!` macro compiles the same body once per engine. The few dialect differences live
//! in this module, next to the pool they belong to.

mod api_keys;
mod audit;
mod clients;
mod contacts;
mod imports;
mod locations;
mod portal;
mod search;
mod sessions;
mod settings;
mod tags;
mod throttle;
mod tickets;
mod tombstones;
mod tx;
mod users;
mod window;

pub use api_keys::{ApiKeyRow, KeyState, KeyUse, NewApiKey};
pub use audit::{Actor, AuditEntry, Origin};
pub use clients::{BulkField, ClientQuery, ListChoices, Scope};
pub use contacts::{ContactLookup, ContactQuery, EmailOwner};
pub use imports::{ClientKey, ImportRow};
pub use locations::LocationQuery;
pub use portal::{PortalContact, PortalSessionRow, TokenPurpose};
pub use search::PausedIndex;
pub use sessions::{NewSession, SessionRow};
pub use settings::MFA_REQUIRED_ROLES;
pub use throttle::Limit;
pub use tickets::{Author, NewTicket, TicketChanges, TicketScope};
pub use tombstones::Tombstone;
pub use tx::Tx;
pub use users::{NewUser, UserChanges, UserRow};
pub use window::Window;

use crate::error::AppError;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

pub type DbResult<T> = Result<T, AppError>;

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres => "PostgreSQL",
        })
    }
}

/// Runs `$body` with `$pool` bound to whichever pool `$db` holds.
#[macro_export]
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::server::db::Db::Sqlite($pool) => $body,
            $crate::server::db::Db::Postgres($pool) => $body,
        }
    };
}

/// SQLite counts every allocation under one mutex shared by all connections, so its
/// connection threads queued on each other for every value of every row. Docket never reads
/// those counts. This must run before SQLite starts; once it has, SQLite refuses the change
/// and keeps counting, which is only slower.
fn sqlite_without_memory_statistics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: SQLITE_CONFIG_MEMSTATUS takes one int. sqlite3_config must not run beside
        // other SQLite calls: every connection opens through `Db::connect`, which waits here.
        unsafe {
            libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS, 0);
        }
    });
}

impl Db {
    /// SQLite's query plan of `sql`, one line per step; empty on PostgreSQL.
    async fn sqlite_plan(&self, sql: &str) -> DbResult<Vec<String>> {
        let Db::Sqlite(pool) = self else {
            return Ok(Vec::new());
        };
        let sql = format!("EXPLAIN QUERY PLAN {sql}");
        let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(&sql).fetch_all(pool).await?;
        Ok(rows.into_iter().map(|r| r.3).collect())
    }

    /// Opens the database named by `url`: `sqlite://PATH` (created if missing) or
    /// `postgres://...`.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        if url.starts_with("sqlite:") {
            sqlite_without_memory_statistics();
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5));
            // Each connection is a thread that every query hands over to and back from; more
            // of them than twice the cores only added thread switches and page caches. An
            // embedded connection cannot drop, so it is not pinged (one hand-over) per query.
            let pool = SqlitePoolOptions::new()
                .max_connections(4)
                .test_before_acquire(false)
                .connect_with(options)
                .await?;
            Ok(Db::Sqlite(pool))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            // A connection is pinged before use only after it sat idle: pinging each time made
            // every query two round trips, and a server restart is what the check is for.
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(5))
                .test_before_acquire(false)
                .before_acquire(|conn, meta| {
                    Box::pin(async move {
                        if meta.idle_for > Duration::from_secs(30) {
                            sqlx::Connection::ping(conn).await?;
                        }
                        Ok(true)
                    })
                })
                .connect(url)
                .await?;
            Ok(Db::Postgres(pool))
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite:// or postgres://")
        }
    }

    pub fn engine(&self) -> Engine {
        match self {
            Db::Sqlite(_) => Engine::Sqlite,
            Db::Postgres(_) => Engine::Postgres,
        }
    }

    /// Applies the migrations embedded in the binary that are not yet applied.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        match self {
            Db::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await?,
            Db::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    /// Succeeds when the database answers a trivial query.
    pub async fn ping(&self) -> DbResult<()> {
        on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// The newest migration applied, 0 before the first.
    pub async fn schema_version(&self) -> DbResult<i64> {
        let sql = "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success = $1";
        let version: i64 =
            on_pool!(self, pool => sqlx::query_scalar(sql).bind(true).fetch_one(pool).await)?;
        Ok(version)
    }

    /// Brings PostgreSQL's planner statistics up to date after a bulk load (autovacuum would,
    /// but only later): without them it guesses a few rows for a large table and reads it
    /// whole. The vacuum also moves the trigram index's pending entries into the index proper
    /// (until then every search reads them all). SQLite keeps no statistics unless asked, and
    /// plans by its indexes.
    pub async fn refresh_statistics(&self) -> DbResult<()> {
        if let Db::Postgres(pool) = self {
            sqlx::query("VACUUM ANALYZE").execute(pool).await?;
        }
        Ok(())
    }

    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await)
    }
}

/// A `LIKE` pattern matching `text` anywhere, case-folded; wildcards typed by the user are
/// dropped. None for blank text.
fn like_pattern(text: &str) -> Option<String> {
    let t = without_wildcards(&text.trim().to_lowercase());
    (!t.is_empty()).then(|| format!("%{t}%"))
}

/// `text` without `LIKE`'s escape and wildcard characters, which a search takes as typed.
fn without_wildcards(text: &str) -> String {
    text.replace(['\\', '%', '_'], "")
}

/// How PostgreSQL's trigram index is asked for texts (lower case): a `LIKE` per word of three
/// or more letters, and a text of several words checked as typed on the rows they find. One
/// pattern across words reads several times more of the index (its trigrams span the spaces
/// and include the most common ones) than its words do one by one. A text without such a word
/// is matched whole.
struct TrigramMatch {
    /// `LIKE` patterns, which the index serves.
    likes: Vec<String>,
    /// Texts checked as typed (`strpos`, which the index does not serve).
    typed: Vec<String>,
}

impl TrigramMatch {
    fn new(texts: &[String]) -> Self {
        let mut m = TrigramMatch {
            likes: Vec::new(),
            typed: Vec::new(),
        };
        for text in texts {
            let text = without_wildcards(text);
            let words: Vec<&str> = text
                .split_whitespace()
                .filter(|w| w.chars().count() >= crate::search::MIN_LENGTH)
                .collect();
            if words.is_empty() {
                m.likes.push(format!("%{}%", text.trim()));
                continue;
            }
            m.likes.extend(words.iter().map(|w| format!("%{w}%")));
            if text.split_whitespace().nth(1).is_some() {
                m.typed.push(text.trim().to_string());
            }
        }
        m.likes.sort();
        m.likes.dedup();
        m
    }

    /// The condition on `column`, its values numbered from `$first` in [`TrigramMatch::values`]'
    /// order.
    fn sql(&self, column: &str, first: usize) -> String {
        let likes = (0..self.likes.len()).map(|i| format!("{column} LIKE ${}", first + i));
        let typed = (0..self.typed.len())
            .map(|i| format!("strpos({column}, ${}) > 0", first + self.likes.len() + i));
        likes.chain(typed).collect::<Vec<_>>().join(" AND ")
    }

    fn values(&self) -> impl Iterator<Item = &String> {
        self.likes.iter().chain(&self.typed)
    }
}

/// `$start, $start+1, ...`: `n` numbered placeholders for an `IN (...)` list.
fn placeholders(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rows of a multi-row `VALUES`: `n` rows of `per_row` numbered placeholders from `$first`
/// on, each written out by `row` (given its placeholders).
fn value_rows(n: usize, per_row: usize, first: usize, row: impl Fn(&[String]) -> String) -> String {
    (0..n)
        .map(|r| {
            let start = first + r * per_row;
            let p: Vec<String> = (start..start + per_row).map(|i| format!("${i}")).collect();
            row(&p)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// How many rows of `per_row` values one statement takes: about 1,000 values. SQLite treats
/// `$N` as a named parameter and looks each one up among those before it, so a statement's
/// parse time grows with the square of its values (30,000 made a 100k seed 4× slower).
fn rows_per_statement(per_row: usize) -> usize {
    (1_000 / per_row).max(1)
}

/// The ids a multi-row insert returned, in the order of its rows. `RETURNING` promises no
/// order, but both engines number the rows of one statement as they insert them, in the order
/// written, from a counter that only grows: sorted, the ids follow the rows.
fn in_insert_order(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids
}

/// Which of new clients' records are their primary ones: for each client, the first marked
/// primary, else its first. `rows` is (client, marked); one flag per row.
fn primaries(rows: &[(i64, bool)]) -> Vec<bool> {
    let mut chosen: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    for (i, (client, marked)) in rows.iter().enumerate() {
        match chosen.get(client) {
            Some(&c) if !*marked || rows[c].1 => {}
            _ => {
                chosen.insert(*client, i);
            }
        }
    }
    (0..rows.len()).map(|i| chosen[&rows[i].0] == i).collect()
}

/// Midnight UTC of a `YYYY-MM-DD` day; anything else is no filter.
fn day_start(day: Option<&str>) -> Option<chrono::DateTime<chrono::Utc>> {
    let date = chrono::NaiveDate::parse_from_str(day?.trim(), "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc())
}

#[cfg(test)]
mod tests {
    use super::TrigramMatch;

    #[test]
    fn trigram_match_asks_the_index_for_words_and_checks_the_text_as_typed() {
        let m = TrigramMatch::new(&["okafor printing llp 6".into()]);
        assert_eq!(m.likes, ["%llp%", "%okafor%", "%printing%"]);
        assert_eq!(m.typed, ["okafor printing llp 6"]);
        assert_eq!(
            m.sql("body", 3),
            "body LIKE $3 AND body LIKE $4 AND body LIKE $5 AND strpos(body, $6) > 0"
        );
        assert_eq!(m.values().count(), 4);

        // Without a word of three letters the text is matched whole; one word needs no check.
        let m = TrigramMatch::new(&["bv 2".into(), "wile".into(), "wile".into()]);
        assert_eq!(m.likes, ["%bv 2%", "%wile%"]);
        assert!(m.typed.is_empty());
        // Wildcards typed by the user match themselves nowhere: they are dropped.
        let m = TrigramMatch::new(&["50%_off".into()]);
        assert_eq!(m.likes, ["%50off%"]);
    }
}
