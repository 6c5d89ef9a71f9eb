//! Previous/next links of a paged list.

use leptos::prelude::*;

#[component]
pub fn Pager(page: i64, pages: i64, link: impl Fn(i64) -> String + 'static) -> impl IntoView {
    view! {
        <nav class="pager" aria-label="Pages">
            {(page > 1).then(|| view! { <a rel="prev" href=link(page - 1)>"← Previous"</a> })}
            <span>{format!("Page {page} of {pages}")}</span>
            {(page < pages).then(|| view! { <a rel="next" href=link(page + 1)>"Next →"</a> })}
        </nav>
    }
}
