//! The API through the real router on every engine: API keys (the three ways to present one,
//! revoked, expired, disabled users), the admin's key functions, and ITFlow's clients/read.php
//! with its scoping.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::web::{app, call, send, Answer};
use docket::accounts::model::Role;
use docket::clients::model::ClientInput;
use docket::server::api::keys::{issue, IssuedKey};
use docket::server::auth::token::sha256_hex;
use docket::server::db::{Actor, Db, Origin, UserChanges};
use serde_json::Value;

const PASSWORD: &str = "violet-harbour-kettle";
const READ: &str = "/api/v1/clients/read.php";

/// How a script presents its key.
#[derive(Clone, Copy, Debug)]
enum Present {
    Bearer,
    AuthToken,
    Query,
}

async fn read(app: &axum::Router, query: &str, key: Option<(&str, Present)>) -> (Answer, Value) {
    let mut uri = format!("{READ}?{query}");
    let mut req = Request::get(&uri);
    match key {
        Some((k, Present::Bearer)) => {
            req = req.header(header::AUTHORIZATION, format!("Bearer {k}"))
        }
        Some((k, Present::AuthToken)) => req = req.header("authtoken", k),
        Some((k, Present::Query)) => {
            uri = format!("{uri}&api_key={k}");
            req = Request::get(&uri);
        }
        None => {}
    }
    let res = send(app, req.body(Body::empty()).unwrap()).await;
    let json = serde_json::from_str(&res.body).unwrap_or_else(|_| panic!("JSON: {}", res.body));
    (res, json)
}

async fn key_of(db: &Db, user: i64, expires_in: Option<chrono::TimeDelta>) -> IssuedKey {
    let user = db.user_by_id(user).await.unwrap().unwrap();
    let expires_at = expires_in.map(|d| chrono::Utc::now() + d);
    issue(
        db,
        &user,
        "sync script",
        expires_at,
        Actor::system(),
        Origin::default(),
    )
    .await
    .unwrap()
}

async fn client(db: &Db, input: ClientInput) -> i64 {
    let mut tx = db.begin().await.unwrap();
    let id = tx.insert_client(&input).await.unwrap();
    tx.commit().await.unwrap();
    id
}

fn named(name: &str) -> ClientInput {
    ClientInput {
        name: name.into(),
        ..ClientInput::blank()
    }
}

