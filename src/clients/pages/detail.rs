//! `/clients/{id}`: overview with quick notes edited in place, and tabs for contacts, locations
//! and editing the client. Which tab and which editor is open lives in the URL.

use super::editors::{
    tag_chips, ArchiveControls, BillingFields, ClientFields, ContactFields, LocationFields,
    Refresh, TextArea,
};
use crate::accounts::model::Role;
use crate::app::use_current_user;
use crate::clients::api::{
    client_detail, SaveClientNotes, SaveContact, SaveLocation, UpdateClient,
};
use crate::clients::model::{
    field_problem, ClientRecord, Contact, ContactInput, Location, LocationInput, CONTACT_FLAGS,
};
use crate::components::form::{form_error, FormError, LiveChecks};
use crate::components::loading::Loading;
use crate::components::route::use_route_id;
use crate::components::time::Time;
use crate::tickets::api::{list_tickets, Invitation, InviteContact};
use crate::tickets::model::TicketFilter;
use crate::tickets::pages::list::TicketTable;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ClientPage() -> impl IntoView {
    let id = use_route_id();
    let Refresh(refresh) = Refresh::provide();
    // The edit tab's action lives here: a save reloads the record and renders the tab anew,
    // and its "Saved." must outlive that.
    let update = ServerAction::<UpdateClient>::new();
    Refresh::after(update);
    provide_context(update);
    let detail = Resource::new(move || (id(), refresh.get()), |(id, _)| client_detail(id));
    view! {
        <Transition fallback=Loading>
            {move || detail.get().map(|r| r.map(|record| view! { <ClientView record /> }))}
        </Transition>
    }
}

/// What the signed-in technician may do here.
#[derive(Clone, Copy)]
struct Powers {
    write: bool,
    admin: bool,
}

#[component]
fn ClientView(record: ClientRecord) -> impl IntoView {
    let query = use_query_map();
    let tab = move || query.read().get("tab").unwrap_or_default();
    let me = use_current_user();
    let role = me
        .get_untracked()
        .and_then(|r| r.ok().flatten())
        .map(|u| u.role);
    let powers = Powers {
        write: role.is_some_and(Role::can_write),
        admin: role == Some(Role::Admin),
    };
    let c = record.client.clone();
    let id = c.id;
    let active_contacts = record.contacts.iter().filter(|k| !k.archived()).count();
    let active_locations = record.locations.iter().filter(|l| !l.archived()).count();
    let tab_link = move |t: &'static str, label: String| {
        let current = move || tab() == t;
        view! {
            <a href=format!("/clients/{id}{}", if t.is_empty() { String::new() } else { format!("?tab={t}") })
                aria-current=move || current().then_some("page")>{label}</a>
        }
    };
    view! {
        <Title text=c.fields.name.clone() />
        <p><a href="/clients">"← Clients"</a></p>
        <div class="page-head">
            <h1>
                {c.fields.name.clone()}
                {c.fields.lead.then(|| view! { " " <span class="badge">"Lead"</span> })}
                {c.archived_at.is_some().then(|| view! { " " <span class="badge muted">"Archived"</span> })}
            </h1>
            <div class="actions">
                <ArchiveControls kind="client" id name=c.fields.name.clone() archived=c.archived_at.is_some()
                    can_write=powers.write is_admin=powers.admin />
            </div>
        </div>
        <p>{tag_chips(c.tags.clone())}</p>
        <nav class="tabs" aria-label="Client">
            {tab_link("", "Overview".into())}
            {tab_link("contacts", format!("Contacts ({active_contacts})"))}
            {tab_link("locations", format!("Locations ({active_locations})"))}
            {tab_link("tickets", "Tickets".into())}
            {powers.write.then(|| tab_link("edit", "Edit".into()))}
        </nav>
        {move || {
            let record = record.clone();
            match tab().as_str() {
                "contacts" => view! { <ContactsTab record powers /> }.into_any(),
                "locations" => view! { <LocationsTab record powers /> }.into_any(),
                "tickets" => view! { <TicketsTab id name=record.client.fields.name.clone() /> }.into_any(),
                "edit" if powers.write => view! { <EditTab record /> }.into_any(),
                _ => view! { <Overview record powers /> }.into_any(),
            }
        }}
    }
}

