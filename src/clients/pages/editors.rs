//! The editors of the client record, shared by the new-client form, the client page and the
//! contact list: fields of a client, a location and a contact, tag pickers, archive controls.

use super::picker::ClientPicker;
use crate::clients::api::{email_owner, DeleteArchived, SetArchived};
use crate::clients::model::{
    ClientInput, ContactInput, Location, LocationInput, Tag, AUTH_METHODS,
};
use crate::components::form::{field_error, form_error, Field, FormError, LiveChecks};
use leptos::prelude::*;

/// Bumped after a change so the page reloads its data.
#[derive(Clone, Copy)]
pub struct Refresh(pub RwSignal<u32>);

impl Refresh {
    pub fn provide() -> Self {
        let r = Refresh(RwSignal::new(0));
        provide_context(r);
        r
    }

    /// Reloads the page's data each time `action` succeeds.
    pub fn after<S>(action: ServerAction<S>)
    where
        S: leptos::server_fn::ServerFn<Error = crate::error::AppError>
            + Clone
            + Send
            + Sync
            + 'static,
        S::Output: Clone + Send + Sync + 'static,
    {
        if let Some(Refresh(n)) = use_context::<Refresh>() {
            Effect::new(move |_| {
                if action.value().with(|v| matches!(v, Some(Ok(_)))) {
                    n.update(|n| *n += 1);
                }
            });
        }
    }
}

#[component]
pub fn TextArea(
    label: &'static str,
    name: &'static str,
    #[prop(into)] value: String,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <textarea id=id name=name rows="3" aria-invalid=move || error.get().is_some().then_some("true")>{value}</textarea>
            {move || error.get().map(|e| view! { <p class="field-error">{e}</p> })}
        </div>
    }
}

#[component]
pub fn Check(label: &'static str, name: &'static str, checked: bool) -> impl IntoView {
    view! {
        <label class="check">
            <input type="checkbox" name=name value="on" checked=checked />
            " " {label}
        </label>
    }
}

/// Checkboxes for the tags of one kind, named `{section}[tag_ids][i]`.
#[component]
pub fn TagPicker(section: &'static str, tags: Vec<Tag>, selected: Vec<i64>) -> impl IntoView {
    let tags: Vec<Tag> = tags.into_iter().filter(|t| t.kind == section).collect();
    (!tags.is_empty()).then(|| {
        view! {
            <fieldset class="field">
                <legend>"Tags"</legend>
                <div class="check-list">
                    {tags.into_iter().enumerate().map(|(i, t)| view! {
                        <label class="check">
                            <input type="checkbox" name=format!("{section}[tag_ids][{i}]") value=t.id
                                checked=selected.contains(&t.id) />
                            " " <TagChip tag=t />
                        </label>
                    }).collect_view()}
                </div>
            </fieldset>
        }
    })
}

#[component]
pub fn TagChip(tag: Tag) -> impl IntoView {
    let style = (!tag.colour.is_empty()).then(|| format!("--tag: {}", tag.colour));
    view! { <span class="tag" style=style>{tag.name}</span> }
}

pub fn tag_chips(tags: Vec<Tag>) -> impl IntoView {
    tags.into_iter()
        .map(|tag| view! { <TagChip tag /> })
        .collect_view()
}

/// The client's own fields, in the sections of the new-client form.
#[component]
pub fn ClientFields(
    fields: ClientInput,
    tags: Vec<Tag>,
    /// The parent client now: (id, name).
    #[prop(default = None)]
    parent: Option<(i64, String)>,
    checks: LiveChecks,
    /// Billing and notes are left out where they have their own section.
    #[prop(optional)]
    on_name: Option<Callback<String>>,
) -> impl IntoView {
    let f = fields;
    view! {
        <Field label="Client name" name="client[name]" value=f.name.clone() required=true
            error=checks.error("client[name]") on_input=on_name.unwrap_or(Callback::new(|_| ())) />
        <div class="grid-2">
            <div class="field">
                <label for="field-client[lead]">"Stage"</label>
                <select id="field-client[lead]" name="client[lead]">
                    <option value="" selected=!f.lead>"Customer"</option>
                    <option value="on" selected=f.lead>"Lead"</option>
                </select>
            </div>
            <Field label="Industry" name="client[industry]" value=f.industry.clone() error=checks.error("client[industry]") />
            <Field label="Referral source" name="client[referral]" value=f.referral.clone() error=checks.error("client[referral]") />
            <Field label="Website" name="client[website]" value=f.website.clone() error=checks.error("client[website]") />
            <Field label="Domain" name="client[domain]" value=f.domain.clone() hint="Used to spot duplicates; taken from the website when empty"
                error=checks.error("client[domain]") />
            <Field label="Trading name" name="client[trading_name]" value=f.trading_name.clone() error=checks.error("client[trading_name]") />
            <Field label="Abbreviation" name="client[abbreviation]" value=f.abbreviation.clone() error=checks.error("client[abbreviation]") />
            <Field label="Account code" name="client[account_code]" value=f.account_code.clone() error=checks.error("client[account_code]") />
            <Field label="Colour" name="client[colour]" kind="color" value=if f.colour.is_empty() { "#2456d6".to_string() } else { f.colour.clone() }
                error=checks.error("client[colour]") />
            <ClientPicker label="Parent client" name="client[parent_id]" chosen=parent error=checks.error("client[parent_id]") />
        </div>
        <TagPicker section="client" tags selected=f.tag_ids.clone() />
    }
}

