//! CSV import of clients: choose what each column fills, dry-run every row, then import in
//! the background in batches, each one transaction that also records the progress.
//!
//! The dry run and the import plan rows with the same code, so what the dry run reports is
//! what the import does: a row creates a client, updates the one it matches (by account
//! code, then by normalised name), or is rejected with the reason.

use super::import::ImportView;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::import::{
        guess_mapping, label, set_field, ImportColumn, ImportReport, ImportStatus, Outcome,
        ReportRow, IMPORT_FIELDS,
    },
    super::model::{name_key, Client, ClientInput, Contact, Location, NewClient},
    super::records::{
        add_contact, add_location, audit, insert_record, snapshot_client, snapshot_contact,
        snapshot_location, Author,
    },
    crate::error::FieldError,
    crate::server::auth::guard,
    crate::server::auth::session::Session,
    crate::server::db::{AuditEntry, ClientKey, Db, EmailOwner, ImportRow, Origin, Scope, Tx},
    chrono::Utc,
    std::collections::HashMap,
};

/// Rows per transaction of an import.
#[cfg(feature = "ssr")]
const BATCH: usize = 500;

/// How long a polling call waits before it reads a running import again.
#[cfg(feature = "ssr")]
const POLL_WAIT: std::time::Duration = std::time::Duration::from_millis(500);

/// A run that records no batch for this long has lost its server (a batch takes seconds).
#[cfg(feature = "ssr")]
pub const STALL: chrono::TimeDelta = chrono::TimeDelta::minutes(3);

#[cfg(feature = "ssr")]
const STALLED: &str = "The import stopped: its server stopped before the end. The rows \
                       reported were imported; import the file again to finish.";

/// The import job. With `wait`, a running import is read after a short pause: the page polls
/// by asking again as soon as an answer arrives, without a timer in the browser.
#[server(prefix = "/rpc", endpoint = "import_job")]
pub async fn import_job(id: i64, #[server(default)] wait: bool) -> Result<ImportView, AppError> {
    let s = guard::require_writer()?;
    if wait {
        tokio::time::sleep(POLL_WAIT).await;
    }
    let db = guard::db();
    let mut job = own_import_state(&db, &s, id).await?;
    let stalled_before = Utc::now() - STALL;
    if job.status() == ImportStatus::Running
        && db.fail_stalled_import(id, stalled_before, STALLED).await?
    {
        job = own_import_state(&db, &s, id).await?;
    }
    // The file is read only while its columns can still be mapped.
    let mapping = matches!(job.status(), ImportStatus::Uploaded | ImportStatus::Checked);
    let (headers, samples) = if mapping {
        preview(&own_import(&db, &s, id).await?.csv)
    } else {
        Default::default()
    };
    let stored: Vec<String> = job
        .mapping
        .as_deref()
        .and_then(|m| serde_json::from_str(m).ok())
        .unwrap_or_else(|| guess_mapping(&headers));
    Ok(ImportView {
        id,
        file_name: job.file_name.clone(),
        status: job.status(),
        total: job.total_rows as usize,
        columns: headers
            .into_iter()
            .zip(samples)
            .enumerate()
            .map(|(i, (header, sample))| ImportColumn {
                header,
                sample,
                target: stored.get(i).cloned().unwrap_or_default(),
            })
            .collect(),
        report: job
            .report
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok()),
        error: job.error,
    })
}

/// Saves what each column fills and dry-runs every row.
#[server(prefix = "/rpc", endpoint = "check_import")]
pub async fn check_import(
    id: i64,
    #[server(default)] mapping: Vec<String>,
) -> Result<(), AppError> {
    let s = guard::require_writer()?;
    let db = guard::db();
    let job = own_import(&db, &s, id).await?;
    if !matches!(job.status(), ImportStatus::Uploaded | ImportStatus::Checked) {
        return Err(AppError::Conflict("This import has already started".into()).respond());
    }
    let (headers, rows) = parse_csv(&job.csv)?;
    let mut mapping = mapping;
    mapping.resize(headers.len(), String::new());
    mapping_problem(&mapping).map_or(Ok(()), |m| Err(AppError::invalid("mapping", m).respond()))?;
    let mut planner = Planner::new(&db, guard::scope(&s), &mapping);
    let mut report = ImportReport::default();
    for (n, chunk) in rows.chunks(BATCH).enumerate() {
        for planned in planner.plan(n * BATCH, chunk).await? {
            report.add(planned.report);
        }
    }
    report.sort();
    let stored = db
        .set_import_checked(id, &json(&mapping), &json(&report))
        .await?;
    if !stored {
        return Err(AppError::Conflict("This import has already started".into()).respond());
    }
    Ok(())
}

