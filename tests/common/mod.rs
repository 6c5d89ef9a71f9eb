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
            let admin = Db::connect(&admin_url).await.expect("connect to the admin database");
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
    TestDb { db, url, cleanup: Cleanup::Sqlite(dir) }
}

/// A migrated, empty PostgreSQL database of its own, or None without `TEST_DATABASE_URL`.
pub async fn postgres() -> Option<TestDb> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let admin_url = std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty())?;
    let name = format!(
        "docket_test_{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::UNIX_EPOCH.elapsed().unwrap_or_default().subsec_nanos()
    );
    let admin = Db::connect(&admin_url).await.expect("connect to TEST_DATABASE_URL");
    if let Db::Postgres(pool) = &admin {
        sqlx::query(&format!("CREATE DATABASE \"{name}\"")).execute(pool).await.expect("create db");
    } else {
        panic!("TEST_DATABASE_URL must be a postgres:// URL");
    }
    admin.close().await;
    let url = with_database(&admin_url, &name);
    let db = Db::connect(&url).await.expect("connect to the test database");
    db.migrate().await.expect("migrate postgres");
    Some(TestDb { db, url, cleanup: Cleanup::Postgres { admin_url, name } })
}

/// Every engine this run covers: SQLite, and PostgreSQL when configured.
pub async fn engines() -> Vec<TestDb> {
    let mut all = vec![sqlite().await];
    all.extend(postgres().await);
    all
}

/// `postgres://u@h:5432/old?x` with the database swapped for `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
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
