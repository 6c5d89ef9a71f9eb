//! `POST /clients/import/upload`: a CSV file from the import page's plain multipart form
//! (it works without JavaScript), stored as an import, then on to choosing its columns.

use super::auth::session::Session;
use super::db::Db;
use crate::clients::import::MAX_ROWS;
use crate::clients::importer::parse_csv;
use crate::error::AppError;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::response::{IntoResponse, Redirect, Response};

/// The largest file accepted (50,000 rows of a wide export fit).
pub const MAX_BYTES: usize = 32 * 1024 * 1024;

pub async fn upload(State(db): State<Db>, req: Request) -> Response {
    let session = req.extensions().get::<Session>().cloned();
    let Some(s) = session.filter(|s| !s.mfa_pending && !s.user.must_change_password) else {
        return super::http::error_response(AppError::Unauthorized);
    };
    if !s.user.role().can_write() {
        return super::http::error_response(AppError::Forbidden);
    }
    let target = match store(&db, &s, req).await {
        Ok(id) => format!("/clients/import/{id}"),
        Err(problem) => format!("/clients/import?problem={}", crate::url::encode(&problem)),
    };
    Redirect::to(&target).into_response()
}

/// Reads the `file` field and stores it as a new import; or says what is wrong with it.
async fn store(db: &Db, s: &Session, req: Request) -> Result<i64, String> {
    let mut form = Multipart::from_request(req, &())
        .await
        .map_err(|e| e.body_text())?;
    while let Some(field) = form.next_field().await.map_err(|e| e.body_text())? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("upload.csv").to_string();
        let bytes = field.bytes().await.map_err(|e| e.body_text())?;
        let text = String::from_utf8(bytes.to_vec())
            .map_err(|_| "Save the file as CSV with UTF-8 encoding".to_string())?;
        let (headers, rows) = parse_csv(&text).map_err(|e| e.to_string())?;
        if headers.iter().all(|h| h.trim().is_empty()) || rows.is_empty() {
            return Err("The file needs a header row and at least one row under it".into());
        }
        if rows.len() > MAX_ROWS {
            return Err(format!("A file can hold at most {MAX_ROWS} rows; split it"));
        }
        return db
            .insert_import(s.user.id, name.trim(), &text, rows.len())
            .await
            .map_err(|e| e.to_string());
    }
    Err("Choose a CSV file".into())
}
