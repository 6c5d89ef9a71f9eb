//! Global search over the trigram index the migrations keep (SQLite FTS5 `trigram`,
//! PostgreSQL `pg_trgm`): every term must appear somewhere in a record's text; when that finds
//! nothing, near misses are looked for, ranked by how many trigrams they share.

use super::{Db, DbResult, Scope, TrigramMatch};
use crate::search::{Hit, MIN_LENGTH};

#[derive(sqlx::FromRow)]
struct HitRow {
    kind: String,
    id: i64,
    client_id: i64,
    client_name: String,
    title: String,
    detail: String,
    body: String,
}

/// The columns of the hits read from `source` (index rows named `s`), and the joins that
/// give them; `$1` is the scope.
fn hit_select(source: &str) -> String {
    format!(
        "SELECT s.kind, s.body, s.record_id AS id, c.id AS client_id, c.name AS client_name, \
         COALESCE(k.name, l.name, c.name) AS title, COALESCE(k.email, l.city, c.domain) AS detail \
         FROM {source} JOIN clients c ON c.id = s.client_id \
         LEFT JOIN contacts k ON s.kind = 'contact' AND k.id = s.record_id \
         LEFT JOIN locations l ON s.kind = 'location' AND l.id = s.record_id \
         WHERE {} AND c.archived_at IS NULL",
        super::clients::SCOPE
    )
}

/// How many rows one search reads at most.
const LIMIT: i64 = 60;
/// How many index rows an unrestricted search on SQLite ranks: a common word is in thousands
/// of rows, and ranking and joining them all costs more than a keystroke may. The best
/// `LIMIT` of these are shown (a restricted technician's search takes every row, since most
/// may belong to other clients).
const CANDIDATES: i64 = 600;
/// How many index rows a search ranks on SQLite: [`CANDIDATES`], or all (-1) for a restricted
/// technician.
fn candidates(scope: Scope) -> i64 {
    match scope.restricted_user {
        Some(_) => -1,
        None => CANDIDATES,
    }
}

/// The share of a query's trigrams a near miss must have.
const NEAR: f64 = 0.5;

/// What a query looks for: the text as typed (when it has more than one word), every term,
/// and whether near misses count (not for a phone number: a near miss there is somebody else).
struct Terms {
    phrase: Option<String>,
    terms: Vec<String>,
    fuzzy: bool,
}

/// The terms of a query: its digits when it is a phone number, else its words. Words shorter
/// than a trigram ("BV", "2") only count as part of the phrase.
fn terms(query: &str) -> Terms {
    let query = query.trim().to_lowercase();
    let digits: String = query.chars().filter(char::is_ascii_digit).collect();
    let phone = query
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().x/".contains(c));
    if phone {
        let terms = (digits.len() >= MIN_LENGTH).then_some(digits);
        return Terms {
            phrase: None,
            terms: terms.into_iter().collect(),
            fuzzy: false,
        };
    }
    let words: Vec<String> = query
        .split_whitespace()
        .map(|w| w.replace('"', ""))
        .collect();
    let phrase = words.join(" ");
    let phrase = (words.len() > 1 && phrase.chars().count() >= MIN_LENGTH).then_some(phrase);
    let terms = words
        .into_iter()
        .filter(|w| w.chars().count() >= MIN_LENGTH)
        .collect();
    Terms {
        phrase,
        terms,
        fuzzy: true,
    }
}

/// The share of `grams` found in `body`.
fn share(grams: &[String], body: &str) -> f64 {
    let body = body.to_lowercase();
    let found = grams.iter().filter(|g| body.contains(g.as_str())).count();
    found as f64 / grams.len().max(1) as f64
}

/// The trigrams of the terms, for near misses.
fn trigrams(terms: &[String]) -> Vec<String> {
    let mut grams: Vec<String> = terms
        .iter()
        .flat_map(|t| {
            let chars: Vec<char> = t.chars().collect();
            chars
                .windows(3)
                .map(|w| w.iter().collect::<String>())
                .collect::<Vec<_>>()
        })
        .collect();
    grams.sort();
    grams.dedup();
    grams
}

/// An FTS5 query: every string quoted, joined by `op`.
fn fts(strings: &[String], op: &str) -> String {
    strings
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(op)
}

