//! Test databases: a fresh SQLite file always, and a fresh PostgreSQL database per test when
//! `TEST_DATABASE_URL` names a server (the database in that URL is only used to create others).

#![allow(dead_code)]

use docket::server::db::Db;
use std::sync::atomic::{AtomicU32, Ordering};

pub struct TestDb {
    pub db: Db,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    /// Closes the pool and removes the database.
    pub async fn finish(self) {
        self.db.close().await;
        if let Cleanup::Postgres { admin_url, name } = self.cleanup {
            let admin = Db::connect(&admin_url)
                .await
                .expect("connect to the admin database");
            if let Db::Postgres(pool) = &admin {
                sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .execute(pool)
                    .await
                    .expect("drop test database");
            }
            admin.close().await;
        }
    }
}

/// A migrated SQLite database in a temporary folder.
pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("docket.db").display());
    let db = Db::connect(&url).await.expect("open sqlite");
    db.migrate().await.expect("migrate sqlite");
    TestDb {
        db,
        url,
        cleanup: Cleanup::Sqlite(dir),
    }
}

/// A migrated, empty PostgreSQL database of its own, or None without `TEST_DATABASE_URL`.
pub async fn postgres() -> Option<TestDb> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let admin_url = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())?;
    let name = format!(
        "docket_test_{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::UNIX_EPOCH
            .elapsed()
            .unwrap_or_default()
            .subsec_nanos()
    );
    let admin = Db::connect(&admin_url)
        .await
        .expect("connect to TEST_DATABASE_URL");
    if let Db::Postgres(pool) = &admin {
        drop_orphans(pool).await;
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(pool)
            .await
            .expect("create db");
    } else {
        panic!("TEST_DATABASE_URL must be a postgres:// URL");
    }
    admin.close().await;
    let url = with_database(&admin_url, &name);
    let db = Db::connect(&url)
        .await
        .expect("connect to the test database");
    db.migrate().await.expect("migrate postgres");
    Some(TestDb {
        db,
        url,
        cleanup: Cleanup::Postgres { admin_url, name },
    })
}

/// Drops test databases left by runs that died mid-test (their process is gone).
async fn drop_orphans(pool: &sqlx::PgPool) {
    let sql = "SELECT datname FROM pg_database WHERE datname LIKE 'docket_test_%'";
    let names: Vec<String> = sqlx::query_scalar(sql)
        .fetch_all(pool)
        .await
        .unwrap_or_default();
    for name in names {
        let pid = name.split('_').nth(2).unwrap_or_default();
        if !std::path::Path::new(&format!("/proc/{pid}")).exists() {
            let drop = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            let _ = sqlx::query(&drop).execute(pool).await;
        }
    }
}

/// Every engine this run covers: SQLite, and PostgreSQL when configured.
pub async fn engines() -> Vec<TestDb> {
    let mut all = vec![sqlite().await];
    all.extend(postgres().await);
    all
}

/// `postgres://u@h:5432/old?x` with the database swapped for `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let root = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}

/// Runs the async test body once per engine, each on a fresh database.
#[macro_export]
macro_rules! on_each_engine {
    (|$db:ident| $body:block) => {
        for test_db in common::engines().await {
            eprintln!("engine: {}", test_db.db.engine());
            {
                let $db = &test_db.db;
                $body
            }
            test_db.finish().await;
        }
    };
}