/// Starts the import of a checked file in the background; the page follows its progress.
#[server(prefix = "/rpc", endpoint = "start_import")]
pub async fn start_import(id: i64) -> Result<(), AppError> {
    let s = guard::require_writer()?;
    let db = guard::db();
    let job = own_import(&db, &s, id).await?;
    if !db.claim_import(id).await? {
        return Err(
            AppError::Conflict("Check the rows first; an import runs once".into()).respond(),
        );
    }
    let by = Author {
        actor: guard::actor(&s),
        origin: Origin {
            source: "import",
            ..guard::origin()
        },
    };
    let entry = AuditEntry::new(by.actor.clone(), "client.import", by.origin.clone())
        .record("import", id, &job.file_name)
        .change("rows", "", job.total_rows);
    db.audit(&entry).await?;
    tokio::spawn(run_import(db, id, by, guard::scope(&s)));
    Ok(())
}

/// The import, unless it is someone else's: imports hold whole files of client data.
#[cfg(feature = "ssr")]
async fn own_import(db: &Db, s: &Session, id: i64) -> Result<ImportRow, AppError> {
    mine(db.import(id).await?, s)
}

/// The import without its file, unless it is someone else's.
#[cfg(feature = "ssr")]
async fn own_import_state(db: &Db, s: &Session, id: i64) -> Result<ImportRow, AppError> {
    mine(db.import_state(id).await?, s)
}

#[cfg(feature = "ssr")]
fn mine(job: Option<ImportRow>, s: &Session) -> Result<ImportRow, AppError> {
    job.filter(|job| job.user_id == s.user.id)
        .ok_or_else(|| AppError::NotFound.respond())
}

#[cfg(feature = "ssr")]
fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Why a mapping cannot be used: a field filled twice, or no way to name the client.
#[cfg(feature = "ssr")]
fn mapping_problem(mapping: &[String]) -> Option<String> {
    let known = |t: &String| t.is_empty() || IMPORT_FIELDS.iter().any(|(k, _)| k == t);
    if !mapping.iter().all(known) {
        return Some("Choose a field from the list for each column".into());
    }
    let mut chosen: Vec<&String> = mapping.iter().filter(|t| !t.is_empty()).collect();
    chosen.sort();
    if let Some(twice) = chosen.windows(2).find(|w| w[0] == w[1]) {
        return Some(format!("Two columns fill {}; choose one", label(twice[0])));
    }
    let names = |k: &str| mapping.iter().any(|t| t == k);
    (!names("client.name") && !names("client.account_code"))
        .then(|| "Choose the column with the client name (or account code)".into())
}

/// A CSV text as its header and rows. Rows may be shorter or longer than the header.
#[cfg(feature = "ssr")]
pub fn parse_csv(text: &str) -> Result<(Vec<String>, Vec<Vec<String>>), AppError> {
    let mut reader = csv_reader(text);
    let bad = |e: csv::Error| AppError::BadRequest(format!("This file is not a CSV: {e}"));
    let headers = reader
        .headers()
        .map_err(bad)?
        .iter()
        .map(String::from)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.map(|r| r.iter().map(String::from).collect()))
        .collect::<Result<Vec<Vec<String>>, _>>()
        .map_err(bad)?;
    Ok((headers, rows))
}

#[cfg(feature = "ssr")]
fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.strip_prefix('\u{feff}').unwrap_or(text).as_bytes())
}

/// The header and, per column, the first value found in the first rows.
#[cfg(feature = "ssr")]
fn preview(text: &str) -> (Vec<String>, Vec<String>) {
    let mut reader = csv_reader(text);
    let headers: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(String::from).collect())
        .unwrap_or_default();
    let mut samples = vec![String::new(); headers.len()];
    for record in reader.records().take(20).flatten() {
        for (sample, value) in samples.iter_mut().zip(record.iter()) {
            if sample.is_empty() {
                *sample = value.trim().chars().take(60).collect();
            }
        }
    }
    (headers, samples)
}

/// What one row will do.
#[cfg(feature = "ssr")]
enum Plan {
    Create(Box<NewClient>),
    Update(Box<Update>),
    Reject,
}

/// A matched client, its new values, and which of its location and contact the row changes
/// (None: the row adds one).
#[cfg(feature = "ssr")]
struct Update {
    before: Client,
    input: NewClient,
    location: Option<Option<(i64, super::model::LocationInput)>>,
    contact: Option<Option<(i64, super::model::ContactInput)>>,
}

