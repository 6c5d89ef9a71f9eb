//! Technician accounts through the real router, on every engine: first-run setup, sign-in,
//! throttling, sessions, CSRF, roles, two-factor, admin actions and the audit log.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use chrono::{Duration, Utc};
use common::web::{app, call, get, send};
use docket::accounts::model::Role;
use docket::audit::model::AuditFilter;
use docket::server::auth::{token::sha256_hex, totp};
use docket::server::db::Db;

const PASSWORD: &str = "violet-harbour-kettle";

async fn actions(db: &Db) -> Vec<String> {
    let page = db
        .list_audit(&AuditFilter {
            page_size: Some(200),
            ..Default::default()
        })
        .await
        .unwrap();
    page.rows.into_iter().map(|r| r.action).collect()
}

#[tokio::test]
async fn first_run_sends_everyone_to_setup_until_the_first_admin_exists() {
    on_each_engine!(|db| {
        let app = app(db);
        for path in ["/", "/login", "/admin/users"] {
            let res = get(&app, path, None).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{path}");
            assert_eq!(res.header("location"), Some("/setup"));
        }
        let page = get(&app, "/setup", None).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Create admin and sign in"));

        // Field errors come back as 422 with the field named.
        let bad = call(
            &app,
            "setup_admin",
            &[
                ("name", "Ana"),
                ("email", "ana@example.com"),
                ("password", "short"),
                ("confirm", "short"),
            ],
            None,
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("\"password\""), "{}", bad.body);
        assert!(
            !db.has_users().await.unwrap(),
            "nothing written on bad input"
        );

        let ok = call(
            &app,
            "setup_admin",
            &[
                ("name", "Ana"),
                ("email", "Ana@Example.com"),
                ("password", PASSWORD),
                ("confirm", PASSWORD),
            ],
            None,
        )
        .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        assert_eq!(ok.header("location"), Some("/"));
        let cookie = ok.session_cookie().expect("signed in after setup");
        let user = db.user_by_email("ana@example.com").await.unwrap().unwrap();
        assert_eq!(user.role(), Role::Admin);

        // Setup is gone now, as a page and as a function.
        assert_eq!(
            get(&app, "/setup", Some(&cookie)).await.status,
            StatusCode::NOT_FOUND
        );
        let again = call(
            &app,
            "setup_admin",
            &[
                ("name", "Eve"),
                ("email", "eve@example.com"),
                ("password", PASSWORD),
                ("confirm", PASSWORD),
            ],
            None,
        )
        .await;
        assert_eq!(again.status, StatusCode::NOT_FOUND);
        assert!(db.user_by_email("eve@example.com").await.unwrap().is_none());

        let home = get(&app, "/", Some(&cookie)).await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(
            home.body.contains("Ana"),
            "the header names the signed-in user"
        );
        assert_eq!(actions(db).await, vec!["login.ok", "user.create"]);
    });
}

