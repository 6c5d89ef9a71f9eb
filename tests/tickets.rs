//! Tickets and the client portal on every engine: numbering under concurrency, the
//! technician's and the contact's server functions through the real router, mail through a
//! real SMTP server, one-time links, throttling, and isolation between clients.

mod common;

use axum::http::StatusCode;
use common::mail::SmtpServer;
use common::web::{app, app_with_mail, call, get, Answer};
use docket::accounts::model::Role;
use docket::clients::model::{ClientInput, ContactInput};
use docket::server::db::{Db, NewTicket, TokenPurpose};
use docket::tickets::model::{Priority, Source};
use serde_json::Value;

const PASSWORD: &str = "violet-harbour-kettle";
const CONTACT_PASSWORD: &str = "copper-lantern-meadow";

/// A client with contacts (the first is its primary contact); returns (client, contact ids).
async fn seed(db: &Db, name: &str, people: &[(&str, &str)]) -> (i64, Vec<i64>) {
    let mut tx = db.begin().await.unwrap();
    let client = tx
        .insert_client(&ClientInput {
            name: name.into(),
            ..ClientInput::blank()
        })
        .await
        .unwrap();
    let mut contacts = Vec::new();
    for (person, email) in people {
        let input = ContactInput {
            name: person.to_string(),
            email: email.to_string(),
            ..Default::default()
        };
        contacts.push(tx.insert_contact(client, &input).await.unwrap());
    }
    tx.commit().await.unwrap();
    (client, contacts)
}

/// Gives a contact a portal password and a signed-in portal session; returns its cookie.
async fn portal_cookie(db: &Db, contact: i64) -> String {
    let hash = docket::server::auth::password::hash(CONTACT_PASSWORD.into())
        .await
        .unwrap();
    let mut tx = db.begin().await.unwrap();
    tx.set_portal_password(contact, &hash).await.unwrap();
    tx.commit().await.unwrap();
    let token = docket::server::auth::portal::start(db, contact)
        .await
        .unwrap();
    format!("docket_portal={token}")
}

fn json(res: &Answer) -> Value {
    serde_json::from_str(&res.body).unwrap_or_else(|_| panic!("not JSON: {}", res.body))
}

/// Opens a ticket from the portal and returns its id (the newest of the contact's tickets).
async fn open_from_portal(app: &axum::Router, cookie: &str, subject: &str) -> i64 {
    let res = call(
        app,
        "portal_new_ticket",
        &[
            ("subject", subject),
            ("details", "Since this morning.\nEvery page."),
        ],
        Some(cookie),
    )
    .await;
    assert!(res.status.is_success(), "{} {}", res.status, res.body);
    let list = json(&call(app, "portal_tickets", &[("show", "all")], Some(cookie)).await);
    list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["subject"] == subject)
        .and_then(|t| t["id"].as_i64())
        .expect("the new ticket is listed")
}

fn status_of(ticket: &Value) -> &str {
    ticket["ticket"]["item"]["status"].as_str().unwrap()
}

#[tokio::test]
async fn ticket_numbers_are_sequential_unique_and_never_reused() {
    on_each_engine!(|db| {
        let (client, contacts) = seed(db, "Acme", &[("Kim", "kim@acme.test")]).await;
        let tasks: Vec<_> = (0..20)
            .map(|i| {
                let db = db.clone();
                let contact = contacts[0];
                tokio::spawn(async move {
                    let subject = format!("Ticket {i}");
                    let mut tx = db.begin().await.unwrap();
                    let (_, number) = tx
                        .insert_ticket(&NewTicket {
                            client_id: client,
                            contact_id: Some(contact),
                            location_id: None,
                            assignee_id: None,
                            subject: &subject,
                            details: "",
                            priority: Priority::Medium,
                            source: Source::Api,
                        })
                        .await
                        .unwrap();
                    tx.commit().await.unwrap();
                    number
                })
            })
            .collect();
        let mut numbers = Vec::new();
        for t in tasks {
            numbers.push(t.await.unwrap());
        }
        numbers.sort();
        assert_eq!(numbers, (1..=20).collect::<Vec<i64>>());

        // The newest ticket is deleted: its number is not handed out again.
        docket::on_pool!(db, pool => sqlx::query("DELETE FROM tickets WHERE number = 20")
            .execute(pool).await.map(|_| ()))
        .unwrap();
        let mut tx = db.begin().await.unwrap();
        let (_, number) = tx
            .insert_ticket(&NewTicket {
                client_id: client,
                contact_id: None,
                location_id: None,
                assignee_id: None,
                subject: "After the deletion",
                details: "",
                priority: Priority::Low,
                source: Source::Ui,
            })
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(number, 21);
    });
}

