//! `/api/v1/contacts/*.php`.

use super::{
    changed, datetime, editor, fill, id, inserted, page, reader, reply, rows, set_archived,
};
use crate::clients::model::{Contact, ContactInput};
use crate::clients::records::RecordKind;
use crate::error::AppError;
use crate::server::api::call::{renamed, Call, Req};
use crate::server::api::refuse_taken_email;
use crate::server::db::ContactLookup;
use axum::response::Response;
use serde_json::{json, Value};

/// ITFlow's parameter for each field a script may set, and Docket's name for it.
const FIELDS: &[(&str, &str)] = &[
    ("contact_name", "name"),
    ("contact_title", "title"),
    ("contact_department", "department"),
    ("contact_email", "email"),
    ("contact_phone", "phone"),
    ("contact_extension", "extension"),
    ("contact_mobile", "mobile"),
    ("contact_notes", "notes"),
    ("contact_auth_method", "auth_method"),
    ("contact_primary", "primary"),
    ("contact_important", "important"),
    ("contact_billing", "billing"),
    ("contact_technical", "technical"),
    ("contact_location_id", "location_id"),
];

/// Active contacts, oldest first; one by `contact_id` (archived too); or those with
/// `contact_email`, a `contact_phone_or_mobile` (its digits, in any format), or of
/// `client_id`.
pub async fn read(call: Req) -> Response {
    reply(
        async {
            let call = call?;
            let caller = reader(&call).await?;
            let (db, scope) = (&call.db, caller.scope);
            if let Some(id) = call.whole("contact_id")? {
                let contact = db.contact(scope, id).await?.ok_or(AppError::NotFound)?;
                return Ok(rows(&[contact], row));
            }
            let lookup = ContactLookup {
                client: call.whole("client_id")?,
                email: call.param("contact_email"),
                phone: call.param("contact_phone_or_mobile"),
            };
            if let Some(client) = lookup.client {
                if !db.client_visible(scope, client).await? {
                    return Err(AppError::NotFound);
                }
            }
            let (limit, offset) = page(&call)?;
            let contacts = db.contacts_page(scope, &lookup, limit, offset).await?;
            Ok(rows(&contacts, row))
        }
        .await,
    )
}

/// A contact for `client_id`; an email another contact has is refused.
pub async fn create(call: Req) -> Response {
    reply(
        async {
            let call = call?;
            let editor = editor(&call, false).await?;
            let client = id(&call, "client_id")?;
            if !editor.db.client_visible(editor.scope, client).await? {
                return Err(AppError::NotFound);
            }
            let contact = input(&call, &ContactInput::default())?;
            refuse_taken_email(&editor, &contact, None).await?;
            let id = editor
                .save_contact(client, None, &contact)
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
            let id = id(&call, "contact_id")?;
            let before = editor.db.contact(editor.scope, id).await?;
            let before = before.ok_or(AppError::NotFound)?;
            let contact = input(&call, &before.fields)?;
            refuse_taken_email(&editor, &contact, Some(id)).await?;
            editor
                .save_contact(before.client_id, Some(id), &contact)
                .await
                .map_err(|e| renamed(e, FIELDS))?;
            Ok(changed())
        }
        .await,
    )
}

pub async fn archive(call: Req) -> Response {
    set_archived(call, RecordKind::Contact, "contact_id", true).await
}

pub async fn unarchive(call: Req) -> Response {
    set_archived(call, RecordKind::Contact, "contact_id", false).await
}

/// Deletes an archived contact; admins only.
pub async fn delete(call: Req) -> Response {
    reply(
        async {
            let call = call?;
            let editor = editor(&call, true).await?;
            let id = id(&call, "contact_id")?;
            editor
                .delete_archived(RecordKind::Contact, id, None)
                .await?;
            Ok(changed())
        }
        .await,
    )
}

/// `base` with the call's fields; ITFlow's location 0 means none.
fn input(call: &Call, base: &ContactInput) -> Result<ContactInput, AppError> {
    let mut contact = fill(call, base, FIELDS)?;
    if contact.location_id.trim() == "0" {
        contact.location_id.clear();
    }
    Ok(contact)
}

/// ITFlow's columns for a contact.
fn row(k: &Contact) -> Value {
    let f = &k.fields;
    json!({
        "contact_id": k.id,
        "contact_name": f.name,
        "contact_title": f.title,
        "contact_department": f.department,
        "contact_email": f.email,
        "contact_phone": f.phone,
        "contact_extension": f.extension,
        "contact_mobile": f.mobile,
        "contact_notes": f.notes,
        "contact_auth_method": f.auth_method(),
        "contact_primary": i64::from(f.primary),
        "contact_important": i64::from(f.important),
        "contact_billing": i64::from(f.billing),
        "contact_technical": i64::from(f.technical),
        "contact_location_id": f.location().unwrap_or(0),
        "contact_client_id": k.client_id,
        "contact_created_at": datetime(&k.created_at),
        "contact_updated_at": datetime(&k.updated_at),
        "contact_archived_at": k.archived_at.as_deref().map(datetime),
    })
}