#[cfg(feature = "ssr")]
struct Planned {
    report: ReportRow,
    plan: Plan,
}

/// Plans rows batch by batch, remembering which clients and emails earlier rows claimed so a
/// file cannot name one client or email twice.
#[cfg(feature = "ssr")]
struct Planner<'a> {
    db: &'a Db,
    scope: Scope,
    mapping: &'a [String],
    claimed: HashMap<String, usize>,
    emails: HashMap<String, usize>,
}

#[cfg(feature = "ssr")]
impl<'a> Planner<'a> {
    fn new(db: &'a Db, scope: Scope, mapping: &'a [String]) -> Self {
        Self {
            db,
            scope,
            mapping,
            claimed: HashMap::new(),
            emails: HashMap::new(),
        }
    }

    /// The cells of a row that are filled, by field.
    fn cells<'r>(&self, row: &'r [String]) -> Vec<(&'a str, &'r str)> {
        self.mapping
            .iter()
            .zip(row)
            .filter(|(key, value)| !key.is_empty() && !value.trim().is_empty())
            .map(|(key, value)| (key.as_str(), value.as_str()))
            .collect()
    }

    /// Plans `rows`, the first of which comes `skipped` rows after the header.
    async fn plan(
        &mut self,
        skipped: usize,
        rows: &[Vec<String>],
    ) -> Result<Vec<Planned>, AppError> {
        let typed: Vec<NewClient> = rows
            .iter()
            .map(|row| {
                let mut input = NewClient::default();
                for (key, value) in self.cells(row) {
                    set_field(&mut input, key, value);
                }
                input
            })
            .collect();
        let codes = typed
            .iter()
            .map(|t| t.client.account_code.clone())
            .filter(|c| !c.is_empty());
        let names = typed
            .iter()
            .map(|t| name_key(&t.client.name))
            .filter(|n| !n.is_empty());
        let keys = self
            .db
            .client_keys(
                self.scope,
                &codes.collect::<Vec<_>>(),
                &names.collect::<Vec<_>>(),
            )
            .await?;
        let emails: Vec<String> = typed
            .iter()
            .map(|t| t.contact.email.to_lowercase())
            .filter(|e| !e.is_empty())
            .collect();
        let ids: Vec<i64> = keys.iter().map(|k| k.id).collect();
        let known = Known {
            clients: by_id(self.db.clients_by_ids(self.scope, &ids).await?, |c| c.id),
            locations: by_id(self.db.primary_locations(&ids).await?, |l| l.client_id),
            contacts: self.db.active_contacts_of(&ids).await?,
            owners: self.db.email_owners(&emails).await?.into_iter().collect(),
            keys,
        };
        let mut out = Vec::with_capacity(rows.len());
        for (i, (row, typed)) in rows.iter().zip(typed).enumerate() {
            // The header is line 1.
            let line = skipped + i + 2;
            let name = typed.client.name.clone();
            let (plan, detail) = match self.plan_row(line, row, typed, &known).await? {
                Ok((plan, detail)) => (plan, detail),
                Err(reason) => (Plan::Reject, reason),
            };
            let outcome = match plan {
                Plan::Create(_) => Outcome::Create,
                Plan::Update(_) => Outcome::Update,
                Plan::Reject => Outcome::Reject,
            };
            out.push(Planned {
                report: ReportRow {
                    line,
                    outcome,
                    name,
                    detail,
                },
                plan,
            });
        }
        Ok(out)
    }

    /// A row's plan and what to say of it, or why it is rejected.
    async fn plan_row(
        &mut self,
        line: usize,
        row: &[String],
        typed: NewClient,
        known: &Known,
    ) -> Result<Result<(Plan, String), String>, AppError> {
        let keys = &known.keys;
        let code = typed.client.account_code.clone();
        let key = name_key(&typed.client.name);
        let by_code: Vec<&ClientKey> = keys
            .iter()
            .filter(|k| !code.is_empty() && k.account_code == code)
            .collect();
        let by_name: Vec<&ClientKey> = keys
            .iter()
            .filter(|k| !key.is_empty() && k.name_key == key)
            .collect();
        let matched = match (by_code.as_slice(), by_name.as_slice()) {
            ([one], _) => Some((*one, "account code")),
            ([_, _, ..], _) => {
                return Ok(Err(format!(
                    "{} clients have account code {code}",
                    by_code.len()
                )))
            }
            ([], [one]) => Some((*one, "name")),
            ([], [_, _, ..]) => {
                return Ok(Err(format!(
                    "{} clients are named like this; add an account code to choose one",
                    by_name.len()
                )))
            }
            ([], []) => None,
        };
        // Every name the row goes by: an earlier row claiming one of them means the same client.
        let mut claims = Vec::new();
        if let Some((k, _)) = matched {
            claims.push(format!("id:{}", k.id));
        }
        if !code.is_empty() {
            claims.push(format!("code:{code}"));
        }
        if !key.is_empty() {
            claims.push(format!("name:{key}"));
        }
        if let Some(first) = claims.iter().find_map(|c| self.claimed.get(c)) {
            return Ok(Err(format!("Same client as line {first}")));
        }
        let email = typed.contact.email.to_lowercase();
        if let Some(first) = self.emails.get(&email).filter(|_| !email.is_empty()) {
            return Ok(Err(format!("Same contact email as line {first}")));
        }
        let location_given = !typed.location.is_blank();
        let contact_given = !typed.contact.is_blank();

        let (plan, detail, contact_id) = match matched {
            None => {
                let mut input = NewClient {
                    client: ClientInput::blank(),
                    ..NewClient::default()
                };
                self.fill(&mut input, row);
                if let Some(p) = reason(input.problems()) {
                    return Ok(Err(p));
                }
                (Plan::Create(Box::new(input)), String::new(), None)
            }
            Some((k, how)) => {
                let before = known
                    .clients
                    .get(&k.id)
                    .cloned()
                    .ok_or(AppError::NotFound)?;
                let mut input = NewClient {
                    client: before.fields.clone(),
                    ..NewClient::default()
                };
                let location = location_given
                    .then(|| known.locations.get(&k.id).map(|l| (l.id, l.fields.clone())));
                let contact = contact_given.then(|| {
                    known
                        .contacts
                        .iter()
                        .find(|c| c.client_id == k.id && same_person(&c.fields, &typed.contact))
                        .map(|c| (c.id, c.fields.clone()))
                });
                if let Some(Some((_, l))) = &location {
                    input.location = l.clone();
                }
                if let Some(Some((_, c))) = &contact {
                    input.contact = c.clone();
                }
                self.fill(&mut input, row);
                let mut problems = input.client.problems();
                if location_given {
                    problems.extend(
                        input
                            .location
                            .problems()
                            .into_iter()
                            .filter(|p| p.field != "location[name]"),
                    );
                }
                if contact_given {
                    problems.extend(input.contact.problems());
                }
                if let Some(p) = reason(problems) {
                    return Ok(Err(p));
                }
                let contact_id = contact.as_ref().and_then(|c| c.as_ref().map(|(id, _)| *id));
                let detail = format!("Matches {} by {how}", k.name);
                let update = Update {
                    before,
                    input,
                    location,
                    contact,
                };
                (Plan::Update(Box::new(update)), detail, contact_id)
            }
        };
        if contact_given && !email.is_empty() {
            if let Some(owner) = known
                .owners
                .get(&email)
                .filter(|o| Some(o.contact_id) != contact_id)
            {
                let whose = match self.db.client_visible(self.scope, owner.client_id).await? {
                    true => owner.client_name.as_str(),
                    false => "another client's contact",
                };
                return Ok(Err(format!("Contact email: already on {whose}")));
            }
            self.emails.insert(email, line);
        }
        for claim in claims {
            self.claimed.insert(claim, line);
        }
        Ok(Ok((plan, detail)))
    }

    /// Writes the row's filled cells over `input`.
    fn fill(&self, input: &mut NewClient, row: &[String]) {
        for (key, value) in self.cells(row) {
            set_field(input, key, value);
        }
    }
}

