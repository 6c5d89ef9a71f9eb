//! System status: which database Docket runs on and whether it answers.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusReport {
    /// "SQLite" or "PostgreSQL".
    pub engine: String,
    /// The newest migration applied.
    pub schema_version: i64,
    /// Round trip of a trivial query, in microseconds.
    pub latency_us: u64,
}

#[server(prefix = "/rpc", endpoint = "system_status")]
pub async fn system_status() -> Result<StatusReport, AppError> {
    crate::server::auth::guard::require_user()?;
    let db = crate::server::auth::guard::db();
    let started = std::time::Instant::now();
    db.ping().await.map_err(AppError::respond)?;
    let latency_us = started.elapsed().as_micros() as u64;
    let schema_version = db.schema_version().await.map_err(AppError::respond)?;
    Ok(StatusReport {
        engine: db.engine().to_string(),
        schema_version,
        latency_us,
    })
}
