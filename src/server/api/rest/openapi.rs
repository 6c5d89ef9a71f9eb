//! The OpenAPI 3.1 document of the REST shape, built from the same field tables the handlers
//! read and write with, so the document cannot drift from what the API takes and answers.

use super::{clients, contacts, locations, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use crate::clients::model::{ClientInput, ContactInput, LocationInput};
use crate::pages::api_docs::{Operation, Property, Reference, Schema};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::sync::LazyLock;

/// An operation: method, path, summary, request body schema, answer schema, success status.
type Op = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    u16,
);

/// Every REST operation.
const OPERATIONS: &[Op] = &[
    (
        "get",
        "/api/v1/clients",
        "List clients",
        None,
        Some("ClientList"),
        200,
    ),
    (
        "post",
        "/api/v1/clients",
        "Create a client with its primary location",
        Some("NewClient"),
        Some("ClientAnswer"),
        201,
    ),
    (
        "get",
        "/api/v1/clients/{id}",
        "Get a client",
        None,
        Some("ClientAnswer"),
        200,
    ),
    (
        "put",
        "/api/v1/clients/{id}",
        "Change a client's fields (absent ones stay)",
        Some("ClientChange"),
        Some("ClientAnswer"),
        200,
    ),
    (
        "delete",
        "/api/v1/clients/{id}",
        "Delete an archived client (admins)",
        None,
        None,
        204,
    ),
    (
        "get",
        "/api/v1/clients/{id}/locations",
        "List a client's locations",
        None,
        Some("LocationList"),
        200,
    ),
    (
        "post",
        "/api/v1/clients/{id}/locations",
        "Add a location to a client",
        Some("NewLocation"),
        Some("LocationAnswer"),
        201,
    ),
    (
        "get",
        "/api/v1/locations",
        "List locations",
        None,
        Some("LocationList"),
        200,
    ),
    (
        "get",
        "/api/v1/locations/{id}",
        "Get a location",
        None,
        Some("LocationAnswer"),
        200,
    ),
    (
        "put",
        "/api/v1/locations/{id}",
        "Change a location's fields",
        Some("LocationChange"),
        Some("LocationAnswer"),
        200,
    ),
    (
        "delete",
        "/api/v1/locations/{id}",
        "Delete an archived location (admins)",
        None,
        None,
        204,
    ),
    (
        "get",
        "/api/v1/contacts",
        "List contacts",
        None,
        Some("ContactList"),
        200,
    ),
    (
        "post",
        "/api/v1/contacts",
        "Add a contact to a client",
        Some("NewContact"),
        Some("ContactAnswer"),
        201,
    ),
    (
        "get",
        "/api/v1/contacts/{id}",
        "Get a contact",
        None,
        Some("ContactAnswer"),
        200,
    ),
    (
        "put",
        "/api/v1/contacts/{id}",
        "Change a contact's fields",
        Some("ContactChange"),
        Some("ContactAnswer"),
        200,
    ),
    (
        "delete",
        "/api/v1/contacts/{id}",
        "Delete an archived contact (admins)",
        None,
        None,
        204,
    ),
    (
        "get",
        "/api/v1/deleted",
        "What was deleted since a time (a client stands for its locations and contacts)",
        None,
        Some("DeletedList"),
        200,
    ),
    (
        "get",
        "/api/v1/tickets",
        "List tickets",
        None,
        Some("TicketList"),
        200,
    ),
    (
        "post",
        "/api/v1/tickets",
        "Open a ticket",
        Some("NewTicket"),
        Some("TicketAnswer"),
        201,
    ),
    (
        "get",
        "/api/v1/tickets/{id}",
        "Get a ticket",
        None,
        Some("TicketAnswer"),
        200,
    ),
    (
        "put",
        "/api/v1/tickets/{id}",
        "Change a ticket's status, priority or assignee (absent ones stay)",
        Some("TicketChange"),
        Some("TicketAnswer"),
        200,
    ),
    (
        "get",
        "/api/v1/tickets/{id}/replies",
        "A ticket's replies, internal notes included, oldest first",
        None,
        Some("ReplyList"),
        200,
    ),
    (
        "post",
        "/api/v1/tickets/{id}/replies",
        "Answer a ticket (public replies are mailed to its contact)",
        Some("NewReply"),
        Some("ReplyAnswer"),
        201,
    ),
    (
        "get",
        "/api/v1/me",
        "The portal contact of a portal session token (Bearer), with their client",
        None,
        Some("Me"),
        200,
    ),
];

