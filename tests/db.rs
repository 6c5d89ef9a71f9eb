//! The data layer on every engine: connecting, migrations, settings.

mod common;

use docket::server::db::{Db, Engine};

#[tokio::test]
async fn migrations_apply_once_and_report_the_schema_version() {
    on_each_engine!(|db| {
        let version = db.schema_version().await.unwrap();
        assert!(
            version >= 1,
            "expected migrations to be applied, got version {version}"
        );
        db.migrate()
            .await
            .expect("a second run finds nothing to do");
        assert_eq!(db.schema_version().await.unwrap(), version);
        db.ping().await.unwrap();
    });
}

#[tokio::test]
async fn settings_are_inserted_then_replaced() {
    on_each_engine!(|db| {
        assert_eq!(db.setting("require_mfa").await.unwrap(), None);
        db.put_setting("require_mfa", "admin").await.unwrap();
        assert_eq!(
            db.setting("require_mfa").await.unwrap().as_deref(),
            Some("admin")
        );
        db.put_setting("require_mfa", "admin,technician")
            .await
            .unwrap();
        assert_eq!(
            db.setting("require_mfa").await.unwrap().as_deref(),
            Some("admin,technician")
        );
    });
}

#[tokio::test]
async fn sqlite_file_is_created_with_wal_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    assert!(!path.exists());
    let db = Db::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    assert_eq!(db.engine(), Engine::Sqlite);
    assert!(
        path.exists(),
        "the database file is created on first connect"
    );
    let Db::Sqlite(pool) = &db else {
        unreachable!()
    };
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(mode.to_lowercase(), "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(fk, 1);
    let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(pool)
        .await
        .unwrap();
    assert!(busy >= 1000, "busy timeout is set, got {busy}");
    db.close().await;
}

#[tokio::test]
async fn unknown_database_schemes_are_refused_clearly() {
    let err = Db::connect("mysql://localhost/docket").await.unwrap_err();
    assert!(
        err.to_string().contains("sqlite:// or postgres://"),
        "{err}"
    );
}
