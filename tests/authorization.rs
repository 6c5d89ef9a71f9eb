//! The authorization sweep: every server function and every technician page, called without a
//! session and as a read-only user. A new server function fails this test until it is listed.

mod common;

use axum::http::StatusCode;
use common::web::{app, call, get};
use docket::accounts::model::Role;
use docket::audit::model::AuditFilter;
use std::collections::BTreeSet;

const PASSWORD: &str = "violet-harbour-kettle";
/// A client id the sweep's calls name (created where the sweep needs it to exist).
const CLIENT: &str = "1";

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    /// Works without a session (sign-in and friends).
    Public,
    /// Changes only the caller's own account; any signed-in role may.
    OwnAccount,
    /// Reads; any signed-in role may.
    Read,
    /// Changes records; technicians and admins may, read-only users may not.
    Write,
    /// Admins only.
    Admin,
    /// A signed-in portal contact only; technicians' sessions do not count.
    Portal,
}

/// A server function's name, who may call it, and its form arguments.
type Call = (&'static str, Kind, Vec<(&'static str, String)>);

/// Every server function with arguments that would succeed for an allowed caller.
fn server_functions(user_id: &str) -> Vec<Call> {
    let s = |v: &str| v.to_string();
    vec![
        ("current_user", Kind::Public, vec![]),
        ("setup_needed", Kind::Public, vec![]),
        (
            "setup_admin",
            Kind::Public,
            vec![
                ("name", s("X")),
                ("email", s("x@example.com")),
                ("password", s(PASSWORD)),
                ("confirm", s(PASSWORD)),
            ],
        ),
        (
            "login",
            Kind::Public,
            vec![
                ("email", s("nobody@example.com")),
                ("password", s(PASSWORD)),
            ],
        ),
        ("login_mfa", Kind::Public, vec![("code", s("123456"))]),
        ("logout", Kind::Public, vec![]),
        ("logout_everywhere", Kind::OwnAccount, vec![]),
        (
            "change_password",
            Kind::OwnAccount,
            vec![
                ("current", s("wrong-wrong-wrong")),
                ("password", s("new-password-123")),
                ("confirm", s("new-password-123")),
            ],
        ),
        ("mfa_overview", Kind::OwnAccount, vec![]),
        ("mfa_begin", Kind::OwnAccount, vec![]),
        ("mfa_confirm", Kind::OwnAccount, vec![("code", s("000000"))]),
        (
            "mfa_disable",
            Kind::OwnAccount,
            vec![("password", s("wrong-wrong-wrong"))],
        ),
        ("system_status", Kind::Read, vec![]),
        ("list_users", Kind::Admin, vec![]),
        ("user_detail", Kind::Admin, vec![("id", s(user_id))]),
        (
            "create_user",
            Kind::Admin,
            vec![
                ("name", s("Y")),
                ("email", s("y@example.com")),
                ("role", s("admin")),
                ("password", s(PASSWORD)),
            ],
        ),
        (
            "update_user",
            Kind::Admin,
            vec![("id", s(user_id)), ("name", s("Z")), ("role", s("admin"))],
        ),
        (
            "reset_user_password",
            Kind::Admin,
            vec![("id", s(user_id)), ("password", s(PASSWORD))],
        ),
        ("mfa_required", Kind::Admin, vec![]),
        ("set_mfa_required", Kind::Admin, vec![("admin", s("on"))]),
        ("list_audit", Kind::Admin, vec![]),
        ("list_api_keys", Kind::Admin, vec![]),
        (
            "create_api_key",
            Kind::Admin,
            vec![("name", s("sync")), ("user_id", s(user_id))],
        ),
        ("revoke_api_key", Kind::Admin, vec![("id", s("1"))]),
        ("api_reference", Kind::Read, vec![]),
        ("global_search", Kind::Read, vec![("q", s("acme"))]),
        ("list_clients", Kind::Read, vec![]),
        ("client_detail", Kind::Read, vec![("id", s(CLIENT))]),
        (
            "similar_clients",
            Kind::Read,
            vec![("name", s("acme")), ("domain", s(""))],
        ),
        ("list_contacts", Kind::Read, vec![]),
        (
            "email_owner",
            Kind::Read,
            vec![("email", s("a@example.com"))],
        ),
        ("list_tags", Kind::Read, vec![]),
        (
            "create_client",
            Kind::Write,
            vec![
                ("client[name]", s("Sweep Ltd")),
                ("client[currency]", s("USD")),
            ],
        ),
        (
            "update_client",
            Kind::Write,
            vec![
                ("id", s(CLIENT)),
                ("client[name]", s("Renamed")),
                ("client[currency]", s("EUR")),
            ],
        ),
        (
            "save_client_notes",
            Kind::Write,
            vec![("id", s(CLIENT)), ("notes", s("n"))],
        ),
        (
            "bulk_clients",
            Kind::Write,
            vec![
                ("ids[0]", s(CLIENT)),
                ("action", s("industry")),
                ("value", s("Law")),
            ],
        ),
        (
            "save_location",
            Kind::Write,
            vec![("client_id", s(CLIENT)), ("location[name]", s("HQ"))],
        ),
        (
            "save_contact",
            Kind::Write,
            vec![("client_id", s(CLIENT)), ("contact[name]", s("Kim"))],
        ),
        (
            "set_archived",
            Kind::Write,
            vec![
                ("kind", s("client")),
                ("id", s(CLIENT)),
                ("archived", s("false")),
            ],
        ),
        (
            "delete_archived",
            Kind::Admin,
            vec![
                ("kind", s("client")),
                ("id", s(CLIENT)),
                ("confirm", s("x")),
            ],
        ),
        (
            "create_tag",
            Kind::Admin,
            vec![
                ("kind", s("client")),
                ("name", s("vip")),
                ("colour", s("#aa0000")),
            ],
        ),
        ("delete_tag", Kind::Admin, vec![("id", s("1"))]),
        // Imports are their uploader's: another technician's answer is "not found".
        ("import_job", Kind::Write, vec![("id", s("1"))]),
        (
            "check_import",
            Kind::Write,
            vec![("id", s("1")), ("mapping[0]", s("client.name"))],
        ),
        ("start_import", Kind::Write, vec![("id", s("1"))]),
        ("list_tickets", Kind::Read, vec![]),
        ("ticket_detail", Kind::Read, vec![("id", s("1"))]),
        ("new_ticket_choices", Kind::Write, vec![("client", s("1"))]),
        (
            "create_ticket",
            Kind::Write,
            vec![("client", s(CLIENT)), ("subject", s("Sweep"))],
        ),
        (
            "reply_ticket",
            Kind::Write,
            vec![("id", s("1")), ("body", s("hello"))],
        ),
        (
            "update_ticket",
            Kind::Write,
            vec![("id", s("1")), ("status", s("open"))],
        ),
        ("invite_contact", Kind::Write, vec![("id", s("1"))]),
        ("portal_me", Kind::Public, vec![]),
        (
            "portal_login",
            Kind::Public,
            vec![("email", s("kim@example.com")), ("password", s(PASSWORD))],
        ),
        ("portal_logout", Kind::Public, vec![]),
        (
            "portal_forgot",
            Kind::Public,
            vec![("email", s("kim@example.com"))],
        ),
        ("portal_link", Kind::Public, vec![("token", s("nothing"))]),
        (
            "portal_set_password",
            Kind::Public,
            vec![
                ("token", s("nothing")),
                ("password", s(PASSWORD)),
                ("confirm", s(PASSWORD)),
            ],
        ),
        ("portal_tickets", Kind::Portal, vec![]),
        ("portal_ticket", Kind::Portal, vec![("id", s("1"))]),
        (
            "portal_new_ticket",
            Kind::Portal,
            vec![("subject", s("Sweep"))],
        ),
        (
            "portal_reply",
            Kind::Portal,
            vec![("id", s("1")), ("body", s("hello"))],
        ),
        (
            "portal_set_status",
            Kind::Portal,
            vec![("id", s("1")), ("action", s("close"))],
        ),
        (
            "portal_update_profile",
            Kind::Portal,
            vec![("name", s("Kim"))],
        ),
        (
            "portal_change_password",
            Kind::Portal,
            vec![
                ("current", s(PASSWORD)),
                ("password", s(PASSWORD)),
                ("confirm", s(PASSWORD)),
            ],
        ),
    ]
}

