//! One API call as both dialects read it: the query string, a JSON object body, where it came
//! from, and the key's user as reader or author of changes.

use super::{caller, Caller};
use crate::accounts::model::Role;
use crate::clients::records::{Author, Editor};
use crate::error::AppError;
use crate::server::auth::guard;
use crate::server::db::{Actor, Db, Origin};
use crate::server::http::AppState;
use axum::extract::{FromRequest, Query, Request};
use axum::http::HeaderMap;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The largest JSON body a call may send.
const MAX_BODY: usize = 1024 * 1024;

pub struct Call {
    pub db: Db,
    mailer: crate::server::mail::Mailer,
    headers: HeaderMap,
    pub query: Map<String, Value>,
    pub body: Map<String, Value>,
    origin: Origin,
}

/// A call, or why it could not be read (the dialect words the answer).
pub type Req = Result<Call, AppError>;

impl FromRequest<AppState> for Call {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let (parts, body) = req.into_parts();
        let Query(query) = Query::<HashMap<String, String>>::try_from_uri(&parts.uri)
            .map_err(|_| AppError::BadRequest("unreadable query string".into()))?;
        let query = query
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        let bytes = axum::body::to_bytes(body, MAX_BODY)
            .await
            .map_err(|_| AppError::TooLarge(MAX_BODY / 1024))?;
        let body = match bytes.iter().all(u8::is_ascii_whitespace) {
            true => Map::new(),
            false => match serde_json::from_slice(&bytes) {
                Ok(Value::Object(body)) => body,
                _ => {
                    return Err(AppError::BadRequest(
                        "the body must be a JSON object".into(),
                    ))
                }
            },
        };
        let origin = Origin {
            source: "api",
            ..guard::origin_of(&parts.headers, parts.extensions.get())
        };
        Ok(Call {
            db: state.db.clone(),
            mailer: state.mailer.clone(),
            headers: parts.headers,
            query,
            body,
            origin,
        })
    }
}

impl Call {
    /// The key's user; `key_param` names a parameter that may carry the key too.
    pub async fn caller(&self, key_param: Option<&str>) -> Result<Caller, AppError> {
        let fallback = key_param.and_then(|name| self.param(name));
        caller(&self.db, &self.headers, fallback.as_deref()).await
    }

    /// The key's user as the author of changes: technicians and admins write, and only admins
    /// delete.
    pub async fn editor(&self, key_param: Option<&str>, deletes: bool) -> Result<Editor, AppError> {
        let Caller { user, scope } = self.caller(key_param).await?;
        let role = user.role();
        if !role.can_write() || (deletes && role != Role::Admin) {
            return Err(AppError::Forbidden);
        }
        Ok(Editor {
            db: self.db.clone(),
            by: Author {
                actor: Actor::user(user.id, format!("{} <{}>", user.name, user.email)),
                origin: self.origin.clone(),
            },
            scope,
        })
    }

    /// The key's user at the ticket desk; `write` refuses read-only users.
    pub async fn desk(
        &self,
        key_param: Option<&str>,
        write: bool,
    ) -> Result<crate::tickets::desk::Desk, AppError> {
        let Caller { user, scope } = self.caller(key_param).await?;
        if write && !user.role().can_write() {
            return Err(AppError::Forbidden);
        }
        Ok(crate::tickets::desk::Desk {
            db: self.db.clone(),
            mailer: self.mailer.clone(),
            user_id: user.id,
            user_name: user.name,
            scope,
        })
    }

    /// A parameter from the body, else the query, as text.
    pub fn param(&self, name: &str) -> Option<String> {
        self.body
            .get(name)
            .or_else(|| self.query.get(name))
            .map(as_text)
    }

    /// A whole-number parameter, if given.
    pub fn whole(&self, name: &str) -> Result<Option<i64>, AppError> {
        self.param(name).map(|v| whole(&v, name)).transpose()
    }
}

/// `base` with the fields `given` names set, each renamed by `names` (the caller's name, then
/// Docket's). Fields `given` leaves out keep their value.
pub fn fill<T: Serialize + DeserializeOwned>(
    base: &T,
    given: &Map<String, Value>,
    names: &[(&str, &str)],
) -> Result<T, AppError> {
    let Value::Object(mut record) = serde_json::to_value(base).map_err(internal)? else {
        return Err(AppError::Internal);
    };
    for (theirs, ours) in names {
        if let Some(value) = given.get(*theirs) {
            record.insert(ours.to_string(), Value::String(as_text(value)));
        }
    }
    serde_json::from_value(Value::Object(record)).map_err(internal)
}

/// Field errors named as the caller names the fields: `contact[email]` becomes the name
/// `names` gives Docket's `email`.
pub fn renamed(err: AppError, names: &[(&str, &str)]) -> AppError {
    let AppError::Invalid(errors) = err else {
        return err;
    };
    let errors = errors
        .into_iter()
        .map(|mut e| {
            let bare = e
                .field
                .split_once('[')
                .map_or(e.field.as_str(), |(_, f)| f.trim_end_matches(']'));
            if let Some((theirs, _)) = names.iter().find(|(_, ours)| *ours == bare) {
                e.field = theirs.to_string();
            }
            e
        })
        .collect();
    AppError::Invalid(errors)
}

fn internal(err: serde_json::Error) -> AppError {
    tracing::error!(error = %err, "record conversion");
    AppError::Internal
}

/// JSON text as typed: numbers and booleans as written, null as empty.
fn as_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

pub fn whole(value: &str, name: &str) -> Result<i64, AppError> {
    value
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest(format!("{name} must be a whole number")))
}