/// What the database holds for a batch's rows: the clients they may match with their primary
/// locations and active contacts, and the contacts holding the rows' emails.
#[cfg(feature = "ssr")]
struct Known {
    keys: Vec<ClientKey>,
    clients: HashMap<i64, Client>,
    locations: HashMap<i64, Location>,
    contacts: Vec<Contact>,
    owners: HashMap<String, EmailOwner>,
}

#[cfg(feature = "ssr")]
fn by_id<T>(items: Vec<T>, id: impl Fn(&T) -> i64) -> HashMap<i64, T> {
    items.into_iter().map(|item| (id(&item), item)).collect()
}

/// The same contact: the same email, or with no email given, the same name.
#[cfg(feature = "ssr")]
fn same_person(existing: &super::model::ContactInput, row: &super::model::ContactInput) -> bool {
    let same = |a: &str, b: &str| !b.trim().is_empty() && a.trim().eq_ignore_ascii_case(b.trim());
    match row.email.trim().is_empty() {
        false => same(&existing.email, &row.email),
        true => same(&existing.name, &row.name),
    }
}

/// The problems of a row in words, each after the field's label.
#[cfg(feature = "ssr")]
fn reason(problems: Vec<FieldError>) -> Option<String> {
    let said: Vec<String> = problems
        .iter()
        .map(|p| {
            let key = p.field.replace('[', ".").replace(']', "");
            format!("{}: {}", label(&key), p.message)
        })
        .collect();
    (!said.is_empty()).then(|| said.join("; "))
}