#[component]
pub fn BillingFields(fields: ClientInput, checks: LiveChecks) -> impl IntoView {
    let f = fields;
    view! {
        <div class="grid-2">
            <Field label="Currency" name="client[currency]" value=f.currency.clone() required=true hint="ISO 4217, e.g. USD"
                error=checks.error("client[currency]") />
            <Field label="Hourly rate" name="client[hourly_rate]" value=f.hourly_rate.clone() error=checks.error("client[hourly_rate]") />
            <Field label="Net terms (days)" name="client[net_terms]" value=f.net_terms.clone() error=checks.error("client[net_terms]") />
            <Field label="Tax id" name="client[tax_id]" value=f.tax_id.clone() error=checks.error("client[tax_id]") />
            <Field label="Invoice email" name="client[invoice_email]" kind="email" value=f.invoice_email.clone()
                error=checks.error("client[invoice_email]") />
        </div>
        <Check label="Send invoice reminders" name="client[invoice_reminders]" checked=f.invoice_reminders />
        <Check label="Show location on invoices" name="client[show_location_on_invoice]" checked=f.show_location_on_invoice />
    }
}

#[component]
pub fn LocationFields(
    fields: LocationInput,
    tags: Vec<Tag>,
    checks: LiveChecks,
    /// The new-client form: the location is the primary one, its name optional.
    #[prop(optional)]
    first: bool,
) -> impl IntoView {
    let f = fields;
    view! {
        <div class="grid-2">
            <Field label="Location name" name="location[name]" value=f.name.clone() required=!first
                hint=if first { "Main office when left empty" } else { "" } error=checks.error("location[name]") />
            <Field label="Address line 1" name="location[address_1]" value=f.address_1.clone() error=checks.error("location[address_1]") />
            <Field label="Address line 2" name="location[address_2]" value=f.address_2.clone() error=checks.error("location[address_2]") />
            <Field label="Address line 3" name="location[address_3]" value=f.address_3.clone() error=checks.error("location[address_3]") />
            <Field label="City" name="location[city]" value=f.city.clone() error=checks.error("location[city]") />
            <Field label="State or province" name="location[state]" value=f.state.clone() error=checks.error("location[state]") />
            <Field label="Postal code" name="location[postal_code]" value=f.postal_code.clone() error=checks.error("location[postal_code]") />
            <Field label="Country" name="location[country]" value=f.country.clone() hint="Two letters, e.g. US"
                error=checks.error("location[country]") />
            <Field label="Phone" name="location[phone]" kind="tel" value=f.phone.clone() error=checks.error("location[phone]") />
            <Field label="Secondary phone" name="location[phone_secondary]" kind="tel" value=f.phone_secondary.clone()
                error=checks.error("location[phone_secondary]") />
            <Field label="Fax" name="location[fax]" kind="tel" value=f.fax.clone() error=checks.error("location[fax]") />
            <Field label="Location invoice email" name="location[invoice_email]" kind="email" value=f.invoice_email.clone()
                error=checks.error("location[invoice_email]") />
            <Field label="Hours" name="location[hours]" value=f.hours.clone() error=checks.error("location[hours]") />
            <Field label="Time zone" name="location[time_zone]" value=f.time_zone.clone() hint="e.g. Europe/Amsterdam"
                error=checks.error("location[time_zone]") />
        </div>
        <TextArea label="Location notes" name="location[notes]" value=f.notes.clone() error=checks.error("location[notes]") />
        {(!first).then(|| view! {
            <Check label="Primary location" name="location[primary]" checked=f.primary />
            <TagPicker section="location" tags selected=f.tag_ids.clone() />
        })}
    }
}