/// Creates a technician account directly (no audit entry) and returns its id.
pub async fn create_user(
    db: &Db,
    email: &str,
    role: docket::accounts::model::Role,
    password: &str,
) -> i64 {
    let hash = docket::server::auth::password::hash(password.to_string())
        .await
        .unwrap();
    let mut tx = db.begin().await.unwrap();
    let id = tx
        .insert_user(&docket::server::db::NewUser {
            email,
            name: email.split('@').next().unwrap(),
            role,
            password_hash: &hash,
            must_change_password: false,
        })
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// Restricts a technician to the given clients.
pub async fn restrict(db: &Db, user: i64, clients: &[i64]) {
    let mut tx = db.begin().await.unwrap();
    tx.set_user_clients(user, clients).await.unwrap();
    let changes = docket::server::db::UserChanges {
        restricted: Some(true),
        ..Default::default()
    };
    tx.update_user(user, &changes).await.unwrap();
    tx.commit().await.unwrap();
}

/// A cookie header for a new, fully signed-in session of `user_id`.
pub async fn session_cookie(db: &Db, user_id: i64) -> String {
    let user = db.user_by_id(user_id).await.unwrap().unwrap();
    let token = docket::server::auth::session::start(db, &user, false, &Default::default())
        .await
        .unwrap();
    format!("docket_session={token}")
}

pub mod web {
    //! Requests through the real router.
    use axum::body::Body;
    use axum::http::{header, HeaderMap, Request, StatusCode};
    use docket::server::config::{Config, LogFormat};
    use docket::server::db::Db;
    use docket::server::http::{router, AppState};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    pub struct Answer {
        pub status: StatusCode,
        pub headers: HeaderMap,
        pub body: String,
    }

    impl Answer {
        pub fn header(&self, name: &str) -> Option<&str> {
            self.headers.get(name).and_then(|v| v.to_str().ok())
        }
        /// The `name=value` part of the session cookie this answer set.
        pub fn session_cookie(&self) -> Option<String> {
            self.cookie("docket_session")
        }
        /// The `name=value` part of the cookie `name` this answer set.
        pub fn cookie(&self, name: &str) -> Option<String> {
            self.headers
                .get_all(header::SET_COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find(|c| c.starts_with(&format!("{name}=")))
                .map(|c| c.split(';').next().unwrap().to_string())
        }
    }

    pub fn config(site_root: &std::path::Path) -> Config {
        Config {
            database_url: String::new(),
            site_addr: "127.0.0.1:0".parse().unwrap(),
            site_root: site_root.display().to_string(),
            secure_cookies: false,
            log_format: LogFormat::Text,
            api_rate_limit: docket::server::api::limits::PER_KEY,
            bench_ceiling: None,
            smtp_url: None,
            mail_from: "Docket <docket@example.com>".into(),
            public_url: Some("http://docket.test".into()),
            ticket_autoclose_hours: 72,
        }
    }

    pub fn app(db: &Db) -> axum::Router {
        router(AppState::new(
            &config(std::path::Path::new("/nonexistent")),
            db.clone(),
        ))
    }

    /// The app sending its mail to `smtp_url`.
    pub fn app_with_mail(db: &Db, smtp_url: &str) -> axum::Router {
        let config = Config {
            smtp_url: Some(smtp_url.to_string()),
            ..config(std::path::Path::new("/nonexistent"))
        };
        router(AppState::new(&config, db.clone()))
    }

    /// Sends a request and reads the whole answer; a stalled answer fails the test within a
    /// minute instead of holding the run.
    pub async fn send(app: &axum::Router, req: Request<Body>) -> Answer {
        let path = req.uri().to_string();
        let answer = async {
            let res = app.clone().oneshot(req).await.unwrap();
            let (parts, body) = res.into_parts();
            (parts, body.collect().await.unwrap().to_bytes())
        };
        let (res, bytes) = tokio::time::timeout(std::time::Duration::from_secs(60), answer)
            .await
            .unwrap_or_else(|_| panic!("{path} did not answer within a minute"));
        let status = res.status;
        let headers = res.headers;
        Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(app: &axum::Router, path: &str, cookie: Option<&str>) -> Answer {
        let mut req = Request::get(path);
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        send(app, req.body(Body::empty()).unwrap()).await
    }

    /// Calls a server function the way the browser's WASM does (form-encoded, JSON answer).
    pub async fn call(
        app: &axum::Router,
        name: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> Answer {
        let body: String = form
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut req = Request::post(format!("/rpc/{name}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header("sec-fetch-site", "same-origin");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        send(app, req.body(Body::from(body)).unwrap()).await
    }

    fn enc(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }
}

pub mod mail {
    //! A real SMTP server for a test: aiosmtpd (installed by `.ci/setup.sh test`) writing what
    //! it receives to a maildir.
    use std::path::PathBuf;
    use std::process::{Child, Command, Stdio};

    pub struct SmtpServer {
        pub url: String,
        dir: tempfile::TempDir,
        child: Child,
    }

    impl SmtpServer {
        pub async fn start() -> Self {
            let python =
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/mail-venv/bin/python");
            assert!(
                python.exists(),
                "{} is missing: run `source .ci/setup.sh test`",
                python.display()
            );
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let dir = tempfile::tempdir().unwrap();
            let child = Command::new(python)
                .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
                .args(["-c", "aiosmtpd.handlers.Mailbox"])
                .arg(dir.path().join("maildir"))
                .stdout(Stdio::null())
                .spawn()
                .expect("start aiosmtpd");
            // Owned at once, so the process is stopped however this ends.
            let server = Self {
                url: format!("smtp://127.0.0.1:{port}"),
                dir,
                child,
            };
            for _ in 0..200 {
                if tokio::net::TcpStream::connect(("127.0.0.1", port))
                    .await
                    .is_ok()
                {
                    return server;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            panic!("aiosmtpd did not start");
        }

        /// Every message received so far, decoded to text (quoted-printable soft breaks and
        /// `=3D` undone, which is all our plain-text mail needs).
        pub fn messages(&self) -> Vec<String> {
            let new = self.dir.path().join("maildir/new");
            let mut files: Vec<_> = std::fs::read_dir(new)
                .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
                .unwrap_or_default();
            files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
            files
                .iter()
                .map(|p| {
                    std::fs::read_to_string(p)
                        .unwrap()
                        .replace("=\r\n", "")
                        .replace("=\n", "")
                        .replace("=3D", "=")
                })
                .collect()
        }

        /// The portal link (`/portal/password?token=...`) in the newest message to `to`.
        pub fn link_to(&self, to: &str) -> Option<String> {
            let message = self.messages().into_iter().rev().find(|m| {
                m.to_lowercase()
                    .contains(&format!("to: {}", to.to_lowercase()))
                    || m.contains(&format!("<{to}>"))
            })?;
            let start = message.find("/portal/password?token=")?;
            let token: String = message[start..]
                .chars()
                .take_while(|c| !c.is_whitespace())
                .collect();
            Some(token)
        }
    }

    impl Drop for SmtpServer {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
