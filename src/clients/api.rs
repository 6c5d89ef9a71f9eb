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
    super::records::{check, Author, Editor, RecordKind},
    crate::error::FieldError,
    crate::server::auth::guard,
    crate::server::auth::session::Session,
    crate::server::db::{AuditEntry, BulkField},
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
    /// The client filtered on, to show in its picker: (id, name).
    pub client: Option<(i64, String)>,
}

#[server(prefix = "/rpc", endpoint = "list_clients")]
pub async fn list_clients(#[server(default)] filter: ClientFilter) -> Result<ClientList, AppError> {
    let s = guard::require_user()?;
    let (db, scope) = (guard::db(), guard::scope(&s));
    let choices = db.client_list_choices(scope).await?;
    Ok(ClientList {
        page: db.list_clients(scope, s.user.id, &filter).await?,
        tags: choices.tags,
        industries: choices.industries,
        referrals: choices.referrals,
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
    let client = match filter.client {
        Some(id) => db.client_name(scope, id).await?.map(|name| (id, name)),
        None => None,
    };
    Ok(ContactList {
        page: db.list_contacts(scope, &filter).await?,
        tags: db.list_tags().await?,
        client,
    })
}

/// Which client already has a contact with this email, said before saving. A client the
/// caller may not see is not named.
#[server(prefix = "/rpc", endpoint = "email_owner")]
pub async fn email_owner(email: String, except: Option<i64>) -> Result<Option<String>, AppError> {
    let s = guard::require_user()?;
    editor(&s).email_owner(&email, except).await
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
    let id = editor(&s)
        .create_client(&input)
        .await
        .map_err(AppError::respond)?;
    leptos_axum::redirect(&format!("/clients/{id}"));
    Ok(())
}

#[server(prefix = "/rpc", endpoint = "update_client")]
pub async fn update_client(id: i64, client: ClientInput) -> Result<(), AppError> {
    let s = guard::require_writer()?;
    editor(&s)
        .update_client(id, &client)
        .await
        .map_err(AppError::respond)
}

/// The quick notes on the client page, saved in place.
#[server(prefix = "/rpc", endpoint = "save_client_notes")]
pub async fn save_client_notes(id: i64, notes: String) -> Result<(), AppError> {
    let s = guard::require_writer()?;
    editor(&s)
        .save_client_notes(id, &notes)
        .await
        .map_err(AppError::respond)
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
                tx.add_tags("client", id, &[t]).await?;
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
    editor(&s)
        .save_location(client_id, id, &location)
        .await
        .map_err(AppError::respond)
}

/// Adds a contact to a client (`id` None) or changes one.
#[server(prefix = "/rpc", endpoint = "save_contact")]
pub async fn save_contact(
    client_id: i64,
    id: Option<i64>,
    contact: ContactInput,
) -> Result<i64, AppError> {
    let s = guard::require_writer()?;
    editor(&s)
        .save_contact(client_id, id, &contact)
        .await
        .map_err(AppError::respond)
}

/// Archives (`archived` true) or restores a client, location or contact.
#[server(prefix = "/rpc", endpoint = "set_archived")]
pub async fn set_archived(kind: String, id: i64, archived: bool) -> Result<(), AppError> {
    let s = guard::require_writer()?;
    let kind = RecordKind::parse(&kind).map_err(AppError::respond)?;
    editor(&s)
        .set_archived(kind, id, archived)
        .await
        .map_err(AppError::respond)
}

/// Deletes an archived client, location or contact with what depends on it. Admins only, and
/// only after typing the record's exact name.
#[server(prefix = "/rpc", endpoint = "delete_archived")]
pub async fn delete_archived(kind: String, id: i64, confirm: String) -> Result<(), AppError> {
    let s = guard::require_admin()?;
    let kind = RecordKind::parse(&kind).map_err(AppError::respond)?;
    let client_id = editor(&s)
        .delete_archived(kind, id, Some(&confirm))
        .await
        .map_err(AppError::respond)?;
    if kind == RecordKind::Client {
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
    check(problems).map_err(AppError::respond)?;
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

/// The signed-in technician of the current request, changing what they may see.
#[cfg(feature = "ssr")]
fn editor(s: &Session) -> Editor {
    Editor {
        db: guard::db(),
        by: author(s),
        scope: guard::scope(s),
    }
}

#[cfg(feature = "ssr")]
pub(super) fn author(s: &Session) -> Author {
    Author {
        actor: guard::actor(s),
        origin: guard::origin(),
    }
}
