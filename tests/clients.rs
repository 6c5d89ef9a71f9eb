//! The client record on every engine: the data layer's queries and rules, then the server
//! functions and CSV export through the real router.

mod common;

use axum::http::StatusCode;
use common::web::{app, call, get};
use docket::accounts::model::Role;
use docket::audit::model::AuditFilter;
use docket::clients::model::{
    Archived, ClientFilter, ClientInput, ClientSort, ContactFilter, ContactInput, LocationInput,
};
use docket::error::AppError;
use docket::server::db::{Db, Scope};

const PASSWORD: &str = "violet-harbour-kettle";

fn client(name: &str) -> ClientInput {
    ClientInput {
        name: name.into(),
        ..ClientInput::blank()
    }
}

fn location(name: &str, city: &str) -> LocationInput {
    LocationInput {
        name: name.into(),
        city: city.into(),
        country: "NL".into(),
        ..Default::default()
    }
}

fn contact(name: &str, email: &str, phone: &str) -> ContactInput {
    ContactInput {
        name: name.into(),
        email: email.into(),
        phone: phone.into(),
        ..Default::default()
    }
}

/// A client with one location and one contact; returns (client, location, contact) ids.
async fn seed(db: &Db, name: &str, city: &str, person: (&str, &str, &str)) -> (i64, i64, i64) {
    let mut tx = db.begin().await.unwrap();
    let c = tx.insert_client(&client(name)).await.unwrap();
    let l = tx.insert_location(c, &location("HQ", city)).await.unwrap();
    let k = tx
        .insert_contact(c, &contact(person.0, person.1, person.2))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (c, l, k)
}

fn search(q: &str) -> ClientFilter {
    ClientFilter {
        q: Some(q.into()),
        ..Default::default()
    }
}

async fn names(db: &Db, scope: Scope, f: &ClientFilter) -> Vec<String> {
    let page = db.list_clients(scope, 0, f).await.unwrap();
    page.rows.into_iter().map(|r| r.name).collect()
}

#[tokio::test]
async fn the_list_searches_clients_their_contacts_and_locations() {
    on_each_engine!(|db| {
        seed(
            db,
            "ACME Corp",
            "Utrecht",
            ("Wile Coyote", "wile@acme.test", "+1 (555) 010-0199"),
        )
        .await;
        seed(
            db,
            "Globex",
            "Springfield",
            ("Hank Scorpio", "hank@globex.test", "555 777 1234"),
        )
        .await;
        let mut tx = db.begin().await.unwrap();
        let tag = tx.insert_tag("client", "VIP", "#aa0000").await.unwrap();
        let mut initech = client("Initech");
        initech.industry = "Software".into();
        initech.website = "https://www.initech.test/about".into();
        initech.tag_ids = vec![tag];
        initech.lead = true;
        tx.insert_client(&initech).await.unwrap();
        tx.commit().await.unwrap();

        let all = Scope::ALL;
        assert_eq!(names(db, all, &search("acme")).await, ["ACME Corp"]);
        assert_eq!(
            names(db, all, &search("0100199")).await,
            ["ACME Corp"],
            "phone digits"
        );
        assert_eq!(
            names(db, all, &search("555-777")).await,
            ["Globex"],
            "typed differently"
        );
        assert_eq!(
            names(db, all, &search("springf")).await,
            ["Globex"],
            "location city"
        );
        assert_eq!(
            names(db, all, &search("HANK@")).await,
            ["Globex"],
            "contact email"
        );
        assert_eq!(
            names(db, all, &search("initech.test")).await,
            ["Initech"],
            "domain from website"
        );
        assert_eq!(
            names(db, all, &search("vip")).await,
            ["Initech"],
            "tag name"
        );
        assert_eq!(
            names(db, all, &search("softw")).await,
            ["Initech"],
            "industry"
        );
        assert!(
            names(db, all, &search("a_me")).await.is_empty(),
            "typed wildcards match nothing"
        );

        let leads = ClientFilter {
            lead: Some(true),
            ..Default::default()
        };
        assert_eq!(names(db, all, &leads).await, ["Initech"]);
        let tagged = ClientFilter {
            tag: Some(tag),
            ..Default::default()
        };
        assert_eq!(names(db, all, &tagged).await, ["Initech"]);
        let industry = ClientFilter {
            industry: Some("Software".into()),
            ..Default::default()
        };
        assert_eq!(names(db, all, &industry).await, ["Initech"]);
        let future = ClientFilter {
            from: Some("2999-01-01".into()),
            ..Default::default()
        };
        assert!(names(db, all, &future).await.is_empty());

        // Paging keeps the total.
        let small = ClientFilter {
            size: 25,
            sort: ClientSort::Name,
            ..Default::default()
        };
        let page = db.list_clients(all, 0, &small).await.unwrap();
        assert_eq!(page.total, 3);
        let row = &page.rows[0];
        assert_eq!(row.name, "ACME Corp");
        assert_eq!(row.primary_contact.as_deref(), Some("Wile Coyote"));
        assert_eq!(row.city.as_deref(), Some("Utrecht"));
        assert_eq!((row.contacts, row.locations), (1, 1));
        let second = ClientFilter {
            page: 2,
            size: 25,
            ..Default::default()
        };
        let page = db.list_clients(all, 0, &second).await.unwrap();
        assert_eq!((page.total, page.rows.len()), (3, 0));
    });
}

