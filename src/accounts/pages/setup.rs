//! First run: create the first admin. Gone (404) once any technician exists.

use crate::accounts::api::{setup_needed, SetupAdmin};
use crate::accounts::model::{email_problem, name_problem, password_problem};
use crate::components::form::{field_error, form_error, Field, FormError};
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
    let typed = RwSignal::new((None::<String>, None::<String>, None::<String>));
    // A problem found while typing wins over the last answer from the server.
    let live_or =
        move |live: fn(&(Option<String>, Option<String>, Option<String>)) -> Option<String>,
              field| {
            let server = field_error(action, field);
            Signal::derive(move || typed.with(live).or_else(|| server.get()))
        };
    view! {
        <Title text="Set up Docket" />
        <section class="card narrow">
            <h1>"Set up Docket"</h1>
            <p class="muted">"Create the first admin account. You can add your team afterwards."</p>
            <ActionForm action=action>
                <Field label="Your name" name="name" autocomplete="name" required=true
                    error=live_or(|t| t.0.clone(), "name")
                    on_input=Callback::new(move |v: String| typed.update(|t| t.0 = name_problem(&v))) />
                <Field label="Email" name="email" kind="email" autocomplete="email" required=true
                    error=live_or(|t| t.1.clone(), "email")
                    on_input=Callback::new(move |v: String| typed.update(|t| t.1 = email_problem(&v))) />
                <Field label="Password" name="password" kind="password" autocomplete="new-password" required=true
                    hint="At least 12 characters; a few unrelated words work well."
                    error=live_or(|t| t.2.clone(), "password")
                    on_input=Callback::new(move |v: String| typed.update(|t| t.2 = password_problem(&v))) />
                <Field label="Repeat the password" name="confirm" kind="password" autocomplete="new-password"
                    required=true error=field_error(action, "confirm") />
                <FormError error=form_error(action) />
                <button type="submit" disabled=move || action.pending().get()>"Create admin and sign in"</button>
            </ActionForm>
        </section>
    }
}