fn names(json: &Value) -> Vec<&str> {
    json["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["client_name"].as_str().unwrap())
        .collect()
}

fn assert_refused(res: &Answer, json: &Value, status: StatusCode) {
    assert_eq!(res.status, status, "{}", res.body);
    assert_eq!(json["success"], "False");
    assert!(json["message"].as_str().is_some_and(|m| !m.is_empty()));
}

#[tokio::test]
async fn a_key_works_as_bearer_authtoken_or_api_key_while_it_is_valid() {
    on_each_engine!(|db| {
        let app = app(db);
        let tech = common::create_user(db, "tech@example.com", Role::Technician, PASSWORD).await;
        client(db, named("ACME Corp")).await;
        client(db, named("Globex")).await;
        let issued = key_of(db, tech, None).await;
        let stored = db
            .api_key_use(&sha256_hex(&issued.key))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.user.id, tech, "the key is read with its owner");
        assert!(stored.state.last_used_at.is_none());
        let listed = db.list_api_keys().await.unwrap();
        let (listed, _) = listed.iter().find(|(k, _)| k.id == stored.key_id).unwrap();
        assert_eq!(listed.last_four, issued.key[issued.key.len() - 4..]);

        for how in [Present::Bearer, Present::AuthToken, Present::Query] {
            let (res, json) = read(&app, "", Some((&issued.key, how))).await;
            assert_eq!(res.status, StatusCode::OK, "{how:?}: {}", res.body);
            assert_eq!(json["success"], "True");
            assert_eq!(json["count"], 2);
            assert_eq!(names(&json), ["ACME Corp", "Globex"]);
            assert_eq!(res.header("cache-control"), Some("no-store"));
        }
        let used = db
            .api_key_use(&sha256_hex(&issued.key))
            .await
            .unwrap()
            .unwrap();
        assert!(used.state.last_used_at.is_some(), "a use is recorded");

        let (res, json) = read(&app, "", None).await;
        assert_refused(&res, &json, StatusCode::UNAUTHORIZED);
        let wrong = format!("{}x", issued.key);
        let (res, json) = read(&app, "", Some((&wrong, Present::Bearer))).await;
        assert_refused(&res, &json, StatusCode::UNAUTHORIZED);

        let expired = key_of(db, tech, Some(chrono::TimeDelta::seconds(-1))).await;
        let (res, json) = read(&app, "", Some((&expired.key, Present::Bearer))).await;
        assert_refused(&res, &json, StatusCode::UNAUTHORIZED);
        let later = key_of(db, tech, Some(chrono::TimeDelta::days(1))).await;
        let (res, _) = read(&app, "", Some((&later.key, Present::Bearer))).await;
        assert_eq!(res.status, StatusCode::OK, "not expired yet");

        let admin = common::create_user(db, "boss@example.com", Role::Admin, PASSWORD).await;
        let admin = common::session_cookie(db, admin).await;
        let revoke = |id: i64| {
            let (app, admin) = (&app, &admin);
            async move {
                call(
                    app,
                    "revoke_api_key",
                    &[("id", &id.to_string())],
                    Some(admin),
                )
                .await
            }
        };
        assert_eq!(revoke(issued.id).await.status, StatusCode::OK);
        assert_eq!(revoke(issued.id).await.status, StatusCode::NOT_FOUND);
        let (res, json) = read(&app, "", Some((&issued.key, Present::AuthToken))).await;
        assert_refused(&res, &json, StatusCode::UNAUTHORIZED);

        let mut tx = db.begin().await.unwrap();
        let off = UserChanges {
            disabled: Some(true),
            ..Default::default()
        };
        tx.update_user(tech, &off).await.unwrap();
        tx.commit().await.unwrap();
        let (res, json) = read(&app, "", Some((&later.key, Present::Bearer))).await;
        assert_refused(&res, &json, StatusCode::UNAUTHORIZED);
    });
}

#[tokio::test]
async fn itflow_client_reads_page_filter_and_keep_to_the_callers_clients() {
    on_each_engine!(|db| {
        let app = app(db);
        let admin = common::create_user(db, "boss@example.com", Role::Admin, PASSWORD).await;
        let tech = common::create_user(db, "tech@example.com", Role::Technician, PASSWORD).await;
        let acme = client(
            db,
            ClientInput {
                name: "ACME Corp".into(),
                industry: "Manufacturing".into(),
                referral: "Trade show".into(),
                website: "acme.example".into(),
                hourly_rate: "125.50".into(),
                currency: "EUR".into(),
                net_terms: "14".into(),
                tax_id: "NL123".into(),
                abbreviation: "ACME".into(),
                notes: "Gate code 1234".into(),
                lead: true,
                ..ClientInput::blank()
            },
        )
        .await;
        let globex = client(db, named("Globex")).await;
        client(db, named("Initech")).await;
        let key = key_of(db, admin, None).await.key;
        let key = Some((key.as_str(), Present::Bearer));

        let (res, json) = read(&app, &format!("client_id={acme}"), key).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(json["count"], 1);
        let row = &json["data"][0];
        for (field, value) in [
            ("client_id", Value::from(acme)),
            ("client_name", "ACME Corp".into()),
            ("client_type", "Manufacturing".into()),
            ("client_referral", "Trade show".into()),
            ("client_website", "acme.example".into()),
            ("client_rate", "125.50".into()),
            ("client_currency_code", "EUR".into()),
            ("client_net_terms", 14.into()),
            ("client_tax_id_number", "NL123".into()),
            ("client_abbreviation", "ACME".into()),
            ("client_notes", "Gate code 1234".into()),
            ("client_lead", 1.into()),
            ("client_archived_at", Value::Null),
        ] {
            assert_eq!(row[field], value, "{field}");
        }
        let created = row["client_created_at"].as_str().unwrap();
        assert!(
            chrono::NaiveDateTime::parse_from_str(created, "%Y-%m-%d %H:%M:%S").is_ok(),
            "{created}"
        );

        let (_, json) = read(&app, "limit=2", key).await;
        assert_eq!(names(&json), ["ACME Corp", "Globex"]);
        let (_, json) = read(&app, "limit=2&offset=2", key).await;
        assert_eq!(names(&json), ["Initech"]);
        let (_, json) = read(&app, "client_name=globex", key).await;
        assert_eq!(names(&json), ["Globex"]);
        let (res, json) = read(&app, "limit=many", key).await;
        assert_refused(&res, &json, StatusCode::BAD_REQUEST);
        let (res, json) = read(&app, "client_id=999999", key).await;
        assert_refused(&res, &json, StatusCode::NOT_FOUND);

        // A restricted technician's key sees that technician's clients only.
        common::restrict(db, tech, &[acme]).await;
        let restricted = key_of(db, tech, None).await.key;
        let restricted = Some((restricted.as_str(), Present::AuthToken));
        let (_, json) = read(&app, "", restricted).await;
        assert_eq!(names(&json), ["ACME Corp"]);
        let (res, json) = read(&app, &format!("client_id={globex}"), restricted).await;
        assert_refused(&res, &json, StatusCode::NOT_FOUND);
        let (_, json) = read(&app, "client_name=Globex", restricted).await;
        assert_eq!(json["count"], 0);
    });
}