#[tokio::test]
async fn a_contact_is_invited_by_mail_and_follows_a_ticket_to_its_close() {
    let smtp = SmtpServer::start().await;
    on_each_engine!(|db| {
        let app = app_with_mail(db, &smtp.url);
        let tech = common::create_user(db, "tech@example.com", Role::Technician, PASSWORD).await;
        let staff = common::session_cookie(db, tech).await;
        let (_, contacts) = seed(db, "Acme", &[("Kim Lee", "kim@acme.test")]).await;
        let kim = contacts[0].to_string();

        // The invitation is mailed, not shown.
        let res = call(&app, "invite_contact", &[("id", &kim)], Some(&staff)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(json(&res)["link"], Value::Null);
        let link = smtp.link_to("kim@acme.test").expect("invitation mailed");
        let token = link.split("token=").nth(1).unwrap().to_string();
        let info = json(&call(&app, "portal_link", &[("token", &token)], None).await);
        assert_eq!(
            (info["invite"].as_bool(), info["name"].as_str()),
            (Some(true), Some("Kim Lee"))
        );

        // A weak password is refused at its field; the link still works afterwards.
        let weak = [
            ("token", token.as_str()),
            ("password", "short"),
            ("confirm", "short"),
        ];
        let res = call(&app, "portal_set_password", &weak, None).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("password"), "{}", res.body);
        let good = [
            ("token", token.as_str()),
            ("password", CONTACT_PASSWORD),
            ("confirm", CONTACT_PASSWORD),
        ];
        let res = call(&app, "portal_set_password", &good, None).await;
        assert!(res.status.is_success(), "{} {}", res.status, res.body);
        let portal = res
            .cookie("docket_portal")
            .expect("signed in after setting the password");
        // The link worked once.
        let again = call(&app, "portal_set_password", &good, None).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            again.body.contains("expired or was already used"),
            "{}",
            again.body
        );

        // Sign in with the new password, as the contact would next time.
        let res = call(
            &app,
            "portal_login",
            &[("email", "KIM@acme.test"), ("password", CONTACT_PASSWORD)],
            None,
        )
        .await;
        assert!(res.status.is_success(), "{} {}", res.status, res.body);
        assert!(res.cookie("docket_portal").is_some());

        let id = open_from_portal(&app, &portal, "Printer offline").await;
        let ticket = json(
            &call(
                &app,
                "ticket_detail",
                &[("id", &id.to_string())],
                Some(&staff),
            )
            .await,
        );
        assert_eq!(status_of(&ticket["record"]), "new");
        assert_eq!(ticket["record"]["ticket"]["source"], "portal");
        assert!(
            ticket["record"]["ticket"]["item"]["number"]
                .as_i64()
                .unwrap()
                >= 1
        );

        // The technician notes something internally, then answers.
        let id_text = id.to_string();
        let note = [
            ("id", id_text.as_str()),
            ("body", "Toner looks empty"),
            ("internal", "on"),
        ];
        assert!(call(&app, "reply_ticket", &note, Some(&staff))
            .await
            .status
            .is_success());
        let answer = [
            ("id", id_text.as_str()),
            ("body", "We are sending a new cartridge.\nToday."),
        ];
        assert!(call(&app, "reply_ticket", &answer, Some(&staff))
            .await
            .status
            .is_success());
        let assign = [
            ("id", id_text.as_str()),
            ("status", "on_hold"),
            ("priority", "high"),
            ("assignee", &tech.to_string()),
        ];
        assert!(call(&app, "update_ticket", &assign, Some(&staff))
            .await
            .status
            .is_success());

        let seen = json(&call(&app, "portal_ticket", &[("id", &id_text)], Some(&portal)).await);
        let replies = seen["replies"].as_array().unwrap();
        assert_eq!(replies.len(), 1, "the internal note stays internal");
        assert_eq!(
            replies[0]["body"],
            "We are sending a new cartridge.\nToday."
        );
        assert!(!seen.to_string().contains("Toner looks empty"));
        assert_eq!(status_of(&seen), "on_hold");
        assert_eq!(seen["ticket"]["assignee_id"], Value::Null);
        let mail = smtp.messages().join("\n");
        assert!(
            mail.contains("We are sending a new cartridge."),
            "the reply was mailed"
        );
        assert!(!mail.contains("Toner looks empty"), "the note was not");

        let history = json(&call(&app, "ticket_detail", &[("id", &id_text)], Some(&staff)).await);
        let events: Vec<String> = history["record"]["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| format!("{} {} {}", e["field"], e["old_value"], e["new_value"]))
            .collect();
        assert_eq!(
            events,
            [
                r#""status" "New" "Open""#,
                r#""status" "Open" "On hold""#,
                r#""priority" "Medium" "High""#,
                r#""assignee" "Nobody" "tech""#,
            ]
        );

        // Resolve, reply (reopens), resolve, closes itself, reopen, close.
        let set = |action: &'static str| [("id", id_text.clone()), ("action", action.to_string())];
        let form =
            |args: &[(&'static str, String)]| -> Vec<(&'static str, String)> { args.to_vec() };
        for (action, expect) in [("resolve", "resolved")] {
            let args = form(&set(action));
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            assert!(call(&app, "portal_set_status", &args, Some(&portal))
                .await
                .status
                .is_success());
            let t = json(&call(&app, "portal_ticket", &[("id", &id_text)], Some(&portal)).await);
            assert_eq!(status_of(&t), expect);
            assert!(t["ticket"]["resolved_at"].is_string());
        }
        let reply = [("id", id_text.as_str()), ("body", "Still broken, sorry")];
        assert!(call(&app, "portal_reply", &reply, Some(&portal))
            .await
            .status
            .is_success());
        let t = json(&call(&app, "portal_ticket", &[("id", &id_text)], Some(&portal)).await);
        assert_eq!(
            status_of(&t),
            "open",
            "a contact's reply reopens a resolved ticket"
        );
        assert_eq!(t["ticket"]["resolved_at"], Value::Null);

        let resolve = [("id", id_text.as_str()), ("action", "resolve")];
        assert!(call(&app, "portal_set_status", &resolve, Some(&portal))
            .await
            .status
            .is_success());
        assert_eq!(
            db.close_resolved(chrono::Utc::now() - chrono::Duration::hours(1))
                .await
                .unwrap(),
            0
        );
        assert_eq!(db.close_resolved(chrono::Utc::now()).await.unwrap(), 1);
        let t = json(&call(&app, "portal_ticket", &[("id", &id_text)], Some(&portal)).await);
        assert_eq!(status_of(&t), "closed");
        let closed = call(&app, "portal_reply", &reply, Some(&portal)).await;
        assert_eq!(
            closed.status,
            StatusCode::CONFLICT,
            "closed tickets take no replies"
        );
        let reopen = [("id", id_text.as_str()), ("action", "reopen")];
        assert!(call(&app, "portal_set_status", &reopen, Some(&portal))
            .await
            .status
            .is_success());
        let close = [("id", id_text.as_str()), ("action", "close")];
        assert!(call(&app, "portal_set_status", &close, Some(&portal))
            .await
            .status
            .is_success());
        let t = json(&call(&app, "portal_ticket", &[("id", &id_text)], Some(&portal)).await);
        assert_eq!(status_of(&t), "closed");
        assert!(t["ticket"]["closed_at"].is_string());
        let list = json(&call(&app, "portal_tickets", &[("show", "open")], Some(&portal)).await);
        assert_eq!(list["rows"].as_array().unwrap().len(), 0);
        let list = json(&call(&app, "portal_tickets", &[("show", "closed")], Some(&portal)).await);
        assert_eq!(list["rows"].as_array().unwrap().len(), 1);
    });
}

#[tokio::test]
async fn messages_keep_their_formatting_and_lose_what_runs() {
    on_each_engine!(|db| {
        let app = app(db);
        let tech = common::create_user(db, "tech@example.com", Role::Technician, PASSWORD).await;
        let staff = common::session_cookie(db, tech).await;
        let (_, contacts) = seed(db, "Acme", &[("Kim", "kim@acme.test")]).await;
        let portal = portal_cookie(db, contacts[0]).await;
        let id = open_from_portal(&app, &portal, "<img src=x onerror=alert(1)>").await;
        let html = "<p>Fixed <b>it</b>.</p><script>alert('x')</script>\
                    <a href=\"javascript:alert(2)\">bad</a> <a href=\"https://kb.test/a\">guide</a>\
                    <img src=\"https://tracker.test/p.gif\" onerror=\"alert(3)\">";
        for text in [html, "if a < b && c > d\nline two"] {
            let body = [("id", id.to_string()), ("body", text.to_string())];
            let body: Vec<(&str, &str)> = body.iter().map(|(k, v)| (*k, v.as_str())).collect();
            assert!(call(&app, "reply_ticket", &body, Some(&staff))
                .await
                .status
                .is_success());
        }
        for (path, cookie) in [
            (format!("/portal/tickets/{id}"), &portal),
            (format!("/tickets/{id}"), &staff),
        ] {
            let page = get(&app, &path, Some(cookie)).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            let start = page.body.find("class=\"conversation\"").expect(&path);
            let shown = &page.body[start..start + page.body[start..].find("</ol>").unwrap()];
            // Formatting and safe links stay.
            assert!(shown.contains("<p>Fixed <b>it</b>.</p>"), "{path}: {shown}");
            assert!(
                shown.contains(
                    "<a href=\"https://kb.test/a\" rel=\"noopener noreferrer nofollow\">guide</a>"
                ),
                "{path}: {shown}"
            );
            // Nothing that runs or loads survives.
            for gone in ["<script", "alert(", "javascript:", "<img", "tracker.test"] {
                assert!(!shown.contains(gone), "{path} shows {gone}: {shown}");
            }
            // Plain text is text, its line breaks kept.
            assert!(
                shown
                    .contains("<div class=\"pre\">if a &lt; b &amp;&amp; c &gt; d\nline two</div>"),
                "{path}: {shown}"
            );
            let at = page
                .body
                .find("<img src=x")
                .map(|i| &page.body[i.saturating_sub(200)..i + 40]);
            assert_eq!(at, None, "{path} escapes the subject");
        }
    });
}

#[tokio::test]
async fn contacts_reach_only_their_own_tickets_by_any_route() {
    on_each_engine!(|db| {
        let app = app(db);
        let (_, acme) = seed(
            db,
            "Acme",
            &[
                ("Ann Primary", "ann@acme.test"),
                ("Al Staff", "al@acme.test"),
            ],
        )
        .await;
        let (_, globex) = seed(db, "Globex", &[("Bo Primary", "bo@globex.test")]).await;
        let ann = portal_cookie(db, acme[0]).await;
        let al = portal_cookie(db, acme[1]).await;
        let bo = portal_cookie(db, globex[0]).await;
        let ann_ticket = open_from_portal(&app, &ann, "Ann's laptop").await;
        let al_ticket = open_from_portal(&app, &al, "Al's phone").await;
        let bo_ticket = open_from_portal(&app, &bo, "Bo's server").await;

        let subjects = |cookie: String| {
            let app = app.clone();
            async move {
                let list =
                    json(&call(&app, "portal_tickets", &[("show", "all")], Some(&cookie)).await);
                let mut s: Vec<String> = list["rows"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t["subject"].as_str().unwrap().to_string())
                    .collect();
                s.sort();
                s
            }
        };
        // A primary contact sees the client's tickets; another contact only their own.
        assert_eq!(subjects(ann.clone()).await, ["Al's phone", "Ann's laptop"]);
        assert_eq!(subjects(al.clone()).await, ["Al's phone"]);
        assert_eq!(subjects(bo.clone()).await, ["Bo's server"]);

        // Every route that names a ticket, tried on tickets that are not the caller's.
        for (who, cookie, foreign) in [
            ("Bo", &bo, ann_ticket),
            ("Bo", &bo, al_ticket),
            ("Al", &al, ann_ticket),
            ("Ann", &ann, bo_ticket),
        ] {
            let id = foreign.to_string();
            let tries: [(&str, Vec<(&str, &str)>); 4] = [
                ("portal_ticket", vec![("id", &id)]),
                ("portal_reply", vec![("id", &id), ("body", "mine now")]),
                ("portal_set_status", vec![("id", &id), ("action", "close")]),
                (
                    "portal_set_status",
                    vec![("id", &id), ("action", "resolve")],
                ),
            ];
            for (name, args) in tries {
                let res = call(&app, name, &args, Some(cookie)).await;
                assert_eq!(
                    res.status,
                    StatusCode::NOT_FOUND,
                    "{who} → {name} on #{id}: {}",
                    res.body
                );
            }
            let page = get(&app, &format!("/portal/tickets/{id}"), Some(cookie)).await;
            assert!(
                !page.body.contains("laptop")
                    && !page.body.contains("server")
                    && !page.body.contains("phone</"),
                "{who} sees nothing of ticket {id}"
            );
        }
        // Nothing was changed by the attempts.
        let res = json(
            &call(
                &app,
                "portal_ticket",
                &[("id", &ann_ticket.to_string())],
                Some(&ann),
            )
            .await,
        );
        assert_eq!(status_of(&res), "new");
        assert_eq!(res["replies"].as_array().unwrap().len(), 0);

        // Portal and technician sessions do not open each other's doors.
        let tech = common::create_user(db, "tech@example.com", Role::Admin, PASSWORD).await;
        let staff = common::session_cookie(db, tech).await;
        for name in [
            "portal_tickets",
            "portal_new_ticket",
            "portal_update_profile",
        ] {
            let res = call(&app, name, &[("subject", "x"), ("name", "x")], Some(&staff)).await;
            assert_eq!(
                res.status,
                StatusCode::UNAUTHORIZED,
                "{name} with a technician session"
            );
        }
        for name in [
            "list_tickets",
            "ticket_detail",
            "reply_ticket",
            "invite_contact",
        ] {
            let res = call(
                &app,
                name,
                &[("id", &ann_ticket.to_string()), ("body", "x")],
                Some(&ann),
            )
            .await;
            assert_eq!(
                res.status,
                StatusCode::UNAUTHORIZED,
                "{name} with a portal session"
            );
        }
        let page = get(&app, "/portal/tickets", Some(&staff)).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert!(page
            .header("location")
            .unwrap()
            .starts_with("/portal?next="));
    });
}

#[tokio::test]
async fn reset_links_expire_work_once_and_requests_are_throttled() {
    let smtp = SmtpServer::start().await;
    on_each_engine!(|db| {
        let app = app_with_mail(db, &smtp.url);
        let (_, contacts) = seed(
            db,
            "Acme",
            &[("Kim", "reset@acme.test"), ("Nopass", "nopass@acme.test")],
        )
        .await;
        portal_cookie(db, contacts[0]).await;
        let before = smtp.messages().len();

        // Unknown addresses and contacts without portal access get the same answer, no mail.
        for email in ["nobody@acme.test", "nopass@acme.test"] {
            let res = call(&app, "portal_forgot", &[("email", email)], None).await;
            assert_eq!(res.status, StatusCode::OK, "{email}");
        }
        assert_eq!(smtp.messages().len(), before);

        let res = call(&app, "portal_forgot", &[("email", "reset@acme.test")], None).await;
        assert_eq!(res.status, StatusCode::OK);
        let link = smtp.link_to("reset@acme.test").expect("reset link mailed");
        let token = link.split("token=").nth(1).unwrap().to_string();
        let info = json(&call(&app, "portal_link", &[("token", &token)], None).await);
        assert_eq!(info["invite"], false);
        let new_password = "river-stone-thimble";
        let set = [
            ("token", token.as_str()),
            ("password", new_password),
            ("confirm", new_password),
        ];
        assert!(call(&app, "portal_set_password", &set, None)
            .await
            .status
            .is_success());
        let twice = call(&app, "portal_set_password", &set, None).await;
        assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY, "used once");
        assert_eq!(
            call(&app, "portal_link", &[("token", &token)], None)
                .await
                .body,
            "null"
        );
        let login = [("email", "reset@acme.test"), ("password", new_password)];
        assert!(call(&app, "portal_login", &login, None)
            .await
            .status
            .is_success());

        // A link past its 24 hours does nothing.
        let expired = "expired-link-secret";
        let mut tx = db.begin().await.unwrap();
        tx.insert_portal_token(
            &docket::server::auth::token::sha256_hex(expired),
            contacts[0],
            TokenPurpose::Reset,
            chrono::Utc::now() - chrono::Duration::seconds(1),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            call(&app, "portal_link", &[("token", expired)], None)
                .await
                .body,
            "null"
        );
        let late = [
            ("token", expired),
            ("password", "a-brand-new-secret"),
            ("confirm", "a-brand-new-secret"),
        ];
        assert_eq!(
            call(&app, "portal_set_password", &late, None).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert!(
            call(&app, "portal_login", &login, None)
                .await
                .status
                .is_success(),
            "password unchanged"
        );

        // Wrong passwords and reset requests are throttled per address.
        let wrong = [
            ("email", "reset@acme.test"),
            ("password", "not-the-password"),
        ];
        let mut statuses = Vec::new();
        for _ in 0..6 {
            statuses.push(call(&app, "portal_login", &wrong, None).await.status);
        }
        assert_eq!(statuses[0], StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");
        let right_but_blocked = call(&app, "portal_login", &login, None).await;
        assert_eq!(right_but_blocked.status, StatusCode::TOO_MANY_REQUESTS);
        let mut statuses = Vec::new();
        for _ in 0..6 {
            statuses.push(
                call(&app, "portal_forgot", &[("email", "reset@acme.test")], None)
                    .await
                    .status,
            );
        }
        assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");
    });
}

#[tokio::test]
async fn technicians_list_and_filter_tickets_within_their_clients() {
    on_each_engine!(|db| {
        let app = app(db);
        let (acme, a) = seed(db, "Acme", &[("Ann", "ann@acme.test")]).await;
        let (globex, _) = seed(db, "Globex", &[("Bo", "bo@globex.test")]).await;
        let admin = common::create_user(db, "admin@example.com", Role::Admin, PASSWORD).await;
        let restricted =
            common::create_user(db, "res@example.com", Role::Technician, PASSWORD).await;
        common::restrict(db, restricted, &[acme]).await;
        let staff = common::session_cookie(db, admin).await;
        let only_acme = common::session_cookie(db, restricted).await;

        for (client, subject, priority) in [
            (acme, "VPN down", "urgent"),
            (acme, "New starter", "low"),
            (globex, "Backup failed", "high"),
        ] {
            let args = [
                ("client", format!("#{client}")),
                ("subject", subject.to_string()),
                ("priority", priority.to_string()),
                (
                    "contact",
                    if client == acme {
                        a[0].to_string()
                    } else {
                        String::new()
                    },
                ),
            ];
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = call(&app, "create_ticket", &args, Some(&staff)).await;
            assert!(
                res.status.is_success() || res.status.is_redirection(),
                "{} {}",
                res.status,
                res.body
            );
        }
        let bad = call(
            &app,
            "create_ticket",
            &[("client", "#999999"), ("subject", "")],
            Some(&staff),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body.contains("\"client\"") && bad.body.contains("\"subject\""),
            "{}",
            bad.body
        );
        let hidden = call(
            &app,
            "create_ticket",
            &[("client", &format!("#{globex}")), ("subject", "x")],
            Some(&only_acme),
        )
        .await;
        assert_eq!(
            hidden.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a hidden client cannot be chosen"
        );

        let subjects = |args: Vec<(&'static str, String)>, cookie: String| {
            let app = app.clone();
            async move {
                let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let list = json(&call(&app, "list_tickets", &args, Some(&cookie)).await);
                list["page"]["rows"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t["subject"].as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            }
        };
        let s = |k: &'static str, v: &str| (k, v.to_string());
        assert_eq!(
            subjects(vec![], staff.clone()).await,
            ["Backup failed", "New starter", "VPN down"]
        );
        assert_eq!(
            subjects(vec![s("filter[sort]", "priority")], staff.clone()).await,
            ["VPN down", "Backup failed", "New starter"]
        );
        assert_eq!(
            subjects(vec![s("filter[priority]", "high")], staff.clone()).await,
            ["Backup failed"]
        );
        assert_eq!(
            subjects(vec![s("filter[q]", "vpn")], staff.clone()).await,
            ["VPN down"]
        );
        assert_eq!(
            subjects(
                vec![s("filter[client]", &globex.to_string())],
                staff.clone()
            )
            .await,
            ["Backup failed"]
        );
        assert_eq!(
            subjects(vec![], only_acme.clone()).await,
            ["New starter", "VPN down"]
        );
        assert_eq!(
            subjects(vec![s("filter[assignee]", "none")], staff.clone())
                .await
                .len(),
            3
        );
        assert_eq!(
            subjects(vec![s("filter[assignee]", "me")], staff.clone())
                .await
                .len(),
            0
        );
        assert_eq!(
            subjects(vec![s("filter[show]", "closed")], staff.clone())
                .await
                .len(),
            0
        );

        // The restricted technician cannot open, answer or change Globex's ticket.
        let list = json(&call(&app, "list_tickets", &[], Some(&staff)).await);
        let backup = list["page"]["rows"][0]["id"].as_i64().unwrap().to_string();
        for (name, args) in [
            ("ticket_detail", vec![("id", backup.as_str())]),
            (
                "reply_ticket",
                vec![("id", backup.as_str()), ("body", "hi")],
            ),
            (
                "update_ticket",
                vec![("id", backup.as_str()), ("status", "closed")],
            ),
        ] {
            let res = call(&app, name, &args, Some(&only_acme)).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{name}");
        }
        let bad = call(
            &app,
            "update_ticket",
            &[("id", backup.as_str()), ("status", "done")],
            Some(&staff),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let page = get(&app, &format!("/clients/{acme}?tab=tickets"), Some(&staff)).await;
        assert!(page.body.contains("VPN down") && !page.body.contains("Backup failed"));

        // The new-ticket form offers the chosen client's contacts, only for a client the
        // technician may see, and a contact of another client is refused.
        let choices = |client: i64, cookie: &String| {
            let app = app.clone();
            let cookie = cookie.clone();
            async move {
                json(
                    &call(
                        &app,
                        "new_ticket_choices",
                        &[("client", &client.to_string())],
                        Some(&cookie),
                    )
                    .await,
                )
            }
        };
        let offered = choices(acme, &only_acme).await;
        assert_eq!(offered["contacts"][0][0].as_i64(), Some(a[0]), "{offered}");
        assert!(offered["technicians"].as_array().unwrap().len() >= 2);
        let hidden = choices(globex, &only_acme).await;
        assert_eq!(hidden["contacts"].as_array().unwrap().len(), 0, "{hidden}");
        assert_eq!(choices(globex, &staff).await["contacts"][0][1], "Bo");
        let form = get(
            &app,
            &format!("/tickets/new?client={acme}&contact={}", a[0]),
            Some(&staff),
        )
        .await;
        assert!(
            form.body
                .contains(&format!("<option selected value=\"{}\">Ann</option>", a[0])),
            "the contact given in the link is chosen"
        );
        let wrong = call(
            &app,
            "create_ticket",
            &[
                ("client", &format!("#{globex}")),
                ("subject", "Mixed"),
                ("contact", &a[0].to_string()),
            ],
            Some(&staff),
        )
        .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.body.contains("contact"), "{}", wrong.body);
    });
}

/// An API call with a bearer token (an API key, or a portal session's token).
async fn api(
    app: &axum::Router,
    method: axum::http::Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let req = axum::http::Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(body.map_or(axum::body::Body::empty(), |b| {
            axum::body::Body::from(b.to_string())
        }))
        .unwrap();
    let res = common::web::send(app, req).await;
    let json = serde_json::from_str(&res.body).unwrap_or(Value::Null);
    (res.status, json)
}

#[tokio::test]
async fn tickets_through_both_api_dialects_and_the_contact_behind_a_portal_token() {
    use axum::http::Method;
    use serde_json::json;
    on_each_engine!(|db| {
        let app = app(db);
        let tech = common::create_user(db, "tech@example.com", Role::Technician, PASSWORD).await;
        let user = db.user_by_id(tech).await.unwrap().unwrap();
        let key = docket::server::api::keys::issue(
            db,
            &user,
            "script",
            None,
            docket::server::db::Actor::system(),
            Default::default(),
        )
        .await
        .unwrap()
        .key;
        let (acme, contacts) = seed(db, "Acme", &[("Kim", "kim@acme.test")]).await;
        let (globex, bo) = seed(db, "Globex", &[("Bo", "bo@globex.test")]).await;

        let mut tx = db.begin().await.unwrap();
        let place = |name: &str| docket::clients::model::LocationInput {
            name: name.into(),
            ..Default::default()
        };
        let office = tx.insert_location(acme, &place("Office")).await.unwrap();
        let depot = tx.insert_location(globex, &place("Depot")).await.unwrap();
        tx.commit().await.unwrap();

        // REST: open, read, change, answer.
        let new = json!({"ticket": {"client_id": acme, "contact_id": contacts[0], "location_id": office, "subject": "Mail down", "priority": "high"}});
        let (status, made) = api(&app, Method::POST, "/api/v1/tickets", &key, Some(new)).await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        assert_eq!(made["ticket"]["location_id"].as_i64(), Some(office));
        let id = made["ticket"]["id"].as_i64().unwrap();
        let elsewhere =
            json!({"ticket": {"client_id": acme, "location_id": depot, "subject": "Wrong place"}});
        let (status, err) = api(&app, Method::POST, "/api/v1/tickets", &key, Some(elsewhere)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(err["fields"]["location_id"].is_string(), "{err}");
        assert_eq!(
            (
                made["ticket"]["status"].as_str(),
                made["ticket"]["source"].as_str()
            ),
            (Some("new"), Some("api"))
        );
        let wrong = json!({"ticket": {"client_id": acme, "contact_id": bo[0], "subject": "", "priority": "asap", "colour": "red"}});
        let (status, err) = api(&app, Method::POST, "/api/v1/tickets", &key, Some(wrong)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(err["fields"]["colour"].is_string(), "{err}");
        let wrong = json!({"ticket": {"client_id": acme, "contact_id": bo[0], "subject": ""}});
        let (_, err) = api(&app, Method::POST, "/api/v1/tickets", &key, Some(wrong)).await;
        assert!(
            err["fields"]["contact_id"].is_string() && err["fields"]["subject"].is_string(),
            "{err}"
        );

        let change = json!({"ticket": {"status": "on_hold", "assignee_id": tech}});
        let (status, changed) = api(
            &app,
            Method::PUT,
            &format!("/api/v1/tickets/{id}"),
            &key,
            Some(change),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{changed}");
        assert_eq!(
            (
                changed["ticket"]["status"].as_str(),
                changed["ticket"]["assignee_id"].as_i64()
            ),
            (Some("on_hold"), Some(tech))
        );
        let note = json!({"reply": {"body": "Checking the MX records", "internal": true}});
        let (status, _) = api(
            &app,
            Method::POST,
            &format!("/api/v1/tickets/{id}/replies"),
            &key,
            Some(note),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        let (_, replies) = api(
            &app,
            Method::GET,
            &format!("/api/v1/tickets/{id}/replies"),
            &key,
            None,
        )
        .await;
        assert_eq!(replies["replies"][0]["internal"], true);
        let (_, list) = api(
            &app,
            Method::GET,
            &format!("/api/v1/tickets?client_id={acme}&state=open"),
            &key,
            None,
        )
        .await;
        assert_eq!(
            (list["total"].as_i64(), list["tickets"][0]["id"].as_i64()),
            (Some(1), Some(id))
        );
        let (_, none) = api(
            &app,
            Method::GET,
            &format!("/api/v1/tickets?client_id={globex}"),
            &key,
            None,
        )
        .await;
        assert_eq!(none["total"], 0);
        let (status, _) = api(&app, Method::GET, "/api/v1/tickets?status=done", &key, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        // ITFlow: read, create, reply, resolve.
        let (status, read) = api(
            &app,
            Method::GET,
            &format!("/api/v1/tickets/read.php?ticket_id={id}"),
            &key,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            (
                read["data"][0]["ticket_subject"].as_str(),
                read["data"][0]["ticket_status"].as_str()
            ),
            (Some("Mail down"), Some("On hold"))
        );
        let body =
            json!({"client_id": globex, "ticket_subject": "Printer", "ticket_priority": "Low"});
        let (status, made) = api(
            &app,
            Method::POST,
            "/api/v1/tickets/create.php",
            &key,
            Some(body),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{made}");
        let other = made["data"][0]["insert_id"].as_i64().unwrap();
        let body =
            json!({"ticket_id": other, "ticket_reply": "On my way", "ticket_reply_type": "Public"});
        let (status, _) = api(
            &app,
            Method::POST,
            "/api/v1/ticket_replies/create.php",
            &key,
            Some(body),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (_, replies) = api(
            &app,
            Method::GET,
            &format!("/api/v1/ticket_replies/read.php?ticket_id={other}"),
            &key,
            None,
        )
        .await;
        assert_eq!(
            (
                replies["count"].as_i64(),
                replies["data"][0]["ticket_reply_type"].as_str()
            ),
            (Some(1), Some("Public"))
        );
        let (status, _) = api(
            &app,
            Method::POST,
            "/api/v1/tickets/resolve.php",
            &key,
            Some(json!({"ticket_id": other})),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (_, read) = api(
            &app,
            Method::GET,
            &format!("/api/v1/tickets/read.php?client_id={globex}"),
            &key,
            None,
        )
        .await;
        assert_eq!(read["data"][0]["ticket_status"], "Resolved");
        let (status, err) = api(
            &app,
            Method::POST,
            "/api/v1/tickets/create.php",
            &key,
            Some(json!({"client_id": acme})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err["fields"]["ticket_subject"].is_string(), "{err}");

        // A contact's portal token: /api/v1/me answers; no ticket endpoint does, for any id.
        let kim = portal_cookie(db, contacts[0]).await;
        let token = kim.trim_start_matches("docket_portal=");
        let (status, me) = api(&app, Method::GET, "/api/v1/me", token, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            (me["contact"]["email"].as_str(), me["client"]["id"].as_i64()),
            (Some("kim@acme.test"), Some(acme))
        );
        let (status, _) = api(&app, Method::GET, "/api/v1/me", &key, None).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "an API key is not a contact"
        );
        let bo_token = portal_cookie(db, bo[0]).await;
        let bo_token = bo_token.trim_start_matches("docket_portal=");
        for (method, path) in [
            (Method::GET, format!("/api/v1/tickets/{id}")),
            (Method::GET, format!("/api/v1/tickets/{id}/replies")),
            (Method::POST, format!("/api/v1/tickets/{id}/replies")),
            (Method::PUT, format!("/api/v1/tickets/{id}")),
            (Method::GET, "/api/v1/tickets".into()),
            (
                Method::GET,
                format!("/api/v1/tickets/read.php?ticket_id={id}"),
            ),
            (
                Method::GET,
                format!("/api/v1/ticket_replies/read.php?ticket_id={id}"),
            ),
            (Method::POST, "/api/v1/tickets/resolve.php".into()),
        ] {
            let body = Some(
                json!({"ticket_id": id, "reply": {"body": "x"}, "ticket": {"status": "closed"}}),
            );
            let (status, _) = api(&app, method.clone(), &path, bo_token, body).await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{method} {path} with a contact's token"
            );
        }
        let (_, still) = api(
            &app,
            Method::GET,
            &format!("/api/v1/tickets/{id}"),
            &key,
            None,
        )
        .await;
        assert_eq!(still["ticket"]["status"], "on_hold");
    });
}