#[tokio::test]
async fn recently_opened_clients_come_first_and_archived_ones_leave_the_list() {
    on_each_engine!(|db| {
        let user = common::create_user(db, "tech@example.com", Role::Technician, PASSWORD).await;
        let (a, ..) = seed(db, "Alpha", "A", ("Ann", "ann@a.test", "")).await;
        let (_b, ..) = seed(db, "Bravo", "B", ("Bob", "bob@b.test", "")).await;
        let (c, ..) = seed(db, "Charlie", "C", ("Cat", "cat@c.test", "")).await;
        db.record_client_open(user, a).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        db.record_client_open(user, c).await.unwrap();
        let page = db
            .list_clients(Scope::ALL, user, &ClientFilter::default())
            .await
            .unwrap();
        let order: Vec<_> = page.rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(order, ["Charlie", "Alpha", "Bravo"]);
        // Pages run on from the opened clients into the rest, each client once.
        let mut paged = Vec::new();
        for page in 1..=4 {
            let f = ClientFilter {
                page,
                size: 2,
                ..Default::default()
            };
            let page = db.list_clients(Scope::ALL, user, &f).await.unwrap();
            assert_eq!(page.total, 3);
            paged.extend(page.rows.into_iter().map(|r| r.name));
        }
        assert_eq!(paged, ["Charlie", "Alpha", "Bravo"]);
        // Filters apply to the opened clients too.
        let found = db
            .list_clients(Scope::ALL, user, &search("alpha"))
            .await
            .unwrap();
        let found: Vec<_> = found.rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(found, ["Alpha"]);

        let mut tx = db.begin().await.unwrap();
        tx.set_client_archived(c, true).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            names(db, Scope::ALL, &search("charlie")).await,
            Vec::<String>::new()
        );
        let active = db
            .list_clients(Scope::ALL, user, &ClientFilter::default())
            .await
            .unwrap();
        assert_eq!(
            (active.total, active.rows.len()),
            (2, 2),
            "the kept count of active clients"
        );
        let archived = ClientFilter {
            archived: Archived::Only,
            ..Default::default()
        };
        assert_eq!(names(db, Scope::ALL, &archived).await, ["Charlie"]);
        let contacts = db
            .list_contacts(Scope::ALL, &ContactFilter::default())
            .await
            .unwrap();
        assert_eq!(
            contacts.total, 3,
            "contacts of archived clients stay findable"
        );
    });
}

#[tokio::test]
async fn a_client_has_exactly_one_primary_location_while_it_has_any() {
    on_each_engine!(|db| {
        let (c, hq, _) = seed(db, "ACME", "Utrecht", ("Wile", "", "")).await;
        let primary = |locs: Vec<docket::clients::model::Location>| {
            locs.into_iter()
                .filter(|l| l.fields.primary)
                .map(|l| l.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            primary(db.locations_of(c).await.unwrap()),
            [hq],
            "the first is primary"
        );

        let mut tx = db.begin().await.unwrap();
        let branch = tx
            .insert_location(c, &location("Branch", "Delft"))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(primary(db.locations_of(c).await.unwrap()), [hq]);

        let mut tx = db.begin().await.unwrap();
        let mut moved = location("Branch", "Delft");
        moved.primary = true;
        tx.update_location(branch, c, &moved).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            primary(db.locations_of(c).await.unwrap()),
            [branch],
            "moved, not doubled"
        );

        let mut tx = db.begin().await.unwrap();
        tx.set_location_archived(branch, c, true).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            primary(db.locations_of(c).await.unwrap()),
            [hq],
            "promoted on archive"
        );

        // The database itself refuses a second active primary.
        let sql = "UPDATE locations SET is_primary = TRUE, archived_at = NULL WHERE id = $1";
        let doubled = docket::on_pool!(db, pool => sqlx::query(sql).bind(branch).execute(pool).await.map(|_| ()));
        assert!(doubled.is_err(), "unique partial index");
    });
}

