//! Getting into the portal: sign in, ask for a reset link, set a password from a link.

use crate::components::form::{field_error, form_error, Field, FormError};
use crate::components::loading::Loading;
use crate::portal::api::{portal_link, PortalForgot, PortalLogin, PortalSetPassword};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PortalLoginPage() -> impl IntoView {
    let action = ServerAction::<PortalLogin>::new();
    let next = use_query_map()
        .read_untracked()
        .get("next")
        .unwrap_or_default();
    view! {
        <Title text="Support portal" />
        <section class="card narrow">
            <h1>"Support portal"</h1>
            <p class="muted">"Sign in to open a ticket and follow its progress."</p>
            <ActionForm action=action>
                <input type="hidden" name="next" value=next />
                <Field label="Email" name="email" kind="email" autocomplete="username" required=true
                    error=field_error(action, "email") />
                <Field label="Password" name="password" kind="password" autocomplete="current-password"
                    required=true error=field_error(action, "password") />
                <FormError error=form_error(action) />
                <button type="submit" disabled=move || action.pending().get()>"Sign in"</button>
            </ActionForm>
            <p><a href="/portal/forgot">"Forgot your password?"</a></p>
        </section>
    }
}

#[component]
pub fn PortalForgotPage() -> impl IntoView {
    let action = ServerAction::<PortalForgot>::new();
    view! {
        <Title text="Reset your password" />
        <section class="card narrow">
            <h1>"Reset your password"</h1>
            <ActionForm action=action>
                <Field label="Email" name="email" kind="email" autocomplete="username" required=true
                    error=field_error(action, "email") />
                <FormError error=form_error(action) />
                <button type="submit" disabled=move || action.pending().get()>"Send me a link"</button>
            </ActionForm>
            {move || matches!(action.value().get(), Some(Ok(()))).then(|| view! {
                <p role="status">"If this address has portal access, a link to choose a new password is on its way. It works for 24 hours."</p>
            })}
            <p><a href="/portal">"Back to sign in"</a></p>
        </section>
    }
}

/// `/portal/password?token=...`: the page an invitation or reset link opens.
#[component]
pub fn PortalPasswordPage() -> impl IntoView {
    let action = ServerAction::<PortalSetPassword>::new();
    let token = use_query_map()
        .read_untracked()
        .get("token")
        .unwrap_or_default();
    let link = Resource::new(move || token.clone(), portal_link);
    view! {
        <Title text="Choose your password" />
        <section class="card narrow">
            <Suspense fallback=Loading>
                {move || link.get().map(|r| r.map(|info| match info {
                    None => view! {
                        <h1>"This link no longer works"</h1>
                        <p>"Links work once, for 24 hours. "<a href="/portal/forgot">"Ask for a new one"</a>"."</p>
                    }.into_any(),
                    Some(info) => view! {
                        <h1>{if info.invite { "Welcome to the support portal" } else { "Choose a new password" }}</h1>
                        <p>{format!("Hello {}, choose the password you will sign in with.", info.name)}</p>
                        <ActionForm action=action>
                            <input type="hidden" name="token" value=use_query_map().read_untracked().get("token").unwrap_or_default() />
                            <Field label="New password" name="password" kind="password" autocomplete="new-password"
                                required=true error=field_error(action, "password")
                                hint="At least 12 characters" />
                            <Field label="Confirm password" name="confirm" kind="password" autocomplete="new-password"
                                required=true error=field_error(action, "confirm") />
                            <FormError error=form_error(action) />
                            <button type="submit" disabled=move || action.pending().get()>"Save and sign in"</button>
                        </ActionForm>
                    }.into_any(),
                }))}
            </Suspense>
        </section>
    }
}