#[tokio::test]
async fn a_key_needs_a_name_and_its_making_is_audited() {
    on_each_engine!(|db| {
        let tech = common::create_user(db, "tech@example.com", Role::Technician, PASSWORD).await;
        let user = db.user_by_id(tech).await.unwrap().unwrap();
        let unnamed = issue(db, &user, "  ", None, Actor::system(), Origin::default()).await;
        assert!(matches!(
            unnamed,
            Err(docket::error::AppError::Invalid(ref f)) if f[0].field == "name"
        ));
        let issued = key_of(db, tech, None).await;
        assert!(issued.key.starts_with("dk_") && issued.key.len() > 40);
        let filter = docket::audit::model::AuditFilter {
            action: Some("api_key.create".into()),
            ..Default::default()
        };
        let page = db.list_audit(&filter).await.unwrap();
        assert_eq!(page.total, 1);
        let written = format!("{:?}", page.rows[0].changes);
        assert!(written.contains("tech@example.com"), "{written}");
        assert!(
            !written.contains(&issued.key[3..]),
            "the key is never written down"
        );
    });
}

#[tokio::test]
async fn admins_make_list_and_revoke_keys_and_see_each_key_once() {
    on_each_engine!(|db| {
        let app = app(db);
        let admin = common::create_user(db, "boss@example.com", Role::Admin, PASSWORD).await;
        let tech = common::create_user(db, "tech@example.com", Role::Technician, PASSWORD).await;
        let (admin, tech_cookie) = (
            common::session_cookie(db, admin).await,
            common::session_cookie(db, tech).await,
        );
        client(db, named("ACME Corp")).await;
        let tech_id = tech.to_string();
        let form = |days: &'static str| {
            vec![
                ("name", "PSA sync"),
                ("user_id", tech_id.as_str()),
                ("expires_days", days),
            ]
        };

        let refused = call(&app, "create_api_key", &form(""), Some(&tech_cookie)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let bad = call(&app, "create_api_key", &form("0"), Some(&admin)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("expires_days"), "{}", bad.body);

        let made = call(&app, "create_api_key", &form("30"), Some(&admin)).await;
        assert_eq!(made.status, StatusCode::OK, "{}", made.body);
        let key: String = serde_json::from_str(&made.body).unwrap();
        let (res, json) = read(&app, "", Some((&key, Present::Bearer))).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(names(&json), ["ACME Corp"]);

        let listed = call(&app, "list_api_keys", &[], Some(&admin)).await;
        let items: Vec<docket::admin::api_keys::ApiKeyItem> =
            serde_json::from_str(&listed.body).unwrap();
        assert_eq!(items.len(), 1);
        let item = &items[0];
        assert_eq!(
            (item.name.as_str(), item.owner.as_str()),
            ("PSA sync", "tech@example.com")
        );
        assert_eq!(item.last_four, key[key.len() - 4..]);
        assert!(item.expires_at.is_some() && item.last_used_at.is_some() && !item.revoked);
        assert!(!listed.body.contains(&key), "a list never shows a key");

        let id = item.id.to_string();
        let revoked = call(&app, "revoke_api_key", &[("id", &id)], Some(&admin)).await;
        assert_eq!(revoked.status, StatusCode::OK);
        let listed = call(&app, "list_api_keys", &[], Some(&admin)).await;
        assert!(listed.body.contains("\"revoked\":true"), "{}", listed.body);
        let (res, _) = read(&app, "", Some((&key, Present::Bearer))).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        let revocations = docket::audit::model::AuditFilter {
            action: Some("api_key.revoke".into()),
            ..Default::default()
        };
        let page = db.list_audit(&revocations).await.unwrap();
        assert_eq!(page.total, 1);
        let record = page.rows[0].record.clone().unwrap_or_default();
        assert!(record.contains("PSA sync"), "{record}");
    });
}

