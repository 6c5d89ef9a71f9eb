//! The one error type of the app, shared by server functions, pages and the API.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Not found")]
    NotFound,
    #[error("Please sign in")]
    Unauthorized,
    #[error("You are not allowed to do that")]
    Forbidden,
    #[error("{0}")]
    Conflict(String),
    #[error("{}", .0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    #[error("Too many attempts; try again in {0} seconds")]
    Throttled(u64),
    /// Details are logged on the server, never sent to the caller.
    #[error("Something went wrong on our side; please try again")]
    Internal,
    /// The request was malformed (arguments missing or unreadable).
    #[error("Bad request: {0}")]
    BadRequest(String),
    /// The request body was larger than the limit, in kB.
    #[error("The request is larger than {0} kB")]
    TooLarge(usize),
    /// The request did not reach the server function or its answer could not be read.
    #[error("Could not reach Docket: {0}")]
    Transport(String),
}

/// A problem with one input, shown next to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError {
            field: field.to_string(),
            message: message.into(),
        }])
    }

    /// Several field problems at once: (field, message).
    pub fn fields<F: AsRef<str>>(problems: Vec<(F, String)>) -> Self {
        AppError::Invalid(
            problems
                .into_iter()
                .map(|(field, message)| FieldError {
                    field: field.as_ref().to_string(),
                    message,
                })
                .collect(),
        )
    }

    /// The field errors of an `Invalid` error (empty for the others).
    pub fn into_fields(self) -> Vec<FieldError> {
        match self {
            AppError::Invalid(errors) => errors,
            _ => Vec::new(),
        }
    }

    /// The message for `field`, when this error is about it.
    pub fn field(&self, field: &str) -> Option<String> {
        match self {
            AppError::Invalid(errors) => errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone()),
            _ => None,
        }
    }

    /// The HTTP status that goes with the error, for pages, server functions and the API.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::Conflict(_) => 409,
            AppError::Invalid(_) => 422,
            AppError::Throttled(_) => 429,
            AppError::BadRequest(_) => 400,
            AppError::TooLarge(_) => 413,
            AppError::Internal => 500,
            AppError::Transport(_) => 502,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::ServerError(_) => AppError::Internal,
            ServerFnErrorErr::Args(m)
            | ServerFnErrorErr::MissingArg(m)
            | ServerFnErrorErr::Deserialization(m) => AppError::BadRequest(m),
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// Sets the status of the response being built (page or server function) to match.
    /// A form posted without JavaScript is left alone: it is answered with a redirect back to
    /// its page carrying the error, which a status would replace.
    pub fn respond(self) -> Self {
        if plain_form_post() {
            return self;
        }
        if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(http::StatusCode::from_u16(self.status()).unwrap_or_default());
            if let AppError::Throttled(seconds) = &self {
                res.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(*seconds));
            }
        }
        self
    }

    /// The error's message for a script, which signs in with a key rather than a password.
    pub fn api_message(&self) -> String {
        match self {
            AppError::Unauthorized => "A valid API key is required".into(),
            other => other.to_string(),
        }
    }

    /// Throttled until `until`, in whole seconds from now (at least 1).
    pub fn throttled_until(until: chrono::DateTime<chrono::Utc>) -> Self {
        AppError::Throttled((until - chrono::Utc::now()).num_seconds().max(1) as u64)
    }
}

/// The API's error answer: the status of the error and `{"message": ..., "fields": {...}}`,
/// the fields only for invalid input.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status = http::StatusCode::from_u16(self.status())
            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        let mut body = serde_json::json!({ "message": self.api_message() });
        if let AppError::Invalid(errors) = self {
            let fields: serde_json::Map<String, serde_json::Value> = errors
                .into_iter()
                .map(|e| (e.field, e.message.into()))
                .collect();
            body["fields"] = fields.into();
        }
        (status, axum::Json(body)).into_response()
    }
}

/// A server function called by a browser form post rather than by the WASM client.
#[cfg(feature = "ssr")]
fn plain_form_post() -> bool {
    leptos::prelude::use_context::<http::request::Parts>().is_some_and(|parts| {
        parts.uri.path().starts_with("/rpc/")
            && parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"))
    })
}
