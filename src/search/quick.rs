//! The header's search box, on every technician page (Ctrl+K or ⌘K). Results drop down under it
//! as you type, grouped by kind; the last ones stay on screen until the next arrive, and an
//! answer to an older query never replaces a newer one. The arrow keys step through them,
//! Escape closes them, Enter in the box opens `/search`. Without JavaScript the box is a form
//! that opens `/search`.

use super::{global_search, step_through, Groups, Results, MIN_LENGTH};
use crate::url::encode;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

/// The box's id (Ctrl+K focuses it) and its hits' id prefix.
pub const BOX_ID: &str = "global-search";
const PREFIX: &str = "quick-hit-";

#[component]
pub fn QuickSearch() -> impl IntoView {
    let query = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    // The query the shown results answer, and the results.
    let shown = RwSignal::new(None::<(String, Results)>);
    let asked = StoredValue::new(0u64);

    let on_input = move |ev| {
        let q = event_target_value(&ev);
        query.set(q.clone());
        open.set(true);
        if q.trim().chars().count() < MIN_LENGTH {
            return;
        }
        let n = asked.get_value() + 1;
        asked.set_value(n);
        leptos::task::spawn_local(async move {
            if let Ok(results) = global_search(q.clone()).await {
                if asked.get_value() == n {
                    shown.set(Some((q, results)));
                }
            }
        });
    };
    let dropped = move || open.get() && query.with(|q| q.trim().chars().count() >= MIN_LENGTH);
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            open.set(false);
            let _ = focus_box();
        } else {
            step_through(ev, BOX_ID, PREFIX);
        }
    };
    // Focus leaving the box and its results closes them.
    let on_focusout = move |ev: leptos::ev::FocusEvent| {
        let form = ev
            .current_target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::Node>().ok());
        let to = ev
            .related_target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::Node>().ok());
        if form.is_some_and(|f| !f.contains(to.as_ref())) {
            open.set(false);
        }
    };

    view! {
        <form class="global-search" method="get" action="/search" role="search"
            on:keydown=on_keydown on:focusout=on_focusout on:submit=move |_| open.set(false)>
            <input id=BOX_ID type="search" name="q" autocomplete="off"
                placeholder="Search (Ctrl+K)" aria-label="Search clients, contacts and locations"
                aria-keyshortcuts="Control+K Meta+K"
                aria-controls=move || dropped().then_some("quick-results")
                prop:value=move || query.get()
                on:input=on_input on:focus=move |_| open.set(true) />
            <Show when=dropped>
                <div id="quick-results" class="quick-results" role="region" aria-label="Search results"
                    on:click=move |_| open.set(false)>
                    {move || shown.get().map(|(q, results)| if results.is_empty() {
                        view! { <p class="muted" role="status">"Nothing found for “" {q} "”."</p> }.into_any()
                    } else {
                        view! { <Groups results prefix=PREFIX /> }.into_any()
                    })}
                    <a class="all-results" href=move || format!("/search?q={}", encode(&query.get()))>
                        "All results"
                    </a>
                </div>
            </Show>
        </form>
    }
}

/// Puts the cursor in the header's search box; false on pages without one.
pub fn focus_box() -> bool {
    document()
        .get_element_by_id(BOX_ID)
        .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlElement>().ok())
        .is_some_and(|input| input.focus().is_ok())
}