/// SQLite's global search: the first `$4` rows of the index that match `$2` (-1 for all),
/// those that hold the words as typed together (`$5`) first, then the shortest, limited to
/// `$3`. Neither FTS5's own rank nor an order of the index rows: bm25 counts every row that
/// holds each trigram, and reading rows in reverse holds back the early stop; together they
/// made a search several times slower than its match.
fn sqlite_sql() -> String {
    let source = "(SELECT kind, body, record_id, client_id FROM search_index \
                  WHERE search_index MATCH $2 LIMIT $4) s";
    format!(
        "{} ORDER BY instr(lower(s.body), $5) = 0, length(s.body), s.record_id LIMIT $3",
        hit_select(source)
    )
}

impl Db {
    /// SQLite's plan for a global search, one line per step (empty on PostgreSQL).
    pub async fn search_plan(&self) -> DbResult<Vec<String>> {
        self.sqlite_plan(&sqlite_sql()).await
    }

    /// Records whose text holds `query` as typed, best first; when none does, those that hold
    /// every term; when none does either, near misses. Archived records and clients outside
    /// the scope are left out.
    pub async fn search(&self, scope: Scope, query: &str) -> DbResult<Vec<Hit>> {
        let Terms {
            phrase,
            terms,
            fuzzy,
        } = terms(query);
        let whole = terms.join(" ");
        let mut rows = Vec::new();
        if let Some(phrase) = &phrase {
            rows = self
                .hits(scope, std::slice::from_ref(phrase), phrase)
                .await?;
        }
        if rows.is_empty() && !terms.is_empty() {
            rows = self.hits(scope, &terms, &whole).await?;
        }
        if fuzzy && rows.is_empty() {
            rows = self.near_misses(scope, &terms, &whole).await?;
        }
        let mut seen = std::collections::HashSet::new();
        Ok(rows
            .into_iter()
            .filter(|r| seen.insert((r.kind.clone(), r.id)))
            .map(|r| Hit {
                kind: r.kind,
                id: r.id,
                client_id: r.client_id,
                client_name: r.client_name,
                title: r.title,
                detail: r.detail,
            })
            .collect())
    }

    /// The records that hold every one of `strings`, those holding `whole` first.
    async fn hits(&self, scope: Scope, strings: &[String], whole: &str) -> DbResult<Vec<HitRow>> {
        Ok(match self {
            Db::Sqlite(pool) => {
                sqlx::query_as(&sqlite_sql())
                    .bind(scope.restricted_user)
                    .bind(fts(strings, " AND "))
                    .bind(LIMIT)
                    .bind(candidates(scope))
                    .bind(whole)
                    .fetch_all(pool)
                    .await?
            }
            Db::Postgres(pool) => {
                // One condition per pattern ($4 on), which the trigram index serves (an array
                // of patterns it does not).
                let found = TrigramMatch::new(strings);
                let sql = format!(
                    "{} AND {} ORDER BY word_similarity($2, s.body) DESC, s.id LIMIT $3",
                    hit_select("search_index s"),
                    found.sql("s.body", 4)
                );
                let mut q = sqlx::query_as(&sql)
                    .bind(scope.restricted_user)
                    .bind(whole)
                    .bind(LIMIT);
                for value in found.values() {
                    q = q.bind(value);
                }
                q.fetch_all(pool).await?
            }
        })
    }