/// Runs an import to its end, batch by batch; a failure stops it with the reason, keeping
/// the batches already committed.
#[cfg(feature = "ssr")]
pub async fn run_import(db: Db, id: i64, by: Author, scope: Scope) {
    if let Err(err) = import_rows(&db, id, &by, scope).await {
        tracing::error!(import = id, error = %err, "import failed");
        let message = format!("The import stopped: {err}");
        if let Err(err) = db
            .finish_import(id, ImportStatus::Failed, None, Some(&message))
            .await
        {
            tracing::error!(import = id, error = %err, "could not record the failed import");
        }
    }
}

#[cfg(feature = "ssr")]
async fn import_rows(db: &Db, id: i64, by: &Author, scope: Scope) -> Result<(), AppError> {
    let job = db.import(id).await?.ok_or(AppError::NotFound)?;
    let (_, rows) = parse_csv(&job.csv)?;
    let mapping: Vec<String> = job
        .mapping
        .as_deref()
        .and_then(|m| serde_json::from_str(m).ok())
        .ok_or_else(|| AppError::BadRequest("The import has no column mapping".into()))?;
    let mut planner = Planner::new(db, scope, &mapping);
    let mut report = ImportReport::default();
    for (n, chunk) in rows.chunks(BATCH).enumerate() {
        let planned = planner.plan(n * BATCH, chunk).await?;
        let mut tx = db.begin().await?;
        for p in planned {
            apply(&mut tx, by, scope, p.plan).await?;
            report.add(p.report);
        }
        report.sort();
        if !tx.import_progress(id, &json(&report)).await? {
            return Err(AppError::Conflict(
                "the import was given up as stalled".into(),
            ));
        }
        tx.commit().await?;
    }
    db.finish_import(id, ImportStatus::Done, Some(&json(&report)), None)
        .await
}

/// Carries out one row's plan, with the audit entries of what it changes.
#[cfg(feature = "ssr")]
async fn apply(tx: &mut Tx, by: &Author, scope: Scope, plan: Plan) -> Result<(), AppError> {
    let u = match plan {
        Plan::Reject => return Ok(()),
        Plan::Create(input) => return insert_record(tx, by, scope, &input).await.map(|_| ()),
        Plan::Update(u) => *u,
    };
    let id = u.before.id;
    let (old, new) = (
        snapshot_client(&u.before.fields),
        snapshot_client(&u.input.client),
    );
    if old != new {
        tx.update_client(id, &u.input.client).await?;
        let record = ("client", id, u.input.client.name.as_str());
        audit(tx, by, "client.update", record, id, Some(&old), &new).await?;
    }
    match u.location {
        Some(Some((location_id, before))) => {
            let (old, new) = (
                snapshot_location(&before),
                snapshot_location(&u.input.location),
            );
            if old != new {
                tx.update_location(location_id, id, &u.input.location)
                    .await?;
                let record = ("location", location_id, u.input.location.name.as_str());
                audit(tx, by, "location.update", record, id, Some(&old), &new).await?;
            }
        }
        Some(None) => {
            let mut location = u.input.location;
            if location.name.trim().is_empty() {
                location.name = "Main office".into();
            }
            location.primary = true;
            add_location(tx, by, id, &location).await?;
        }
        None => {}
    }
    match u.contact {
        Some(Some((contact_id, before))) => {
            let (old, new) = (
                snapshot_contact(&before),
                snapshot_contact(&u.input.contact),
            );
            if old != new {
                tx.update_contact(contact_id, id, &u.input.contact).await?;
                let record = ("contact", contact_id, u.input.contact.name.as_str());
                audit(tx, by, "contact.update", record, id, Some(&old), &new).await?;
            }
        }
        Some(None) => {
            add_contact(tx, by, id, &u.input.contact).await?;
        }
        None => {}
    }
    Ok(())
}
