//! The HTTP stack through the real router: health, pages, 404, headers, compression,
//! static files and server functions.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::web::{config, send};
use docket::accounts::model::Role;
use docket::server::http::{router, AppState};

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

fn signed_in(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn health_pages_and_headers() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("pkg")).unwrap();
    std::fs::write(site.path().join("pkg/docket.0123abcd.js"), "export {}").unwrap();
    std::fs::write(site.path().join("robots.txt"), "User-agent: *").unwrap();

    on_each_engine!(|db| {
        let app = router(AppState::new(&config(site.path()), db.clone()));

        let health = send(&app, get("/healthz")).await;
        assert_eq!(health.status, StatusCode::OK);
        assert_eq!(health.body, "ok");

        // The start page renders completely on the server, with a nonce-based CSP.
        let admin =
            common::create_user(db, "ana@example.com", Role::Admin, "violet-harbour-kettle").await;
        let cookie = common::session_cookie(db, admin).await;
        let home = send(&app, signed_in("/", &cookie)).await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(home.body.contains("Welcome to Docket"));
        assert!(
            home.body.contains(&db.engine().to_string()),
            "status shows the engine"
        );
        let csp = home.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_string();
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|s| s.split('\'').next())
            .unwrap();
        assert!(nonce.len() >= 16, "nonce is long enough: {nonce}");
        assert!(
            home.body.contains(&format!("nonce=\"{nonce}\"")),
            "scripts carry the nonce"
        );
        assert!(csp.contains("'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(home.headers[header::X_FRAME_OPTIONS], "DENY");
        assert_eq!(home.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(home.headers[header::REFERRER_POLICY], "same-origin");
        assert_eq!(home.headers[header::CACHE_CONTROL], "no-store");

        // A second page load gets a different nonce.
        let again = send(&app, signed_in("/", &cookie)).await;
        assert_ne!(again.headers[header::CONTENT_SECURITY_POLICY], csp.as_str());

        let missing = send(&app, get("/no/such/page")).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert!(missing.body.contains("Page not found"));
        assert!(missing.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("nonce-"));

        // Hashed assets are cached for a year; other files are revalidated.
        let asset = send(&app, get("/pkg/docket.0123abcd.js")).await;
        assert_eq!(asset.status, StatusCode::OK);
        assert_eq!(
            asset.headers[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        let robots = send(&app, get("/robots.txt")).await;
        assert_eq!(robots.status, StatusCode::OK);
        assert_eq!(robots.headers[header::CACHE_CONTROL], "no-cache");
        assert_eq!(
            robots.headers[header::CONTENT_SECURITY_POLICY],
            "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
        );
    });
}

#[tokio::test]
async fn pages_are_compressed_when_the_browser_accepts_it() {
    let site = tempfile::tempdir().unwrap();
    let t = common::sqlite().await;
    let app = router(AppState::new(&config(site.path()), t.db.clone()));
    let id = common::create_user(
        &t.db,
        "ana@example.com",
        Role::Admin,
        "violet-harbour-kettle",
    )
    .await;
    let cookie = common::session_cookie(&t.db, id).await;
    for encoding in ["br", "gzip"] {
        let req = Request::get("/")
            .header(header::ACCEPT_ENCODING, encoding)
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap();
        let res = send(&app, req).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.headers[header::CONTENT_ENCODING], encoding);
    }
    t.finish().await;
}

#[tokio::test]
async fn server_functions_answer_under_rpc() {
    let site = tempfile::tempdir().unwrap();
    on_each_engine!(|db| {
        let app = router(AppState::new(&config(site.path()), db.clone()));
        let id = common::create_user(
            db,
            "ana@example.com",
            Role::ReadOnly,
            "violet-harbour-kettle",
        )
        .await;
        let cookie = common::session_cookie(db, id).await;
        let req = Request::post("/rpc/system_status")
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .body(Body::empty())
            .unwrap();
        let res = send(&app, req).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let json: serde_json::Value = serde_json::from_str(&res.body).unwrap();
        assert_eq!(json["engine"], db.engine().to_string());
        assert!(json["schema_version"].as_i64().unwrap() >= 1);

        // Unreadable arguments are the caller's fault: 400, not 500.
        let bad = Request::post("/rpc/user_detail")
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .body(Body::from("id=not-a-number"))
            .unwrap();
        assert_eq!(send(&app, bad).await.status, StatusCode::BAD_REQUEST);

        // The old default prefix is not served.
        let old = send(
            &app,
            Request::post("/api/system_status")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_ne!(old.status, StatusCode::OK);
    });
}

#[tokio::test]
async fn forms_posted_without_javascript_are_sent_back_with_the_error() {
    let t = common::sqlite().await;
    let app = common::web::app(&t.db);
    common::create_user(
        &t.db,
        "ana@example.com",
        Role::Admin,
        "violet-harbour-kettle",
    )
    .await;
    let req = Request::post("/rpc/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::REFERER, "http://docket.test/login")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(
            "email=ana%40example.com&password=wrong-password-here",
        ))
        .unwrap();
    let res = send(&app, req).await;
    assert_eq!(
        res.status,
        StatusCode::FOUND,
        "a redirect, not the raw error"
    );
    let location = res.headers[header::LOCATION].to_str().unwrap();
    assert!(
        location.starts_with("http://docket.test/login?") && location.contains("__err="),
        "{location}"
    );
    t.finish().await;
}

#[tokio::test]
async fn the_benchmark_ceiling_serves_a_folder_from_memory_only_when_configured() {
    let site = tempfile::tempdir().unwrap();
    let answers = tempfile::tempdir().unwrap();
    std::fs::write(answers.path().join("list.html"), "<p>list</p>").unwrap();
    std::fs::write(answers.path().join("list.json"), "{\"total\":1}").unwrap();
    let t = common::sqlite().await;

    let plain = router(AppState::new(&config(site.path()), t.db.clone()));
    let res = send(&plain, get("/bench/ceiling/list.html")).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);

    let bench = docket::server::config::Config {
        bench_ceiling: Some(answers.path().to_path_buf()),
        ..config(site.path())
    };
    let app = router(AppState::new(&bench, t.db.clone()));
    for (name, body, kind) in [
        ("list.html", "<p>list</p>", "text/html; charset=utf-8"),
        ("list.json", "{\"total\":1}", "application/json"),
    ] {
        let res = send(&app, get(&format!("/bench/ceiling/{name}"))).await;
        assert_eq!(res.status, StatusCode::OK, "{name}");
        assert_eq!(res.body, body);
        assert_eq!(res.headers[header::CONTENT_TYPE], kind);
    }
    // Read once, then answered from memory.
    std::fs::remove_file(answers.path().join("list.html")).unwrap();
    let res = send(&app, get("/bench/ceiling/list.html")).await;
    assert_eq!(
        (res.status, res.body.as_str()),
        (StatusCode::OK, "<p>list</p>")
    );
    for path in [
        "/bench/ceiling/missing.html",
        "/bench/ceiling/..%2Fhttp.rs",
        "/bench/ceiling/.x",
    ] {
        assert_eq!(
            send(&app, get(path)).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    t.finish().await;
}

/// Many pages at once, some of them abandoned by their client midway (a browser leaving the
/// page): every page that is answered carries its nonce policy, and its scripts that nonce.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_carries_its_nonce_policy_while_others_are_abandoned() {
    let site = tempfile::tempdir().unwrap();
    let t = common::sqlite().await;
    let app = router(AppState::new(&config(site.path()), t.db.clone()));
    let id = common::create_user(
        &t.db,
        "ana@example.com",
        Role::Admin,
        "violet-harbour-kettle",
    )
    .await;
    let cookie = common::session_cookie(&t.db, id).await;
    let mut tasks = Vec::new();
    for i in 0..400u64 {
        let (app, cookie) = (app.clone(), cookie.clone());
        tasks.push(tokio::spawn(async move {
            let path = ["/", "/clients", "/no/such/page", "/contacts"][i as usize % 4];
            let req = match i % 3 {
                0 => Request::post(["/rpc/system_status", "/rpc/current_user"][i as usize % 2])
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::ACCEPT, "application/json")
                    .header(header::HOST, "localhost")
                    .header(header::ORIGIN, "http://localhost"),
                _ => Request::get(path),
            };
            let req = req
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap();
            let call = tower::ServiceExt::oneshot(app, req);
            if i % 3 == 0 {
                // Abandoned after a moment, like a page the browser navigates away from.
                let _ =
                    tokio::time::timeout(std::time::Duration::from_micros(300 * (i % 11)), call)
                        .await;
                return None;
            }
            let res = call.await.unwrap();
            let csp = res.headers()[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .to_string();
            let body = axum::body::to_bytes(res.into_body(), usize::MAX)
                .await
                .unwrap();
            Some((path, csp, String::from_utf8_lossy(&body).into_owned()))
        }));
    }
    let mut wrong = Vec::new();
    for task in tasks {
        let Some((path, csp, body)) = task.await.unwrap() else {
            continue;
        };
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|s| s.split('\'').next());
        let stamped: Vec<&str> = body
            .split("nonce=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        let fits = nonce.is_some_and(|n| !stamped.is_empty() && stamped.iter().all(|s| *s == n));
        if !fits {
            wrong.push((path, nonce.map(str::to_string), stamped.len()));
        }
    }
    assert!(
        wrong.is_empty(),
        "pages whose scripts and policy disagree: {wrong:?}"
    );
    t.finish().await;
}
