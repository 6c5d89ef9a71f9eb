//! The placeholder shown while data loads.

use leptos::prelude::*;

#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <p class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            "Loading…"
        </p>
    }
}