/// One call in ITFlow's dialect with a Bearer key: a GET with `query`, or a POST of `body`.
async fn itflow(app: &axum::Router, path: &str, key: &str, body: Option<Value>) -> (Answer, Value) {
    let req = match body {
        None => Request::get(format!("/api/v1/{path}")),
        Some(_) => Request::post(format!("/api/v1/{path}"))
            .header(header::CONTENT_TYPE, "application/json"),
    }
    .header(header::AUTHORIZATION, format!("Bearer {key}"));
    let body = body.map_or(Body::empty(), |b| Body::from(b.to_string()));
    let res = send(app, req.body(body).unwrap()).await;
    let json = serde_json::from_str(&res.body).unwrap_or_else(|_| panic!("JSON: {}", res.body));
    (res, json)
}

/// The id a create answered, after checking ITFlow's create envelope.
fn insert_id(res: &Answer, json: &Value) -> i64 {
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(
        (&json["success"], &json["count"]),
        (&"True".into(), &"1".into())
    );
    json["data"][0]["insert_id"].as_i64().unwrap()
}

fn assert_changed(res: &Answer, json: &Value) {
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(
        (&json["success"], &json["count"]),
        (&"True".into(), &1.into())
    );
}

/// The one row a read by id answered.
async fn read_one(app: &axum::Router, path: &str, key: &str) -> Value {
    let (res, json) = itflow(app, path, key, None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(json["count"], 1, "{}", res.body);
    json["data"][0].clone()
}

fn assert_fields(row: &Value, expected: &Value) {
    for (field, value) in expected.as_object().unwrap() {
        assert_eq!(&row[field], value, "{field}");
    }
}

#[tokio::test]
async fn itflow_client_writes_check_input_change_only_named_fields_and_are_audited() {
    on_each_engine!(|db| {
        let app = app(db);
        let tech = common::create_user(db, "tech@example.com", Role::Technician, PASSWORD).await;
        let viewer = common::create_user(db, "view@example.com", Role::ReadOnly, PASSWORD).await;
        let key = key_of(db, tech, None).await.key;
        let fields = serde_json::json!({
            "client_name": "ACME Corp",
            "client_type": "Manufacturing",
            "client_website": "acme.example",
            "client_referral": "Trade show",
            "client_rate": 95.5,
            "client_currency_code": "EUR",
            "client_net_terms": 14,
            "client_tax_id_number": "NL123",
            "client_abbreviation": "ACME",
            "client_is_lead": 1,
            "client_notes": "Gate code 1234",
        });
        let (res, json) = itflow(&app, "clients/create.php", &key, Some(fields)).await;
        let id = insert_id(&res, &json);
        let row = read_one(&app, &format!("clients/read.php?client_id={id}"), &key).await;
        let expected = serde_json::json!({
            "client_name": "ACME Corp", "client_type": "Manufacturing",
            "client_website": "acme.example", "client_referral": "Trade show",
            "client_rate": "95.50", "client_currency_code": "EUR", "client_net_terms": 14,
            "client_tax_id_number": "NL123", "client_abbreviation": "ACME", "client_lead": 1,
            "client_notes": "Gate code 1234",
        });
        assert_fields(&row, &expected);

        // Invalid input names the fields as the script named them; nothing is written.
        let bad = serde_json::json!({"client_name": " ", "client_currency_code": "EURO"});
        let (res, json) = itflow(&app, "clients/create.php", &key, Some(bad)).await;
        assert_refused(&res, &json, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(json["fields"]["client_name"].is_string(), "{json}");
        assert!(json["fields"]["client_currency_code"].is_string(), "{json}");
        assert_eq!(db.client_count().await.unwrap(), 1);

        // An update changes what it names and keeps the rest.
        let change = serde_json::json!({"client_id": id, "client_notes": "Gate code 4321"});
        let (res, json) = itflow(&app, "clients/update.php", &key, Some(change)).await;
        assert_changed(&res, &json);
        let row = read_one(&app, &format!("clients/read.php?client_id={id}"), &key).await;
        assert_eq!(row["client_notes"], "Gate code 4321");
        assert_eq!(row["client_currency_code"], "EUR");
        let change = serde_json::json!({"client_id": 999999, "client_notes": "x"});
        let (res, json) = itflow(&app, "clients/update.php", &key, Some(change)).await;
        assert_refused(&res, &json, StatusCode::NOT_FOUND);
        let (res, json) = itflow(
            &app,
            "clients/update.php",
            &key,
            Some("not an object".into()),
        )
        .await;
        assert_refused(&res, &json, StatusCode::BAD_REQUEST);

        // Archived clients leave the list and come back when restored.
        let by_id = serde_json::json!({"client_id": id});
        let (res, json) = itflow(&app, "clients/archive.php", &key, Some(by_id.clone())).await;
        assert_changed(&res, &json);
        let (_, json) = itflow(&app, "clients/read.php", &key, None).await;
        assert_eq!(json["count"], 0);
        let row = read_one(&app, &format!("clients/read.php?client_id={id}"), &key).await;
        assert!(row["client_archived_at"].is_string());
        let (res, json) = itflow(&app, "clients/unarchive.php", &key, Some(by_id)).await;
        assert_changed(&res, &json);
        let (_, json) = itflow(&app, "clients/read.php", &key, None).await;
        assert_eq!(names(&json), ["ACME Corp"]);

        // Every write is in the audit log as coming from the API, with the changed fields.
        let updates = docket::audit::model::AuditFilter {
            action: Some("client.update".into()),
            ..Default::default()
        };
        let page = db.list_audit(&updates).await.unwrap();
        assert_eq!(page.total, 1);
        let entry = &page.rows[0];
        assert_eq!(entry.source, "api");
        assert!(entry.actor.contains("tech@example.com"), "{}", entry.actor);
        let changes = format!("{:?}", entry.changes);
        assert!(
            changes.contains("Gate code 4321") && !changes.contains("currency"),
            "{changes}"
        );

        // A read-only user's key reads but never writes; the key may ride in the body.
        let view = key_of(db, viewer, None).await.key;
        let (res, _) = itflow(&app, "clients/read.php", &view, None).await;
        assert_eq!(res.status, StatusCode::OK);
        let body = serde_json::json!({"client_name": "Initech"});
        let (res, json) = itflow(&app, "clients/create.php", &view, Some(body)).await;
        assert_refused(&res, &json, StatusCode::FORBIDDEN);
        let req = Request::post("/api/v1/clients/create.php")
            .body(Body::from(format!(
                r#"{{"api_key":"{key}","client_name":"Initech"}}"#
            )))
            .unwrap();
        let res = send(&app, req).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let req = Request::post("/api/v1/clients/create.php")
            .header(header::AUTHORIZATION, format!("Bearer {key}"))
            .body(Body::from("{\"client_name\": "))
            .unwrap();
        let res = send(&app, req).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
        assert!(res.body.contains("\"success\":\"False\""), "{}", res.body);
    });
}

#[tokio::test]
async fn itflow_contacts_and_locations_work_and_keep_to_the_callers_clients() {
    on_each_engine!(|db| {
        let app = app(db);
        let admin = common::create_user(db, "boss@example.com", Role::Admin, PASSWORD).await;
        let tech = common::create_user(db, "tech@example.com", Role::Technician, PASSWORD).await;
        let key = key_of(db, admin, None).await.key;
        let acme = client(db, named("ACME Corp")).await;
        let globex = client(db, named("Globex")).await;

        let office = serde_json::json!({
            "client_id": acme, "location_name": "HQ", "location_address": "1 Road Runner Way",
            "location_city": "Utrecht", "location_state": "UT", "location_zip": "3511",
            "location_country": "NL", "location_phone": "+31 30 123 4567",
        });
        let (res, json) = itflow(&app, "locations/create.php", &key, Some(office)).await;
        let hq = insert_id(&res, &json);
        let bad = serde_json::json!({"client_id": acme, "location_name": "Depot", "location_country": "Netherlands"});
        let (res, json) = itflow(&app, "locations/create.php", &key, Some(bad)).await;
        assert_refused(&res, &json, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(json["fields"]["location_country"].is_string(), "{json}");
        let row = read_one(&app, &format!("locations/read.php?location_id={hq}"), &key).await;
        let expected = serde_json::json!({
            "location_name": "HQ", "location_address": "1 Road Runner Way",
            "location_city": "Utrecht", "location_country": "NL", "location_primary": 1,
            "location_client_id": acme,
        });
        assert_fields(&row, &expected);

        // The contract's contact body.
        let wile = serde_json::json!({
            "contact_name": "Wile E. Coyote", "contact_title": "Inventor",
            "contact_department": "R&D", "contact_email": "Wile@Acme.example",
            "contact_phone": "+1 (555) 010-2000", "contact_extension": "12",
            "contact_mobile": "555 010 3000", "contact_notes": "Prefers email",
            "contact_auth_method": "local", "contact_important": 1, "contact_billing": 0,
            "contact_technical": "1", "contact_location_id": hq, "client_id": acme,
        });
        let (res, json) = itflow(&app, "contacts/create.php", &key, Some(wile.clone())).await;
        let wile_id = insert_id(&res, &json);
        let row = read_one(
            &app,
            &format!("contacts/read.php?contact_id={wile_id}"),
            &key,
        )
        .await;
        let expected = serde_json::json!({
            "contact_name": "Wile E. Coyote", "contact_title": "Inventor",
            "contact_department": "R&D", "contact_email": "Wile@Acme.example",
            "contact_phone": "+1 (555) 010-2000", "contact_extension": "12",
            "contact_mobile": "555 010 3000", "contact_notes": "Prefers email",
            "contact_auth_method": "local", "contact_important": 1, "contact_billing": 0,
            "contact_technical": 1, "contact_location_id": hq, "contact_client_id": acme,
        });
        assert_fields(&row, &expected);

        // An email that exists (in any case) is refused with 409, on create and update.
        let mut twin = wile.clone();
        twin["contact_email"] = "wile@ACME.example".into();
        twin["client_id"] = globex.into();
        let (res, json) = itflow(&app, "contacts/create.php", &key, Some(twin)).await;
        assert_refused(&res, &json, StatusCode::CONFLICT);
        let hank = serde_json::json!({"client_id": globex, "contact_name": "Hank Scorpio", "contact_mobile": "555-010-9999"});
        let (res, json) = itflow(&app, "contacts/create.php", &key, Some(hank)).await;
        let hank_id = insert_id(&res, &json);
        let steal =
            serde_json::json!({"contact_id": hank_id, "contact_email": "WILE@acme.example"});
        let (res, json) = itflow(&app, "contacts/update.php", &key, Some(steal)).await;
        assert_refused(&res, &json, StatusCode::CONFLICT);
        let retitle = serde_json::json!({"contact_id": wile_id, "contact_title": "Genius"});
        let (res, json) = itflow(&app, "contacts/update.php", &key, Some(retitle)).await;
        assert_changed(&res, &json);
        let row = read_one(
            &app,
            &format!("contacts/read.php?contact_id={wile_id}"),
            &key,
        )
        .await;
        assert_eq!(
            (&row["contact_title"], &row["contact_phone"]),
            (&"Genius".into(), &"+1 (555) 010-2000".into())
        );

        // Lookups by email (any case) and by phone or mobile digits in any format.
        let contact_names = |json: &Value| -> Vec<String> {
            json["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k["contact_name"].as_str().unwrap().to_string())
                .collect()
        };
        let lookups = [
            (
                "contact_email=WILE%40acme.EXAMPLE".to_string(),
                "Wile E. Coyote",
            ),
            (
                "contact_phone_or_mobile=5550103000".into(),
                "Wile E. Coyote",
            ),
            (
                "contact_phone_or_mobile=%2B1%20555%20010%202000".into(),
                "Wile E. Coyote",
            ),
            (
                "contact_phone_or_mobile=(555)%20010%209999".into(),
                "Hank Scorpio",
            ),
            (format!("client_id={globex}"), "Hank Scorpio"),
            ("limit=1&offset=1".into(), "Hank Scorpio"),
        ];
        for (query, name) in lookups {
            let path = format!("contacts/read.php?{query}");
            let (_, json) = itflow(&app, &path, &key, None).await;
            assert_eq!(contact_names(&json), [name], "{query}");
        }

        // A technician restricted to Globex reaches nothing of ACME's, by any route.
        common::restrict(db, tech, &[globex]).await;
        let narrow = key_of(db, tech, None).await.key;
        for path in [
            format!("contacts/read.php?contact_id={wile_id}"),
            format!("contacts/read.php?client_id={acme}"),
            format!("locations/read.php?location_id={hq}"),
            format!("locations/read.php?client_id={acme}"),
        ] {
            let (res, json) = itflow(&app, &path, &narrow, None).await;
            assert_refused(&res, &json, StatusCode::NOT_FOUND);
        }
        let (_, json) = itflow(
            &app,
            "contacts/read.php?contact_phone_or_mobile=15550102000",
            &narrow,
            None,
        )
        .await;
        assert_eq!(json["count"], 0);
        let (_, json) = itflow(&app, "contacts/read.php", &narrow, None).await;
        assert_eq!(contact_names(&json), ["Hank Scorpio"]);
        let (_, json) = itflow(&app, "locations/read.php", &narrow, None).await;
        assert_eq!(json["count"], 0);
        for (path, body) in [
            (
                "contacts/archive.php",
                serde_json::json!({"contact_id": wile_id}),
            ),
            (
                "contacts/update.php",
                serde_json::json!({"contact_id": wile_id, "contact_title": "x"}),
            ),
            (
                "contacts/create.php",
                serde_json::json!({"client_id": acme, "contact_name": "Mole"}),
            ),
            (
                "locations/create.php",
                serde_json::json!({"client_id": acme, "location_name": "Shed"}),
            ),
            (
                "clients/archive.php",
                serde_json::json!({"client_id": acme}),
            ),
        ] {
            let (res, json) = itflow(&app, path, &narrow, Some(body)).await;
            assert_refused(&res, &json, StatusCode::NOT_FOUND);
        }
        // Even a taken email does not tell a restricted key about another client.
        let probe = serde_json::json!({"client_id": globex, "contact_name": "Spy", "contact_email": "wile@acme.example"});
        let (res, json) = itflow(&app, "contacts/create.php", &narrow, Some(probe)).await;
        assert_refused(&res, &json, StatusCode::CONFLICT);
        assert!(!res.body.contains("ACME"), "{}", res.body);

        // Deleting takes an admin and an archived contact.
        let by_id = serde_json::json!({"contact_id": hank_id});
        let (res, json) = itflow(&app, "contacts/delete.php", &narrow, Some(by_id.clone())).await;
        assert_refused(&res, &json, StatusCode::FORBIDDEN);
        let (res, json) = itflow(&app, "contacts/delete.php", &key, Some(by_id.clone())).await;
        assert_refused(&res, &json, StatusCode::CONFLICT);
        let (res, json) = itflow(&app, "contacts/archive.php", &key, Some(by_id.clone())).await;
        assert_changed(&res, &json);
        let (res, json) = itflow(&app, "contacts/delete.php", &key, Some(by_id)).await;
        assert_changed(&res, &json);
        let (res, json) = itflow(
            &app,
            &format!("contacts/read.php?contact_id={hank_id}"),
            &key,
            None,
        )
        .await;
        assert_refused(&res, &json, StatusCode::NOT_FOUND);
    });
}

#[tokio::test]
async fn keys_are_rate_limited_and_addresses_that_guess_keys_are_blocked() {
    use docket::server::api::limits::FAILED_AUTH;
    use docket::server::http::{router, AppState};
    const PER_KEY: u32 = 25;
    on_each_engine!(|db| {
        let config = docket::server::config::Config {
            api_rate_limit: PER_KEY,
            ..common::web::config(std::path::Path::new("/nonexistent"))
        };
        let app = router(AppState::new(&config, db.clone()));
        let tech = common::create_user(db, "tech@example.com", Role::Technician, PASSWORD).await;
        let key = key_of(db, tech, None).await.key;
        // The count is per minute: start early in one so the calls stay within it.
        let second = chrono::Utc::now().timestamp() % 60;
        if second > 40 {
            tokio::time::sleep(std::time::Duration::from_secs((61 - second) as u64)).await;
        }
        let (res, _) = read(&app, "", Some((&key, Present::Bearer))).await;
        assert_eq!(
            res.header("ratelimit-limit"),
            Some(PER_KEY.to_string().as_str())
        );
        assert_eq!(
            res.header("ratelimit-remaining"),
            Some((PER_KEY - 1).to_string().as_str())
        );
        let reset: u64 = res.header("ratelimit-reset").unwrap().parse().unwrap();
        assert!((1..=60).contains(&reset), "{reset}");
        for _ in 1..PER_KEY {
            let (res, _) = read(&app, "", Some((&key, Present::AuthToken))).await;
            assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        }
        let (res, json) = read(&app, "", Some((&key, Present::Query))).await;
        assert_refused(&res, &json, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(res.header("ratelimit-remaining"), Some("0"));
        assert!(res
            .header("retry-after")
            .is_some_and(|s| s.parse::<u64>().is_ok()));
        let req = Request::get("/api/v1/clients")
            .header(header::AUTHORIZATION, format!("Bearer {key}"))
            .body(Body::empty())
            .unwrap();
        let res = send(&app, req).await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(res.body.contains("\"message\""), "{}", res.body);

        // Guessing keys blocks the address, even for a good key afterwards.
        let other = key_of(db, tech, None).await.key;
        for attempt in 1..=FAILED_AUTH.max_failures {
            let (res, _) = read(&app, "", Some(("dk_guess", Present::Bearer))).await;
            let expected = match attempt < FAILED_AUTH.max_failures {
                true => StatusCode::UNAUTHORIZED,
                false => StatusCode::TOO_MANY_REQUESTS,
            };
            assert_eq!(res.status, expected, "attempt {attempt}");
        }
        let (res, json) = read(&app, "", Some((&other, Present::Bearer))).await;
        assert_refused(&res, &json, StatusCode::TOO_MANY_REQUESTS);
        assert!(res.header("retry-after").is_some());
    });
}

#[tokio::test]
async fn a_wrong_method_answers_405_in_itflows_envelope() {
    on_each_engine!(|db| {
        let app = app(db);
        let req = Request::get("/api/v1/contacts/create.php")
            .body(Body::empty())
            .unwrap();
        let res = send(&app, req).await;
        assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(res.header("allow"), Some("POST"));
        let json: Value = serde_json::from_str(&res.body).unwrap();
        assert_eq!(json["success"], "False");
    });
}