    /// Records that share most trigrams with the terms. On SQLite every candidate holding
    /// one of them is read and the closest are kept (the trigrams of a few words are in much
    /// of the index); on PostgreSQL `<%` alone is served by the trigram index.
    async fn near_misses(
        &self,
        scope: Scope,
        terms: &[String],
        whole: &str,
    ) -> DbResult<Vec<HitRow>> {
        Ok(match self {
            Db::Sqlite(pool) => {
                let grams = trigrams(terms);
                if grams.len() < 2 {
                    return Ok(Vec::new());
                }
                let near: Vec<HitRow> = sqlx::query_as(&sqlite_sql())
                    .bind(scope.restricted_user)
                    .bind(fts(&grams, " OR "))
                    .bind(candidates(scope))
                    .bind(candidates(scope))
                    .bind(whole)
                    .fetch_all(pool)
                    .await?;
                let mut near: Vec<(f64, HitRow)> = near
                    .into_iter()
                    .map(|r| (share(&grams, &r.body), r))
                    .filter(|(s, _)| *s >= NEAR)
                    .collect();
                near.sort_by(|a, b| b.0.total_cmp(&a.0));
                near.into_iter()
                    .take(LIMIT as usize)
                    .map(|(_, r)| r)
                    .collect()
            }
            Db::Postgres(pool) => {
                if terms.is_empty() {
                    return Ok(Vec::new());
                }
                let sql = format!(
                    "{} AND $2 <% s.body ORDER BY word_similarity($2, s.body) DESC, s.id LIMIT $3",
                    hit_select("search_index s")
                );
                sqlx::query_as(&sql)
                    .bind(scope.restricted_user)
                    .bind(whole)
                    .bind(LIMIT)
                    .fetch_all(pool)
                    .await?
            }
        })
    }
}

/// The search index's triggers, as SQLite keeps their definitions.
const TRIGGERS: &str = "SELECT sql FROM sqlite_master WHERE type = 'trigger' \
     AND name IN ('clients_search_insert', 'clients_search_update', 'clients_search_delete', \
                  'locations_search_insert', 'locations_search_update', 'locations_search_delete', \
                  'contacts_search_insert', 'contacts_search_update', 'contacts_search_delete')";

/// Index rows for the records of clients after a given id, from the views that define each
/// kind's text (migration 0007).
const INDEX_AFTER: [&str; 3] = [
    "INSERT INTO search_index (rowid, body, kind, record_id, client_id) \
     SELECT id * 4 + 1, body, 'client', id, client_id FROM client_search_text WHERE client_id > $1",
    "INSERT INTO search_index (rowid, body, kind, record_id, client_id) \
     SELECT id * 4 + 2, body, 'location', id, client_id FROM location_search_text WHERE client_id > $1",
    "INSERT INTO search_index (rowid, body, kind, record_id, client_id) \
     SELECT id * 4 + 3, body, 'contact', id, client_id FROM contact_search_text WHERE client_id > $1",
];

/// The search index paused for a bulk load (SQLite): rows indexed one by one cost a third of a
/// large seed, where indexing them at the end in one pass costs little.
pub struct PausedIndex {
    triggers: Vec<String>,
    after_client: i64,
}

impl Db {
    /// Pauses indexing on SQLite (a no-op on PostgreSQL). Nothing else should write while it
    /// is paused; [`Db::resume_search_index`] indexes what was added.
    pub async fn pause_search_index(&self) -> DbResult<PausedIndex> {
        let Db::Sqlite(pool) = self else {
            return Ok(PausedIndex {
                triggers: Vec::new(),
                after_client: 0,
            });
        };
        let mut tx = pool.begin().await?;
        let triggers: Vec<String> = sqlx::query_scalar(TRIGGERS).fetch_all(&mut *tx).await?;
        let after_client: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM clients")
            .fetch_one(&mut *tx)
            .await?;
        for sql in &triggers {
            let name = sql.split_whitespace().nth(2).unwrap_or_default();
            sqlx::query(&format!("DROP TRIGGER {name}"))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(PausedIndex {
            triggers,
            after_client,
        })
    }

    /// Puts the triggers back and indexes the records of the clients added since the pause.
    pub async fn resume_search_index(&self, paused: PausedIndex) -> DbResult<()> {
        let Db::Sqlite(pool) = self else {
            return Ok(());
        };
        if paused.triggers.is_empty() {
            return Ok(());
        }
        let mut tx = pool.begin().await?;
        for sql in INDEX_AFTER {
            sqlx::query(sql)
                .bind(paused.after_client)
                .execute(&mut *tx)
                .await?;
        }
        for sql in &paused.triggers {
            sqlx::query(sql).execute(&mut *tx).await?;
        }
        // One pass leaves the index in dozens of segments, and a search reads every one:
        // merged into one, a whole client name is found in a quarter of the time.
        sqlx::query("INSERT INTO search_index (search_index) VALUES ('optimize')")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
