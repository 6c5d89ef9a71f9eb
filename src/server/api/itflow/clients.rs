//! `/api/v1/clients/*.php`.

use super::{
    changed, datetime, editor, fill, id, inserted, page, reader, reply, rows, set_archived,
};
use crate::clients::model::{Client, ClientInput, NewClient};
use crate::clients::records::RecordKind;
use crate::error::AppError;
use crate::server::api::call::{renamed, Req};
use crate::server::db::ClientQuery;
use axum::response::Response;
use serde_json::{json, Value};

/// ITFlow's parameter for each field a script may set, and Docket's name for it.
const FIELDS: &[(&str, &str)] = &[
    ("client_name", "name"),
    ("client_type", "industry"),
    ("client_website", "website"),
    ("client_referral", "referral"),
    ("client_rate", "hourly_rate"),
    ("client_currency_code", "currency"),
    ("client_net_terms", "net_terms"),
    ("client_tax_id_number", "tax_id"),
    ("client_abbreviation", "abbreviation"),
    ("client_is_lead", "lead"),
    ("client_lead", "lead"),
    ("client_notes", "notes"),
];

/// Active clients, oldest first; one by `client_id` (archived too), or by `client_name`.
pub async fn read(call: Req) -> Response {
    reply(
        async {
            let call = call?;
            let caller = reader(&call).await?;
            let (db, scope) = (&call.db, caller.scope);
            let clients = match call.whole("client_id")? {
                Some(id) => vec![db.client(scope, id).await?.ok_or(AppError::NotFound)?],
                None => {
                    let (limit, offset) = page(&call)?;
                    let query = ClientQuery {
                        name: call.param("client_name"),
                        ..ClientQuery::default()
                    };
                    db.api_clients(scope, &query, limit, offset).await?
                }
            };
            Ok(rows(&clients, row))
        }
        .await,
    )
}

pub async fn create(call: Req) -> Response {
    reply(
        async {
            let call = call?;
            let editor = editor(&call, false).await?;
            let input = NewClient {
                client: fill(&call, &ClientInput::blank(), FIELDS)?,
                ..NewClient::default()
            };
            let id = editor
                .create_client(&input)
                .await
                .map_err(|e| renamed(e, FIELDS))?;
            Ok(inserted(id))
        }
        .await,
    )
}

/// Changes the fields the call names; the others keep their values.
pub async fn update(call: Req) -> Response {
    reply(
        async {
            let call = call?;
            let editor = editor(&call, false).await?;
            let id = id(&call, "client_id")?;
            let before = editor.db.client(editor.scope, id).await?;
            let client = fill(&call, &before.ok_or(AppError::NotFound)?.fields, FIELDS)?;
            editor
                .update_client(id, &client)
                .await
                .map_err(|e| renamed(e, FIELDS))?;
            Ok(changed())
        }
        .await,
    )
}

pub async fn archive(call: Req) -> Response {
    set_archived(call, RecordKind::Client, "client_id", true).await
}

pub async fn unarchive(call: Req) -> Response {
    set_archived(call, RecordKind::Client, "client_id", false).await
}

/// ITFlow's columns for a client.
fn row(c: &Client) -> Value {
    let f = &c.fields;
    json!({
        "client_id": c.id,
        "client_name": f.name,
        "client_type": f.industry,
        "client_website": f.website,
        "client_referral": f.referral,
        "client_rate": f.hourly_rate,
        "client_currency_code": f.currency,
        "client_net_terms": f.net_terms.parse::<i64>().unwrap_or_default(),
        "client_tax_id_number": f.tax_id,
        "client_abbreviation": f.abbreviation,
        "client_notes": f.notes,
        "client_lead": i64::from(f.lead),
        "client_created_at": datetime(&c.created_at),
        "client_updated_at": datetime(&c.updated_at),
        "client_archived_at": c.archived_at.as_deref().map(datetime),
    })
}