#[tokio::test]
async fn sign_in_gives_one_generic_error_and_a_fresh_http_only_session() {
    on_each_engine!(|db| {
        let app = app(db);
        common::create_user(db, "ana@example.com", Role::Technician, PASSWORD).await;

        let anonymous = get(&app, "/admin/users?x=1", None).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
        assert_eq!(
            anonymous.header("location"),
            Some("/login?next=/admin/users%3Fx%3D1")
        );

        let wrong = call(
            &app,
            "login",
            &[
                ("email", "ana@example.com"),
                ("password", "wrong-password-here"),
            ],
            None,
        )
        .await;
        let unknown = call(
            &app,
            "login",
            &[("email", "nobody@example.com"), ("password", PASSWORD)],
            None,
        )
        .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            wrong.body, unknown.body,
            "unknown email and wrong password look the same"
        );
        assert!(wrong.body.contains("Email or password is incorrect"));
        assert!(wrong.session_cookie().is_none());

        let old = common::session_cookie(
            db,
            db.user_by_email("ana@example.com")
                .await
                .unwrap()
                .unwrap()
                .id,
        )
        .await;
        let ok = call(
            &app,
            "login",
            &[
                ("email", "ANA@example.com"),
                ("password", PASSWORD),
                ("next", "//evil.example"),
            ],
            Some(&old),
        )
        .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        assert_eq!(ok.header("location"), Some("/"), "only local redirects");
        let set = ok
            .headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Lax") && !set.contains("Secure"),
            "{set}"
        );
        let cookie = ok.session_cookie().unwrap();
        assert_ne!(cookie, old, "a new session id at sign-in");
        assert_eq!(
            get(&app, "/account", Some(&old)).await.status,
            StatusCode::SEE_OTHER,
            "the old session ended"
        );
        assert_eq!(
            get(&app, "/account", Some(&cookie)).await.status,
            StatusCode::OK
        );

        // Only the hash of the session id is stored.
        let token = cookie.trim_start_matches("docket_session=");
        assert!(db.session(token).await.unwrap().is_none());
        assert!(db.session(&sha256_hex(token)).await.unwrap().is_some());
        assert!(db
            .user_by_email("ana@example.com")
            .await
            .unwrap()
            .unwrap()
            .last_login_at
            .is_some());
        let log = actions(db).await;
        assert_eq!(log.iter().filter(|a| *a == "login.failed").count(), 2);
        assert!(log.contains(&"login.ok".to_string()));
    });
}

#[tokio::test]
async fn repeated_failures_are_throttled_with_retry_after() {
    on_each_engine!(|db| {
        let app = app(db);
        common::create_user(db, "ana@example.com", Role::Technician, PASSWORD).await;
        for attempt in 1..=4 {
            let res = call(
                &app,
                "login",
                &[
                    ("email", "ana@example.com"),
                    ("password", "wrong-password-here"),
                ],
                None,
            )
            .await;
            assert_eq!(
                res.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "attempt {attempt}"
            );
        }
        let fifth = call(
            &app,
            "login",
            &[
                ("email", "ana@example.com"),
                ("password", "wrong-password-here"),
            ],
            None,
        )
        .await;
        assert_eq!(fifth.status, StatusCode::TOO_MANY_REQUESTS);
        let retry: i64 = fifth.header("retry-after").unwrap().parse().unwrap();
        assert!((800..=900).contains(&retry), "{retry}");
        assert!(fifth.body.contains("Throttled"), "{}", fifth.body);

        // Now even the right password waits, and the refusal is logged.
        let right = call(
            &app,
            "login",
            &[("email", "ana@example.com"), ("password", PASSWORD)],
            None,
        )
        .await;
        assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(right.session_cookie().is_none());
        assert!(actions(db).await.contains(&"login.blocked".to_string()));

        // The block lives in the database: a second node (another router) sees it.
        let other_node = common::web::app(db);
        let there = call(
            &other_node,
            "login",
            &[("email", "ana@example.com"), ("password", PASSWORD)],
            None,
        )
        .await;
        assert_eq!(there.status, StatusCode::TOO_MANY_REQUESTS);

        // Once the block has passed, the right password works again.
        let past = Utc::now() - Duration::seconds(1);
        let sql = "UPDATE throttle SET blocked_until = $1";
        docket::on_pool!(db, pool => sqlx::query(sql).bind(past).execute(pool).await.map(|_| ()))
            .unwrap();
        let later = call(
            &app,
            "login",
            &[("email", "ana@example.com"), ("password", PASSWORD)],
            None,
        )
        .await;
        assert_eq!(later.status, StatusCode::OK, "{}", later.body);
    });
}

