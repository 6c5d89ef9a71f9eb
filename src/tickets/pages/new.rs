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
    view! {
        {(!contacts.is_empty()).then(|| view! {
            <Choice label="Contact" name="contact" none="Nobody in particular" options=contacts
                chosen=contact error=field_error(action, "contact") />
        })}
        {(!locations.is_empty()).then(|| view! {
            <Choice label="Location" name="location" none="Not one in particular" options=locations
                error=field_error(action, "location") />
        })}
        <Choice label="Assignee" name="assignee" none="Nobody yet" options=technicians />
    }
}

/// A select of (id, name) options after a first one that chooses none.
#[component]
fn Choice(
    label: &'static str,
    name: &'static str,
    none: &'static str,
    options: Vec<(i64, String)>,
    /// The id chosen now, as text.
    #[prop(optional)]
    chosen: String,
    #[prop(optional, into)] error: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                <option value="">{none}</option>
                {options.into_iter().map(|(id, text)| {
                    let value = id.to_string();
                    view! { <option selected=value == chosen value=value>{text}</option> }
                }).collect_view()}
            </select>
            {move || error.and_then(|e| e.get()).map(|e| view! { <p class="field-error">{e}</p> })}
        </div>
    }
}
