//! `/portal/profile`: the contact's name and phone, their password, and for billing contacts
//! what Docket holds for invoicing their organisation.

use super::{provide_me, PortalNav};
use crate::components::form::{field_error, form_error, Field, FormError};
use crate::components::loading::Loading;
use crate::portal::api::{ContactProfile, PortalChangePassword, PortalUpdateProfile};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PortalProfilePage() -> impl IntoView {
    let me = provide_me();
    view! {
        <Title text="Profile" />
        <PortalNav />
        <h1>"Profile"</h1>
        <Transition fallback=Loading>
            {move || me.get().map(|r| r.map(|me| me.map(|me| view! { <Profile me /> })))}
        </Transition>
    }
}

#[component]
fn Profile(me: ContactProfile) -> impl IntoView {
    let update = ServerAction::<PortalUpdateProfile>::new();
    let password = ServerAction::<PortalChangePassword>::new();
    let saved = |ok: bool, text: &'static str| {
        ok.then(|| view! { <p class="saved" role="status">{text}</p> })
    };
    view! {
        <section class="card narrow-left">
            <h2>"Your details"</h2>
            <p class="muted">{format!("{} at {}", me.email, me.client_name)}</p>
            <ActionForm action=update>
                <Field label="Name" name="name" value=me.name.clone() required=true autocomplete="name"
                    error=field_error(update, "name") />
                <Field label="Phone" name="phone" kind="tel" value=me.phone.clone() autocomplete="tel"
                    error=field_error(update, "phone") />
                <FormError error=form_error(update) />
                <button type="submit">"Save"</button>
                {move || saved(matches!(update.value().get(), Some(Ok(()))), "Saved.")}
            </ActionForm>
        </section>
        <section class="card narrow-left">
            <h2>"Password"</h2>
            <ActionForm action=password>
                <Field label="Current password" name="current" kind="password" autocomplete="current-password"
                    required=true error=field_error(password, "current") />
                <Field label="New password" name="password" kind="password" autocomplete="new-password"
                    required=true error=field_error(password, "password") hint="At least 12 characters" />
                <Field label="Confirm new password" name="confirm" kind="password" autocomplete="new-password"
                    required=true error=field_error(password, "confirm") />
                <FormError error=form_error(password) />
                <button type="submit">"Change password"</button>
                {move || saved(matches!(password.value().get(), Some(Ok(()))), "Password changed.")}
            </ActionForm>
        </section>
        {me.billing.map(|b| view! {
            <section class="card narrow-left">
                <h2>"Billing"</h2>
                <dl class="facts">
                    <dt>"Currency"</dt><dd>{b.currency}</dd>
                    <dt>"Hourly rate"</dt><dd>{b.hourly_rate}</dd>
                    <dt>"Payment terms"</dt><dd>{format!("Net {} days", b.net_terms)}</dd>
                    <dt>"Invoices go to"</dt><dd>{b.invoice_email}</dd>
                    <dt>"Tax id"</dt><dd>{b.tax_id}</dd>
                </dl>
            </section>
        })}
    }
}
