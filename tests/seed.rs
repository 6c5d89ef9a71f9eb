//! `docket seed`: synthetic data that keeps the record's rules, the same for the same seed.

mod common;

use docket::clients::model::{Archived, ClientFilter, ClientSort, ContactFilter};
use docket::server::db::{ClientQuery, Db, Scope, TicketScope};
use docket::server::seed::seed;
use docket::tickets::model::{Status, TicketFilter};
use std::collections::HashSet;

async fn tickets(db: &Db) -> Vec<docket::tickets::model::Ticket> {
    let all = TicketFilter {
        show: "all".into(),
        sort: "number".into(),
        ..Default::default()
    };
    let (rows, _) = db
        .find_tickets(TicketScope::default(), &all, None, 1000, 0)
        .await
        .unwrap();
    rows
}

/// Everything a seeded database shows: each client's row and each contact's details.
async fn snapshot(db: &Db) -> Vec<String> {
    let clients = db
        .list_clients(
            Scope::ALL,
            0,
            &ClientFilter {
                sort: ClientSort::Name,
                size: 200,
                archived: Archived::Include,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let contacts = db
        .list_contacts(
            Scope::ALL,
            &ContactFilter {
                size: 200,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    clients
        .rows
        .iter()
        .map(|r| {
            format!(
                "{} {:?} {:?} {} {}",
                r.name, r.primary_contact, r.city, r.contacts, r.locations
            )
        })
        .chain(contacts.rows.iter().map(|k| {
            let f = &k.fields;
            format!(
                "{} {} {} {} {}",
                k.client_name, f.name, f.email, f.phone, f.mobile
            )
        }))
        .chain(tickets(db).await.iter().map(|t| {
            let i = &t.item;
            format!(
                "{} {} {} {:?} {:?} {:?}",
                i.number, i.client_name, i.subject, i.status, i.priority, i.contact_name
            )
        }))
        .collect()
}

#[tokio::test]
async fn seeding_keeps_the_rules_and_repeats_for_the_same_seed() {
    on_each_engine!(|db| {
        let mut heard = Vec::new();
        let seeded = seed(db, 30, 7, |done| heard.push(done)).await.unwrap();
        assert_eq!(seeded.clients, 30);
        assert_eq!(heard.last(), Some(&30), "progress reaches the end");
        assert!((30..=90).contains(&seeded.locations), "{seeded:?}");
        assert!((30..=150).contains(&seeded.contacts), "{seeded:?}");
        assert!(
            seeded.contacts > seeded.clients,
            "about three contacts each"
        );

        let page = db
            .list_clients(
                Scope::ALL,
                0,
                &ClientFilter {
                    size: 200,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(page.total, 30);
        // The API's total for every client is the count the triggers keep, bulk inserts too.
        let every = db
            .api_client_count(Scope::ALL, &ClientQuery::default())
            .await;
        assert_eq!(every.unwrap(), 30);
        let mut names: Vec<&str> = page.rows.iter().map(|r| r.name.as_str()).collect();
        names.dedup();
        assert_eq!(names.len(), 30, "client names do not repeat");
        for row in &page.rows {
            let locations = db.locations_of(row.id).await.unwrap();
            assert_eq!(
                locations.iter().filter(|l| l.fields.primary).count(),
                1,
                "{}",
                row.name
            );
            let contacts = db.contacts_of(row.id).await.unwrap();
            assert_eq!(
                contacts.iter().filter(|k| k.fields.primary).count(),
                1,
                "{}",
                row.name
            );
            assert!(contacts.iter().all(|k| k.fields.email.contains('@')));
        }
        // Some clients have tickets, each from one of its own contacts, in several states,
        // numbered one after another.
        let seeded_tickets = tickets(db).await;
        assert_eq!(seeded_tickets.len(), seeded.tickets);
        assert!((3..=90).contains(&seeded.tickets), "{seeded:?}");
        let numbers: Vec<i64> = seeded_tickets.iter().map(|t| t.item.number).collect();
        assert_eq!(
            numbers,
            (1..=seeded.tickets as i64).rev().collect::<Vec<_>>()
        );
        let states: HashSet<Status> = seeded_tickets.iter().map(|t| t.item.status).collect();
        assert!(states.len() >= 3, "{states:?}");
        for t in &seeded_tickets {
            let contact = t.contact_id.expect("a seeded ticket has a contact");
            let theirs = db.contacts_of(t.item.client_id).await.unwrap();
            assert!(theirs.iter().any(|k| k.id == contact), "#{}", t.item.number);
            assert_eq!(
                t.closed_at.is_some(),
                t.item.status == Status::Closed,
                "#{}",
                t.item.number
            );
            let opened = chrono::DateTime::parse_from_rfc3339(&t.item.created_at).unwrap();
            let age = chrono::Utc::now().signed_duration_since(opened);
            assert!(age > chrono::Duration::zero() && age < chrono::Duration::days(91));
        }

        // Phones typed in different ways are found by their digits.
        let one = db.contacts_of(page.rows[0].id).await.unwrap().remove(0);
        let digits = docket::clients::model::digits(&one.fields.phone);
        let found = db
            .list_clients(
                Scope::ALL,
                0,
                &ClientFilter {
                    q: Some(digits[digits.len() - 7..].into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert!(found.rows.iter().any(|r| r.id == page.rows[0].id));

        // The same seed on another empty database gives the same data; another seed does not.
        let same = common::sqlite().await;
        seed(&same.db, 30, 7, |_| {}).await.unwrap();
        assert_eq!(snapshot(&same.db).await, snapshot(db).await);
        let other = common::sqlite().await;
        seed(&other.db, 30, 8, |_| {}).await.unwrap();
        assert_ne!(snapshot(&other.db).await, snapshot(db).await);
        same.finish().await;
        other.finish().await;

        // A second run adds new clients beside the first ones.
        seed(db, 10, 7, |_| {}).await.unwrap();
        assert_eq!(db.client_count().await.unwrap(), 40);
    });
}

#[tokio::test]
async fn seeded_records_are_searchable_and_later_writes_are_indexed_again() {
    on_each_engine!(|db| {
        seed(db, 5, 3, |_| {}).await.unwrap();
        let before = db.search(Scope::ALL, "zebra crossing").await.unwrap();
        assert!(before.is_empty());
        // A client seeded in a batch is found by its name, and so is every client.
        let page = db
            .list_clients(Scope::ALL, 0, &ClientFilter::default())
            .await
            .unwrap();
        for row in &page.rows {
            let hits = db.search(Scope::ALL, &row.name).await.unwrap();
            assert!(
                hits.iter().any(|h| h.kind == "client" && h.id == row.id),
                "{}",
                row.name
            );
        }
        // A second run indexes its own clients, and the index follows writes afterwards.
        seed(db, 5, 4, |_| {}).await.unwrap();
        let page = db
            .list_clients(Scope::ALL, 0, &ClientFilter::default())
            .await
            .unwrap();
        assert_eq!(page.total, 10);
        let found = db
            .list_clients(
                Scope::ALL,
                0,
                &ClientFilter {
                    q: Some(page.rows[9].name.clone()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert!(found.rows.iter().any(|r| r.id == page.rows[9].id));
        let mut tx = db.begin().await.unwrap();
        let zebra = docket::clients::model::ClientInput {
            name: "Zebra Crossing Ltd".into(),
            ..docket::clients::model::ClientInput::blank()
        };
        tx.insert_client(&zebra).await.unwrap();
        tx.commit().await.unwrap();
        let after = db.search(Scope::ALL, "zebra crossing").await.unwrap();
        assert_eq!(after.len(), 1, "{after:?}");
    });
}
