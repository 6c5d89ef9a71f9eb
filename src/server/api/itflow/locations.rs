//! `/api/v1/locations/*.php`.

use super::{datetime, editor, fill, id, inserted, page, reader, reply, rows};
use crate::clients::model::{Location, LocationInput};
use crate::error::AppError;
use crate::server::api::call::{renamed, Req};
use axum::response::Response;
use serde_json::{json, Value};

/// ITFlow's parameter for each field a script may set, and Docket's name for it.
const FIELDS: &[(&str, &str)] = &[
    ("location_name", "name"),
    ("location_address", "address_1"),
    ("location_city", "city"),
    ("location_state", "state"),
    ("location_zip", "postal_code"),
    ("location_country", "country"),
    ("location_phone", "phone"),
    ("location_fax", "fax"),
    ("location_hours", "hours"),
    ("location_notes", "notes"),
    ("location_primary", "primary"),
];

/// Active locations, oldest first; one by `location_id` (archived too), or those of
/// `client_id`.
pub async fn read(call: Req) -> Response {
    reply(
        async {
            let call = call?;
            let caller = reader(&call).await?;
            let (db, scope) = (&call.db, caller.scope);
            if let Some(id) = call.whole("location_id")? {
                let location = match db.location(id).await? {
                    Some(l) if db.client_visible(scope, l.client_id).await? => l,
                    _ => return Err(AppError::NotFound),
                };
                return Ok(rows(&[location], row));
            }
            let client = call.whole("client_id")?;
            if let Some(client) = client {
                if !db.client_visible(scope, client).await? {
                    return Err(AppError::NotFound);
                }
            }
            let (limit, offset) = page(&call)?;
            let locations = db.locations_page(scope, client, limit, offset).await?;
            Ok(rows(&locations, row))
        }
        .await,
    )
}

/// A location for `client_id`.
pub async fn create(call: Req) -> Response {
    reply(
        async {
            let call = call?;
            let editor = editor(&call, false).await?;
            let client = id(&call, "client_id")?;
            let location = fill(&call, &LocationInput::default(), FIELDS)?;
            let id = editor
                .save_location(client, None, &location)
                .await
                .map_err(|e| renamed(e, FIELDS))?;
            Ok(inserted(id))
        }
        .await,
    )
}

/// ITFlow's columns for a location.
fn row(l: &Location) -> Value {
    let f = &l.fields;
    json!({
        "location_id": l.id,
        "location_name": f.name,
        "location_address": f.address_1,
        "location_city": f.city,
        "location_state": f.state,
        "location_zip": f.postal_code,
        "location_country": f.country,
        "location_phone": f.phone,
        "location_fax": f.fax,
        "location_hours": f.hours,
        "location_notes": f.notes,
        "location_primary": i64::from(f.primary),
        "location_client_id": l.client_id,
        "location_created_at": datetime(&l.created_at),
        "location_updated_at": datetime(&l.updated_at),
        "location_archived_at": l.archived_at.as_deref().map(datetime),
    })
}
