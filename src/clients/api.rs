//! Server functions of the client record. Each checks the caller first, then the input, then
//! makes one transaction with its audit entries. Restricted technicians only ever reach the
//! clients assigned to them; anything else answers "not found".

use super::model::{
    ClientFilter, ClientInput, ClientRecord, ClientRow, Contact, ContactFilter, ContactInput,
    ListPage, LocationInput, Tag,
};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::model::{field_problem, parse_days, parse_money, NewClient},
    crate::error::FieldError,
    crate::server::auth::guard,
    crate::server::auth::session::Session,
    crate::server::db::{AuditEntry, BulkField, ClientColumn, Db, Scope, Tx},
};

/// The client list with what its filters offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientList {
    pub page: ListPage<ClientRow>,
    pub tags: Vec<Tag>,
    pub industries: Vec<String>,
    pub referrals: Vec<String>,
    pub can_write: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactList {
    pub page: ListPage<Contact>,
    pub tags: Vec<Tag>,
    pub clients: Vec<(i64, String)>,
}

#[server(prefix = "/rpc", endpoint = "list_clients")]
pub async fn list_clients(#[server(default)] filter: ClientFilter) -> Result<ClientList, AppError> {
    let s = guard::require_user()?;
    let (db, scope) = (guard::db(), guard::scope(&s));
    Ok(ClientList {
        page: db.list_clients(scope, s.user.id, &filter).await?,
        tags: db.list_tags().await?,
        industries: db.client_values(scope, ClientColumn::Industry).await?,
        referrals: db.client_values(scope, ClientColumn::Referral).await?,
        can_write: s.user.role().can_write(),
    })
}

#[server(prefix = "/rpc", endpoint = "client_detail")]
pub async fn client_detail(id: i64) -> Result<ClientRecord, AppError> {
    let s = guard::require_user()?;
    let db = guard::db();
    let client = db
        .client(guard::scope(&s), id)
        .await?
        .ok_or_else(|| AppError::NotFound.respond())?;
    db.record_client_open(s.user.id, id).await?;
    Ok(ClientRecord {
        client,
        locations: db.locations_of(id).await?,
        contacts: db.contacts_of(id).await?,
        all_tags: db.list_tags().await?,
        parents: db
            .client_choices(guard::scope(&s))
            .await?
            .into_iter()
            .filter(|(c, _)| *c != id)
            .collect(),
    })
}

/// Existing clients with the same normalised name or domain, shown while a new one is typed.
#[server(prefix = "/rpc", endpoint = "similar_clients")]
pub async fn similar_clients(name: String, domain: String) -> Result<Vec<(i64, String)>, AppError> {
    let s = guard::require_user()?;
    guard::db()
        .similar_clients(guard::scope(&s), &name, &domain)
        .await
}

#[server(prefix = "/rpc", endpoint = "list_contacts")]
pub async fn list_contacts(
    #[server(default)] filter: ContactFilter,
) -> Result<ContactList, AppError> {
    let s = guard::require_user()?;
    let (db, scope) = (guard::db(), guard::scope(&s));
    Ok(ContactList {
        page: db.list_contacts(scope, &filter).await?,
        tags: db.list_tags().await?,
        clients: db.client_choices(scope).await?,
    })
}

/// Which client already has a contact with this email, said before saving. A client the
/// caller may not see is not named.
#[server(prefix = "/rpc", endpoint = "email_owner")]
pub async fn email_owner(email: String, except: Option<i64>) -> Result<Option<String>, AppError> {
    let s = guard::require_user()?;
    let db = guard::db();
    owner_message(&db, guard::scope(&s), &email, except).await
}

/// What the new-client form offers: tags, and the clients that can be a parent.
#[server(prefix = "/rpc", endpoint = "client_choices")]
pub async fn client_choices() -> Result<(Vec<Tag>, Vec<(i64, String)>), AppError> {
    let s = guard::require_user()?;
    let db = guard::db();
    Ok((
        db.list_tags().await?,
        db.client_choices(guard::scope(&s)).await?,
    ))
}

