//! Global search: one box over clients, locations and contacts (names, emails, phone digits in
//! any format, cities and addresses), near misses included, grouped by kind.

pub mod page;
pub mod quick;

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

/// The hits grouped by kind, each a link with the id `{prefix}{n}` in reading order, so that the
/// arrow keys can step through them (`step_through`).
#[component]
pub fn Groups(results: Results, prefix: &'static str) -> impl IntoView {
    let (clients, contacts) = (results.clients.len(), results.contacts.len());
    view! {
        <Group title="Clients" prefix start=0 hits=results.clients />
        <Group title="Contacts" prefix start=clients hits=results.contacts />
        <Group title="Locations" prefix start=clients + contacts hits=results.locations />
    }
}

#[component]
fn Group(title: &'static str, prefix: &'static str, start: usize, hits: Vec<Hit>) -> impl IntoView {
    (!hits.is_empty()).then(|| {
        view! {
            <section class="card" aria-label=title>
                <h2>{title}</h2>
                <ul class="hits">
                    {hits.into_iter().enumerate().map(|(n, hit)| {
                        let client = (hit.kind != "client").then(|| hit.client_name.clone());
                        view! {
                            <li>
                                <a id=format!("{prefix}{}", start + n) href=hit.href()>{hit.title.clone()}</a>
                                " " <span class="muted">{hit.detail.clone()}</span>
                                {client.map(|c| view! { " · " <span>{c}</span> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// Arrow keys move from the box `box_id` through the hits (`{prefix}0`, `{prefix}1`, ...) and
/// back.
pub fn step_through(ev: leptos::ev::KeyboardEvent, box_id: &str, prefix: &str) {
    use leptos::wasm_bindgen::JsCast;
    let step: i64 = match ev.key().as_str() {
        "ArrowDown" => 1,
        "ArrowUp" => -1,
        _ => return,
    };
    let doc = document();
    let at = doc
        .active_element()
        .and_then(|el| el.id().strip_prefix(prefix)?.parse::<i64>().ok())
        .unwrap_or(-1);
    let id = match at + step {
        n if n < 0 => box_id.to_string(),
        n => format!("{prefix}{n}"),
    };
    if let Some(el) = doc
        .get_element_by_id(&id)
        .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlElement>().ok())
    {
        ev.prevent_default();
        let _ = el.focus();
    }
}
