//! Import benchmark: 10,000 rows (client, primary location, contact) through the real router
//! on SQLite, and on PostgreSQL when `TEST_DATABASE_URL` is set. It times the dry run (one
//! request) and the background import, first creating every client, then updating them all.
//!
//!     cargo bench --features ssr --bench import [-- ROWS]

#[path = "../common/mod.rs"]
mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::web::{app, call, send};
use docket::accounts::model::Role;
use docket::clients::import::{ImportStatus, ImportView};
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let rows: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    for test_db in common::engines().await {
        let db = &test_db.db;
        let app = app(db);
        let user =
            common::create_user(db, "bench@example.com", Role::Admin, "bench-password-1").await;
        let cookie = common::session_cookie(db, user).await;
        let file = csv(rows);
        println!("{} · {rows} rows · {} kB", db.engine(), file.len() / 1024);
        for (pass, expect) in [("create", (rows, 0)), ("update", (0, rows))] {
            let id = upload(&app, &cookie, &file).await;
            let mapping = job(&app, &cookie, id).await.columns;
            let mapping: Vec<String> = mapping.into_iter().map(|c| c.target).collect();
            let mut form = vec![("id".to_string(), id.to_string())];
            form.extend(
                mapping
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (format!("mapping[{i}]"), t.clone())),
            );
            let form: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();

            let started = Instant::now();
            let res = call(&app, "check_import", &form, Some(&cookie)).await;
            assert_eq!(res.status, StatusCode::OK, "{}", res.body);
            let dry_run = started.elapsed();
            let report = job(&app, &cookie, id).await.report.unwrap();
            assert_eq!(
                (report.created, report.updated, report.rejected),
                (expect.0, expect.1, 0)
            );

            let started = Instant::now();
            let res = call(
                &app,
                "start_import",
                &[("id", &id.to_string())],
                Some(&cookie),
            )
            .await;
            assert_eq!(res.status, StatusCode::OK, "{}", res.body);
            let view = loop {
                let view = job(&app, &cookie, id).await;
                if view.status != ImportStatus::Running {
                    break view;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            };
            let import = started.elapsed();
            assert_eq!(view.status, ImportStatus::Done, "{:?}", view.error);
            println!(
                "  {pass}: dry run {:>6} ms, import {:>6} ms ({:.0} rows/s)",
                dry_run.as_millis(),
                import.as_millis(),
                rows as f64 / import.as_secs_f64()
            );
        }
        test_db.finish().await;
    }
}

fn csv(rows: usize) -> String {
    let mut out = String::from(
        "Name,Account code,Industry,Website,City,Country,Address,Contact name,Email,Contact phone\n",
    );
    for i in 0..rows {
        out.push_str(&format!(
            "Client {i},C{i:06},Industry {},client{i}.example,City {},NL,{i} Main Street,Person {i},person{i}@client{i}.example,+31 30 {i:07}\n",
            i % 20,
            i % 300
        ));
    }
    out
}

async fn upload(app: &axum::Router, cookie: &str, csv: &str) -> i64 {
    let boundary = "docket-bench";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    );
    let req = Request::post("/clients/import/upload")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::COOKIE, cookie)
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap();
    let res = send(app, req).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    res.header("location")
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn job(app: &axum::Router, cookie: &str, id: i64) -> ImportView {
    let res = call(app, "import_job", &[("id", &id.to_string())], Some(cookie)).await;
    serde_json::from_str(&res.body).unwrap()
}
