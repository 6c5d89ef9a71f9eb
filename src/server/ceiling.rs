//! The load benchmark's ceiling: `/bench/ceiling/{name}` answers with the file `name` of a
//! folder, read once and then served from memory, through the same layers as every route. It
//! is what this server does at the least for an answer of the same bytes, the mark each route
//! is compared with. Only there when `DOCKET_BENCH_CEILING` names the folder.

use super::http::AppState;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

pub fn routes(dir: PathBuf) -> Router<AppState> {
    let files = Arc::new(Files {
        dir,
        read: RwLock::default(),
    });
    Router::new().route(
        "/bench/ceiling/{name}",
        get(move |Path(name): Path<String>| async move { files.answer(&name) }),
    )
}

struct Files {
    dir: PathBuf,
    read: RwLock<HashMap<String, Bytes>>,
}

impl Files {
    fn answer(&self, name: &str) -> Response {
        let plain = name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
        if !plain || name.starts_with('.') {
            return StatusCode::NOT_FOUND.into_response();
        }
        let cached = self
            .read
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
            .cloned();
        let bytes = match cached {
            Some(bytes) => bytes,
            None => match std::fs::read(self.dir.join(name)) {
                Ok(bytes) => {
                    let bytes = Bytes::from(bytes);
                    let mut read = self.read.write().unwrap_or_else(|e| e.into_inner());
                    read.insert(name.to_string(), bytes.clone());
                    bytes
                }
                Err(_) => return StatusCode::NOT_FOUND.into_response(),
            },
        };
        let kind = match name.rsplit_once('.').map(|(_, ext)| ext) {
            Some("html") => "text/html; charset=utf-8",
            Some("json") => "application/json",
            _ => "application/octet-stream",
        };
        ([(header::CONTENT_TYPE, kind)], bytes).into_response()
    }
}