#[server(prefix = "/rpc", endpoint = "list_tags")]
pub async fn list_tags() -> Result<Vec<Tag>, AppError> {
    guard::require_user()?;
    guard::db().list_tags().await
}

#[server(prefix = "/rpc", endpoint = "create_client")]
pub async fn create_client(
    client: ClientInput,
    #[server(default)] location: LocationInput,
    #[server(default)] contact: ContactInput,
) -> Result<(), AppError> {
    let s = guard::require_writer()?;
    let input = NewClient {
        client,
        location,
        contact,
    };
    let (db, scope) = (guard::db(), guard::scope(&s));
    let mut problems = input.problems();
    problems.extend(parent_problem(&db, scope, None, &input.client).await?);
    if !input.contact.is_blank() {
        problems.extend(email_problem(&db, scope, &input.contact.email, None).await?);
    }
    check(problems)?;
    let mut tx = db.begin().await?;
    let id = tx.insert_client(&input.client).await?;
    audit(
        &mut tx,
        &s,
        "client.create",
        ("client", id, &input.client.name),
        id,
        None,
        &snapshot_client(&input.client),
    )
    .await?;
    if !input.location.is_blank() {
        let mut location = input.location.clone();
        if location.name.trim().is_empty() {
            location.name = "Main office".into();
        }
        location.primary = true;
        add_location(&mut tx, &s, id, &location).await?;
    }
    if !input.contact.is_blank() {
        let mut contact = input.contact.clone();
        contact.primary = true;
        contact.location_id = String::new();
        add_contact(&mut tx, &s, id, &contact).await?;
    }
    if let Scope {
        restricted_user: Some(user),
    } = scope
    {
        // A restricted technician keeps access to the client they created.
        tx.add_user_client(user, id).await?;
    }
    tx.commit().await?;
    leptos_axum::redirect(&format!("/clients/{id}"));
    Ok(())
}