/// The record lists, which all take the [`WINDOW`] parameters.
const RECORD_LISTS: &[&str] = &[
    "/api/v1/clients",
    "/api/v1/clients/{id}/locations",
    "/api/v1/locations",
    "/api/v1/contacts",
];

/// Query parameters of every record list: (name, type, description).
#[rustfmt::skip]
const WINDOW: &[(&str, &str, &str)] = &[
    ("created_from", "date-time", "Created at or after (RFC 3339)"),
    ("created_to", "date-time", "Created at or before (RFC 3339)"),
    ("updated_from", "date-time", "Changed at or after (RFC 3339); makes the list a sync, ordered by change and paged by `cursor`"),
    ("cursor", "string", "The `next` value of the previous sync answer"),
    ("updated_to", "date-time", "Changed at or before (RFC 3339)"),
    ("include_inactive", "boolean", "Archived records too"),
    ("page", "integer", "Page number, from 1 (not in a sync)"),
    ("page_size", "integer", "Rows per page"),
];

/// Query parameters of one list: (path, name, type, description).
#[rustfmt::skip]
const LIST_PARAMETERS: &[(&str, &str, &str, &str)] = &[
    ("/api/v1/clients", "id", "integer", "Only this client"),
    ("/api/v1/clients", "name", "string", "The exact name, in any case"),
    ("/api/v1/clients", "account_code", "string", "The exact account code, in any case"),
    ("/api/v1/clients", "search", "string", "Names, domains, codes, tags, contacts (names, emails, phone digits) and locations (cities, addresses)"),
    ("/api/v1/locations", "client_id", "integer", "Only this client's locations"),
    ("/api/v1/contacts", "client_id", "integer", "Only this client's contacts"),
    ("/api/v1/contacts", "search", "string", "Names, emails, titles, client names, phone digits"),
    ("/api/v1/tickets", "state", "string", "open, closed (resolved or closed) or all (the default)"),
    ("/api/v1/tickets", "status", "string", "new, open, on_hold, resolved or closed"),
    ("/api/v1/tickets", "priority", "string", "low, medium, high or urgent"),
    ("/api/v1/tickets", "client_id", "integer", "Only this client's tickets"),
    ("/api/v1/tickets", "assignee_id", "integer", "Only tickets assigned to this technician"),
    ("/api/v1/tickets", "search", "string", "Words of the subject, or the ticket's number"),
    ("/api/v1/tickets", "page", "integer", "Page number, from 1"),
    ("/api/v1/tickets", "page_size", "integer", "Rows per page"),
    ("/api/v1/deleted", "since", "date-time", "Deleted at or after (RFC 3339), required"),
    ("/api/v1/deleted", "page", "integer", "Page number, from 1"),
    ("/api/v1/deleted", "page_size", "integer", "Rows per page"),
];

/// The errors every operation may answer, besides its own success.
const ERRORS: &[(u16, &str)] = &[
    (
        400,
        "The request could not be read (malformed JSON, a bad parameter)",
    ),
    (401, "No key, or an unknown, revoked or expired one"),
    (
        403,
        "The key's user may not do this (read-only, or not an admin)",
    ),
    (
        404,
        "No such record, or not one of the key's user's clients",
    ),
    (
        409,
        "A conflict: an email already taken, or a record not yet archived",
    ),
    (413, "The body is too large"),
    (422, "Invalid fields, each named in `fields`"),
    (429, "Too many calls; see Retry-After"),
];

static DOCUMENT: LazyLock<Value> = LazyLock::new(build);

/// `GET /api/openapi.json`.
pub async fn serve() -> axum::Json<Value> {
    axum::Json(DOCUMENT.clone())
}

