//! `GET /api/v1/deleted`: tombstones, so a sync never keeps a record that is gone.

use super::{paging, reader, time, Answer};
use crate::error::AppError;
use crate::server::api::call::Req;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

/// `GET /api/v1/deleted?since=T`: what was deleted at or after T, oldest first. A deleted
/// client stands for its locations and contacts too.
pub async fn list(call: Req) -> Answer {
    let call = call?;
    let scope = reader(&call).await?.scope;
    let since = time(&call, "since")?
        .ok_or_else(|| AppError::invalid("since", "since is required (RFC 3339)"))?;
    let (page, size) = paging(&call)?;
    let gone = call
        .db
        .tombstones(scope, since, size, (page - 1) * size)
        .await?;
    let rows: Vec<Value> = gone
        .iter()
        .map(|t| {
            json!({"type": t.record_type, "id": t.record_id, "client_id": t.client_id,
                   "deleted_at": t.deleted_at.to_rfc3339()})
        })
        .collect();
    Ok(Json(json!({"deleted": rows, "page": page, "page_size": size})).into_response())
}