#[server(prefix = "/rpc", endpoint = "update_client")]
pub async fn update_client(id: i64, client: ClientInput) -> Result<(), AppError> {
    let s = guard::require_writer()?;
    let (db, scope) = (guard::db(), guard::scope(&s));
    let before = db
        .client(scope, id)
        .await?
        .ok_or_else(|| AppError::NotFound.respond())?;
    let mut problems = client.problems();
    problems.extend(parent_problem(&db, scope, Some(id), &client).await?);
    check(problems)?;
    let mut tx = db.begin().await?;
    tx.update_client(id, &client).await?;
    let old = snapshot_client(&before.fields);
    audit(
        &mut tx,
        &s,
        "client.update",
        ("client", id, &client.name),
        id,
        Some(&old),
        &snapshot_client(&client),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The quick notes on the client page, saved in place.
#[server(prefix = "/rpc", endpoint = "save_client_notes")]
pub async fn save_client_notes(id: i64, notes: String) -> Result<(), AppError> {
    let s = guard::require_writer()?;
    let db = guard::db();
    let before = db
        .client(guard::scope(&s), id)
        .await?
        .ok_or_else(|| AppError::NotFound.respond())?;
    if let Some(p) = field_problem("notes", &notes) {
        return Err(AppError::invalid("notes", p).respond());
    }
    let mut tx = db.begin().await?;
    tx.set_client_notes(id, &notes).await?;
    let entry = AuditEntry::new(guard::actor(&s), "client.update", guard::origin())
        .record("client", id, &before.fields.name)
        .client(Some(id))
        .change("notes", before.fields.notes.trim(), notes.trim());
    tx.audit(&entry).await?;
    tx.commit().await?;
    Ok(())
}

#[server(prefix = "/rpc", endpoint = "bulk_clients")]
pub async fn bulk_clients(
    #[server(default)] ids: Vec<i64>,
    action: String,
    #[server(default)] value: String,
) -> Result<usize, AppError> {
    let s = guard::require_writer()?;
    let (db, scope) = (guard::db(), guard::scope(&s));
    if ids.is_empty() {
        return Err(AppError::invalid("ids", "Select at least one client").respond());
    }
    let field = match action.as_str() {
        "industry" => Some(BulkField::Industry(&value)),
        "referral" => Some(BulkField::Referral(&value)),
        "hourly_rate" => Some(BulkField::HourlyRate(
            parse_money(&value).map_err(|m| AppError::invalid("value", m).respond())?,
        )),
        "net_terms" => Some(BulkField::NetTerms(
            parse_days(&value).map_err(|m| AppError::invalid("value", m).respond())?,
        )),
        "tag_add" | "tag_remove" | "archive" | "restore" => None,
        _ => return Err(AppError::invalid("action", "Choose an action").respond()),
    };
    // A tag is named by its name (any case) or id.
    let wanted = value.trim().to_lowercase();
    let tag_id = match action.starts_with("tag_") {
        true => Some(
            db.list_tags()
                .await?
                .into_iter()
                .find(|t| {
                    t.kind == "client"
                        && (t.name.to_lowercase() == wanted || t.id.to_string() == wanted)
                })
                .map(|t| t.id)
                .ok_or_else(|| {
                    AppError::invalid("value", "Enter the name of a client tag").respond()
                })?,
        ),
        false => None,
    };
    let clients = db.clients_by_ids(scope, &ids).await?;
    if clients.len() != ids.iter().collect::<std::collections::BTreeSet<_>>().len() {
        return Err(AppError::NotFound.respond());
    }
    let mut tx = db.begin().await?;
    for client in &clients {
        let id = client.id;
        let name = &client.fields.name;
        let entry = |action| {
            AuditEntry::new(guard::actor(&s), action, guard::origin())
                .record("client", id, name)
                .client(Some(id))
        };
        let e = match (action.as_str(), field, tag_id) {
            ("archive", ..) => {
                tx.set_client_archived(id, true).await?;
                entry("client.archive")
            }
            ("restore", ..) => {
                tx.set_client_archived(id, false).await?;
                entry("client.restore")
            }
            ("tag_add", _, Some(t)) => {
                tx.add_tag("client", id, t).await?;
                entry("client.update").change("tags", "", format!("+{t}"))
            }
            ("tag_remove", _, Some(t)) => {
                tx.remove_tag("client", id, t).await?;
                entry("client.update").change("tags", format!("-{t}"), "")
            }
            (_, Some(f), _) => {
                tx.set_client_field(id, f).await?;
                let (name, old) = match f {
                    BulkField::Industry(_) => ("industry", client.fields.industry.clone()),
                    BulkField::Referral(_) => ("referral", client.fields.referral.clone()),
                    BulkField::HourlyRate(_) => ("hourly_rate", client.fields.hourly_rate.clone()),
                    BulkField::NetTerms(_) => ("net_terms", client.fields.net_terms.clone()),
                };
                let new = match f {
                    BulkField::HourlyRate(c) => super::model::format_money(c),
                    BulkField::NetTerms(d) => d.to_string(),
                    BulkField::Industry(v) | BulkField::Referral(v) => v.trim().to_string(),
                };
                entry("client.update").change(name, old, new)
            }
            _ => return Err(AppError::BadRequest(action.clone()).respond()),
        };
        tx.audit(&e).await?;
    }
    tx.commit().await?;
    Ok(clients.len())
}

/// Adds a location to a client (`id` None) or changes one.
#[server(prefix = "/rpc", endpoint = "save_location")]
pub async fn save_location(
    client_id: i64,
    id: Option<i64>,
    location: LocationInput,
) -> Result<i64, AppError> {
    let s = guard::require_writer()?;
    let db = guard::db();
    visible(&db, &s, client_id).await?;
    let before = match id {
        Some(id) => Some(
            db.location(id)
                .await?
                .filter(|l| l.client_id == client_id)
                .ok_or_else(|| AppError::NotFound.respond())?,
        ),
        None => None,
    };
    check(location.problems())?;
    let mut tx = db.begin().await?;
    let id = match &before {
        Some(b) => {
            tx.update_location(b.id, client_id, &location).await?;
            let old = snapshot_location(&b.fields);
            audit(
                &mut tx,
                &s,
                "location.update",
                ("location", b.id, &location.name),
                client_id,
                Some(&old),
                &snapshot_location(&location),
            )
            .await?;
            b.id
        }
        None => add_location(&mut tx, &s, client_id, &location).await?,
    };
    tx.commit().await?;
    Ok(id)
}

/// Adds a contact to a client (`id` None) or changes one.
#[server(prefix = "/rpc", endpoint = "save_contact")]
pub async fn save_contact(
    client_id: i64,
    id: Option<i64>,
    contact: ContactInput,
) -> Result<i64, AppError> {
    let s = guard::require_writer()?;
    let (db, scope) = (guard::db(), guard::scope(&s));
    visible(&db, &s, client_id).await?;
    let before = match id {
        Some(id) => Some(
            db.contact(scope, id)
                .await?
                .filter(|c| c.client_id == client_id)
                .ok_or_else(|| AppError::NotFound.respond())?,
        ),
        None => None,
    };
    let mut problems = contact.problems();
    problems.extend(email_problem(&db, scope, &contact.email, id).await?);
    if let Some(location) = contact.location() {
        if !db
            .location(location)
            .await?
            .is_some_and(|l| l.client_id == client_id)
        {
            problems.push(FieldError {
                field: "contact[location_id]".into(),
                message: "Choose one of this client's locations".into(),
            });
        }
    }
    check(problems)?;
    let mut tx = db.begin().await?;
    let id = match &before {
        Some(b) => {
            tx.update_contact(b.id, client_id, &contact)
                .await
                .map_err(AppError::respond)?;
            let old = snapshot_contact(&b.fields);
            audit(
                &mut tx,
                &s,
                "contact.update",
                ("contact", b.id, &contact.name),
                client_id,
                Some(&old),
                &snapshot_contact(&contact),
            )
            .await?;
            b.id
        }
        None => add_contact(&mut tx, &s, client_id, &contact).await?,
    };
    tx.commit().await?;
    Ok(id)
}

/// Archives (`archived` true) or restores a client, location or contact.
#[server(prefix = "/rpc", endpoint = "set_archived")]
pub async fn set_archived(kind: String, id: i64, archived: bool) -> Result<(), AppError> {
    let s = guard::require_writer()?;
    let db = guard::db();
    let (client_id, label) = record(&db, &s, &kind, id).await?;
    let mut tx = db.begin().await?;
    let kind = match kind.as_str() {
        "client" => {
            tx.set_client_archived(id, archived).await?;
            "client"
        }
        "location" => {
            tx.set_location_archived(id, client_id, archived).await?;
            "location"
        }
        _ => {
            tx.set_contact_archived(id, archived).await?;
            "contact"
        }
    };
    let action = match (kind, archived) {
        ("client", true) => "client.archive",
        ("client", false) => "client.restore",
        ("location", true) => "location.archive",
        ("location", false) => "location.restore",
        (_, true) => "contact.archive",
        (_, false) => "contact.restore",
    };
    let entry = AuditEntry::new(guard::actor(&s), action, guard::origin())
        .record(kind, id, &label)
        .client(Some(client_id));
    tx.audit(&entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes an archived client, location or contact with what depends on it. Admins only, and
/// only after typing the record's exact name.
#[server(prefix = "/rpc", endpoint = "delete_archived")]
pub async fn delete_archived(kind: String, id: i64, confirm: String) -> Result<(), AppError> {
    let s = guard::require_admin()?;
    let db = guard::db();
    let (client_id, label) = record(&db, &s, &kind, id).await?;
    if confirm.trim() != label.trim() {
        return Err(AppError::invalid("confirm", "Type the exact name to delete").respond());
    }
    let mut tx = db.begin().await?;
    let (deleted, action) = match kind.as_str() {
        "client" => (tx.delete_archived_client(id).await?, "client.delete"),
        "location" => (tx.delete_archived_location(id).await?, "location.delete"),
        _ => (tx.delete_archived_contact(id).await?, "contact.delete"),
    };
    if !deleted {
        return Err(AppError::Conflict(
            "Archive it first; only archived records can be deleted".into(),
        )
        .respond());
    }
    let kind = match kind.as_str() {
        "client" => "client",
        "location" => "location",
        _ => "contact",
    };
    let entry = AuditEntry::new(guard::actor(&s), action, guard::origin())
        .record(kind, id, &label)
        .client(Some(client_id));
    tx.audit(&entry).await?;
    tx.commit().await?;
    if kind == "client" {
        leptos_axum::redirect("/clients?archived=only");
    } else {
        leptos_axum::redirect(&format!("/clients/{client_id}"));
    }
    Ok(())
}

#[server(prefix = "/rpc", endpoint = "create_tag")]
pub async fn create_tag(kind: String, name: String, colour: String) -> Result<(), AppError> {
    let s = guard::require_admin()?;
    let mut problems: Vec<FieldError> = [("name", &name), ("colour", &colour)]
        .into_iter()
        .filter_map(|(f, v)| {
            field_problem(f, v).map(|message| FieldError {
                field: f.into(),
                message,
            })
        })
        .collect();
    if !super::model::TAG_KINDS.contains(&kind.as_str()) {
        problems.push(FieldError {
            field: "kind".into(),
            message: "Choose what the tag is for".into(),
        });
    }
    check(problems)?;
    let mut tx = guard::db().begin().await?;
    let id = tx
        .insert_tag(&kind, &name, &colour)
        .await
        .map_err(AppError::respond)?;
    let entry = AuditEntry::new(guard::actor(&s), "tag.create", guard::origin())
        .record("tag", id, name.trim())
        .change("kind", "", &kind)
        .change("colour", "", colour.trim());
    tx.audit(&entry).await?;
    tx.commit().await
}

#[server(prefix = "/rpc", endpoint = "delete_tag")]
pub async fn delete_tag(id: i64) -> Result<(), AppError> {
    let s = guard::require_admin()?;
    let mut tx = guard::db().begin().await?;
    let tag = tx
        .delete_tag(id)
        .await?
        .ok_or_else(|| AppError::NotFound.respond())?;
    let entry = AuditEntry::new(guard::actor(&s), "tag.delete", guard::origin())
        .record("tag", id, &tag.name)
        .change("kind", &tag.kind, "");
    tx.audit(&entry).await?;
    tx.commit().await
}

#[cfg(feature = "ssr")]
fn check(problems: Vec<FieldError>) -> Result<(), AppError> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(problems).respond())
    }
}

/// Not found unless the caller may see the client.
#[cfg(feature = "ssr")]
async fn visible(db: &Db, s: &Session, client_id: i64) -> Result<(), AppError> {
    if db.client_visible(guard::scope(s), client_id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound.respond())
    }
}

