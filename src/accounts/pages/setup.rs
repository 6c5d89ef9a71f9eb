//! First run: create the first admin. Gone (404) once any technician exists.

use crate::accounts::api::{setup_needed, SetupAdmin};
use crate::accounts::model::{email_problem, name_problem, password_problem};
use crate::components::form::{field_error, form_error, live_or_server, Field, FormError};
use crate::components::loading::Loading;
use crate::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SetupPage() -> impl IntoView {
    let needed = Resource::new(|| (), |_| setup_needed());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match needed.await {
                    Ok(true) => view! { <SetupForm /> }.into_any(),
                    Ok(false) => view! { <NotFound /> }.into_any(),
                    Err(e) => view! { <p class="form-error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SetupForm() -> impl IntoView {
    let action = ServerAction::<SetupAdmin>::new();
    let (name, email, password) = (
        RwSignal::new(None),
        RwSignal::new(None),
        RwSignal::new(None),
    );
    view! {
        <Title text="Set up Docket" />
        <section class="card narrow">
            <h1>"Set up Docket"</h1>
            <p class="muted">"Create the first admin account. You can add your team afterwards."</p>
            <ActionForm action=action>
                <Field label="Your name" name="name" autocomplete="name" required=true
                    error=live_or_server(name, field_error(action, "name"))
                    on_input=Callback::new(move |v: String| name.set(name_problem(&v))) />
                <Field label="Email" name="email" kind="email" autocomplete="email" required=true
                    error=live_or_server(email, field_error(action, "email"))
                    on_input=Callback::new(move |v: String| email.set(email_problem(&v))) />
                <Field label="Password" name="password" kind="password" autocomplete="new-password" required=true
                    hint="At least 12 characters; a few unrelated words work well."
                    error=live_or_server(password, field_error(action, "password"))
                    on_input=Callback::new(move |v: String| password.set(password_problem(&v))) />
                <Field label="Repeat the password" name="confirm" kind="password" autocomplete="new-password"
                    required=true error=field_error(action, "confirm") />
                <FormError error=form_error(action) />
                <button type="submit" disabled=move || action.pending().get()>"Create admin and sign in"</button>
            </ActionForm>
        </section>
    }
}
