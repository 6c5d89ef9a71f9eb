//! `/api/v1/clients` and `/api/v1/clients/{id}`.

use super::{
    active, delete_record, editor, fill, id_or_null, listing, paging, reader, record, set_active,
    shaped, stamps, time,
};
use super::{locations, Answer};
use crate::clients::model::{Client, ClientInput, Location, NewClient};
use crate::clients::records::RecordKind;
use crate::error::AppError;
use crate::server::api::call::{renamed, Req};
use crate::server::db::{ClientQuery, Db, Scope};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// The API's name for each field, and Docket's.
pub const FIELDS: &[(&str, &str)] = &[
    ("name", "name"),
    ("lead", "lead"),
    ("industry", "industry"),
    ("referral", "referral"),
    ("website", "website"),
    ("currency", "currency"),
    ("hourly_rate", "hourly_rate"),
    ("net_terms", "net_terms"),
    ("tax_id", "tax_id"),
    ("abbreviation", "abbreviation"),
    ("account_code", "account_code"),
    ("invoice_email", "invoice_email"),
    ("invoice_reminders", "invoice_reminders"),
    ("show_location_on_invoice", "show_location_on_invoice"),
    ("trading_name", "trading_name"),
    ("domain", "domain"),
    ("colour", "colour"),
    ("parent_id", "parent_id"),
    ("notes", "notes"),
];

/// Changes this recent may still be committing: a sync sees them on its next call.
const SETTLE: chrono::TimeDelta = chrono::TimeDelta::seconds(5);

/// Clients the filters match, oldest first, with the total. With `updated_from` or a
/// `cursor` the list is a sync: ordered by change time then id, paged by the `next` cursor of
/// the previous answer, so every change is answered once however writes interleave.
pub async fn list(call: Req) -> Answer {
    let call = call?;
    let scope = reader(&call).await?.scope;
    let cursor = call.param("cursor").map(|c| parse_cursor(&c)).transpose()?;
    let updated_from = time(&call, "updated_from")?;
    let sync = cursor.is_some() || updated_from.is_some();
    let mut updated_to = time(&call, "updated_to")?;
    if sync {
        let settled = Utc::now() - SETTLE;
        updated_to = Some(updated_to.map_or(settled, |t| t.min(settled)));
    }
    let query = ClientQuery {
        include_archived: call.param("include_inactive").as_deref() == Some("true"),
        id: call.whole("id")?,
        name: call.param("name"),
        account_code: call.param("account_code"),
        search: call.param("search"),
        created_from: time(&call, "created_from")?,
        created_to: time(&call, "created_to")?,
        updated_from,
        updated_to,
        sync_after: sync.then_some(cursor),
    };
    let (page, size) = paging(&call)?;
    let offset = if sync { 0 } else { (page - 1) * size };
    let (total, clients) = call.db.api_clients(scope, &query, size, offset).await?;
    let last = clients.last().and_then(|c| {
        let at = DateTime::parse_from_rfc3339(&c.updated_at).ok()?;
        Some((at.with_timezone(&Utc), c.id))
    });
    let mut answer = listing(
        "clients",
        rows(&call.db, &clients).await?,
        total,
        (page, size),
    );
    if sync {
        // Where the next call goes on from; with nothing new, where this one started.
        let next = last
            .or(cursor)
            .map(|(at, id)| format!("{}-{id}", at.timestamp_nanos_opt().unwrap_or_default()));
        answer.insert("next".into(), next.into());
    }
    Ok(Json(answer).into_response())
}

fn parse_cursor(cursor: &str) -> Result<(DateTime<Utc>, i64), AppError> {
    let bad = || AppError::BadRequest("cursor must be the next value of an earlier answer".into());
    let (nanos, id) = cursor.trim().split_once('-').ok_or_else(bad)?;
    let nanos: i64 = nanos.parse().map_err(|_| bad())?;
    Ok((
        DateTime::from_timestamp_nanos(nanos),
        id.parse().map_err(|_| bad())?,
    ))
}

