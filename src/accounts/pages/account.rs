//! The signed-in technician's own account.

use super::logout::SignOutButtons;
use crate::app::use_current_user;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AccountPage() -> impl IntoView {
    let me = use_current_user();
    let query = use_query_map();
    let changed = move || query.read().get("changed").is_some_and(|c| c == "password");
    view! {
        <Title text="Your account" />
        <h1>"Your account"</h1>
        <Show when=changed>
            <p class="notice" role="status">"Your password was changed. Your other sessions were signed out."</p>
        </Show>
        <Transition>
            {move || me.get().and_then(|r| r.ok().flatten()).map(|user| view! {
                <section class="card">
                    <dl class="facts">
                        <dt>"Name"</dt><dd>{user.name}</dd>
                        <dt>"Email"</dt><dd>{user.email}</dd>
                        <dt>"Role"</dt><dd>{user.role.label()}</dd>
                        <dt>"Two-factor sign-in"</dt>
                        <dd>{if user.mfa_enabled { "On" } else { "Off" }}</dd>
                    </dl>
                    <ul class="links">
                        <li><a href="/account/password">"Change password"</a></li>
                        <li><a href="/account/mfa">"Two-factor sign-in"</a></li>
                    </ul>
                </section>
            })}
        </Transition>
        <section class="card">
            <h2>"Sessions"</h2>
            <p class="muted">"Signing out everywhere ends your sessions on every device, this one included."</p>
            <SignOutButtons />
        </section>
    }
}
