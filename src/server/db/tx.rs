//! A transaction on either engine; `on_tx!` runs one body against its connection.

use super::{Db, DbResult};

pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// Runs `$body` with `$conn` bound to the transaction's connection (`&mut *$conn` to reuse).
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::server::db::Tx::Sqlite(tx) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::server::db::Tx::Postgres(tx) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}

impl Db {
    pub async fn begin(&self) -> DbResult<Tx> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin().await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }
}

impl Tx {
    /// Brings this connection's copy of the SQLite schema up to date. After another
    /// connection changed the schema, SQLite 3.46 fails to prepare again an
    /// `INSERT … RETURNING` on a table with triggers ("no such table"); a plain read first
    /// makes the connection load the new schema.
    pub async fn load_schema(&mut self) -> DbResult<()> {
        if let Tx::Sqlite(tx) = self {
            sqlx::query("SELECT 1 FROM sqlite_master LIMIT 1")
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    pub async fn commit(self) -> DbResult<()> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}