pub async fn one(Path(id): Path<i64>, call: Req) -> Answer {
    let call = call?;
    let scope = reader(&call).await?.scope;
    answer(&call.db, scope, id, StatusCode::OK).await
}

/// A client with its primary location: `{"client": {..., "primary_location": {...}}}`.
pub async fn create(call: Req) -> Answer {
    let call = call?;
    let editor = editor(&call, false).await?;
    let given = super::wrapped(&call, "client")?;
    let client = fill(&ClientInput::blank(), given, FIELDS, &["primary_location"]);
    let location = match given.get("primary_location") {
        Some(Value::Object(l)) => locations::input(&Default::default(), l, &[]),
        _ => Err(AppError::invalid(
            "primary_location",
            "A client needs its primary location",
        )),
    };
    let (client, location) = match (client, location) {
        (Ok(c), Ok(l)) => (c, l),
        (c, l) => return Err(merged(c.err(), l.err())),
    };
    let input = NewClient {
        client,
        location,
        ..NewClient::default()
    };
    let id = editor
        .create_client(&input)
        .await
        .map_err(|e| renamed(e, FIELDS))?;
    answer(&call.db, editor.scope, id, StatusCode::CREATED).await
}

/// Changes the fields the body names; the others keep their values.
pub async fn update(Path(id): Path<i64>, call: Req) -> Answer {
    let call = call?;
    let editor = editor(&call, false).await?;
    let before = call.db.client(editor.scope, id).await?;
    let before = before.ok_or(AppError::NotFound)?;
    let given = super::wrapped(&call, "client")?;
    let active = active(given)?;
    let client = fill(&before.fields, given, FIELDS, &["active"])?;
    editor
        .update_client(id, &client)
        .await
        .map_err(|e| renamed(e, FIELDS))?;
    set_active(&editor, RecordKind::Client, id, active).await?;
    answer(&call.db, editor.scope, id, StatusCode::OK).await
}

pub async fn delete(Path(id): Path<i64>, call: Req) -> Answer {
    delete_record(call, RecordKind::Client, id).await
}

/// Both sets of field errors, the location's named `primary_location.<field>`.
fn merged(client: Option<AppError>, location: Option<AppError>) -> AppError {
    let mut fields = client.map(AppError::into_fields).unwrap_or_default();
    let location = location.map(AppError::into_fields).unwrap_or_default();
    fields.extend(location.into_iter().map(|mut e| {
        if e.field != "primary_location" {
            e.field = format!("primary_location.{}", e.field);
        }
        e
    }));
    AppError::Invalid(fields)
}

async fn answer(db: &Db, scope: Scope, id: i64, status: StatusCode) -> Answer {
    let client = db.client(scope, id).await?.ok_or(AppError::NotFound)?;
    let row = rows(db, &[client]).await?.pop().unwrap_or_default();
    record(status, "client", row)
}

/// Clients under the API's names, with their tags' names and primary locations.
async fn rows(db: &Db, clients: &[Client]) -> Result<Vec<Value>, AppError> {
    let ids: Vec<i64> = clients.iter().map(|c| c.id).collect();
    let primary = db.primary_locations(&ids).await?;
    Ok(clients
        .iter()
        .map(|c| row(c, primary.iter().find(|l| l.client_id == c.id)))
        .collect())
}

fn row(c: &Client, primary: Option<&Location>) -> Value {
    let mut out = shaped(&c.fields, FIELDS);
    out.insert(
        "net_terms".into(),
        c.fields.net_terms.parse::<i64>().unwrap_or(0).into(),
    );
    out.insert("parent_id".into(), id_or_null(&c.fields.parent_id));
    out.insert(
        "tags".into(),
        c.tags.iter().map(|t| t.name.clone()).collect(),
    );
    out.insert(
        "primary_location".into(),
        primary.map_or(Value::Null, locations::row),
    );
    stamps(&mut out, c.id, &c.created_at, &c.updated_at, &c.archived_at);
    Value::Object(out)
}