#[tokio::test]
async fn sessions_end_on_logout_idle_timeout_everywhere_and_password_change() {
    on_each_engine!(|db| {
        let app = app(db);
        let id = common::create_user(db, "ana@example.com", Role::Technician, PASSWORD).await;

        let a = common::session_cookie(db, id).await;
        assert_eq!(
            call(&app, "logout", &[], Some(&a)).await.status,
            StatusCode::OK
        );
        assert_eq!(
            get(&app, "/account", Some(&a)).await.status,
            StatusCode::SEE_OTHER
        );

        // Idle for longer than the timeout.
        let b = common::session_cookie(db, id).await;
        let stale = Utc::now() - Duration::hours(13);
        let hash = sha256_hex(b.trim_start_matches("docket_session="));
        let sql = "UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2";
        docket::on_pool!(db, pool => sqlx::query(sql).bind(stale).bind(&hash).execute(pool).await.map(|_| ()))
            .unwrap();
        assert_eq!(
            get(&app, "/account", Some(&b)).await.status,
            StatusCode::SEE_OTHER
        );
        assert!(
            db.session(&hash).await.unwrap().is_none(),
            "expired sessions are removed"
        );

        let (c, d) = (
            common::session_cookie(db, id).await,
            common::session_cookie(db, id).await,
        );
        assert_eq!(
            call(&app, "logout_everywhere", &[], Some(&c)).await.status,
            StatusCode::OK
        );
        assert_eq!(db.count_user_sessions(id).await.unwrap(), 0);
        assert_eq!(
            get(&app, "/account", Some(&d)).await.status,
            StatusCode::SEE_OTHER
        );

        let (e, f) = (
            common::session_cookie(db, id).await,
            common::session_cookie(db, id).await,
        );
        let wrong = call(
            &app,
            "change_password",
            &[
                ("current", "nope-nope-nope"),
                ("password", "a-brand-new-secret"),
                ("confirm", "a-brand-new-secret"),
            ],
            Some(&e),
        )
        .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        let changed = call(
            &app,
            "change_password",
            &[
                ("current", PASSWORD),
                ("password", "a-brand-new-secret"),
                ("confirm", "a-brand-new-secret"),
            ],
            Some(&e),
        )
        .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
        assert_eq!(
            get(&app, "/account", Some(&e)).await.status,
            StatusCode::OK,
            "this session stays"
        );
        assert_eq!(
            get(&app, "/account", Some(&f)).await.status,
            StatusCode::SEE_OTHER,
            "the others end"
        );
        let login = call(
            &app,
            "login",
            &[
                ("email", "ana@example.com"),
                ("password", "a-brand-new-secret"),
            ],
            None,
        )
        .await;
        assert_eq!(login.status, StatusCode::OK);
    });
}

#[tokio::test]
async fn cross_site_state_changes_are_refused() {
    let t = common::sqlite().await;
    let app = app(&t.db);
    let id = common::create_user(&t.db, "ana@example.com", Role::Technician, PASSWORD).await;
    let cookie = common::session_cookie(&t.db, id).await;
    let attempts = [
        vec![("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site")],
        vec![
            ("origin", "https://evil.example"),
            ("host", "docket.example"),
        ],
    ];
    for headers in attempts {
        let mut req = Request::post("/rpc/logout_everywhere")
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        for (k, v) in &headers {
            req = req.header(*k, *v);
        }
        let res = send(&app, req.body(Body::empty()).unwrap()).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{headers:?}");
    }
    assert_eq!(
        t.db.count_user_sessions(id).await.unwrap(),
        1,
        "nothing happened"
    );
    let same = Request::post("/rpc/logout_everywhere")
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("origin", "http://docket.example")
        .header("host", "docket.example")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&app, same).await.status, StatusCode::OK);
    assert_eq!(t.db.count_user_sessions(id).await.unwrap(), 0);
    t.finish().await;
}

