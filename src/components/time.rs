//! A timestamp shown as UTC, machine-readable in its `datetime` attribute.

use leptos::prelude::*;

#[component]
pub fn Time(at: String) -> impl IntoView {
    // "2026-11-22T10:05:30.123+00:00" → "2026-11-22 10:05 UTC"
    let shown = match (at.get(0..10), at.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time} UTC"),
        _ => at.clone(),
    };
    view! { <time datetime=at>{shown}</time> }
}