#[tokio::test]
async fn contact_emails_are_unique_across_docket_and_one_contact_is_primary() {
    on_each_engine!(|db| {
        let (acme, _, wile) =
            seed(db, "ACME Corp", "Utrecht", ("Wile", "Wile@Acme.test", "")).await;
        let (globex, ..) = seed(
            db,
            "Globex",
            "Springfield",
            ("Hank", "hank@globex.test", ""),
        )
        .await;
        let owner = db
            .email_owner("wile@acme.TEST", None)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (owner.contact_id, owner.client_name.as_str()),
            (wile, "ACME Corp")
        );
        assert_eq!(
            db.email_owner("wile@acme.test", Some(wile)).await.unwrap(),
            None
        );

        let mut tx = db.begin().await.unwrap();
        let err = tx
            .insert_contact(globex, &contact("Imposter", "WILE@acme.test", ""))
            .await
            .unwrap_err();
        assert!(
            matches!(err, AppError::Invalid(ref f) if f[0].field == "contact[email]"),
            "{err:?}"
        );
        drop(tx);

        let mut tx = db.begin().await.unwrap();
        let mut road = contact("Road Runner", "", "555 0100");
        road.primary = true;
        road.technical = true;
        let rr = tx.insert_contact(acme, &road).await.unwrap();
        // A second contact without email is fine: empty emails are not unique.
        tx.insert_contact(acme, &contact("No Mail", "", ""))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let contacts = db.contacts_of(acme).await.unwrap();
        let primaries: Vec<_> = contacts
            .iter()
            .filter(|k| k.fields.primary)
            .map(|k| k.id)
            .collect();
        assert_eq!(primaries, [rr], "setting a primary clears the old one");
        assert_eq!(contacts[0].id, rr, "primary first");

        let techs = ContactFilter {
            flag: Some("technical".into()),
            ..Default::default()
        };
        let page = db.list_contacts(Scope::ALL, &techs).await.unwrap();
        assert_eq!(
            page.rows
                .iter()
                .map(|k| k.fields.name.as_str())
                .collect::<Vec<_>>(),
            ["Road Runner"]
        );
        let by_phone = ContactFilter {
            q: Some("5550100".into()),
            ..Default::default()
        };
        assert_eq!(
            db.list_contacts(Scope::ALL, &by_phone).await.unwrap().total,
            1
        );
    });
}

#[tokio::test]
async fn only_archived_records_can_be_deleted_and_deleting_takes_their_dependents() {
    on_each_engine!(|db| {
        let (c, l, k) = seed(db, "ACME", "Utrecht", ("Wile", "wile@acme.test", "")).await;
        let mut tx = db.begin().await.unwrap();
        assert!(
            !tx.delete_archived_client(c).await.unwrap(),
            "active clients stay"
        );
        tx.set_client_archived(c, true).await.unwrap();
        assert!(tx.delete_archived_client(c).await.unwrap());
        tx.commit().await.unwrap();
        assert!(db.client(Scope::ALL, c).await.unwrap().is_none());
        assert!(db.location(l).await.unwrap().is_none());
        assert!(db.contact(Scope::ALL, k).await.unwrap().is_none());
        assert_eq!(
            db.email_owner("wile@acme.test", None).await.unwrap(),
            None,
            "email free again"
        );
    });
}