#[tokio::test]
async fn two_factor_enrolment_sign_in_recovery_codes_and_lockout() {
    on_each_engine!(|db| {
        let app = app(db);
        let id = common::create_user(db, "ana@example.com", Role::Technician, PASSWORD).await;
        let cookie = common::session_cookie(db, id).await;

        assert_eq!(
            call(&app, "mfa_begin", &[], Some(&cookie)).await.status,
            StatusCode::OK
        );
        let status = call(&app, "mfa_overview", &[], Some(&cookie)).await;
        let status: serde_json::Value = serde_json::from_str(&status.body).unwrap();
        let secret = status["pending"]["secret"].as_str().unwrap().to_string();
        assert!(status["pending"]["qr_svg"]
            .as_str()
            .unwrap()
            .contains("<svg"));

        let bad = call(&app, "mfa_confirm", &[("code", "000000")], Some(&cookie)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let now = Utc::now().timestamp();
        let code = totp::code_at(&secret, totp::step_at(now)).unwrap();
        let confirmed = call(&app, "mfa_confirm", &[("code", &code)], Some(&cookie)).await;
        assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
        let codes: Vec<String> = serde_json::from_str(&confirmed.body).unwrap();
        assert_eq!(codes.len(), 10);
        assert_eq!(db.unused_recovery_codes(id).await.unwrap(), 10);

        // The password alone now leads to the second step only.
        let first = call(
            &app,
            "login",
            &[("email", "ana@example.com"), ("password", PASSWORD)],
            None,
        )
        .await;
        assert_eq!(first.header("location"), Some("/login/mfa?next=/"));
        let pending = first.session_cookie().unwrap();
        assert_eq!(
            get(&app, "/", Some(&pending)).await.header("location"),
            Some("/login/mfa")
        );
        assert_eq!(
            call(&app, "list_users", &[], Some(&pending)).await.status,
            StatusCode::UNAUTHORIZED
        );

        // The code already used for enrolment cannot be replayed.
        let replay = call(&app, "login_mfa", &[("code", &code)], Some(&pending)).await;
        assert_eq!(replay.status, StatusCode::UNPROCESSABLE_ENTITY);
        let recovery = call(
            &app,
            "login_mfa",
            &[("code", &codes[0].to_uppercase())],
            Some(&pending),
        )
        .await;
        assert_eq!(recovery.status, StatusCode::OK, "{}", recovery.body);
        let full = recovery.session_cookie().unwrap();
        assert_ne!(
            full, pending,
            "the session id changes after the second step"
        );
        assert_eq!(get(&app, "/", Some(&full)).await.status, StatusCode::OK);
        assert_eq!(db.unused_recovery_codes(id).await.unwrap(), 9);

        // A spent recovery code fails; five failures lock the second step.
        let again = call(
            &app,
            "login",
            &[("email", "ana@example.com"), ("password", PASSWORD)],
            None,
        )
        .await;
        let pending = again.session_cookie().unwrap();
        let mut statuses = Vec::new();
        for _ in 0..5 {
            statuses.push(
                call(&app, "login_mfa", &[("code", &codes[0])], Some(&pending))
                    .await
                    .status,
            );
        }
        assert_eq!(statuses[..4], [StatusCode::UNPROCESSABLE_ENTITY; 4]);
        assert_eq!(statuses[4], StatusCode::TOO_MANY_REQUESTS);
        let locked = call(&app, "login_mfa", &[("code", &codes[1])], Some(&pending)).await;
        assert_eq!(
            locked.status,
            StatusCode::TOO_MANY_REQUESTS,
            "even a good code waits"
        );
    });
}

#[tokio::test]
async fn admins_require_two_factor_per_role() {
    let t = common::sqlite().await;
    let db = &t.db;
    let app = app(db);
    let admin = common::create_user(db, "boss@example.com", Role::Admin, PASSWORD).await;
    let tech = common::create_user(db, "tech@example.com", Role::Technician, PASSWORD).await;
    let admin_cookie = common::session_cookie(db, admin).await;
    let tech_cookie = common::session_cookie(db, tech).await;
    assert_eq!(
        call(
            &app,
            "set_mfa_required",
            &[("technician", "on")],
            Some(&tech_cookie)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        call(
            &app,
            "set_mfa_required",
            &[("technician", "on")],
            Some(&admin_cookie)
        )
        .await
        .status,
        StatusCode::OK
    );
    assert_eq!(
        get(&app, "/", Some(&tech_cookie)).await.header("location"),
        Some("/account/mfa")
    );
    assert_eq!(
        get(&app, "/account/mfa", Some(&tech_cookie)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        get(&app, "/", Some(&admin_cookie)).await.status,
        StatusCode::OK,
        "admins were not ticked"
    );
    t.finish().await;
}

#[tokio::test]
async fn admins_manage_users_and_every_change_is_audited() {
    on_each_engine!(|db| {
        let app = app(db);
        let admin = common::create_user(db, "boss@example.com", Role::Admin, PASSWORD).await;
        let cookie = common::session_cookie(db, admin).await;

        let created = call(
            &app,
            "create_user",
            &[
                ("name", "Tom"),
                ("email", "tom@example.com"),
                ("role", "technician"),
                ("password", "temporary-pass-123"),
            ],
            Some(&cookie),
        )
        .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        let dup = call(
            &app,
            "create_user",
            &[
                ("name", "Tom"),
                ("email", "TOM@example.com"),
                ("role", "technician"),
                ("password", "temporary-pass-123"),
            ],
            Some(&cookie),
        )
        .await;
        assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(dup.body.contains("already exists"));
        let tom = db.user_by_email("tom@example.com").await.unwrap().unwrap();
        assert!(tom.must_change_password);

        // First sign-in forces the password change before anything else.
        let login = call(
            &app,
            "login",
            &[
                ("email", "tom@example.com"),
                ("password", "temporary-pass-123"),
            ],
            None,
        )
        .await;
        let tom_cookie = login.session_cookie().unwrap();
        assert_eq!(
            get(&app, "/", Some(&tom_cookie)).await.header("location"),
            Some("/account/password")
        );
        assert_eq!(
            call(&app, "system_status", &[], Some(&tom_cookie))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let changed = call(
            &app,
            "change_password",
            &[
                ("current", "temporary-pass-123"),
                ("password", "toms-own-secret-1"),
                ("confirm", "toms-own-secret-1"),
            ],
            Some(&tom_cookie),
        )
        .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
        assert_eq!(
            get(&app, "/", Some(&tom_cookie)).await.status,
            StatusCode::OK
        );

        // Restrict Tom to one client, make him read-only, then disable him.
        let (acme, globex) = {
            let mut tx = db.begin().await.unwrap();
            let ids = (
                tx.insert_client(&named("ACME")).await.unwrap(),
                tx.insert_client(&named("Globex")).await.unwrap(),
            );
            tx.commit().await.unwrap();
            ids
        };
        let tom_id = tom.id.to_string();
        let acme_s = acme.to_string();
        let upd = call(
            &app,
            "update_user",
            &[
                ("id", &tom_id),
                ("name", "Tom T"),
                ("role", "read_only"),
                ("restricted", "on"),
                ("client_ids[0]", &acme_s),
            ],
            Some(&cookie),
        )
        .await;
        assert_eq!(upd.status, StatusCode::OK, "{}", upd.body);
        assert_eq!(db.user_client_ids(tom.id).await.unwrap(), vec![acme]);
        // A client is added by the picker's "Name #id" (or "#id"), the kept ones stay ticked;
        // a name that is not a client is refused at the field.
        let restrict = async |add: &str, kept: (&str, i64)| {
            let kept_id = kept.1.to_string();
            let form = [
                ("id", tom_id.as_str()),
                ("name", "Tom T"),
                ("role", "read_only"),
                ("restricted", "on"),
                ("add_client", add),
                (kept.0, kept_id.as_str()),
            ];
            call(&app, "update_user", &form, Some(&cookie)).await
        };
        for add in ["Globex".to_string(), format!("Nobody #{}", globex + 100)] {
            let upd = restrict(&add, ("client_ids[0]", acme)).await;
            assert_eq!(upd.status, StatusCode::UNPROCESSABLE_ENTITY, "{add}");
            assert!(upd.body.contains("add_client"), "{}", upd.body);
        }
        let upd = restrict(&format!("Globex #{globex}"), ("client_ids[0]", acme)).await;
        assert_eq!(upd.status, StatusCode::OK, "{}", upd.body);
        assert_eq!(
            db.user_clients(tom.id).await.unwrap(),
            [(acme, "ACME".into()), (globex, "Globex".into())]
        );
        let upd = restrict("", ("client_ids[1]", globex)).await;
        assert_eq!(upd.status, StatusCode::OK, "{}", upd.body);
        assert_eq!(
            db.user_client_ids(tom.id).await.unwrap(),
            [globex],
            "ACME unticked"
        );
        let upd = restrict("", ("client_ids[0]", acme)).await;
        assert_eq!(upd.status, StatusCode::OK, "{}", upd.body);
        assert_eq!(db.user_client_ids(tom.id).await.unwrap(), [acme]);
        let headers =
            axum::http::HeaderMap::from_iter([(header::COOKIE, tom_cookie.parse().unwrap())]);
        let session = docket::server::auth::session::load(db, &headers)
            .await
            .unwrap()
            .unwrap();
        assert!(session.clients.allows(acme) && !session.clients.allows(globex));
        assert_eq!(session.user.role(), Role::ReadOnly);

        let upd = call(
            &app,
            "update_user",
            &[
                ("id", &tom_id),
                ("name", "Tom T"),
                ("role", "read_only"),
                ("disabled", "on"),
            ],
            Some(&cookie),
        )
        .await;
        assert_eq!(upd.status, StatusCode::OK);
        assert_eq!(
            db.count_user_sessions(tom.id).await.unwrap(),
            0,
            "disabling ends sessions"
        );
        let login = call(
            &app,
            "login",
            &[
                ("email", "tom@example.com"),
                ("password", "toms-own-secret-1"),
            ],
            None,
        )
        .await;
        assert_eq!(login.status, StatusCode::UNPROCESSABLE_ENTITY);

        // An admin cannot lock themselves out.
        let me = admin.to_string();
        let self_demote = call(
            &app,
            "update_user",
            &[("id", &me), ("name", "Boss"), ("role", "technician")],
            Some(&cookie),
        )
        .await;
        assert_eq!(self_demote.status, StatusCode::CONFLICT);

        let reset = call(
            &app,
            "reset_user_password",
            &[("id", &tom_id), ("password", "another-temp-pass")],
            Some(&cookie),
        )
        .await;
        assert_eq!(reset.status, StatusCode::OK);
        assert!(
            db.user_by_id(tom.id)
                .await
                .unwrap()
                .unwrap()
                .must_change_password
        );

        // The audit log has each change with its fields, filterable.
        let updates = db
            .list_audit(&AuditFilter {
                action: Some("user.update".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(
            updates.total, 5,
            "two saves, and three more of the client access"
        );
        let first = updates.rows.last().unwrap();
        let fields: Vec<_> = first
            .changes
            .iter()
            .map(|c| (c.field.as_str(), c.old.as_deref(), c.new.as_deref()))
            .collect();
        assert!(
            fields.contains(&("role", Some("technician"), Some("read_only"))),
            "{fields:?}"
        );
        assert!(fields.contains(&("name", Some("Tom"), Some("Tom T"))));
        assert!(fields.contains(&("clients", Some(""), Some(acme_s.as_str()))));
        let by_admin = db
            .list_audit(&AuditFilter {
                user_id: Some(admin),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(by_admin
            .rows
            .iter()
            .all(|r| r.actor.contains("boss@example.com")));
        let text = db
            .list_audit(&AuditFilter {
                text: Some("TOM@EXAMPLE".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(text.total >= 3);
        let today = Utc::now().format("%Y-%m-%d").to_string();
        let dated = db
            .list_audit(&AuditFilter {
                from: Some(today.clone()),
                to: Some(today),
                ..Default::default()
            })
            .await
            .unwrap();
        let all = db.list_audit(&AuditFilter::default()).await.unwrap();
        assert_eq!(dated.total, all.total);
        let future = db
            .list_audit(&AuditFilter {
                from: Some("2999-01-01".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(future.total, 0);
        let paged = db
            .list_audit(&AuditFilter {
                page: Some(2),
                page_size: Some(10),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(paged.total, all.total);
        assert_eq!(paged.rows.len() as i64, (all.total - 10).clamp(0, 10));

        // The audit page is for admins; it lists with its filters.
        let page = get(&app, "/admin/audit?action=user.update", Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("5 entries"),
            "{}",
            &page.body[..page.body.len().min(400)]
        );
    });
}

fn named(name: &str) -> docket::clients::model::ClientInput {
    docket::clients::model::ClientInput {
        name: name.into(),
        ..docket::clients::model::ClientInput::blank()
    }
}
