//! `/api/v1/clients/{id}/locations` and `/api/v1/locations/{id}`.

use super::{
    active, address_problems, delete_record, editor, fill, listing, offset, paging, reader, record,
    set_active, window, Answer, Stamps,
};
use crate::clients::model::{Location, LocationInput};
use crate::clients::records::{check, RecordKind};
use crate::error::AppError;
use crate::server::api::call::{renamed, Call, Req};
use crate::server::db::{LocationQuery, Scope};
use axum::extract::Path;
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::Value;

/// The API's name for each field, and Docket's.
pub const FIELDS: &[(&str, &str)] = &[
    ("name", "name"),
    ("primary", "primary"),
    ("address_1", "address_1"),
    ("address_2", "address_2"),
    ("address_3", "address_3"),
    ("city", "city"),
    ("state", "state"),
    ("zip", "postal_code"),
    ("country", "country"),
    ("phone_primary", "phone"),
    ("phone_secondary", "phone_secondary"),
    ("phone_fax", "fax"),
    ("email_invoice", "invoice_email"),
    ("hours", "hours"),
    ("time_zone", "time_zone"),
    ("notes", "notes"),
];

/// A client's locations, primary first (or in sync order), with the total.
pub async fn list(Path(client): Path<i64>, call: Req) -> Answer {
    let call = call?;
    let scope = reader(&call).await?.scope;
    if !call.db.client_visible(scope, client).await? {
        return Err(AppError::NotFound);
    }
    listed(&call, scope, Some(client)).await
}

/// The locations of every client the key may see, oldest first (or in sync order), narrowed
/// by `client_id`.
pub async fn list_all(call: Req) -> Answer {
    let call = call?;
    let scope = reader(&call).await?.scope;
    let client = call.whole("client_id")?;
    listed(&call, scope, client).await
}

async fn listed(call: &Call, scope: Scope, client: Option<i64>) -> Answer {
    let query = LocationQuery {
        window: window(call)?,
        client,
    };
    let paging = paging(call)?;
    let found = call
        .db
        .api_locations(scope, &query, paging.1, offset(&query.window, paging))
        .await?;
    let total = call.db.api_location_count(scope, &query).await?;
    let last = found.last().map(|l| (l.updated_at.as_str(), l.id));
    let rows: Vec<Record> = found.iter().map(row).collect();
    listing("locations", &rows, total, paging, &query.window, last)
}

pub async fn create(Path(client): Path<i64>, call: Req) -> Answer {
    let call = call?;
    let editor = editor(&call, false).await?;
    let given = super::wrapped(&call, "location")?;
    let location = input(&LocationInput::default(), given, &[])?;
    let id = editor
        .save_location(client, None, &location)
        .await
        .map_err(|e| renamed(e, FIELDS))?;
    let saved = call.db.location(id).await?.ok_or(AppError::NotFound)?;
    record(StatusCode::CREATED, "location", row(&saved))
}

pub async fn one(Path(id): Path<i64>, call: Req) -> Answer {
    let call = call?;
    let scope = reader(&call).await?.scope;
    let location = match call.db.location(id).await? {
        Some(l) if call.db.client_visible(scope, l.client_id).await? => l,
        _ => return Err(AppError::NotFound),
    };
    record(StatusCode::OK, "location", row(&location))
}

/// Changes the fields the body names; the others keep their values.
pub async fn update(Path(id): Path<i64>, call: Req) -> Answer {
    let call = call?;
    let editor = editor(&call, false).await?;
    let before = match call.db.location(id).await? {
        Some(l) if call.db.client_visible(editor.scope, l.client_id).await? => l,
        _ => return Err(AppError::NotFound),
    };
    let given = super::wrapped(&call, "location")?;
    let active = active(given)?;
    let location = input(&before.fields, given, &["active"])?;
    editor
        .save_location(before.client_id, Some(id), &location)
        .await
        .map_err(|e| renamed(e, FIELDS))?;
    set_active(&editor, RecordKind::Location, id, active).await?;
    let saved = call.db.location(id).await?.ok_or(AppError::NotFound)?;
    record(StatusCode::OK, "location", row(&saved))
}

pub async fn delete(Path(id): Path<i64>, call: Req) -> Answer {
    delete_record(call, RecordKind::Location, id).await
}

/// `base` with the given fields, checked for this shape's required address parts.
pub fn input(
    base: &LocationInput,
    given: &serde_json::Map<String, Value>,
    also: &[&str],
) -> Result<LocationInput, AppError> {
    let location = fill(base, given, FIELDS, also)?;
    let mut problems = address_problems(&location);
    problems.extend(location.problems());
    check(problems).map_err(|e| renamed(e, FIELDS))?;
    Ok(location)
}

/// A location as the API answers it: [`FIELDS`] under the API's names, and its tags' names.
#[derive(Serialize)]
pub struct Record<'a> {
    name: &'a str,
    primary: bool,
    address_1: &'a str,
    address_2: &'a str,
    address_3: &'a str,
    city: &'a str,
    state: &'a str,
    zip: &'a str,
    country: &'a str,
    phone_primary: &'a str,
    phone_secondary: &'a str,
    phone_fax: &'a str,
    email_invoice: &'a str,
    hours: &'a str,
    time_zone: &'a str,
    notes: &'a str,
    client_id: i64,
    tags: Vec<&'a str>,
    #[serde(flatten)]
    stamps: Stamps<'a>,
}

pub fn row(l: &Location) -> Record<'_> {
    let f = &l.fields;
    Record {
        name: &f.name,
        primary: f.primary,
        address_1: &f.address_1,
        address_2: &f.address_2,
        address_3: &f.address_3,
        city: &f.city,
        state: &f.state,
        zip: &f.postal_code,
        country: &f.country,
        phone_primary: &f.phone,
        phone_secondary: &f.phone_secondary,
        phone_fax: &f.fax,
        email_invoice: &f.invoice_email,
        hours: &f.hours,
        time_zone: &f.time_zone,
        notes: &f.notes,
        client_id: l.client_id,
        tags: l.tags.iter().map(|t| t.name.as_str()).collect(),
        stamps: Stamps::new(l.id, &l.created_at, &l.updated_at, &l.archived_at),
    }
}
