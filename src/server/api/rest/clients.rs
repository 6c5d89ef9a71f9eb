//! `/api/v1/clients` and `/api/v1/clients/{id}`.

use super::{
    active, delete_record, editor, fill, id_or_null, listing, offset, paging, reader, record,
    set_active, window, Stamps,
};
use super::{locations, Answer};
use crate::clients::model::{Client, ClientInput, Location, NewClient};
use crate::clients::records::RecordKind;
use crate::error::AppError;
use crate::server::api::call::{renamed, Req};
use crate::server::db::{ClientQuery, Db, Scope};
use axum::extract::Path;
use axum::http::StatusCode;
use serde::Serialize;
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

/// Clients the filters match, oldest first (or in sync order), with the total.
pub async fn list(call: Req) -> Answer {
    let call = call?;
    let scope = reader(&call).await?.scope;
    let query = ClientQuery {
        window: window(&call)?,
        id: call.whole("id")?,
        name: call.param("name"),
        account_code: call.param("account_code"),
        search: call.param("search"),
    };
    let paging = paging(&call)?;
    // The page and the total are independent questions: ask them at once.
    let ((found, primary), total) = tokio::try_join!(
        call.db
            .api_clients_located(scope, &query, paging.1, offset(&query.window, paging)),
        call.db.api_client_count(scope, &query),
    )?;
    let last = found.last().map(|c| (c.updated_at.as_str(), c.id));
    let rows: Vec<Record> = found.iter().map(|c| row(c, &primary)).collect();
    listing("clients", &rows, total, paging, &query.window, last)
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
    let primary = db.primary_locations(&[id]).await?;
    record(status, "client", row(&client, &primary))
}

/// A client as the API answers it: [`FIELDS`], its tags' names, its primary location.
#[derive(Serialize)]
struct Record<'a> {
    name: &'a str,
    lead: bool,
    industry: &'a str,
    referral: &'a str,
    website: &'a str,
    currency: &'a str,
    hourly_rate: &'a str,
    net_terms: i64,
    tax_id: &'a str,
    abbreviation: &'a str,
    account_code: &'a str,
    invoice_email: &'a str,
    invoice_reminders: bool,
    show_location_on_invoice: bool,
    trading_name: &'a str,
    domain: &'a str,
    colour: &'a str,
    parent_id: Option<i64>,
    notes: &'a str,
    tags: Vec<&'a str>,
    primary_location: Option<locations::Record<'a>>,
    #[serde(flatten)]
    stamps: Stamps<'a>,
}

fn row<'a>(c: &'a Client, primary: &'a [Location]) -> Record<'a> {
    let f = &c.fields;
    Record {
        name: &f.name,
        lead: f.lead,
        industry: &f.industry,
        referral: &f.referral,
        website: &f.website,
        currency: &f.currency,
        hourly_rate: &f.hourly_rate,
        net_terms: f.net_terms.parse().unwrap_or(0),
        tax_id: &f.tax_id,
        abbreviation: &f.abbreviation,
        account_code: &f.account_code,
        invoice_email: &f.invoice_email,
        invoice_reminders: f.invoice_reminders,
        show_location_on_invoice: f.show_location_on_invoice,
        trading_name: &f.trading_name,
        domain: &f.domain,
        colour: &f.colour,
        parent_id: id_or_null(&f.parent_id),
        notes: &f.notes,
        tags: c.tags.iter().map(|t| t.name.as_str()).collect(),
        primary_location: primary
            .iter()
            .find(|l| l.client_id == c.id)
            .map(locations::row),
        stamps: Stamps::new(c.id, &c.created_at, &c.updated_at, &c.archived_at),
    }
}
