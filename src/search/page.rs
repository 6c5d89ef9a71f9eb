//! `/search?q=`: global search results, grouped by kind. The box in the header (Ctrl+K or
//! ⌘K) lands here; typing here updates the results in place, keeping the last ones on screen
//! while the next arrive. Without JavaScript the form reloads the page.

use super::{global_search, step_through, Groups, Results, MIN_LENGTH};
use crate::components::loading::Loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Ids of the page's hits: `hit-0`, `hit-1`, ...
const PREFIX: &str = "hit-";

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
        <div on:keydown=|ev| step_through(ev, "search-page-q", PREFIX)>
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

#[component]
fn ResultsView(results: Results, query: String) -> impl IntoView {
    if query.trim().chars().count() < MIN_LENGTH {
        return view! { <p class="muted">"Type at least three characters."</p> }.into_any();
    }
    if results.is_empty() {
        return view! { <p class="muted" role="status">"Nothing found."</p> }.into_any();
    }
    view! { <div data-testid="search-results"><Groups results prefix=PREFIX /></div> }.into_any()
}
