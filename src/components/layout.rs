//! The frame around every page: header with navigation, the page, a footer.

use super::errors::ErrorList;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    // Effects run only in the browser, so this flips once the WASM has taken over; tests and
    // styles can tell a hydrated page from a server-rendered one.
    let hydrated = RwSignal::new(false);
    Effect::new(move || hydrated.set(true));
    view! {
        <div class="app" data-hydrated=move || hydrated.get().then_some("true")>
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="topbar">
            <a class="brand" href="/">"Docket"</a>
            <nav aria-label="Main">
                <ul class="nav">
                    <li><A href="/" exact=true>"Home"</A></li>
                </ul>
            </nav>
        </header>
        <main id="main" class="page">
            <ErrorBoundary fallback=|errors| view! { <ErrorList errors /> }>{children()}</ErrorBoundary>
        </main>
        <footer class="footer">"Docket · client hub for IT service providers"</footer>
        </div>
    }
}