#[tokio::test]
async fn restricted_technicians_see_only_their_clients() {
    on_each_engine!(|db| {
        let (acme, _, wile) = seed(db, "ACME", "Utrecht", ("Wile", "wile@acme.test", "")).await;
        let (globex, _, hank) = seed(
            db,
            "Globex",
            "Springfield",
            ("Hank", "hank@globex.test", ""),
        )
        .await;
        let tech = common::create_user(db, "tech@example.com", Role::Technician, PASSWORD).await;
        common::restrict(db, tech, &[acme]).await;
        let scope = Scope::user(tech);
        assert_eq!(names(db, scope, &ClientFilter::default()).await, ["ACME"]);
        assert!(db.client(scope, globex).await.unwrap().is_none());
        assert!(db.contact(scope, hank).await.unwrap().is_none());
        assert!(db.contact(scope, wile).await.unwrap().is_some());
        assert_eq!(
            db.list_contacts(scope, &ContactFilter::default())
                .await
                .unwrap()
                .total,
            1
        );
        assert_eq!(
            db.user_clients(tech).await.unwrap(),
            [(acme, "ACME".to_string())]
        );

        // Through the router: the other client is "not found", its export empty.
        let app = app(db);
        let cookie = common::session_cookie(db, tech).await;
        let res = call(
            &app,
            "client_detail",
            &[("id", &globex.to_string())],
            Some(&cookie),
        )
        .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let res = call(
            &app,
            "save_contact",
            &[("client_id", &globex.to_string()), ("contact[name]", "X")],
            Some(&cookie),
        )
        .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let csv = get(
            &app,
            &format!("/clients/export.csv?ids={acme},{globex}"),
            Some(&cookie),
        )
        .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.body.contains("\"ACME\"") && !csv.body.contains("Globex"),
            "{}",
            csv.body
        );
        // A hidden client cannot be chosen as a parent, even by its number.
        let res = call(
            &app,
            "update_client",
            &[
                ("id", &acme.to_string()),
                ("client[name]", "ACME"),
                ("client[currency]", "USD"),
                ("client[parent_id]", &format!("#{globex}")),
            ],
            Some(&cookie),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(res.body.contains("Choose a parent client"), "{}", res.body);
        // The email of a contact on a hidden client is reported without naming the client.
        let res = call(
            &app,
            "email_owner",
            &[("email", "hank@globex.test")],
            Some(&cookie),
        )
        .await;
        assert!(
            res.body.contains("another client") && !res.body.contains("Globex"),
            "{}",
            res.body
        );
    });
}

async fn audit_rows(db: &Db) -> Vec<docket::audit::model::AuditRow> {
    db.list_audit(&AuditFilter {
        page_size: Some(200),
        ..Default::default()
    })
    .await
    .unwrap()
    .rows
}

#[tokio::test]
async fn the_new_client_form_saves_everything_or_nothing() {
    on_each_engine!(|db| {
        let app = app(db);
        let tech = common::create_user(db, "tech@example.com", Role::Technician, PASSWORD).await;
        let cookie = common::session_cookie(db, tech).await;
        seed(
            db,
            "Globex",
            "Springfield",
            ("Hank", "hank@globex.test", ""),
        )
        .await;
        let form = |email: &'static str| {
            vec![
                ("client[name]", "ACME Corp"),
                ("client[currency]", "EUR"),
                ("client[hourly_rate]", "125.5"),
                ("client[net_terms]", "14"),
                ("location[city]", "Utrecht"),
                ("location[country]", "nl"),
                ("contact[name]", "Wile Coyote"),
                ("contact[email]", email),
                ("contact[mobile]", "+31 6 1234 5678"),
            ]
        };
        // The contact's email belongs to Globex: nothing at all is written.
        let res = call(
            &app,
            "create_client",
            &form("HANK@globex.test"),
            Some(&cookie),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(
            res.body.contains("contact[email]") && res.body.contains("Globex"),
            "{}",
            res.body
        );
        assert!(names(db, Scope::ALL, &search("acme")).await.is_empty());

        let mut bad = form("wile@acme.test");
        bad[1] = ("client[currency]", "EURO");
        bad[5] = ("location[country]", "XX");
        let res = call(&app, "create_client", &bad, Some(&cookie)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.body.contains("client[currency]") && res.body.contains("location[country]"),
            "{}",
            res.body
        );

        let res = call(
            &app,
            "create_client",
            &form("wile@acme.test"),
            Some(&cookie),
        )
        .await;
        assert!(
            res.status.is_success() || res.status.is_redirection(),
            "{} {}",
            res.status,
            res.body
        );
        let page = db
            .list_clients(Scope::ALL, tech, &search("acme"))
            .await
            .unwrap();
        let id = page.rows[0].id;
        let c = db.client(Scope::ALL, id).await.unwrap().unwrap();
        assert_eq!(
            (
                c.fields.currency.as_str(),
                c.fields.hourly_rate.as_str(),
                c.fields.net_terms.as_str()
            ),
            ("EUR", "125.50", "14")
        );
        let locs = db.locations_of(id).await.unwrap();
        assert_eq!(
            (
                locs[0].fields.name.as_str(),
                locs[0].fields.country.as_str(),
                locs[0].fields.primary
            ),
            ("Main office", "NL", true)
        );
        let people = db.contacts_of(id).await.unwrap();
        assert!(people[0].fields.primary);
        assert_eq!(
            people[0].fields.mobile, "+31 6 1234 5678",
            "shown as entered"
        );
        let by_mobile = ContactFilter {
            q: Some("612345678".into()),
            ..Default::default()
        };
        assert_eq!(
            db.list_contacts(Scope::ALL, &by_mobile)
                .await
                .unwrap()
                .total,
            1,
            "found by digits"
        );

        let actions: Vec<_> = audit_rows(db).await.into_iter().map(|r| r.action).collect();
        for a in ["client.create", "location.create", "contact.create"] {
            assert!(actions.contains(&a.to_string()), "{a} in {actions:?}");
        }
        // Similar names are found while typing.
        let res = call(
            &app,
            "similar_clients",
            &[("name", "Acme corp."), ("domain", "")],
            Some(&cookie),
        )
        .await;
        assert!(res.body.contains("ACME Corp"), "{}", res.body);
    });
}

