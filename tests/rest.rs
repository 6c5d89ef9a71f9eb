//! The REST shape through the real router on every engine: clients with their primary
//! location, locations and contacts; filters, paging totals, partial updates, archive and
//! delete, honest errors, and the key's role and client restriction.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::web::{app, send, Answer};
use docket::accounts::model::Role;
use docket::server::api::keys::issue;
use docket::server::db::{Actor, Db, Origin};
use serde_json::{json, Value};

const PASSWORD: &str = "violet-harbour-kettle";

async fn key(db: &Db, email: &str, role: Role) -> (i64, String) {
    let id = common::create_user(db, email, role, PASSWORD).await;
    let user = db.user_by_id(id).await.unwrap().unwrap();
    let issued = issue(
        db,
        &user,
        "script",
        None,
        Actor::system(),
        Origin::default(),
    )
    .await
    .unwrap();
    (id, issued.key)
}

/// A call with a Bearer key; the answer's JSON is Null for an empty body.
async fn rest(
    app: &axum::Router,
    method: Method,
    path: &str,
    key: &str,
    body: Option<Value>,
) -> (Answer, Value) {
    let req = Request::builder()
        .method(method)
        .uri(format!("/api/v1/{path}"))
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .header(header::CONTENT_TYPE, "application/json");
    let body = body.map_or(Body::empty(), |b| Body::from(b.to_string()));
    let res = send(app, req.body(body).unwrap()).await;
    let json = match res.body.is_empty() {
        true => Value::Null,
        false => serde_json::from_str(&res.body).unwrap_or_else(|_| panic!("JSON: {}", res.body)),
    };
    (res, json)
}

fn assert_status(res: &Answer, status: StatusCode) {
    assert_eq!(res.status, status, "{}", res.body);
}

/// A refusal: the status and a message, never database text.
fn assert_refused(res: &Answer, json: &Value, status: StatusCode) {
    assert_status(res, status);
    let message = json["message"].as_str().unwrap_or_default();
    assert!(!message.is_empty(), "{}", res.body);
    assert!(!message.to_lowercase().contains("sql"), "{message}");
}

fn acme_body(name: &str) -> Value {
    json!({"client": {
        "name": name, "industry": "Manufacturing", "currency": "EUR", "hourly_rate": 95.5,
        "net_terms": 14, "account_code": format!("AC-{}", name.len()),
        "primary_location": {
            "name": "HQ", "address_1": "1 Road Runner Way", "city": "Utrecht", "state": "UT",
            "zip": "3511", "country": "NL", "phone_primary": "+31 30 123 4567",
            "email_invoice": "billing@acme.example",
        },
    }})
}

