//! Changing one's password (also the forced change after an admin reset).

use crate::accounts::api::ChangePassword;
use crate::accounts::model::password_problem;
use crate::components::form::{field_error, form_error, live_or_server, Field, FormError};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PasswordPage() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let live = RwSignal::new(None);
    let password_error = live_or_server(live, field_error(action, "password"));
    view! {
        <Title text="Change password" />
        <section class="card narrow">
            <h1>"Change password"</h1>
            <p class="muted">"Your other sessions are signed out when the password changes."</p>
            <ActionForm action=action>
                <Field label="Current password" name="current" kind="password" autocomplete="current-password"
                    required=true error=field_error(action, "current") />
                <Field label="New password" name="password" kind="password" autocomplete="new-password"
                    required=true hint="At least 12 characters." error=password_error
                    on_input=Callback::new(move |v: String| live.set(password_problem(&v))) />
                <Field label="Repeat the new password" name="confirm" kind="password" autocomplete="new-password"
                    required=true error=field_error(action, "confirm") />
                <FormError error=form_error(action) />
                <button type="submit" disabled=move || action.pending().get()>"Change password"</button>
            </ActionForm>
        </section>
    }
}