#[tokio::test]
async fn edits_bulk_actions_and_archiving_are_audited_per_record() {
    on_each_engine!(|db| {
        let app = app(db);
        let admin = common::create_user(db, "boss@example.com", Role::Admin, PASSWORD).await;
        let cookie = common::session_cookie(db, admin).await;
        let (a, ..) = seed(db, "Alpha", "A", ("Ann", "ann@a.test", "")).await;
        let (b, ..) = seed(db, "Bravo", "B", ("Bob", "bob@b.test", "")).await;
        let res = call(
            &app,
            "create_tag",
            &[
                ("kind", "client"),
                ("name", "Managed"),
                ("colour", "#00aa00"),
            ],
            Some(&cookie),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let dup = call(
            &app,
            "create_tag",
            &[("kind", "client"), ("name", "managed"), ("colour", "")],
            Some(&cookie),
        )
        .await;
        assert_eq!(
            dup.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "tag names are unique per kind"
        );

        // Alpha's edit, with the parent picker's text.
        let update = |parent: String| {
            let app = app.clone();
            let cookie = cookie.clone();
            async move {
                call(
                    &app,
                    "update_client",
                    &[
                        ("id", &a.to_string()),
                        ("client[name]", "Alpha BV"),
                        ("client[currency]", "EUR"),
                        ("client[industry]", "Law"),
                        ("client[parent_id]", &parent),
                    ],
                    Some(&cookie),
                )
                .await
            }
        };
        let res = update(String::new()).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let rows = audit_rows(db).await;
        let entry = rows.iter().find(|r| r.action == "client.update").unwrap();
        let fields: Vec<_> = entry.changes.iter().map(|c| c.field.as_str()).collect();
        assert!(
            fields.contains(&"name")
                && fields.contains(&"currency")
                && fields.contains(&"industry"),
            "{fields:?}"
        );
        assert!(
            !fields.contains(&"website"),
            "unchanged fields are not listed"
        );

        // The parent picker's value names the client by its trailing number.
        let res = update(format!("Bravo #{b}")).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let alpha = db.client(Scope::ALL, a).await.unwrap().unwrap();
        assert_eq!(alpha.parent_name.as_deref(), Some("Bravo"));
        for bad in [format!("Alpha BV #{a}"), "Bravo".to_string()] {
            let res = update(bad.clone()).await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
            assert!(res.body.contains("client[parent_id]"), "{}", res.body);
        }

        let (sa, sb) = (a.to_string(), b.to_string());
        let res = call(
            &app,
            "bulk_clients",
            &[
                ("ids[0]", &sa),
                ("ids[1]", &sb),
                ("action", "tag_add"),
                ("value", "MANAGED"),
            ],
            Some(&cookie),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let managed = db.list_tags().await.unwrap()[0].id;
        let tagged = ClientFilter {
            tag: Some(managed),
            ..Default::default()
        };
        assert_eq!(names(db, Scope::ALL, &tagged).await.len(), 2);
        let page = db.list_clients(Scope::ALL, 0, &tagged).await.unwrap();
        assert!(page.rows.iter().all(|r| r.tag_ids == [managed]), "{page:?}");
        let res = call(
            &app,
            "bulk_clients",
            &[
                ("ids[0]", &sa),
                ("ids[1]", &sb),
                ("action", "net_terms"),
                ("value", "400"),
            ],
            Some(&cookie),
        )
        .await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad value, nothing changed"
        );
        let res = call(
            &app,
            "bulk_clients",
            &[("ids[0]", &sa), ("ids[1]", &sb), ("action", "archive")],
            Some(&cookie),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK);
        let rows = audit_rows(db).await;
        assert_eq!(
            rows.iter().filter(|r| r.action == "client.archive").count(),
            2,
            "one entry per record"
        );
        assert!(names(db, Scope::ALL, &ClientFilter::default())
            .await
            .is_empty());

        // Delete needs the exact name.
        let res = call(
            &app,
            "delete_archived",
            &[("kind", "client"), ("id", &sb), ("confirm", "bravo")],
            Some(&cookie),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let res = call(
            &app,
            "delete_archived",
            &[("kind", "client"), ("id", &sb), ("confirm", "Bravo")],
            Some(&cookie),
        )
        .await;
        assert!(
            res.status.is_success() || res.status.is_redirection(),
            "{}",
            res.status
        );
        assert!(db.client(Scope::ALL, b).await.unwrap().is_none());
        assert!(audit_rows(db)
            .await
            .iter()
            .any(|r| r.action == "client.delete"));
    });
}

#[tokio::test]
async fn csv_export_has_exactly_the_filtered_rows_with_formulas_neutralised() {
    on_each_engine!(|db| {
        let app = app(db);
        let tech = common::create_user(db, "tech@example.com", Role::Technician, PASSWORD).await;
        let cookie = common::session_cookie(db, tech).await;
        seed(
            db,
            "=HYPERLINK(\"http://evil\")",
            "X",
            ("Eve", "eve@evil.test", ""),
        )
        .await;
        seed(
            db,
            "Globex",
            "Springfield",
            ("Hank", "hank@globex.test", ""),
        )
        .await;
        seed(db, "Initech", "Austin", ("Bill", "bill@initech.test", "")).await;
        let anonymous = get(&app, "/clients/export.csv", None).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
        assert!(anonymous.header("location").unwrap().starts_with("/login"));
        let csv = get(&app, "/clients/export.csv?q=springfield", Some(&cookie)).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
        let lines: Vec<_> = csv.body.lines().collect();
        assert_eq!(lines.len(), 2, "{}", csv.body);
        assert!(lines[1].contains("\"Globex\""));
        let all = get(&app, "/clients/export.csv", Some(&cookie)).await;
        assert_eq!(all.body.lines().count(), 4);
        assert!(
            all.body.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""),
            "{}",
            all.body
        );
    });
}

#[tokio::test]
async fn a_search_that_many_clients_match_pages_in_name_order() {
    on_each_engine!(|db| {
        // More matches than the list reads one by one: it scans clients in name order instead.
        let mut tx = db.begin().await.unwrap();
        for i in (0..1010).rev() {
            let id = tx
                .insert_client(&client(&format!("Manyfold {i:04}")))
                .await
                .unwrap();
            if i == 3 {
                tx.set_client_archived(id, true).await.unwrap();
            }
        }
        tx.insert_client(&client("Other")).await.unwrap();
        tx.commit().await.unwrap();
        let expected: Vec<String> = (0..1010)
            .filter(|i| *i != 3)
            .map(|i| format!("Manyfold {i:04}"))
            .collect();
        for sort in [ClientSort::Name, ClientSort::Recent] {
            for page in [1, 2, 21] {
                let f = ClientFilter {
                    q: Some("manyfold".into()),
                    sort,
                    page,
                    ..Default::default()
                };
                let found = db.list_clients(Scope::ALL, 0, &f).await.unwrap();
                assert_eq!(found.total, 1009, "{sort:?}");
                let start = ((page - 1) * 50) as usize;
                let want = &expected[start.min(1009)..(start + 50).min(1009)];
                let got: Vec<String> = found.rows.into_iter().map(|r| r.name).collect();
                assert_eq!(got, want, "{sort:?} page {page}");
            }
        }
    });
}
