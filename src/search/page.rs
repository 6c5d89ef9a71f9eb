//! `/search?q=`: global search results, grouped by kind. The box in the header (Ctrl+K or
//! ⌘K) lands here; typing here updates the results in place, keeping the last ones on screen
//! while the next arrive. Without JavaScript the form reloads the page.

use super::{global_search, Hit, Results, MIN_LENGTH};
use crate::components::loading::Loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SearchPage() -> impl IntoView {
    let from_url = use_query_map()
        .read_untracked()
        .get("q")
        .unwrap_or_default();
    let query = RwSignal::new(from_url);
    let results = Resource::new(move || query.get(), global_search);
    view! {
        <Title text="Search" />
        <h1>"Search"</h1>
        <div on:keydown=step_through_results>
        <form method="get" action="/search" role="search" class="search-form">
            <label for="search-page-q">"Clients, contacts and locations"</label>
            <input id="search-page-q" type="search" name="q" autocomplete="off"
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev)) />
            <button type="submit">"Search"</button>
        </form>
        <Transition fallback=Loading>
            {move || results.get().map(|r| r.map(|results| view! {
                <ResultsView results query=query.get_untracked() />
            }))}
        </Transition>
        </div>
    }
}

/// Arrow keys move from the box through the results (`hit-0`, `hit-1`, ...) and back.
fn step_through_results(ev: leptos::ev::KeyboardEvent) {
    use leptos::wasm_bindgen::JsCast;
    let step: i64 = match ev.key().as_str() {
        "ArrowDown" => 1,
        "ArrowUp" => -1,
        _ => return,
    };
    let doc = document();
    let at = doc
        .active_element()
        .and_then(|el| el.id().strip_prefix("hit-")?.parse::<i64>().ok())
        .unwrap_or(-1);
    let id = match at + step {
        n if n < 0 => "search-page-q".to_string(),
        n => format!("hit-{n}"),
    };
    if let Some(el) = doc
        .get_element_by_id(&id)
        .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlElement>().ok())
    {
        ev.prevent_default();
        let _ = el.focus();
    }
}

#[component]
fn ResultsView(results: Results, query: String) -> impl IntoView {
    if query.trim().chars().count() < MIN_LENGTH {
        return view! { <p class="muted">"Type at least three characters."</p> }.into_any();
    }
    if results.is_empty() {
        return view! { <p class="muted" role="status">"Nothing found."</p> }.into_any();
    }
    let (clients, contacts) = (results.clients.len(), results.contacts.len());
    view! {
        <div data-testid="search-results">
            <Group title="Clients" start=0 hits=results.clients />
            <Group title="Contacts" start=clients hits=results.contacts />
            <Group title="Locations" start=clients + contacts hits=results.locations />
        </div>
    }
    .into_any()
}

#[component]
fn Group(title: &'static str, start: usize, hits: Vec<Hit>) -> impl IntoView {
    (!hits.is_empty()).then(|| {
        view! {
            <section class="card" aria-label=title>
                <h2>{title}</h2>
                <ul class="hits">
                    {hits.into_iter().enumerate().map(|(n, hit)| {
                        let client = (hit.kind != "client").then(|| hit.client_name.clone());
                        view! {
                            <li>
                                <a id=format!("hit-{}", start + n) href=hit.href()>{hit.title.clone()}</a>
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
