//! One technician account: role, client restriction, disable, password reset.

use crate::accounts::model::Role;
use crate::admin::users::{user_detail, ResetUserPassword, UpdateUser, UserRecord};
use crate::clients::pages::picker::ClientPicker;
use crate::components::form::{field_error, form_error, Field, FormError};
use crate::components::loading::Loading;
use crate::components::route::use_route_id;
use crate::components::time::Time;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn UserPage() -> impl IntoView {
    let id = use_route_id();
    let update = ServerAction::<UpdateUser>::new();
    // A save reloads the record: the clients added show as ticked, the picker is empty again.
    let detail = Resource::new(
        move || (id(), update.version().get()),
        |(id, _)| user_detail(id),
    );
    view! {
        <Transition fallback=Loading>
            {move || detail.get().map(|r| r.map(|detail| view! { <UserEditor detail update /> }))}
        </Transition>
    }
}

#[component]
fn UserEditor(detail: UserRecord, update: ServerAction<UpdateUser>) -> impl IntoView {
    let reset = ServerAction::<ResetUserPassword>::new();
    let query = use_query_map();
    let notice = move || {
        let q = query.read();
        if q.get("saved").is_some() {
            Some("Saved.")
        } else if q.get("reset").is_some() {
            Some("Password reset. The user must choose a new one at next sign-in; their sessions ended.")
        } else {
            None
        }
    };
    let UserRecord { user, clients } = detail;
    let id = user.id;
    view! {
        <Title text=user.name.clone() />
        <p><a href="/admin/users">"← Users"</a></p>
        <h1>{user.name.clone()}</h1>
        {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <section class="card">
            <dl class="facts">
                <dt>"Email"</dt><dd>{user.email.clone()}</dd>
                <dt>"Last sign-in"</dt>
                <dd>{match user.last_login_at.clone() {
                    Some(at) => view! { <Time at /> }.into_any(),
                    None => "never".into_any(),
                }}</dd>
                <dt>"Two-factor"</dt><dd>{if user.mfa_enabled { "On" } else { "Off" }}</dd>
            </dl>
            <ActionForm action=update>
                <input type="hidden" name="id" value=id />
                <Field label="Name" name="name" value=user.name.clone() required=true error=field_error(update, "name") />
                <div class="field">
                    <label for="field-role">"Role"</label>
                    <select id="field-role" name="role">
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=r == user.role>{r.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <fieldset class="field">
                    <legend>"Client access"</legend>
                    <label class="check">
                        <input type="checkbox" name="restricted" value="on" checked=user.restricted />
                        " Only the clients below"
                    </label>
                    {if clients.is_empty() {
                        view! { <p class="muted">"No clients chosen."</p> }.into_any()
                    } else {
                        view! {
                            <div class="check-list">
                                {clients.into_iter().enumerate().map(|(i, (client_id, name))| view! {
                                    <label class="check">
                                        <input type="checkbox" name=format!("client_ids[{i}]") value=client_id checked=true />
                                        " " {name}
                                    </label>
                                }).collect_view()}
                            </div>
                        }.into_any()
                    }}
                    <ClientPicker label="Add a client" name="add_client" error=field_error(update, "add_client") />
                </fieldset>
                <label class="check">
                    <input type="checkbox" name="disabled" value="on" checked=user.disabled />
                    " Disabled (cannot sign in)"
                </label>
                <FormError error=form_error(update) />
                <button type="submit">"Save"</button>
            </ActionForm>
        </section>
        <section class="card">
            <h2>"Reset password"</h2>
            <p class="muted">"Sets a temporary password and signs the user out everywhere."</p>
            <ActionForm action=reset>
                <input type="hidden" name="id" value=id />
                <Field label="Temporary password" name="password" autocomplete="off" required=true
                    error=field_error(reset, "password") />
                <FormError error=form_error(reset) />
                <button type="submit" class="secondary">"Reset password"</button>
            </ActionForm>
        </section>
    }
}