/// The client and name of a record the caller may see.
#[cfg(feature = "ssr")]
async fn record(db: &Db, s: &Session, kind: &str, id: i64) -> Result<(i64, String), AppError> {
    let scope = guard::scope(s);
    let found = match kind {
        "client" => db.client(scope, id).await?.map(|c| (c.id, c.fields.name)),
        "location" => match db.location(id).await? {
            Some(l) if db.client_visible(scope, l.client_id).await? => {
                Some((l.client_id, l.fields.name))
            }
            _ => None,
        },
        "contact" => db
            .contact(scope, id)
            .await?
            .map(|c| (c.client_id, c.fields.name)),
        _ => return Err(AppError::invalid("kind", "Unknown kind of record").respond()),
    };
    found.ok_or_else(|| AppError::NotFound.respond())
}

/// A parent must be another client the caller can see, and not one of the client's own
/// descendants' loops: a client cannot be its own parent.
#[cfg(feature = "ssr")]
async fn parent_problem(
    db: &Db,
    scope: Scope,
    id: Option<i64>,
    input: &ClientInput,
) -> Result<Vec<FieldError>, AppError> {
    let problem = match input.parent() {
        None if !input.parent_id.trim().is_empty() => Some("Choose a parent client"),
        Some(p) if Some(p) == id => Some("A client cannot be its own parent"),
        Some(p) if !db.client_visible(scope, p).await? => Some("Choose a parent client"),
        _ => None,
    };
    Ok(problem
        .map(|m| FieldError {
            field: "client[parent_id]".into(),
            message: m.into(),
        })
        .into_iter()
        .collect())
}

