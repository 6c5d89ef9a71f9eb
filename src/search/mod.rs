//! Global search: one box over clients, locations and contacts (names, emails, phone digits in
//! any format, cities and addresses), near misses included, grouped by kind.

pub mod page;

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One record found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// client, location or contact.
    pub kind: String,
    pub id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub title: String,
    /// What else identifies it: a contact's email, a location's city, a client's domain.
    pub detail: String,
}

impl Hit {
    /// Where the record is shown.
    pub fn href(&self) -> String {
        match self.kind.as_str() {
            "contact" => format!(
                "/clients/{}?tab=contacts&contact={}",
                self.client_id, self.id
            ),
            "location" => format!("/clients/{}?tab=locations", self.client_id),
            _ => format!("/clients/{}", self.client_id),
        }
    }
}

/// The hits of one search, by kind, best first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub clients: Vec<Hit>,
    pub contacts: Vec<Hit>,
    pub locations: Vec<Hit>,
}

impl Results {
    pub fn from_hits(hits: Vec<Hit>) -> Self {
        let mut results = Results::default();
        for hit in hits {
            let group = match hit.kind.as_str() {
                "client" => &mut results.clients,
                "contact" => &mut results.contacts,
                _ => &mut results.locations,
            };
            if group.len() < PER_KIND {
                group.push(hit);
            }
        }
        results
    }

    pub fn is_empty(&self) -> bool {
        self.clients.is_empty() && self.contacts.is_empty() && self.locations.is_empty()
    }
}

/// The most hits of one kind a search answers.
pub const PER_KIND: usize = 8;
/// Fewer characters than this search nothing.
pub const MIN_LENGTH: usize = 3;

#[server(prefix = "/rpc", endpoint = "global_search")]
pub async fn global_search(q: String) -> Result<Results, AppError> {
    use crate::server::auth::guard;
    let s = guard::require_user()?;
    let hits = guard::db().search(guard::scope(&s), &q).await?;
    Ok(Results::from_hits(hits))
}
