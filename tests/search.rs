//! Global search on every engine: any part of a name, email, phone digits in any format, city
//! or address; near misses; the index following every write; scoping and archived records;
//! and the page through the real router.

mod common;

use axum::http::StatusCode;
use common::web::{app, call, get};
use docket::accounts::model::Role;
use docket::clients::model::{ClientFilter, ClientInput, ClientSort, ContactInput, LocationInput};
use docket::search::Results;
use docket::server::db::{Db, Scope};

const PASSWORD: &str = "violet-harbour-kettle";

/// A client with one location and one contact; answers (client, location, contact) ids.
async fn record(
    db: &Db,
    name: &str,
    city: &str,
    person: &str,
    email: &str,
    phone: &str,
) -> (i64, i64, i64) {
    let mut tx = db.begin().await.unwrap();
    let client = ClientInput {
        name: name.into(),
        domain: format!("{}.example", name.split(' ').next().unwrap().to_lowercase()),
        ..ClientInput::blank()
    };
    let id = tx.insert_client(&client).await.unwrap();
    let location = LocationInput {
        name: "Head office".into(),
        address_1: "12 Harbour Street".into(),
        city: city.into(),
        ..Default::default()
    };
    let location = tx.insert_location(id, &location).await.unwrap();
    let contact = ContactInput {
        name: person.into(),
        email: email.into(),
        phone: phone.into(),
        ..Default::default()
    };
    let contact = tx.insert_contact(id, &contact).await.unwrap();
    tx.commit().await.unwrap();
    (id, location, contact)
}

/// (kind, title) of every hit, best first.
async fn found(db: &Db, scope: Scope, query: &str) -> Vec<(String, String)> {
    db.search(scope, query)
        .await
        .unwrap()
        .into_iter()
        .map(|h| (h.kind, h.title))
        .collect()
}

fn has(hits: &[(String, String)], kind: &str, title: &str) -> bool {
    hits.iter().any(|(k, t)| k == kind && t == title)
}

#[tokio::test]
async fn search_finds_any_part_near_misses_and_follows_every_write() {
    on_each_engine!(|db| {
        let (acme, _, wile) = record(
            db,
            "ACME Corporation",
            "Utrecht",
            "Wile Coyote",
            "wile@acme.example",
            "+1 (555) 010-2000",
        )
        .await;
        record(
            db,
            "Globex",
            "Springfield",
            "Hank Scorpio",
            "hank@globex.example",
            "555-867-5309",
        )
        .await;

        let all = Scope::ALL;
        let hits = found(db, all, "acme corp").await;
        assert_eq!(
            hits.first(),
            Some(&("client".into(), "ACME Corporation".into())),
            "{hits:?}"
        );
        // A whole name finds its client first, its short words ("BV", "2") included.
        for (n, name) in [
            "Larsen Studios BV",
            "Larsen Studios GmbH",
            "Larsen Studios BV 2",
        ]
        .into_iter()
        .enumerate()
        {
            let email = format!("kari{n}@larsen.example");
            record(db, name, "Oslo", "Kari Nordmann", &email, "").await;
        }
        let hits = found(db, all, "Larsen  Studios BV 2").await;
        assert_eq!(
            hits.first(),
            Some(&("client".into(), "Larsen Studios BV 2".into())),
            "{hits:?}"
        );
        let hits = found(db, all, "studios bv").await;
        assert!(
            !hits.is_empty() && hits.iter().all(|(_, t)| t.contains("Studios BV")),
            "{hits:?}"
        );
        // The client list's search holds the words as typed, together and in order.
        for (q, want) in [
            (
                "studios bv",
                vec!["Larsen Studios BV", "Larsen Studios BV 2"],
            ),
            ("Larsen Studios BV 2", vec!["Larsen Studios BV 2"]),
            ("bv studios", vec![]),
        ] {
            let filter = ClientFilter {
                q: Some(q.into()),
                sort: ClientSort::Name,
                ..ClientFilter::default()
            };
            let page = db.list_clients(all, 0, &filter).await.unwrap();
            let names: Vec<_> = page.rows.iter().map(|r| r.name.as_str()).collect();
            assert_eq!(names, want, "{q}");
        }
        assert!(has(
            &found(db, all, "orporat").await,
            "client",
            "ACME Corporation"
        ));
        assert!(has(
            &found(db, all, "WILE@acme").await,
            "contact",
            "Wile Coyote"
        ));
        assert!(has(
            &found(db, all, "555 010 2000").await,
            "contact",
            "Wile Coyote"
        ));
        assert!(has(
            &found(db, all, "(555) 867-5309").await,
            "contact",
            "Hank Scorpio"
        ));
        assert!(has(
            &found(db, all, "springfield").await,
            "location",
            "Head office"
        ));
        assert!(has(
            &found(db, all, "harbour street").await,
            "location",
            "Head office"
        ));
        // A typo still finds the record.
        assert!(
            has(&found(db, all, "globx").await, "client", "Globex"),
            "{:?}",
            found(db, all, "globx").await
        );
        assert!(has(
            &found(db, all, "scorpoi").await,
            "contact",
            "Hank Scorpio"
        ));
        assert!(found(db, all, "zq").await.is_empty(), "too short to search");
        assert!(found(db, all, "xylophone").await.is_empty());

        // The index follows changes, archiving and deletion.
        let mut tx = db.begin().await.unwrap();
        let renamed = ClientInput {
            name: "Roadrunner Supplies".into(),
            ..ClientInput::blank()
        };
        tx.update_client(acme, &renamed).await.unwrap();
        tx.set_contact_archived(wile, true).await.unwrap();
        tx.commit().await.unwrap();
        assert!(has(
            &found(db, all, "roadrunner").await,
            "client",
            "Roadrunner Supplies"
        ));
        assert!(!has(
            &found(db, all, "acme corporation").await,
            "client",
            "ACME Corporation"
        ));
        assert!(
            !has(&found(db, all, "wile").await, "contact", "Wile Coyote"),
            "archived"
        );
        let mut tx = db.begin().await.unwrap();
        tx.set_contact_archived(wile, false).await.unwrap();
        tx.commit().await.unwrap();
        assert!(
            has(&found(db, all, "wile").await, "contact", "Wile Coyote"),
            "restored"
        );
        let mut tx = db.begin().await.unwrap();
        tx.set_client_archived(acme, true).await.unwrap();
        tx.commit().await.unwrap();
        assert!(
            found(db, all, "roadrunner").await.is_empty(),
            "archived client"
        );
        let mut tx = db.begin().await.unwrap();
        assert!(tx.delete_archived_client(acme).await.unwrap());
        tx.commit().await.unwrap();
        assert!(
            found(db, all, "utrecht").await.is_empty(),
            "deleted with its client"
        );
    });
}

