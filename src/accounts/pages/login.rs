//! Sign-in: email and password, then the second step when two-factor is on.

use crate::accounts::api::{Login, LoginMfa};
use crate::components::form::{field_error, form_error, Field, FormError};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn next_param() -> Signal<String> {
    let query = use_query_map();
    Signal::derive(move || query.read().get("next").unwrap_or_default())
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let next = next_param();
    view! {
        <Title text="Sign in" />
        <section class="card narrow">
            <h1>"Sign in"</h1>
            <ActionForm action=action>
                <input type="hidden" name="next" value=next />
                <Field label="Email" name="email" kind="email" autocomplete="username" required=true
                    error=field_error(action, "email") />
                <Field label="Password" name="password" kind="password" autocomplete="current-password"
                    required=true error=field_error(action, "password") />
                <FormError error=form_error(action) />
                <button type="submit" disabled=move || action.pending().get()>"Sign in"</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn MfaLoginPage() -> impl IntoView {
    let action = ServerAction::<LoginMfa>::new();
    let next = next_param();
    view! {
        <Title text="Two-factor sign-in" />
        <section class="card narrow">
            <h1>"Two-factor sign-in"</h1>
            <p class="muted">"Enter the 6-digit code from your authenticator app, or one of your recovery codes."</p>
            <ActionForm action=action>
                <input type="hidden" name="next" value=next />
                <Field label="Code" name="code" autocomplete="one-time-code" required=true
                    error=field_error(action, "code") />
                <FormError error=form_error(action) />
                <button type="submit" disabled=move || action.pending().get()>"Continue"</button>
            </ActionForm>
            <p><a href="/logout">"Cancel and sign out"</a></p>
        </section>
    }
}