#[cfg(feature = "ssr")]
async fn owner_message(
    db: &Db,
    scope: Scope,
    email: &str,
    except: Option<i64>,
) -> Result<Option<String>, AppError> {
    if email.trim().is_empty() {
        return Ok(None);
    }
    Ok(match db.email_owner(email, except).await? {
        Some(owner) if db.client_visible(scope, owner.client_id).await? => {
            Some(format!("This email is already on {}", owner.client_name))
        }
        Some(_) => Some("This email is already on another client's contact".into()),
        None => None,
    })
}

#[cfg(feature = "ssr")]
async fn email_problem(
    db: &Db,
    scope: Scope,
    email: &str,
    except: Option<i64>,
) -> Result<Vec<FieldError>, AppError> {
    Ok(owner_message(db, scope, email, except)
        .await?
        .map(|message| FieldError {
            field: "contact[email]".into(),
            message,
        })
        .into_iter()
        .collect())
}

/// Writes an audit entry for a record of a client with its field changes.
#[cfg(feature = "ssr")]
async fn audit(
    tx: &mut Tx,
    s: &Session,
    action: &'static str,
    (kind, id, label): (&'static str, i64, &str),
    client_id: i64,
    before: Option<&[(&str, String)]>,
    after: &[(&str, String)],
) -> Result<(), AppError> {
    let entry = AuditEntry::new(guard::actor(s), action, guard::origin())
        .record(kind, id, label.trim())
        .client(Some(client_id))
        .diff(before, after);
    tx.audit(&entry).await
}

#[cfg(feature = "ssr")]
fn snapshot(
    text: Vec<(&'static str, &str)>,
    flags: Vec<(&'static str, bool)>,
    tags: &[i64],
) -> Vec<(&'static str, String)> {
    let mut tags = tags.to_vec();
    tags.sort_unstable();
    text.into_iter()
        .map(|(k, v)| (k, v.trim().to_string()))
        .chain(flags.into_iter().map(|(k, v)| (k, v.to_string())))
        .chain([(
            "tags",
            tags.iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(","),
        )])
        .collect()
}

#[cfg(feature = "ssr")]
fn snapshot_client(c: &ClientInput) -> Vec<(&'static str, String)> {
    snapshot(c.text_fields(), c.flags(), &c.tag_ids)
}

#[cfg(feature = "ssr")]
fn snapshot_location(l: &LocationInput) -> Vec<(&'static str, String)> {
    snapshot(l.text_fields(), l.flags(), &l.tag_ids)
}

#[cfg(feature = "ssr")]
fn snapshot_contact(c: &ContactInput) -> Vec<(&'static str, String)> {
    snapshot(c.text_fields(), c.flags(), &c.tag_ids)
}

/// Adds a location to a client, with its audit entry.
#[cfg(feature = "ssr")]
async fn add_location(
    tx: &mut Tx,
    s: &Session,
    client_id: i64,
    location: &LocationInput,
) -> Result<i64, AppError> {
    let id = tx.insert_location(client_id, location).await?;
    let after = snapshot_location(location);
    audit(
        tx,
        s,
        "location.create",
        ("location", id, &location.name),
        client_id,
        None,
        &after,
    )
    .await?;
    Ok(id)
}

/// Adds a contact to a client, with its audit entry.
#[cfg(feature = "ssr")]
async fn add_contact(
    tx: &mut Tx,
    s: &Session,
    client_id: i64,
    contact: &ContactInput,
) -> Result<i64, AppError> {
    let id = tx
        .insert_contact(client_id, contact)
        .await
        .map_err(AppError::respond)?;
    let after = snapshot_contact(contact);
    audit(
        tx,
        s,
        "contact.create",
        ("contact", id, &contact.name),
        client_id,
        None,
        &after,
    )
    .await?;
    Ok(id)
}