#[tokio::test]
async fn search_keeps_to_the_callers_clients_and_answers_by_kind() {
    on_each_engine!(|db| {
        let app = app(db);
        let (acme, ..) = record(
            db,
            "ACME Corporation",
            "Utrecht",
            "Wile Coyote",
            "wile@acme.example",
            "555-010-2000",
        )
        .await;
        record(
            db,
            "ACME Rockets",
            "Tucson",
            "Marvin Martian",
            "marvin@rockets.example",
            "555-010-3000",
        )
        .await;
        let tech = common::create_user(db, "tech@example.com", Role::Technician, PASSWORD).await;
        common::restrict(db, tech, &[acme]).await;
        let cookie = common::session_cookie(db, tech).await;

        let res = call(&app, "global_search", &[("q", "acme")], Some(&cookie)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let results: Results = serde_json::from_str(&res.body).unwrap();
        let titles: Vec<&str> = results.clients.iter().map(|h| h.title.as_str()).collect();
        assert_eq!(titles, ["ACME Corporation"]);
        assert!(results.contacts.iter().all(|h| h.client_id == acme));
        let res = call(
            &app,
            "global_search",
            &[("q", "555 010 3000")],
            Some(&cookie),
        )
        .await;
        let results: Results = serde_json::from_str(&res.body).unwrap();
        assert!(results.is_empty(), "another client's contact");
        let res = call(&app, "global_search", &[("q", "acme")], None).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);

        // The page works without JavaScript: the header's form lands on it.
        let page = get(&app, "/search?q=wile", Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Wile Coyote"), "{}", page.body);
        assert!(page.body.contains(&format!("/clients/{acme}?tab=contacts")));
        let home = get(&app, "/", Some(&cookie)).await;
        assert!(home.body.contains("id=\"global-search\""));
    });
}

#[tokio::test]
async fn list_and_global_search_read_only_what_matches_on_sqlite() {
    let test_db = common::sqlite().await;
    let db = &test_db.db;
    let mut plans = db.client_list_plans().await.unwrap();
    plans.push(("global search", db.search_plan().await.unwrap()));
    for (query, plan) in plans {
        assert!(!plan.is_empty(), "{query}: no plan");
        // Tables are read by key, or an index in its order until the page is full. Only the
        // small tags table may be read whole (the search index is a virtual table).
        // A subquery's rows (a co-routine) are read whole; its own steps are checked.
        let subqueries: Vec<String> = plan
            .iter()
            .filter_map(|step| step.strip_prefix("CO-ROUTINE "))
            .map(|name| format!("SCAN {name}"))
            .collect();
        let scans: Vec<&String> = plan
            .iter()
            .filter(|step| !subqueries.contains(step))
            .filter(|step| step.starts_with("SCAN") && !step.contains("VIRTUAL TABLE"))
            .filter(|step| !step.starts_with("SCAN tags"))
            // The indexes of active clients, read in order until the page or the cap is full.
            .filter(|step| !step.contains("INDEX clients_active_"))
            .collect();
        assert!(scans.is_empty(), "{query} scans a table: {plan:#?}");
        if query.starts_with("page after") {
            // The name order comes from the index; nothing is sorted.
            assert!(
                !plan
                    .iter()
                    .any(|step| step.contains("TEMP B-TREE FOR ORDER BY")),
                "{query} sorts every client: {plan:#?}"
            );
        }
        if query.starts_with("matches of") {
            // A search's matches are looked up by id, not found by reading active clients.
            assert!(
                plan.iter()
                    .any(|step| step.contains("SEARCH c USING INTEGER PRIMARY KEY")),
                "{query} reads clients to find the matches: {plan:#?}"
            );
        }
    }
    // The API's total of active clients reads a small index of active clients, not the
    // table; its page reads clients in id order until the page is full, sorting nothing.
    let api = db.api_client_plans().await.unwrap();
    let (_, count) = &api[0];
    assert!(
        count
            .iter()
            .any(|s| s.contains("COVERING INDEX clients_active_")),
        "{count:#?}"
    );
    let (_, page) = &api[1];
    assert!(!page.iter().any(|s| s.contains("TEMP B-TREE")), "{page:#?}");
    test_db.finish().await;
}
