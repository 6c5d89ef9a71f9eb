//! The 404 page; the server answers it with status 404.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::error::AppError::NotFound.respond();
    view! {
        <Title text="Not found" />
        <section class="card">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. It may have moved, or the link may be wrong."</p>
            <p><a href="/">"Back to the start page"</a></p>
        </section>
    }
}
