//! `/clients/new`: client, primary location, primary contact, billing and notes in one form,
//! saved together or not at all. Similar existing clients show while the name is typed.

use super::editors::{BillingFields, ClientFields, ContactFields, LocationFields, TextArea};
use crate::clients::api::{list_tags, similar_clients, CreateClient};
use crate::clients::model::{field_problem, ClientInput, ContactInput, LocationInput};
use crate::components::form::{form_error, FormError, LiveChecks};
use crate::components::loading::Loading;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NewClientPage() -> impl IntoView {
    let tags = Resource::new(|| (), |_| list_tags());
    view! {
        <Title text="New client" />
        <p><a href="/clients">"← Clients"</a></p>
        <h1>"New client"</h1>
        <Transition fallback=Loading>
            {move || tags.get().map(|r| r.map(|tags| view! { <NewClientForm tags /> }))}
        </Transition>
    }
}

#[component]
fn NewClientForm(tags: Vec<crate::clients::model::Tag>) -> impl IntoView {
    let create = ServerAction::<CreateClient>::new();
    let checks = LiveChecks::new(create, field_problem);
    let name = RwSignal::new(String::new());
    let similar = Resource::new(
        move || name.get(),
        |name| similar_clients(name, String::new()),
    );
    let blank = ClientInput::blank();
    view! {
        <ActionForm action=create on:input=move |ev| checks.input(ev)>
            <section class="card">
                <h2>"Client"</h2>
                <ClientFields fields=blank.clone() tags checks on_name=Callback::new(move |v| name.set(v)) />
                <Transition>
                    {move || similar.get().and_then(Result::ok).filter(|s| !s.is_empty()).map(|found| view! {
                        <div class="field-warning" role="status" data-testid="similar-clients">
                            "Similar clients exist: "
                            {found.into_iter().map(|(id, name)| view! {
                                <a href=format!("/clients/{id}")>{name}</a> " "
                            }).collect_view()}
                        </div>
                    })}
                </Transition>
            </section>
            <section class="card">
                <h2>"Primary location"</h2>
                <LocationFields fields=LocationInput::default() tags=Vec::new() checks first=true />
            </section>
            <section class="card">
                <h2>"Primary contact"</h2>
                <ContactFields fields=ContactInput::default() tags=Vec::new() checks first=true />
            </section>
            <section class="card">
                <h2>"Billing"</h2>
                <BillingFields fields=blank.clone() checks />
            </section>
            <section class="card">
                <h2>"Notes"</h2>
                <TextArea label="Quick notes" name="client[notes]" value="" error=checks.error("client[notes]") />
            </section>
            <FormError error=form_error(create) />
            {move || create.value().get().and_then(|r| r.err()).filter(|e| matches!(e, crate::error::AppError::Invalid(_))).map(|_| view! {
                <p class="form-error" role="alert">"Some fields need attention; nothing was saved."</p>
            })}
            <button type="submit" disabled=move || create.pending().get()>"Create client"</button>
        </ActionForm>
    }
}
