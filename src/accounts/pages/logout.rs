//! Sign-out: this session, or every session of the account.

use crate::accounts::api::{Logout, LogoutEverywhere};
use crate::app::use_current_user;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LogoutPage() -> impl IntoView {
    let me = use_current_user();
    view! {
        <Title text="Sign out" />
        <section class="card narrow">
            <h1>"Sign out"</h1>
            <Transition>
                {move || me.get().map(|user| match user.ok().flatten() {
                    Some(user) => view! {
                        <p>"Signed in as " {user.name} "."</p>
                        <SignOutButtons />
                    }.into_any(),
                    None => view! {
                        <p>"You are signed out."</p>
                        <p><a href="/login">"Sign in"</a></p>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// "Sign out" and "Sign out everywhere" as forms, so they work without JavaScript.
#[component]
pub fn SignOutButtons() -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let everywhere = ServerAction::<LogoutEverywhere>::new();
    view! {
        <div class="actions">
            <ActionForm action=logout>
                <button type="submit">"Sign out"</button>
            </ActionForm>
            <ActionForm action=everywhere>
                <button type="submit" class="secondary">"Sign out everywhere"</button>
            </ActionForm>
        </div>
    }
}
