//! `/api/v1/contacts` and `/api/v1/contacts/{id}`.

use super::Answer;
use super::{
    active, delete_record, editor, fill, id_or_null, listing, offset, paging, reader, record,
    set_active, window, Stamps,
};
use crate::clients::model::{Contact, ContactInput};
use crate::clients::records::RecordKind;
use crate::error::AppError;
use crate::server::api::call::{renamed, Req};
use crate::server::api::refuse_taken_email;
use crate::server::db::ContactQuery;
use axum::extract::Path;
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::Value;

/// The API's name for each field, and Docket's.
pub const FIELDS: &[(&str, &str)] = &[
    ("name", "name"),
    ("title", "title"),
    ("department", "department"),
    ("email", "email"),
    ("phone", "phone"),
    ("extension", "extension"),
    ("mobile", "mobile"),
    ("location_id", "location_id"),
    ("notes", "notes"),
    ("primary", "primary"),
    ("important", "important"),
    ("billing", "billing"),
    ("technical", "technical"),
    ("auth_method", "auth_method"),
];

/// Contacts by name (or in sync order), narrowed by `client_id` and `search` (names, emails,
/// phone digits), with the total.
pub async fn list(call: Req) -> Answer {
    let call = call?;
    let scope = reader(&call).await?.scope;
    let query = ContactQuery {
        window: window(&call)?,
        client: call.whole("client_id")?,
        search: call.param("search"),
    };
    let paging = paging(&call)?;
    let found = call
        .db
        .api_contacts(scope, &query, paging.1, offset(&query.window, paging))
        .await?;
    let total = call.db.api_contact_count(scope, &query).await?;
    let last = found.last().map(|k| (k.updated_at.as_str(), k.id));
    let rows: Vec<Record> = found.iter().map(row).collect();
    listing("contacts", &rows, total, paging, &query.window, last)
}

/// A contact: `{"contact": {"client_id": N, ...}}`; an email another contact has is refused
/// with 409.
pub async fn create(call: Req) -> Answer {
    let call = call?;
    let editor = editor(&call, false).await?;
    let given = super::wrapped(&call, "contact")?;
    let client = match given.get("client_id").and_then(Value::as_i64) {
        Some(id) => id,
        None => return Err(AppError::invalid("client_id", "Name the contact's client")),
    };
    let contact = fill(&ContactInput::default(), given, FIELDS, &["client_id"])?;
    if !call.db.client_visible(editor.scope, client).await? {
        return Err(AppError::NotFound);
    }
    refuse_taken_email(&editor, &contact, None).await?;
    let id = editor
        .save_contact(client, None, &contact)
        .await
        .map_err(|e| renamed(e, FIELDS))?;
    answer(&call.db, editor.scope, id, StatusCode::CREATED).await
}

pub async fn one(Path(id): Path<i64>, call: Req) -> Answer {
    let call = call?;
    let scope = reader(&call).await?.scope;
    answer(&call.db, scope, id, StatusCode::OK).await
}

/// Changes the fields the body names; the others keep their values.
pub async fn update(Path(id): Path<i64>, call: Req) -> Answer {
    let call = call?;
    let editor = editor(&call, false).await?;
    let before = call.db.contact(editor.scope, id).await?;
    let before = before.ok_or(AppError::NotFound)?;
    let given = super::wrapped(&call, "contact")?;
    let active = active(given)?;
    let contact = fill(&before.fields, given, FIELDS, &["active"])?;
    refuse_taken_email(&editor, &contact, Some(id)).await?;
    editor
        .save_contact(before.client_id, Some(id), &contact)
        .await
        .map_err(|e| renamed(e, FIELDS))?;
    set_active(&editor, RecordKind::Contact, id, active).await?;
    answer(&call.db, editor.scope, id, StatusCode::OK).await
}

pub async fn delete(Path(id): Path<i64>, call: Req) -> Answer {
    delete_record(call, RecordKind::Contact, id).await
}

async fn answer(
    db: &crate::server::db::Db,
    scope: crate::server::db::Scope,
    id: i64,
    status: StatusCode,
) -> Answer {
    let contact = db.contact(scope, id).await?.ok_or(AppError::NotFound)?;
    record(status, "contact", row(&contact))
}

/// A contact as the API answers it: [`FIELDS`] and its tags' names.
#[derive(Serialize)]
struct Record<'a> {
    name: &'a str,
    title: &'a str,
    department: &'a str,
    email: &'a str,
    phone: &'a str,
    extension: &'a str,
    mobile: &'a str,
    location_id: Option<i64>,
    notes: &'a str,
    primary: bool,
    important: bool,
    billing: bool,
    technical: bool,
    auth_method: &'a str,
    client_id: i64,
    tags: Vec<&'a str>,
    #[serde(flatten)]
    stamps: Stamps<'a>,
}

fn row(k: &Contact) -> Record<'_> {
    let f = &k.fields;
    Record {
        name: &f.name,
        title: &f.title,
        department: &f.department,
        email: &f.email,
        phone: &f.phone,
        extension: &f.extension,
        mobile: &f.mobile,
        location_id: id_or_null(&f.location_id),
        notes: &f.notes,
        primary: f.primary,
        important: f.important,
        billing: f.billing,
        technical: f.technical,
        auth_method: f.auth_method(),
        client_id: k.client_id,
        tags: k.tags.iter().map(|t| t.name.as_str()).collect(),
        stamps: Stamps::new(k.id, &k.created_at, &k.updated_at, &k.archived_at),
    }
}