fn names(json: &Value, kind: &str) -> Vec<String> {
    json[kind]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn clients_are_made_with_their_primary_location_listed_changed_and_deleted() {
    on_each_engine!(|db| {
        let app = app(db);
        let (_, admin) = key(db, "boss@example.com", Role::Admin).await;
        let (_, tech) = key(db, "tech@example.com", Role::Technician).await;

        let (res, json) = rest(
            &app,
            Method::POST,
            "clients",
            &tech,
            Some(acme_body("ACME Corp")),
        )
        .await;
        assert_status(&res, StatusCode::CREATED);
        let acme = &json["client"];
        let id = acme["id"].as_i64().unwrap();
        for (field, value) in [
            ("name", json!("ACME Corp")),
            ("industry", json!("Manufacturing")),
            ("currency", json!("EUR")),
            ("hourly_rate", json!("95.50")),
            ("net_terms", json!(14)),
            ("parent_id", Value::Null),
            ("active", json!(true)),
        ] {
            assert_eq!(acme[field], value, "{field}");
        }
        let location = &acme["primary_location"];
        for (field, value) in [
            ("name", "HQ"),
            ("city", "Utrecht"),
            ("state", "UT"),
            ("zip", "3511"),
            ("country", "NL"),
            ("phone_primary", "+31 30 123 4567"),
            ("email_invoice", "billing@acme.example"),
        ] {
            assert_eq!(location[field], value, "{field}");
        }
        assert_eq!(location["primary"], true);

        // Invalid bodies name every bad field and write nothing.
        let mut bad = acme_body("Globex");
        bad["client"]["currency"] = "EURO".into();
        bad["client"]["colour_scheme"] = "dark".into();
        bad["client"]["primary_location"]["state"] = "Utrecht".into();
        bad["client"]["primary_location"]["country"] = "".into();
        let (res, json) = rest(&app, Method::POST, "clients", &tech, Some(bad)).await;
        assert_refused(&res, &json, StatusCode::UNPROCESSABLE_ENTITY);
        for field in [
            "colour_scheme",
            "primary_location.state",
            "primary_location.country",
        ] {
            assert!(json["fields"][field].is_string(), "{field}: {json}");
        }
        let mut bad = acme_body("Globex");
        bad["client"]["currency"] = "EURO".into();
        let (res, json) = rest(&app, Method::POST, "clients", &tech, Some(bad)).await;
        assert_refused(&res, &json, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(json["fields"]["currency"].is_string(), "{json}");
        let (res, json) = rest(
            &app,
            Method::POST,
            "clients",
            &tech,
            Some(json!({"client": {"name": "Solo"}})),
        )
        .await;
        assert_refused(&res, &json, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(json["fields"]["primary_location"].is_string(), "{json}");
        let (res, json) = rest(
            &app,
            Method::POST,
            "clients",
            &tech,
            Some(json!({"name": "Flat"})),
        )
        .await;
        assert_refused(&res, &json, StatusCode::BAD_REQUEST);
        let req = Request::post("/api/v1/clients")
            .header(header::AUTHORIZATION, format!("Bearer {tech}"))
            .body(Body::from("{\"client\": {"))
            .unwrap();
        let res = send(&app, req).await;
        assert_status(&res, StatusCode::BAD_REQUEST);
        assert_eq!(db.client_count().await.unwrap(), 1);

        // Lists: filters, search over contacts and locations, paging with the total.
        for name in ["Globex", "Initech"] {
            let (res, _) = rest(&app, Method::POST, "clients", &tech, Some(acme_body(name))).await;
            assert_status(&res, StatusCode::CREATED);
        }
        let (_, json) = rest(&app, Method::GET, "clients?page_size=2", &tech, None).await;
        assert_eq!(
            (json["total"].clone(), names(&json, "clients")),
            (json!(3), vec!["ACME Corp".into(), "Globex".into()])
        );
        let (_, json) = rest(&app, Method::GET, "clients?page_size=2&page=2", &tech, None).await;
        assert_eq!(
            (json["total"].clone(), names(&json, "clients")),
            (json!(3), vec!["Initech".to_string()])
        );
        let (_, json) = rest(&app, Method::GET, "clients?name=globex", &tech, None).await;
        assert_eq!(names(&json, "clients"), ["Globex"]);
        let (_, json) = rest(&app, Method::GET, "clients?account_code=ac-7", &tech, None).await;
        assert_eq!(names(&json, "clients"), ["Initech"]);
        let (_, json) = rest(&app, Method::GET, &format!("clients?id={id}"), &tech, None).await;
        assert_eq!(names(&json, "clients"), ["ACME Corp"]);
        let (_, json) = rest(
            &app,
            Method::GET,
            "clients?search=utrecht&page_size=1",
            &tech,
            None,
        )
        .await;
        assert_eq!(json["total"], 3);
        let (_, json) = rest(
            &app,
            Method::GET,
            "clients?created_from=2999-01-01T00:00:00Z",
            &tech,
            None,
        )
        .await;
        assert_eq!(json["total"], 0);
        let (_, json) = rest(
            &app,
            Method::GET,
            "clients?updated_to=2999-01-01T00:00:00%2B02:00",
            &tech,
            None,
        )
        .await;
        assert_eq!(json["total"], 3);
        let (res, json) = rest(
            &app,
            Method::GET,
            "clients?updated_from=yesterday",
            &tech,
            None,
        )
        .await;
        assert_refused(&res, &json, StatusCode::BAD_REQUEST);

        // A partial update changes what it names and keeps the rest.
        let change = json!({"client": {"notes": "Gate code 4321", "net_terms": 30}});
        let (res, json) = rest(
            &app,
            Method::PUT,
            &format!("clients/{id}"),
            &tech,
            Some(change),
        )
        .await;
        assert_status(&res, StatusCode::OK);
        assert_eq!(
            (
                json["client"]["notes"].clone(),
                json["client"]["net_terms"].clone()
            ),
            (json!("Gate code 4321"), json!(30))
        );
        assert_eq!(json["client"]["currency"], "EUR");
        let (res, json) = rest(
            &app,
            Method::PUT,
            "clients/999999",
            &tech,
            Some(json!({"client": {}})),
        )
        .await;
        assert_refused(&res, &json, StatusCode::NOT_FOUND);

        // Archive, list with inactive ones, then delete: only archived records, only admins.
        let (res, json) = rest(&app, Method::DELETE, &format!("clients/{id}"), &admin, None).await;
        assert_refused(&res, &json, StatusCode::CONFLICT);
        let archive = json!({"client": {"active": false}});
        let (res, json) = rest(
            &app,
            Method::PUT,
            &format!("clients/{id}"),
            &tech,
            Some(archive),
        )
        .await;
        assert_status(&res, StatusCode::OK);
        assert_eq!(json["client"]["active"], false);
        let (_, json) = rest(&app, Method::GET, "clients", &tech, None).await;
        assert_eq!(json["total"], 2);
        // The total of every client follows archiving both ways, and deletion.
        for (active, total) in [(true, 3), (false, 2)] {
            let change = json!({"client": {"active": active}});
            let path = format!("clients/{id}");
            let (res, _) = rest(&app, Method::PUT, &path, &tech, Some(change)).await;
            assert_status(&res, StatusCode::OK);
            let (_, json) = rest(&app, Method::GET, "clients", &tech, None).await;
            assert_eq!(json["total"], total, "active: {active}");
        }
        let (_, json) = rest(
            &app,
            Method::GET,
            "clients?include_inactive=true",
            &tech,
            None,
        )
        .await;
        assert_eq!(json["total"], 3);
        let (res, json) = rest(&app, Method::DELETE, &format!("clients/{id}"), &tech, None).await;
        assert_refused(&res, &json, StatusCode::FORBIDDEN);
        let (res, _) = rest(&app, Method::DELETE, &format!("clients/{id}"), &admin, None).await;
        assert_status(&res, StatusCode::NO_CONTENT);
        let (res, json) = rest(&app, Method::GET, &format!("clients/{id}"), &admin, None).await;
        assert_refused(&res, &json, StatusCode::NOT_FOUND);
        let (_, json) = rest(&app, Method::GET, "clients", &tech, None).await;
        assert_eq!(
            json["total"], 2,
            "an archived client leaves no count behind"
        );

        let (res, json) = rest(&app, Method::GET, "clients", "dk_wrong", None).await;
        assert_refused(&res, &json, StatusCode::UNAUTHORIZED);
    });
}

#[tokio::test]
async fn records_carry_their_tags_and_a_client_its_primary_locations() {
    on_each_engine!(|db| {
        let app = app(db);
        let (_, tech) = key(db, "tech@example.com", Role::Technician).await;
        let mut made = Vec::new();
        for name in ["ACME Corp", "Globex"] {
            let (res, json) =
                rest(&app, Method::POST, "clients", &tech, Some(acme_body(name))).await;
            assert_status(&res, StatusCode::CREATED);
            made.push(json["client"].clone());
        }
        let (acme, globex) = (
            made[0]["id"].as_i64().unwrap(),
            made[1]["id"].as_i64().unwrap(),
        );
        let depot = json!({"location": {"name": "Depot", "state": "UT", "country": "NL"}});
        let path = format!("clients/{acme}/locations");
        let (res, json) = rest(&app, Method::POST, &path, &tech, Some(depot)).await;
        assert_status(&res, StatusCode::CREATED);
        let depot = json["location"]["id"].as_i64().unwrap();

        let mut tx = db.begin().await.unwrap();
        let vip = tx.insert_tag("client", "VIP", "#aa0000").await.unwrap();
        let managed = tx.insert_tag("client", "managed", "#00aa00").await.unwrap();
        let head = tx
            .insert_tag("location", "Head office", "#0000aa")
            .await
            .unwrap();
        let yard = tx.insert_tag("location", "Yard", "#000000").await.unwrap();
        tx.set_tags("client", acme, &[vip, managed]).await.unwrap();
        tx.set_tags("client", globex, &[vip]).await.unwrap();
        let hq = made[0]["primary_location"]["id"].as_i64().unwrap();
        tx.set_tags("location", hq, &[head]).await.unwrap();
        tx.set_tags("location", depot, &[yard]).await.unwrap();
        tx.commit().await.unwrap();

        // The list reads both sides' tags together; each lands on its own record.
        let (_, json) = rest(&app, Method::GET, "clients", &tech, None).await;
        let tags = |c: &Value| (c["tags"].clone(), c["primary_location"]["tags"].clone());
        assert_eq!(
            tags(&json["clients"][0]),
            (json!(["managed", "VIP"]), json!(["Head office"]))
        );
        assert_eq!(tags(&json["clients"][1]), (json!(["VIP"]), json!([])));
        let (_, json) = rest(&app, Method::GET, &format!("clients/{acme}"), &tech, None).await;
        assert_eq!(
            tags(&json["client"]),
            (json!(["managed", "VIP"]), json!(["Head office"]))
        );
        let (_, json) = rest(&app, Method::GET, &path, &tech, None).await;
        let located: Vec<(Value, Value)> = json["locations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l["name"].clone(), l["tags"].clone()))
            .collect();
        assert_eq!(
            located,
            [
                (json!("HQ"), json!(["Head office"])),
                (json!("Depot"), json!(["Yard"]))
            ]
        );
    });
}

#[tokio::test]
async fn locations_and_contacts_follow_the_same_rules_and_the_keys_restriction() {
    on_each_engine!(|db| {
        let app = app(db);
        let (tech_id, tech) = key(db, "tech@example.com", Role::Technician).await;
        let (_, viewer) = key(db, "view@example.com", Role::ReadOnly).await;
        let (_, admin) = key(db, "boss@example.com", Role::Admin).await;
        let (_, json) = rest(
            &app,
            Method::POST,
            "clients",
            &admin,
            Some(acme_body("ACME Corp")),
        )
        .await;
        let acme = json["client"]["id"].as_i64().unwrap();
        let (_, json) = rest(
            &app,
            Method::POST,
            "clients",
            &admin,
            Some(acme_body("Globex")),
        )
        .await;
        let globex = json["client"]["id"].as_i64().unwrap();

        let depot = json!({"location": {"name": "Depot", "city": "Amersfoort", "state": "UT", "country": "nl"}});
        let (res, json) = rest(
            &app,
            Method::POST,
            &format!("clients/{acme}/locations"),
            &tech,
            Some(depot),
        )
        .await;
        assert_status(&res, StatusCode::CREATED);
        let depot = json["location"]["id"].as_i64().unwrap();
        assert_eq!(
            (
                json["location"]["primary"].clone(),
                json["location"]["client_id"].clone()
            ),
            (json!(false), json!(acme))
        );
        let (_, json) = rest(
            &app,
            Method::GET,
            &format!("clients/{acme}/locations"),
            &tech,
            None,
        )
        .await;
        assert_eq!(names(&json, "locations"), ["HQ", "Depot"]);
        let (res, json) = rest(
            &app,
            Method::PUT,
            &format!("locations/{depot}"),
            &tech,
            Some(json!({"location": {"zip": "3800"}})),
        )
        .await;
        assert_status(&res, StatusCode::OK);
        assert_eq!(
            (
                json["location"]["zip"].clone(),
                json["location"]["city"].clone()
            ),
            (json!("3800"), json!("Amersfoort"))
        );
        let (res, json) = rest(
            &app,
            Method::PUT,
            &format!("locations/{depot}"),
            &tech,
            Some(json!({"location": {"state": ""}})),
        )
        .await;
        assert_refused(&res, &json, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(json["fields"]["state"].is_string(), "{json}");

        let wile = json!({"contact": {
            "client_id": acme, "name": "Wile E. Coyote", "email": "wile@acme.example",
            "phone": "+1 (555) 010-2000", "location_id": depot, "important": true,
        }});
        let (res, json) = rest(&app, Method::POST, "contacts", &tech, Some(wile.clone())).await;
        assert_status(&res, StatusCode::CREATED);
        let wile_id = json["contact"]["id"].as_i64().unwrap();
        assert_eq!(
            (
                json["contact"]["location_id"].clone(),
                json["contact"]["important"].clone()
            ),
            (json!(depot), json!(true))
        );
        let mut twin = wile.clone();
        twin["contact"]["client_id"] = globex.into();
        twin["contact"]["email"] = "WILE@acme.example".into();
        let (res, json) = rest(&app, Method::POST, "contacts", &tech, Some(twin)).await;
        assert_refused(&res, &json, StatusCode::CONFLICT);
        let hank = json!({"contact": {"client_id": globex, "name": "Hank Scorpio"}});
        let (res, _) = rest(&app, Method::POST, "contacts", &tech, Some(hank)).await;
        assert_status(&res, StatusCode::CREATED);
        let (_, json) = rest(
            &app,
            Method::GET,
            "contacts?search=555%20010%202000",
            &tech,
            None,
        )
        .await;
        assert_eq!(names(&json, "contacts"), ["Wile E. Coyote"]);
        let (_, json) = rest(
            &app,
            Method::GET,
            &format!("contacts?client_id={globex}"),
            &tech,
            None,
        )
        .await;
        assert_eq!(names(&json, "contacts"), ["Hank Scorpio"]);
        let (res, json) = rest(
            &app,
            Method::PUT,
            &format!("contacts/{wile_id}"),
            &tech,
            Some(json!({"contact": {"title": "Genius"}})),
        )
        .await;
        assert_status(&res, StatusCode::OK);
        assert_eq!(
            (
                json["contact"]["title"].clone(),
                json["contact"]["email"].clone()
            ),
            (json!("Genius"), json!("wile@acme.example"))
        );

        // A read-only key reads but never writes.
        let (res, _) = rest(
            &app,
            Method::GET,
            &format!("contacts/{wile_id}"),
            &viewer,
            None,
        )
        .await;
        assert_status(&res, StatusCode::OK);
        let (res, json) = rest(
            &app,
            Method::PUT,
            &format!("contacts/{wile_id}"),
            &viewer,
            Some(json!({"contact": {"title": "x"}})),
        )
        .await;
        assert_refused(&res, &json, StatusCode::FORBIDDEN);

        // A technician restricted to Globex reaches nothing of ACME's by id.
        common::restrict(db, tech_id, &[globex]).await;
        let requests = [
            (Method::GET, format!("clients/{acme}"), None),
            (
                Method::PUT,
                format!("clients/{acme}"),
                Some(json!({"client": {"notes": "x"}})),
            ),
            (Method::GET, format!("clients/{acme}/locations"), None),
            (
                Method::POST,
                format!("clients/{acme}/locations"),
                Some(json!({"location": {"name": "Shed", "state": "UT", "country": "NL"}})),
            ),
            (Method::GET, format!("locations/{depot}"), None),
            (
                Method::PUT,
                format!("locations/{depot}"),
                Some(json!({"location": {"notes": "x"}})),
            ),
            (Method::GET, format!("contacts/{wile_id}"), None),
            (
                Method::PUT,
                format!("contacts/{wile_id}"),
                Some(json!({"contact": {"title": "x"}})),
            ),
            (
                Method::POST,
                "contacts".to_string(),
                Some(json!({"contact": {"client_id": acme, "name": "Mole"}})),
            ),
        ];
        for (method, path, body) in requests {
            let (res, json) = rest(&app, method.clone(), &path, &tech, body).await;
            assert_refused(&res, &json, StatusCode::NOT_FOUND);
        }
        let (_, json) = rest(&app, Method::GET, "clients", &tech, None).await;
        assert_eq!(names(&json, "clients"), ["Globex"]);
        let (_, json) = rest(&app, Method::GET, "contacts", &tech, None).await;
        assert_eq!(names(&json, "contacts"), ["Hank Scorpio"]);
        let (_, json) = rest(&app, Method::GET, "locations", &tech, None).await;
        assert_eq!(
            (names(&json, "locations"), &json["total"]),
            (vec!["HQ".to_string()], &json!(1))
        );
        assert_eq!(json["locations"][0]["client_id"], globex);
        let (_, json) = rest(&app, Method::GET, "locations", &admin, None).await;
        assert_eq!(names(&json, "locations"), ["HQ", "HQ", "Depot"]);
        let (_, json) = rest(
            &app,
            Method::GET,
            &format!("locations?client_id={acme}&page_size=1&page=2"),
            &admin,
            None,
        )
        .await;
        assert_eq!(
            (names(&json, "locations"), &json["total"]),
            (vec!["Depot".to_string()], &json!(2))
        );

        // Archive then delete a contact.
        let path = format!("contacts/{wile_id}");
        let (res, _) = rest(
            &app,
            Method::PUT,
            &path,
            &admin,
            Some(json!({"contact": {"active": false}})),
        )
        .await;
        assert_status(&res, StatusCode::OK);
        let (res, _) = rest(&app, Method::DELETE, &path, &admin, None).await;
        assert_status(&res, StatusCode::NO_CONTENT);
        let (res, json) = rest(&app, Method::GET, &path, &admin, None).await;
        assert_refused(&res, &json, StatusCode::NOT_FOUND);
    });
}

#[tokio::test]
async fn the_openapi_document_covers_every_operation_and_the_fields_the_api_takes() {
    on_each_engine!(|db| {
        let app = app(db);
        let res = common::web::get(&app, "/api/openapi.json", None).await;
        assert_status(&res, StatusCode::OK);
        let doc: Value = serde_json::from_str(&res.body).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        let paths = doc["paths"].as_object().unwrap();
        let mut operations = 0;
        for (path, item) in paths {
            for (method, operation) in item.as_object().unwrap() {
                operations += 1;
                for status in ["401", "404", "422"] {
                    assert!(
                        operation["responses"][status].is_object(),
                        "{method} {path} {status}"
                    );
                }
                // Every documented operation exists: without a key it answers 401, not 404/405
                // (after 20 such calls, 429: the throttle guards matched routes only).
                let uri = path.replace("{id}", "1");
                let req = Request::builder()
                    .method(method.to_uppercase().as_str())
                    .uri(&uri)
                    .body(Body::empty())
                    .unwrap();
                let res = send(&app, req).await;
                assert!(
                    [StatusCode::UNAUTHORIZED, StatusCode::TOO_MANY_REQUESTS].contains(&res.status),
                    "{method} {uri}: {}",
                    res.status
                );
            }
        }
        assert_eq!(operations, 24);
        // Those keyless calls blocked this address; lift the block for the calls below.
        docket::on_pool!(db, pool => sqlx::query("DELETE FROM throttle").execute(pool).await.map(|_| ()))
            .unwrap();

        // Each schema's fields are the ones the API takes: every documented input field of a
        // client is accepted, and the answer carries every documented output field.
        let schemas = &doc["components"]["schemas"];
        let (_, key) = key(db, "tech@example.com", Role::Technician).await;
        let (res, json) = rest(
            &app,
            Method::POST,
            "clients",
            &key,
            Some(acme_body("ACME Corp")),
        )
        .await;
        assert_status(&res, StatusCode::CREATED);
        let client = json["client"]["id"].as_i64().unwrap();
        let wile = json!({"contact": {"client_id": client, "name": "Wile E. Coyote"}});
        let (res, contact) = rest(&app, Method::POST, "contacts", &key, Some(wile)).await;
        assert_status(&res, StatusCode::CREATED);
        for (schema, record) in [
            ("Client", &json["client"]),
            ("Location", &json["client"]["primary_location"]),
            ("Contact", &contact["contact"]),
        ] {
            let documented: Vec<&String> = schemas[schema]["properties"]
                .as_object()
                .unwrap()
                .keys()
                .collect();
            let answered: Vec<&String> = record.as_object().unwrap().keys().collect();
            assert_eq!(documented, answered, "{schema}");
        }
        let id = client;
        let mut change = serde_json::Map::new();
        for (field, kind) in schemas["ClientFields"]["properties"].as_object().unwrap() {
            if field == "active" {
                continue;
            }
            let value = match kind["type"].as_str() {
                Some("boolean") => json!(true),
                _ => json!(json["client"][field].clone()),
            };
            change.insert(field.clone(), value);
        }
        let (res, _) = rest(
            &app,
            Method::PUT,
            &format!("clients/{id}"),
            &key,
            Some(json!({"client": change})),
        )
        .await;
        assert_status(&res, StatusCode::OK);
    });
}

#[tokio::test]
async fn the_reference_page_shows_every_operation_and_schema() {
    on_each_engine!(|db| {
        let app = app(db);
        let tech = common::create_user(db, "tech@example.com", Role::Technician, PASSWORD).await;
        let cookie = common::session_cookie(db, tech).await;
        let res = common::web::get(&app, "/docs/api", Some(&cookie)).await;
        assert_status(&res, StatusCode::OK);
        let doc = common::web::get(&app, "/api/openapi.json", None).await;
        let doc: Value = serde_json::from_str(&doc.body).unwrap();
        for path in doc["paths"].as_object().unwrap().keys() {
            assert!(res.body.contains(&format!("<code>{path}</code>")), "{path}");
        }
        for schema in doc["components"]["schemas"].as_object().unwrap().keys() {
            assert!(
                res.body.contains(&format!("id=\"schema-{schema}\"")),
                "{schema}"
            );
        }
        assert!(res.body.contains("href=\"#schema-ClientInput\""));
        assert!(
            !res.body.contains("https://"),
            "nothing is loaded from elsewhere"
        );
    });
}

/// Every page of a sync of `path` (a list of records) from `start`, following `next`: the
/// names seen, and the last answer's cursor.
async fn sync(app: &axum::Router, key: &str, path: &str, start: &str) -> (Vec<String>, String) {
    let kind = path.rsplit('/').next().unwrap();
    let (mut seen, mut query) = (Vec::new(), start.to_string());
    loop {
        let (res, json) = rest(
            app,
            Method::GET,
            &format!("{path}?page_size=2&{query}"),
            key,
            None,
        )
        .await;
        assert_status(&res, StatusCode::OK);
        let page = names(&json, kind);
        let next = json["next"].as_str().unwrap().to_string();
        query = format!("cursor={next}");
        if page.is_empty() {
            return (seen, next);
        }
        seen.extend(page);
    }
}

#[tokio::test]
async fn a_sync_sees_every_change_once_while_writes_happen_and_sees_deletions() {
    on_each_engine!(|db| {
        let app = app(db);
        let (_, admin) = key(db, "boss@example.com", Role::Admin).await;
        let (narrow_id, narrow) = key(db, "narrow@example.com", Role::Technician).await;
        let start = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let mut ids = Vec::new();
        for name in ["A", "B", "C", "D", "E"] {
            let (_, json) =
                rest(&app, Method::POST, "clients", &admin, Some(acme_body(name))).await;
            ids.push(json["client"]["id"].as_i64().unwrap());
        }
        let settle = std::time::Duration::from_millis(5200);
        tokio::time::sleep(settle).await;

        // The first page, then writes: A changes (it moves behind E) and F appears.
        let (_, json) = rest(
            &app,
            Method::GET,
            &format!("clients?page_size=2&updated_from={start}"),
            &admin,
            None,
        )
        .await;
        assert_eq!(names(&json, "clients"), ["A", "B"]);
        let next = json["next"].as_str().unwrap().to_string();
        let change = json!({"client": {"notes": "moved"}});
        rest(
            &app,
            Method::PUT,
            &format!("clients/{}", ids[0]),
            &admin,
            Some(change),
        )
        .await;
        rest(&app, Method::POST, "clients", &admin, Some(acme_body("F"))).await;
        // Changes still settling wait for the next call; nothing is skipped or repeated.
        let (seen, cursor) = sync(&app, &admin, "clients", &format!("cursor={next}")).await;
        assert_eq!(seen, ["C", "D", "E"]);
        tokio::time::sleep(settle).await;
        let (seen, cursor) = sync(&app, &admin, "clients", &format!("cursor={cursor}")).await;
        assert_eq!(seen, ["A", "F"]);
        let (seen, _) = sync(&app, &admin, "clients", &format!("cursor={cursor}")).await;
        assert!(seen.is_empty());
        let (res, json) = rest(&app, Method::GET, "clients?cursor=banana", &admin, None).await;
        assert_refused(&res, &json, StatusCode::BAD_REQUEST);

        // Deletions are visible to whoever could see the record, and to no one else.
        common::restrict(db, narrow_id, &[ids[1], ids[2]]).await;
        let (_, json) = rest(
            &app,
            Method::GET,
            &format!("contacts?client_id={}", ids[3]),
            &admin,
            None,
        )
        .await;
        assert_eq!(json["total"], 0);
        let wile = json!({"contact": {"client_id": ids[2], "name": "Wile"}});
        let (_, json) = rest(&app, Method::POST, "contacts", &admin, Some(wile)).await;
        let wile = json["contact"]["id"].as_i64().unwrap();
        let gone = [
            ("clients", ids[1], "client"),
            ("contacts", wile, "contact"),
            ("clients", ids[3], "client"),
        ];
        for (path, id, kind) in gone {
            let archive = json!({kind: {"active": false}});
            let (res, _) = rest(
                &app,
                Method::PUT,
                &format!("{path}/{id}"),
                &admin,
                Some(archive),
            )
            .await;
            assert_status(&res, StatusCode::OK);
            let (res, _) = rest(&app, Method::DELETE, &format!("{path}/{id}"), &admin, None).await;
            assert_status(&res, StatusCode::NO_CONTENT);
        }
        let deleted = |json: &Value| -> Vec<(String, i64)> {
            json["deleted"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| {
                    (
                        d["type"].as_str().unwrap().to_string(),
                        d["id"].as_i64().unwrap(),
                    )
                })
                .collect()
        };
        let (_, json) = rest(
            &app,
            Method::GET,
            &format!("deleted?since={start}"),
            &admin,
            None,
        )
        .await;
        assert_eq!(
            deleted(&json),
            [
                ("client".into(), ids[1]),
                ("contact".into(), wile),
                ("client".into(), ids[3])
            ]
        );
        let (_, json) = rest(
            &app,
            Method::GET,
            &format!("deleted?since={start}"),
            &narrow,
            None,
        )
        .await;
        assert_eq!(
            deleted(&json),
            [("client".into(), ids[1]), ("contact".into(), wile)]
        );
        let (_, json) = rest(
            &app,
            Method::GET,
            "deleted?since=2999-01-01T00:00:00Z",
            &admin,
            None,
        )
        .await;
        assert!(deleted(&json).is_empty());
        let (res, json) = rest(&app, Method::GET, "deleted", &admin, None).await;
        assert_refused(&res, &json, StatusCode::UNPROCESSABLE_ENTITY);
    });
}

#[tokio::test]
async fn contacts_and_locations_sync_the_same_way() {
    on_each_engine!(|db| {
        let app = app(db);
        let (_, admin) = key(db, "boss@example.com", Role::Admin).await;
        let start = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let (_, json) = rest(
            &app,
            Method::POST,
            "clients",
            &admin,
            Some(acme_body("Acme")),
        )
        .await;
        let acme = json["client"]["id"].as_i64().unwrap();
        let hq = json["client"]["primary_location"]["id"].as_i64().unwrap();
        let mut ids = Vec::new();
        for name in ["Ann", "Bob", "Cy"] {
            let body = json!({"contact": {"client_id": acme, "name": name}});
            let (_, json) = rest(&app, Method::POST, "contacts", &admin, Some(body)).await;
            ids.push(json["contact"]["id"].as_i64().unwrap());
        }
        let settle = std::time::Duration::from_millis(5200);
        tokio::time::sleep(settle).await;

        // In change order, not by name: Ann, then Bob; then Ann changes, Dee and a depot come.
        let (_, json) = rest(
            &app,
            Method::GET,
            &format!("contacts?page_size=2&updated_from={start}"),
            &admin,
            None,
        )
        .await;
        assert_eq!(
            (names(&json, "contacts"), &json["total"]),
            (vec!["Ann".into(), "Bob".into()], &json!(3))
        );
        let next = json["next"].as_str().unwrap().to_string();
        let change = json!({"contact": {"title": "Boss"}});
        rest(
            &app,
            Method::PUT,
            &format!("contacts/{}", ids[0]),
            &admin,
            Some(change),
        )
        .await;
        let dee = json!({"contact": {"client_id": acme, "name": "Dee"}});
        rest(&app, Method::POST, "contacts", &admin, Some(dee)).await;
        let depot = json!({"location": {"name": "Depot", "state": "UT", "country": "NL"}});
        let locations = format!("clients/{acme}/locations");
        rest(&app, Method::POST, &locations, &admin, Some(depot)).await;
        let change = json!({"location": {"notes": "Ring twice"}});
        rest(
            &app,
            Method::PUT,
            &format!("locations/{hq}"),
            &admin,
            Some(change),
        )
        .await;

        let (seen, contacts) = sync(&app, &admin, "contacts", &format!("cursor={next}")).await;
        assert_eq!(seen, ["Cy"]);
        let (seen, all) = sync(&app, &admin, "locations", &format!("updated_from={start}")).await;
        assert!(seen.is_empty(), "the HQ change is still settling: {seen:?}");
        let (seen, own) = sync(&app, &admin, &locations, &format!("updated_from={start}")).await;
        assert!(seen.is_empty(), "{seen:?}");
        tokio::time::sleep(settle).await;
        let (seen, _) = sync(&app, &admin, "contacts", &format!("cursor={contacts}")).await;
        assert_eq!(seen, ["Ann", "Dee"]);
        for (path, cursor) in [("locations", all), (locations.as_str(), own)] {
            let (seen, _) = sync(&app, &admin, path, &format!("cursor={cursor}")).await;
            assert_eq!(seen, ["Depot", "HQ"], "{path}");
        }
        let (_, json) = rest(
            &app,
            Method::GET,
            &format!("contacts?created_from={start}&search=de"),
            &admin,
            None,
        )
        .await;
        assert_eq!(names(&json, "contacts"), ["Dee"]);
    });
}