fn build() -> Value {
    let mut paths = Map::new();
    for &(method, path, summary, request, answer, status) in OPERATIONS {
        let mut responses = Map::new();
        let success = match answer {
            Some(schema) => json!({"description": summary, "content": content(schema)}),
            None => json!({"description": "Deleted"}),
        };
        responses.insert(status.to_string(), success);
        for (code, text) in ERRORS {
            let error = json!({"description": text, "content": content("Error")});
            responses.insert(code.to_string(), error);
        }
        let mut parameters: Vec<Value> = Vec::new();
        if path.contains("{id}") {
            parameters.push(json!({
                "name": "id", "in": "path", "required": true, "schema": {"type": "integer"}
            }));
        }
        if method == "get" {
            let window = WINDOW.iter().filter(|_| RECORD_LISTS.contains(&path));
            let own = LIST_PARAMETERS
                .iter()
                .filter(|(p, ..)| *p == path)
                .map(|(_, name, kind, description)| (name, kind, description));
            parameters.extend(own.chain(window.map(|(n, k, d)| (n, k, d))).map(
                |(name, kind, description)| {
                    json!({"name": name, "in": "query", "description": description,
                               "schema": scalar(kind)})
                },
            ));
        }
        let mut operation = json!({
            "summary": summary,
            "operationId": format!("{method}{}", path.replace(['/', '{', '}'], "_")),
            "parameters": parameters,
            "responses": responses,
        });
        if let Some(schema) = request {
            operation["requestBody"] = json!({"required": true, "content": content(schema)});
        }
        let item = paths
            .entry(path.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        item[method] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Docket API",
            "version": "1",
            "description": "Clients, locations, contacts and tickets. Present an API key as `Authorization: Bearer KEY` or the header `authtoken`. A key acts as its user: the same role and client restriction.",
        },
        "security": [{"bearer": []}, {"authtoken": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "authtoken": {"type": "apiKey", "in": "header", "name": "authtoken"},
            },
            "schemas": schemas(),
        },
    })
}

