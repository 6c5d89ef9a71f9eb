//! `/tickets/new`: a technician opens a ticket for a client (`?client=ID` fills it in).

use crate::clients::pages::picker::ClientPicker;
use crate::components::form::{field_error, form_error, Field, FormError};
use crate::tickets::api::CreateTicket;
use crate::tickets::model::Priority;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn NewTicketPage() -> impl IntoView {
    let create = ServerAction::<CreateTicket>::new();
    let query = use_query_map();
    let client = query.read_untracked().get("client").unwrap_or_default();
    let contact = query.read_untracked().get("contact").unwrap_or_default();
    let chosen = client
        .parse::<i64>()
        .ok()
        .map(|id| (id, query.read_untracked().get("name").unwrap_or_default()));
    view! {
        <Title text="New ticket" />
        <p><a href="/tickets">"← Tickets"</a></p>
        <section class="card narrow-left">
            <h1>"New ticket"</h1>
            <ActionForm action=create>
                <ClientPicker label="Client" name="client" chosen error=field_error(create, "client") />
                <input type="hidden" name="contact" value=contact />
                <Field label="Subject" name="subject" required=true error=field_error(create, "subject") />
                <div class="field">
                    <label for="field-details">"Details"</label>
                    <textarea id="field-details" name="details" rows="6"></textarea>
                    {move || field_error(create, "details").get().map(|e| view! { <p class="field-error">{e}</p> })}
                </div>
                <div class="field">
                    <label for="field-priority">"Priority"</label>
                    <select id="field-priority" name="priority">
                        {Priority::ALL.iter().map(|p| view! { <option value=p.as_str() selected=*p == Priority::Medium>{p.label()}</option> }).collect_view()}
                    </select>
                </div>
                <FormError error=form_error(create) />
                <button type="submit" disabled=move || create.pending().get()>"Open ticket"</button>
            </ActionForm>
        </section>
    }
}
