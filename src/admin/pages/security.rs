//! Security settings: roles that must use two-factor sign-in.

use crate::accounts::model::Role;
use crate::admin::security::{mfa_required, SetMfaRequired};
use crate::components::loading::Loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SecurityPage() -> impl IntoView {
    let required = Resource::new(|| (), |_| mfa_required());
    let save = ServerAction::<SetMfaRequired>::new();
    let query = use_query_map();
    view! {
        <Title text="Security" />
        <h1>"Security"</h1>
        {move || query.read().get("saved").map(|_| view! { <p class="notice" role="status">"Saved."</p> })}
        <section class="card">
            <h2>"Two-factor sign-in"</h2>
            <p class="muted">"Users of a ticked role must set up two-factor sign-in before they can use Docket."</p>
            <Transition fallback=Loading>
                {move || required.get().map(|r| r.map(|roles| view! {
                    <ActionForm action=save>
                        {Role::ALL.into_iter().map(|role| view! {
                            <label class="check">
                                <input type="checkbox" name=role.as_str() value="on" checked=roles.contains(&role) />
                                " " {role.label()}
                            </label>
                        }).collect_view()}
                        <button type="submit">"Save"</button>
                    </ActionForm>
                }))}
            </Transition>
        </section>
    }
}