#[component]
pub fn ContactFields(
    fields: ContactInput,
    tags: Vec<Tag>,
    /// The client's locations; none in the new-client form.
    #[prop(optional)]
    locations: Vec<Location>,
    /// The contact being edited, so its own email is not reported as taken.
    #[prop(optional)]
    id: Option<i64>,
    checks: LiveChecks,
    #[prop(optional)] first: bool,
) -> impl IntoView {
    let f = fields;
    let email = RwSignal::new(f.email.clone());
    // Who already has the typed email, asked as it is typed.
    let owner = Resource::new(
        move || email.get(),
        move |email| async move {
            if email.trim().is_empty() || !email.contains('@') {
                return Ok(None);
            }
            email_owner(email, id).await
        },
    );
    let location = f.location();
    view! {
        <div class="grid-2">
            <Field label="Contact name" name="contact[name]" value=f.name.clone() required=!first error=checks.error("contact[name]") />
            <Field label="Title" name="contact[title]" value=f.title.clone() error=checks.error("contact[title]") />
            <Field label="Department" name="contact[department]" value=f.department.clone() error=checks.error("contact[department]") />
            <div>
                <Field label="Email" name="contact[email]" kind="email" value=f.email.clone() error=checks.error("contact[email]")
                    on_input=Callback::new(move |v| email.set(v)) />
                <Transition>
                    {move || owner.get().and_then(|r| r.ok().flatten()).map(|m| view! {
                        <p class="field-warning" role="status" data-testid="email-owner">{m}</p>
                    })}
                </Transition>
            </div>
            <Field label="Phone" name="contact[phone]" kind="tel" value=f.phone.clone() error=checks.error("contact[phone]") />
            <Field label="Extension" name="contact[extension]" value=f.extension.clone() error=checks.error("contact[extension]") />
            <Field label="Mobile" name="contact[mobile]" kind="tel" value=f.mobile.clone() error=checks.error("contact[mobile]") />
            {(!locations.is_empty()).then(|| view! {
                <div class="field">
                    <label for="field-contact[location_id]">"Location"</label>
                    <select id="field-contact[location_id]" name="contact[location_id]">
                        <option value="">"None"</option>
                        {locations.into_iter().filter(|l| !l.archived()).map(|l| view! {
                            <option value=l.id selected=location == Some(l.id)>{l.fields.name}</option>
                        }).collect_view()}
                    </select>
                    {move || checks.error("contact[location_id]").get().map(|e| view! { <p class="field-error">{e}</p> })}
                </div>
            })}
            <div class="field">
                <label for="field-contact[auth_method]">"Portal access"</label>
                <select id="field-contact[auth_method]" name="contact[auth_method]">
                    {AUTH_METHODS.into_iter().map(|(value, label)| view! {
                        <option value=value selected=f.auth_method() == value>{label}</option>
                    }).collect_view()}
                </select>
            </div>
        </div>
        <TextArea label="Contact notes" name="contact[notes]" value=f.notes.clone() error=checks.error("contact[notes]") />
        {(!first).then(|| view! {
            <fieldset class="field">
                <legend>"Flags"</legend>
                <div class="check-list">
                    <Check label="Primary" name="contact[primary]" checked=f.primary />
                    <Check label="Important" name="contact[important]" checked=f.important />
                    <Check label="Billing" name="contact[billing]" checked=f.billing />
                    <Check label="Technical" name="contact[technical]" checked=f.technical />
                </div>
            </fieldset>
            <TagPicker section="contact" tags selected=f.tag_ids.clone() />
        })}
    }
}

/// Archive or restore a record; once archived, admins may delete it after typing its name.
#[component]
pub fn ArchiveControls(
    kind: &'static str,
    id: i64,
    name: String,
    archived: bool,
    can_write: bool,
    is_admin: bool,
) -> impl IntoView {
    let archive = ServerAction::<SetArchived>::new();
    let delete = ServerAction::<DeleteArchived>::new();
    Refresh::after(archive);
    let label = if archived { "Restore" } else { "Archive" };
    let aria = format!("{label} {name}");
    view! {
        {can_write.then(|| view! {
            <ActionForm action=archive attr:class="inline">
                <input type="hidden" name="kind" value=kind />
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="archived" value=(!archived).to_string() />
                <button type="submit" class="secondary" aria-label=aria>{label}</button>
            </ActionForm>
            <FormError error=form_error(archive) />
        })}
        {(archived && is_admin).then(|| view! {
            <details class="danger-zone" open=move || delete.value().get().is_some_and(|r| r.is_err())>
                <summary>"Delete…"</summary>
                <ActionForm action=delete>
                    <input type="hidden" name="kind" value=kind />
                    <input type="hidden" name="id" value=id />
                    <Field label="Type the exact name to delete it and everything that belongs to it" name="confirm"
                        autocomplete="off" error=field_error(delete, "confirm") />
                    <FormError error=form_error(delete) />
                    <button type="submit" class="danger">{format!("Delete {name}")}</button>
                </ActionForm>
            </details>
        })}
    }
}
