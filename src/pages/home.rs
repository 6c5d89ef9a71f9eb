//! The start page: a welcome and the system status, re-checkable in place.

use crate::components::loading::Loading;
use crate::status::{system_status, StatusReport, SystemStatus};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let check = ServerAction::<SystemStatus>::new();
    let first = Resource::new(|| (), |_| system_status());
    // The latest answer wins: a re-check replaces the one from page load.
    let report = move || check.value().get().or_else(|| first.get());
    let checks = move || check.version().get();

    view! {
        <Title text="" />
        <h1>"Welcome to Docket"</h1>
        <p class="lead">"Clients, locations, contacts and tickets for your MSP, in one place."</p>
        <section class="card" aria-labelledby="status-title">
            <h2 id="status-title">"System status"</h2>
            <Transition fallback=Loading>
                {move || report().map(|result| result.map(|report| view! { <StatusTable report /> }))}
            </Transition>
            <ActionForm action=check>
                <button type="submit" class="button" disabled=move || check.pending().get()>
                    "Check again"
                </button>
            </ActionForm>
            <p class="muted" aria-live="polite">
                {move || match checks() {
                    0 => String::new(),
                    1 => "Checked once since the page loaded".to_string(),
                    n => format!("Checked {n} times since the page loaded"),
                }}
            </p>
        </section>
    }
}

#[component]
fn StatusTable(report: StatusReport) -> impl IntoView {
    view! {
        <dl class="facts">
            <dt>"Database"</dt>
            <dd data-testid="engine">{report.engine}</dd>
            <dt>"Schema version"</dt>
            <dd>{report.schema_version}</dd>
            <dt>"Round trip"</dt>
            <dd>{format!("{:.2} ms", report.latency_us as f64 / 1000.0)}</dd>
        </dl>
    }
}