fn content(schema: &str) -> Value {
    json!({"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}})
}

fn scalar(kind: &str) -> Value {
    match kind {
        "date-time" => json!({"type": "string", "format": "date-time"}),
        "boolean" => json!({"type": "boolean"}),
        "integer" => json!({"type": "integer"}),
        _ => json!({"type": "string"}),
    }
}

fn schema_ref(schema: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{schema}")})
}

/// The properties of a record's fields under the API's names, typed from the fields' values
/// in an empty record; `overrides` types the few that are not plain text or yes/no.
fn fields<T: Serialize>(
    empty: &T,
    names: &[(&str, &str)],
    overrides: &[(&str, Value)],
) -> Map<String, Value> {
    let record = serde_json::to_value(empty).unwrap_or_default();
    names
        .iter()
        .map(|(theirs, ours)| {
            let kind = match overrides.iter().find(|(name, _)| name == theirs) {
                Some((_, kind)) => kind.clone(),
                None if record[*ours].is_boolean() => json!({"type": "boolean"}),
                None => json!({"type": "string"}),
            };
            (theirs.to_string(), kind)
        })
        .collect()
}

/// A record as answered: its fields plus id, state and times.
fn answered(mut properties: Map<String, Value>, extra: &[(&str, Value)]) -> Value {
    let stamp = json!({"type": "string", "format": "date-time"});
    properties.insert("id".into(), json!({"type": "integer"}));
    properties.insert("active".into(), json!({"type": "boolean"}));
    properties.insert("created_at".into(), stamp.clone());
    properties.insert("updated_at".into(), stamp.clone());
    properties.insert(
        "archived_at".into(),
        json!({"type": ["string", "null"], "format": "date-time"}),
    );
    for (name, kind) in extra {
        properties.insert(name.to_string(), kind.clone());
    }
    json!({"type": "object", "properties": properties})
}

/// Input: the fields, with `required` ones and, for changes, `active`.
fn input(mut properties: Map<String, Value>, required: &[&str], extra: &[(&str, Value)]) -> Value {
    for (name, kind) in extra {
        properties.insert(name.to_string(), kind.clone());
    }
    json!({"type": "object", "properties": properties, "required": required, "additionalProperties": false})
}

fn wrapped(kind: &str, schema: &str) -> Value {
    json!({"type": "object", "properties": {kind: schema_ref(schema)}, "required": [kind]})
}

fn list(kind: &str, schema: &str) -> Value {
    json!({"type": "object", "properties": {
        kind: {"type": "array", "items": schema_ref(schema)},
        "total": {"type": "integer"},
        "page": {"type": "integer"},
        "page_size": {"type": "integer", "default": DEFAULT_PAGE_SIZE, "maximum": MAX_PAGE_SIZE},
        "next": {"type": "string", "description": "In a sync: the `cursor` of the next call"},
    }})
}

fn schemas() -> Value {
    let id_or_null = json!({"type": ["integer", "null"]});
    let money = json!({"type": "string", "pattern": "^[0-9]+(\\.[0-9]{1,2})?$"});
    let active = || {
        let kind = json!({"type": "boolean", "description": "false archives, true restores"});
        ("active", kind)
    };
    let tags = (
        "tags",
        json!({"type": "array", "items": {"type": "string"}}),
    );
    let client = fields(
        &ClientInput::blank(),
        clients::FIELDS,
        &[
            ("hourly_rate", money),
            ("net_terms", json!({"type": "integer"})),
            ("parent_id", id_or_null.clone()),
        ],
    );
    let location = fields(&LocationInput::default(), locations::FIELDS, &[]);
    let contact = fields(
        &ContactInput::default(),
        contacts::FIELDS,
        &[("location_id", id_or_null.clone())],
    );
    let with_location = ("primary_location", schema_ref("LocationInput"));
    let error_fields = json!({"type": "object", "additionalProperties": {"type": "string"}});
    let stamp = json!({"type": "string", "format": "date-time"});
    let stamp_or_null = json!({"type": ["string", "null"], "format": "date-time"});
    let status =
        json!({"type": "string", "enum": ["new", "open", "on_hold", "resolved", "closed"]});
    let priority = json!({"type": "string", "enum": ["low", "medium", "high", "urgent"]});
    json!({
        "Client": answered(client.clone(), &[tags.clone(), ("primary_location", json!({"oneOf": [schema_ref("Location"), {"type": "null"}]}))]),
        "NewClient": wrapped("client", "ClientInput"),
        "ClientInput": input(client.clone(), &["name", "primary_location"], &[with_location]),
        "ClientChange": wrapped("client", "ClientFields"),
        "ClientFields": input(client, &[], &[active()]),
        "ClientAnswer": wrapped("client", "Client"),
        "ClientList": {
            "allOf": [list("clients", "Client")],
            "properties": {"next": {"type": ["string", "null"], "description": "In a sync: the cursor of the next call"}},
        },
        "Location": answered(location.clone(), &[tags.clone(), ("client_id", json!({"type": "integer"}))]),
        "LocationInput": input(location.clone(), &["state", "country"], &[]),
        "NewLocation": wrapped("location", "LocationInput"),
        "LocationChange": wrapped("location", "LocationFields"),
        "LocationFields": input(location, &[], &[active()]),
        "LocationAnswer": wrapped("location", "Location"),
        "LocationList": list("locations", "Location"),
        "Contact": answered(contact.clone(), &[tags, ("client_id", json!({"type": "integer"}))]),
        "NewContact": wrapped("contact", "ContactInput"),
        "ContactInput": input(contact.clone(), &["client_id", "name"], &[("client_id", json!({"type": "integer"}))]),
        "ContactChange": wrapped("contact", "ContactFields"),
        "ContactFields": input(contact, &[], &[active()]),
        "ContactAnswer": wrapped("contact", "Contact"),
        "ContactList": list("contacts", "Contact"),
        "DeletedList": {"type": "object", "properties": {
            "deleted": {"type": "array", "items": {"type": "object", "properties": {
                "type": {"type": "string", "enum": ["client", "location", "contact"]},
                "id": {"type": "integer"},
                "client_id": {"type": "integer"},
                "deleted_at": {"type": "string", "format": "date-time"},
            }}},
            "page": {"type": "integer"},
            "page_size": {"type": "integer"},
        }},
        "Ticket": {"type": "object", "properties": {
            "id": {"type": "integer"},
            "number": {"type": "integer", "description": "Sequential, never reused"},
            "subject": {"type": "string"},
            "details": {"type": "string"},
            "status": status.clone(),
            "priority": priority.clone(),
            "source": {"type": "string", "enum": ["portal", "ui", "api", "email"]},
            "client_id": {"type": "integer"},
            "contact_id": id_or_null.clone(),
            "location_id": id_or_null.clone(),
            "assignee_id": id_or_null.clone(),
            "created_at": stamp.clone(),
            "updated_at": stamp.clone(),
            "resolved_at": stamp_or_null.clone(),
            "closed_at": stamp_or_null,
        }},
        "NewTicket": wrapped("ticket", "TicketInput"),
        "TicketInput": {"type": "object", "required": ["client_id", "subject"], "additionalProperties": false, "properties": {
            "client_id": {"type": "integer"},
            "contact_id": {"type": "integer", "description": "One of the client's contacts"},
            "location_id": {"type": "integer", "description": "One of the client's locations"},
            "subject": {"type": "string"},
            "details": {"type": "string"},
            "priority": priority.clone(),
            "assignee_id": {"type": "integer"},
        }},
        "TicketChange": wrapped("ticket", "TicketFields"),
        "TicketFields": {"type": "object", "additionalProperties": false, "properties": {
            "status": status.clone(),
            "priority": priority,
            "assignee_id": {"type": ["integer", "null"], "description": "null unassigns"},
        }},
        "TicketAnswer": wrapped("ticket", "Ticket"),
        "TicketList": list("tickets", "Ticket"),
        "Reply": {"type": "object", "properties": {
            "id": {"type": "integer"},
            "author": {"type": "string"},
            "by_contact": {"type": "boolean"},
            "body": {"type": "string"},
            "internal": {"type": "boolean"},
            "created_at": stamp,
        }},
        "NewReply": wrapped("reply", "ReplyInput"),
        "ReplyInput": {"type": "object", "required": ["body"], "additionalProperties": false, "properties": {
            "body": {"type": "string"},
            "internal": {"type": "boolean", "default": false},
            "status": status,
        }},
        "ReplyAnswer": wrapped("reply", "Reply"),
        "ReplyList": {"type": "object", "properties": {"replies": {"type": "array", "items": schema_ref("Reply")}}},
        "Me": {"type": "object", "properties": {
            "contact": {"type": "object", "properties": {
                "id": {"type": "integer"}, "name": {"type": "string"}, "email": {"type": "string"},
                "phone": {"type": "string"}, "primary": {"type": "boolean"}, "technical": {"type": "boolean"},
                "billing": {"type": "boolean"}, "client_id": {"type": "integer"},
            }},
            "client": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
        }},
        "Error": {"type": "object", "required": ["message"], "properties": {
            "message": {"type": "string"},
            "fields": error_fields,
        }},
    })
}

/// The document as the reference page shows it.
pub fn reference() -> Reference {
    let doc = &*DOCUMENT;
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            let parameters = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| Property {
                    place: text(&p["in"]),
                    required: p["required"].as_bool().unwrap_or(false),
                    description: text(&p["description"]),
                    ..property(&text(&p["name"]), &p["schema"])
                })
                .collect();
            let responses = op["responses"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(status, r)| {
                    let schema = &r["content"]["application/json"]["schema"];
                    (status.clone(), text(&r["description"]), ref_name(schema))
                })
                .collect();
            operations.push(Operation {
                method: method.clone(),
                path: path.clone(),
                summary: text(&op["summary"]),
                parameters,
                body: ref_name(&op["requestBody"]["content"]["application/json"]["schema"]),
                responses,
            });
        }
    }
    let schemas = doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, schema)| {
            let required: Vec<&str> = schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let properties = schema["properties"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(field, kind)| Property {
                    required: required.contains(&field.as_str()),
                    ..property(field, kind)
                })
                .collect();
            Schema {
                name: name.clone(),
                properties,
            }
        })
        .collect();
    Reference {
        operations,
        schemas,
    }
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_string()
}

