//! `/tickets/new`: a technician opens a ticket for a client (`?client=ID` fills it in, and
//! `?contact=ID` the contact), for one of its contacts, assigned to someone or not.

use crate::clients::pages::picker::ClientPicker;
use crate::components::form::{field_error, form_error, Field, FormError};
use crate::components::loading::Loading;
use crate::tickets::api::{new_ticket_choices, CreateTicket, TicketChoices};
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
    // The contacts follow the client the picker names.
    let client_id = RwSignal::new(chosen.as_ref().map(|(id, _)| *id));
    let choices = Resource::new(move || client_id.get(), new_ticket_choices);
    let on_pick = Callback::new(move |id| client_id.set(Some(id)));
    view! {
        <Title text="New ticket" />
        <p><a href="/tickets">"← Tickets"</a></p>
        <section class="card narrow-left">
            <h1>"New ticket"</h1>
            <ActionForm action=create>
                <ClientPicker label="Client" name="client" chosen error=field_error(create, "client") on_pick />
                <Transition fallback=Loading>
                    {move || choices.get().map(|r| r.map(|c| view! {
                        <Choices choices=c contact=contact.clone() action=create />
                    }))}
                </Transition>
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

/// The contact and location (when the client has any) and the assignee.
#[component]
fn Choices(
    choices: TicketChoices,
    contact: String,
    action: ServerAction<CreateTicket>,
) -> impl IntoView {
    let TicketChoices {
        contacts,
        locations,
        technicians,
    } = choices;
    let option = move |(id, name): (i64, String), chosen: &str| {
        let value = id.to_string();
        view! { <option selected=value == chosen value=value>{name}</option> }
    };
    view! {
        {(!contacts.is_empty()).then(|| view! {
            <div class="field">
                <label for="field-contact">"Contact"</label>
                <select id="field-contact" name="contact">
                    <option value="">"Nobody in particular"</option>
                    {contacts.into_iter().map(|c| option(c, &contact)).collect_view()}
                </select>
                {move || field_error(action, "contact").get().map(|e| view! { <p class="field-error">{e}</p> })}
            </div>
        })}
        {(!locations.is_empty()).then(|| view! {
            <div class="field">
                <label for="field-location">"Location"</label>
                <select id="field-location" name="location">
                    <option value="">"Not one in particular"</option>
                    {locations.into_iter().map(|l| option(l, "")).collect_view()}
                </select>
                {move || field_error(action, "location").get().map(|e| view! { <p class="field-error">{e}</p> })}
            </div>
        })}
        <div class="field">
            <label for="field-assignee">"Assignee"</label>
            <select id="field-assignee" name="assignee">
                <option value="">"Nobody yet"</option>
                {technicians.into_iter().map(|t| option(t, "")).collect_view()}
            </select>
        </div>
    }
}