fn form<'a>(args: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    args.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[test]
fn the_sweep_lists_every_server_function() {
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/rpc/").to_string())
        .collect();
    let listed: BTreeSet<String> = server_functions("1")
        .into_iter()
        .map(|(n, ..)| n.to_string())
        .collect();
    assert_eq!(registered, listed, "add new server functions to the sweep");
    assert!(leptos::server_fn::axum::server_fn_paths().all(|(p, _)| p.starts_with("/rpc/")));
}

#[tokio::test]
async fn without_a_session_only_public_functions_and_pages_answer() {
    on_each_engine!(|db| {
        let app = app(db);
        let admin = common::create_user(db, "boss@example.com", Role::Admin, PASSWORD).await;
        let before = db.list_users().await.unwrap().len();
        for (name, kind, args) in server_functions(&admin.to_string()) {
            let res = call(&app, name, &form(&args), None).await;
            if kind == Kind::Public {
                assert!(
                    res.status != StatusCode::INTERNAL_SERVER_ERROR,
                    "{name}: {}",
                    res.status
                );
            } else {
                assert_eq!(
                    res.status,
                    StatusCode::UNAUTHORIZED,
                    "{name} answered without a session"
                );
            }
        }
        assert_eq!(
            db.list_users().await.unwrap().len(),
            before,
            "nothing was created"
        );
        assert!(db.user_by_id(admin).await.unwrap().unwrap().name == "boss");

        for route in docket::server::http::page_routes() {
            let path = route.path().replace(":id", &admin.to_string());
            let res = get(&app, &path, None).await;
            if path.starts_with("/portal") {
                // The portal signs contacts in on its own page.
                if ["/portal", "/portal/forgot", "/portal/password"].contains(&path.as_str()) {
                    assert_eq!(res.status, StatusCode::OK, "{path}");
                } else {
                    assert_eq!(res.status, StatusCode::SEE_OTHER, "{path}");
                    let to = res.header("location").unwrap();
                    assert!(to.starts_with("/portal?next="), "{path} → {to}");
                }
            } else if ["/login", "/login/mfa", "/logout", "/setup"].contains(&path.as_str()) {
                assert!(
                    res.status == StatusCode::OK || res.status == StatusCode::NOT_FOUND,
                    "{path}"
                );
            } else {
                assert_eq!(
                    res.status,
                    StatusCode::SEE_OTHER,
                    "{path} without a session"
                );
                assert!(
                    res.header("location").unwrap().starts_with("/login"),
                    "{path}"
                );
            }
        }
    });
}