fn ref_name(schema: &Value) -> Option<String> {
    schema["$ref"]
        .as_str()
        .and_then(|r| r.rsplit('/').next())
        .map(String::from)
}

/// A property named `name` of the schema `kind`, described in words.
fn property(name: &str, kind: &Value) -> Property {
    Property {
        name: name.to_string(),
        place: String::new(),
        kind: describe(kind),
        link: ref_name(kind),
        required: false,
        description: text(&kind["description"]),
    }
}

fn describe(kind: &Value) -> String {
    if let Some(name) = ref_name(kind) {
        return name;
    }
    if let Some(options) = kind["oneOf"].as_array() {
        return options
            .iter()
            .map(describe)
            .collect::<Vec<_>>()
            .join(" or ");
    }
    let types = match &kind["type"] {
        Value::Array(types) => types.iter().map(text).collect::<Vec<_>>().join(" or "),
        other => text(other),
    };
    match (types.as_str(), kind["format"].as_str()) {
        ("array", _) => format!("array of {}", describe(&kind["items"])),
        ("object", _) if kind["additionalProperties"].is_object() => {
            format!("object of {}", describe(&kind["additionalProperties"]))
        }
        (t, Some(format)) => format!("{t} ({format})"),
        (t, None) => t.to_string(),
    }
}