#[component]
fn Overview(record: ClientRecord, powers: Powers) -> impl IntoView {
    let notes = ServerAction::<SaveClientNotes>::new();
    let c = record.client;
    let f = c.fields.clone();
    let id = c.id;
    let important: Vec<Contact> = record
        .contacts
        .into_iter()
        .filter(|k| !k.archived() && (k.fields.primary || k.fields.important))
        .collect();
    let fact = |label: &'static str, value: String| {
        (!value.trim().is_empty()).then(|| view! { <dt>{label}</dt><dd>{value}</dd> })
    };
    view! {
        <div class="grid-2">
            <section class="card">
                <h2>"Details"</h2>
                <dl class="facts">
                    {fact("Industry", f.industry.clone())}
                    {fact("Referral", f.referral.clone())}
                    {(!f.website.is_empty()).then(|| {
                        let href = if f.website.contains("://") { f.website.clone() } else { format!("https://{}", f.website) };
                        view! { <dt>"Website"</dt><dd><a href=href rel="noopener noreferrer" target="_blank">{f.website.clone()}</a></dd> }
                    })}
                    {fact("Domain", f.domain.clone())}
                    {fact("Trading name", f.trading_name.clone())}
                    {fact("Account code", f.account_code.clone())}
                    {fact("Abbreviation", f.abbreviation.clone())}
                    {c.parent_name.clone().map(|p| view! {
                        <dt>"Parent"</dt><dd><a href=format!("/clients/{}", f.parent_id)>{p}</a></dd>
                    })}
                    <dt>"Billing"</dt>
                    <dd>{format!("{} {} per hour, net {} days", f.currency, f.hourly_rate, f.net_terms)}</dd>
                    {fact("Tax id", f.tax_id.clone())}
                    {fact("Invoice email", f.invoice_email.clone())}
                    <dt>"Created"</dt><dd><Time at=c.created_at.clone() /></dd>
                    <dt>"Updated"</dt><dd><Time at=c.updated_at.clone() /></dd>
                </dl>
            </section>
            <section class="card">
                <h2>"Quick notes"</h2>
                {if powers.write {
                    Refresh::after(notes);
                    view! {
                        <ActionForm action=notes>
                            <input type="hidden" name="id" value=id />
                            <TextArea label="Notes" name="notes" value=f.notes.clone()
                                error=crate::components::form::field_error(notes, "notes") />
                            <FormError error=form_error(notes) />
                            <button type="submit" class="secondary">"Save notes"</button>
                        </ActionForm>
                    }.into_any()
                } else {
                    view! { <p class="pre">{f.notes.clone()}</p> }.into_any()
                }}
            </section>
        </div>
        <section class="card">
            <h2>"Important contacts"</h2>
            {if important.is_empty() {
                view! { <p class="muted">"No primary or important contacts yet."</p> }.into_any()
            } else {
                view! { <ul class="people">{important.into_iter().map(|k| view! { <li><ContactSummary contact=k /></li> }).collect_view()}</ul> }.into_any()
            }}
        </section>
        <section class="card">
            <h2>"Locations"</h2>
            <ul class="people">
                {record.locations.into_iter().filter(|l| !l.archived()).map(|l| view! {
                    <li>
                        <strong>{l.fields.name.clone()}</strong>
                        {l.fields.primary.then(|| view! { " " <span class="badge">"Primary"</span> })}
                        <br />{address(&l.fields)}
                        {(!l.fields.phone.is_empty()).then(|| view! { <br /><a href=format!("tel:{}", l.fields.phone)>{l.fields.phone.clone()}</a> })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

fn address(l: &LocationInput) -> String {
    [
        &l.address_1,
        &l.address_2,
        &l.address_3,
        &l.city,
        &l.state,
        &l.postal_code,
        &l.country,
    ]
    .into_iter()
    .filter(|p| !p.trim().is_empty())
    .cloned()
    .collect::<Vec<_>>()
    .join(", ")
}

#[component]
fn ContactSummary(contact: Contact) -> impl IntoView {
    let f = contact.fields;
    view! {
        <strong>{f.name.clone()}</strong>
        {(!f.title.is_empty()).then(|| view! { <span class="muted">{format!(" · {}", f.title)}</span> })}
        " " {flag_badges(&f)}
        <br />
        {(!f.email.is_empty()).then(|| view! { <a href=format!("mailto:{}", f.email)>{f.email.clone()}</a> " " })}
        {(!f.phone.is_empty()).then(|| view! { <a href=format!("tel:{}", f.phone)>{f.phone.clone()}</a> " " })}
        {(!f.mobile.is_empty()).then(|| view! { <a href=format!("tel:{}", f.mobile)>{f.mobile.clone()}</a> })}
    }
}

#[component]
fn ContactsTab(record: ClientRecord, powers: Powers) -> impl IntoView {
    let query = use_query_map();
    let id = record.client.id;
    let open = move || query.read().get("contact");
    let contacts = record.contacts.clone();
    let editor = {
        let record = record.clone();
        move || {
            let which = open()?;
            let contact = match which.as_str() {
                "new" => None,
                other => Some(
                    record
                        .contacts
                        .iter()
                        .find(|k| k.id.to_string() == other)?
                        .clone(),
                ),
            };
            powers.write.then(|| view! {
                <ContactEditor client_id=id contact locations=record.locations.clone() tags=record.all_tags.clone() />
            })
        }
    };
    view! {
        <section class="card">
            <div class="list-head">
                <h2>"Contacts"</h2>
                {powers.write.then(|| view! { <a class="button" href=format!("/clients/{id}?tab=contacts&contact=new")>"Add contact"</a> })}
            </div>
            {editor}
            <div class="table-wrap">
                <table>
                    <thead><tr><th>"Name"</th><th>"Email and phone"</th><th>"Location"</th><th>"Tags"</th><th></th></tr></thead>
                    <tbody>
                        {contacts.into_iter().map(|k| {
                            let (kid, name, archived) = (k.id, k.fields.name.clone(), k.archived());
                            let location = k.location_name.clone();
                            let tags = k.tags.clone();
                            view! {
                                <tr class:archived=archived>
                                    <td><ContactSummaryName contact=k.clone() /></td>
                                    <td>{k.fields.email.clone()}<br />{k.fields.phone.clone()} " " {k.fields.mobile.clone()}</td>
                                    <td>{location}</td>
                                    <td>{tag_chips(tags)}</td>
                                    <td class="row-actions">
                                        {powers.write.then(|| view! { <a href=format!("/clients/{id}?tab=contacts&contact={kid}")>"Edit"</a> })}
                                        {(powers.write && !archived && !k.fields.email.is_empty()).then(|| view! { <InviteButton id=kid name=name.clone() /> })}
                                        <ArchiveControls kind="contact" id=kid name archived can_write=powers.write is_admin=powers.admin />
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// Gives a contact portal access by mailing them a link to set their password; without a mail
/// server the link is shown to pass on.
#[component]
fn InviteButton(id: i64, name: String) -> impl IntoView {
    let invite = ServerAction::<InviteContact>::new();
    view! {
        <ActionForm action=invite>
            <input type="hidden" name="id" value=id />
            <button type="submit" class="link-button" aria-label=format!("Invite {name} to the portal")>"Invite to portal"</button>
        </ActionForm>
        {move || invite.value().get().map(|r| match r {
            Ok(Invitation { email, link: None }) => view! { <p class="saved" role="status">{format!("Invitation sent to {email}.")}</p> }.into_any(),
            Ok(Invitation { link: Some(link), .. }) => view! {
                <p role="status">"No mail server is set up; give the contact this link (it works once, for 24 hours): "<code class="wrap">{link}</code></p>
            }.into_any(),
            Err(err) => view! { <p class="form-error" role="alert">{err.to_string()}</p> }.into_any(),
        })}
    }
}

/// The client's tickets, newest activity first.
#[component]
fn TicketsTab(id: i64, name: String) -> impl IntoView {
    let filter = TicketFilter {
        client: id.to_string(),
        show: "all".into(),
        ..Default::default()
    };
    let list = Resource::new(move || filter.clone(), list_tickets);
    let new = format!(
        "/tickets/new?client={id}&name={}",
        crate::url::encode(&name)
    );
    view! {
        <section class="card">
            <div class="list-head">
                <h2>"Tickets"</h2>
                <a class="button" href=new>"New ticket"</a>
            </div>
            <Transition fallback=Loading>
                {move || list.get().map(|r| r.map(|list| view! { <TicketTable rows=list.page.rows /> }))}
            </Transition>
        </section>
    }
}

#[component]
fn ContactSummaryName(contact: Contact) -> impl IntoView {
    let archived = contact.archived();
    let f = contact.fields;
    view! {
        <strong>{f.name.clone()}</strong>
        {archived.then(|| view! { " " <span class="badge muted">"Archived"</span> })}
        <br /><small class="muted">{f.title.clone()}</small>
        " " {flag_badges(&f)}
    }
}

/// A badge for each flag the contact has.
fn flag_badges(f: &ContactInput) -> impl IntoView {
    f.flags()
        .into_iter()
        .zip(CONTACT_FLAGS)
        .filter(|((_, on), _)| *on)
        .map(|(_, (_, label))| view! { <span class="badge">{label}</span> " " })
        .collect_view()
}

#[component]
pub fn ContactEditor(
    client_id: i64,
    contact: Option<Contact>,
    locations: Vec<Location>,
    tags: Vec<crate::clients::model::Tag>,
) -> impl IntoView {
    let save = ServerAction::<SaveContact>::new();
    Refresh::after(save);
    let checks = LiveChecks::new(save, field_problem);
    let id = contact.as_ref().map(|k| k.id);
    let fields = contact.map(|k| k.fields).unwrap_or_default();
    view! {
        <div class="editor" data-testid="contact-editor">
            <h3>{if id.is_some() { "Edit contact" } else { "New contact" }}</h3>
            <ActionForm action=save on:input=move |ev| checks.input(ev)>
                <input type="hidden" name="client_id" value=client_id />
                {id.map(|id| view! { <input type="hidden" name="id" value=id /> })}
                <ContactFields fields tags locations id=id.unwrap_or_default() checks />
                <FormError error=form_error(save) />
                {move || save.value().get().and_then(Result::ok).map(|_| view! { <p class="notice" role="status">"Saved."</p> })}
                <button type="submit" disabled=move || save.pending().get()>"Save contact"</button>
            </ActionForm>
        </div>
    }
}

#[component]
fn LocationsTab(record: ClientRecord, powers: Powers) -> impl IntoView {
    let query = use_query_map();
    let id = record.client.id;
    let open = move || query.read().get("location");
    let locations = record.locations.clone();
    let editor = {
        let record = record.clone();
        move || {
            let which = open()?;
            let location = match which.as_str() {
                "new" => None,
                other => Some(
                    record
                        .locations
                        .iter()
                        .find(|l| l.id.to_string() == other)?
                        .clone(),
                ),
            };
            powers.write.then(
                || view! { <LocationEditor client_id=id location tags=record.all_tags.clone() /> },
            )
        }
    };
    view! {
        <section class="card">
            <div class="list-head">
                <h2>"Locations"</h2>
                {powers.write.then(|| view! { <a class="button" href=format!("/clients/{id}?tab=locations&location=new")>"Add location"</a> })}
            </div>
            {editor}
            <div class="table-wrap">
                <table>
                    <thead><tr><th>"Name"</th><th>"Address"</th><th>"Phone"</th><th>"Tags"</th><th></th></tr></thead>
                    <tbody>
                        {locations.into_iter().map(|l| {
                            let (lid, name, archived) = (l.id, l.fields.name.clone(), l.archived());
                            view! {
                                <tr class:archived=archived>
                                    <td>
                                        <strong>{l.fields.name.clone()}</strong>
                                        {l.fields.primary.then(|| view! { " " <span class="badge">"Primary"</span> })}
                                        {archived.then(|| view! { " " <span class="badge muted">"Archived"</span> })}
                                    </td>
                                    <td>{address(&l.fields)}</td>
                                    <td>{l.fields.phone.clone()}</td>
                                    <td>{tag_chips(l.tags.clone())}</td>
                                    <td class="row-actions">
                                        {powers.write.then(|| view! { <a href=format!("/clients/{id}?tab=locations&location={lid}")>"Edit"</a> })}
                                        <ArchiveControls kind="location" id=lid name archived can_write=powers.write is_admin=powers.admin />
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn LocationEditor(
    client_id: i64,
    location: Option<Location>,
    tags: Vec<crate::clients::model::Tag>,
) -> impl IntoView {
    let save = ServerAction::<SaveLocation>::new();
    Refresh::after(save);
    let checks = LiveChecks::new(save, field_problem);
    let id = location.as_ref().map(|l| l.id);
    let fields = location.map(|l| l.fields).unwrap_or_default();
    view! {
        <div class="editor" data-testid="location-editor">
            <h3>{if id.is_some() { "Edit location" } else { "New location" }}</h3>
            <ActionForm action=save on:input=move |ev| checks.input(ev)>
                <input type="hidden" name="client_id" value=client_id />
                {id.map(|id| view! { <input type="hidden" name="id" value=id /> })}
                <LocationFields fields tags checks />
                <FormError error=form_error(save) />
                {move || save.value().get().and_then(Result::ok).map(|_| view! { <p class="notice" role="status">"Saved."</p> })}
                <button type="submit" disabled=move || save.pending().get()>"Save location"</button>
            </ActionForm>
        </div>
    }
}

#[component]
fn EditTab(record: ClientRecord) -> impl IntoView {
    let update = expect_context::<ServerAction<UpdateClient>>();
    let checks = LiveChecks::new(update, field_problem);
    let c = record.client;
    view! {
        <ActionForm action=update on:input=move |ev| checks.input(ev)>
            <input type="hidden" name="id" value=c.id />
            <section class="card">
                <h2>"Client"</h2>
                <ClientFields fields=c.fields.clone() tags=record.all_tags parent=c.fields.parent().zip(c.parent_name.clone()) checks />
            </section>
            <section class="card">
                <h2>"Billing"</h2>
                <BillingFields fields=c.fields.clone() checks />
            </section>
            <section class="card">
                <TextArea label="Quick notes" name="client[notes]" value=c.fields.notes.clone() error=checks.error("client[notes]") />
            </section>
            <FormError error=form_error(update) />
            {move || update.value().get().and_then(Result::ok).map(|_| view! { <p class="notice" role="status">"Saved."</p> })}
            <button type="submit" disabled=move || update.pending().get()>"Save client"</button>
        </ActionForm>
    }
}
