//! Marks a part of the page as taken over by the WASM. Effects run only in the browser, so the
//! mark appears once this part is hydrated; lazily loaded pages hydrate after the rest, and
//! tests wait for every mark before they interact.

use leptos::prelude::*;

#[component]
pub fn Hydrated(children: Children) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move || hydrated.set(true));
    view! {
        <div class="contents" data-hydration="" data-hydrated=move || hydrated.get().then_some("true")>
            {children()}
        </div>
    }
}