#[tokio::test]
async fn read_only_users_read_but_change_nothing_but_their_own_account() {
    on_each_engine!(|db| {
        let app = app(db);
        let admin = common::create_user(db, "boss@example.com", Role::Admin, PASSWORD).await;
        let reader = common::create_user(db, "reader@example.com", Role::ReadOnly, PASSWORD).await;
        let technician =
            common::create_user(db, "tech@example.com", Role::Technician, PASSWORD).await;
        let mut tx = db.begin().await.unwrap();
        let client = tx
            .insert_client(&docket::clients::model::ClientInput {
                name: "Sweep".into(),
                ..docket::clients::model::ClientInput::blank()
            })
            .await
            .unwrap();
        let contact = docket::clients::model::ContactInput {
            name: "Kim".into(),
            email: "kim@sweep.test".into(),
            ..Default::default()
        };
        assert_eq!(tx.insert_contact(client, &contact).await.unwrap(), 1);
        let (ticket, _) = tx
            .insert_ticket(&docket::server::db::NewTicket {
                client_id: client,
                contact_id: None,
                location_id: None,
                assignee_id: None,
                subject: "Sweep",
                details: "",
                priority: docket::tickets::model::Priority::Low,
                source: docket::tickets::model::Source::Ui,
            })
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(client.to_string(), CLIENT);
        assert_eq!(ticket, 1);
        for (who, id) in [("read-only", reader), ("technician", technician)] {
            for (name, kind, args) in server_functions(&admin.to_string()) {
                let cookie = common::session_cookie(db, id).await;
                let res = call(&app, name, &form(&args), Some(&cookie)).await;
                match kind {
                    Kind::Admin => {
                        assert_eq!(res.status, StatusCode::FORBIDDEN, "{who} called {name}")
                    }
                    Kind::Write if who == "read-only" => {
                        assert_eq!(res.status, StatusCode::FORBIDDEN, "{who} called {name}")
                    }
                    Kind::Write => assert!(
                        res.status.is_success() || res.status == StatusCode::NOT_FOUND,
                        "{who} called {name}: {} {}",
                        res.status,
                        res.body
                    ),
                    Kind::Read => assert_eq!(res.status, StatusCode::OK, "{who} reads {name}"),
                    Kind::Portal => assert_eq!(
                        res.status,
                        StatusCode::UNAUTHORIZED,
                        "{who} called portal function {name}"
                    ),
                    Kind::Public | Kind::OwnAccount => {
                        assert!(res.status != StatusCode::INTERNAL_SERVER_ERROR, "{name}")
                    }
                }
            }
        }
        // Nothing about other people or settings changed.
        let boss = db.user_by_id(admin).await.unwrap().unwrap();
        assert_eq!((boss.name.as_str(), boss.role()), ("boss", Role::Admin));
        assert_eq!(db.list_users().await.unwrap().len(), 3);
        assert_eq!(db.setting("mfa_required_roles").await.unwrap(), None);
        let changes = db
            .list_audit(&AuditFilter {
                page_size: Some(200),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(
            changes
                .rows
                .iter()
                .all(|r| !r.action.starts_with("settings")
                    && r.action != "user.update"
                    && r.action != "user.create"),
            "{:?}",
            changes.rows.iter().map(|r| &r.action).collect::<Vec<_>>()
        );

        let cookie = common::session_cookie(db, reader).await;
        for path in [
            "/admin/users",
            "/admin/audit",
            "/admin/security",
            &format!("/admin/users/{admin}"),
        ] {
            let res = get(&app, path, Some(&cookie)).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{path} for read-only");
            assert!(!res.body.contains("boss@example.com"), "{path} leaks data");
        }
        assert_eq!(get(&app, "/", Some(&cookie)).await.status, StatusCode::OK);
    });
}
