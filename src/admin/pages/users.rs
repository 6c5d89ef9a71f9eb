//! The list of technician accounts, and the form to add one.

use crate::accounts::model::Role;
use crate::admin::users::{list_users, CreateUser};
use crate::components::form::{field_error, form_error, Field, FormError};
use crate::components::loading::Loading;
use crate::components::time::Time;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn UsersPage() -> impl IntoView {
    let users = Resource::new(|| (), |_| list_users());
    let create = ServerAction::<CreateUser>::new();
    view! {
        <Title text="Users" />
        <h1>"Users"</h1>
        <section class="card">
            <Transition fallback=Loading>
                {move || users.get().map(|r| r.map(|users| view! {
                    <div class="table-wrap">
                        <table>
                            <thead><tr>
                                <th>"Name"</th><th>"Email"</th><th>"Role"</th><th>"Status"</th><th>"Last sign-in"</th>
                            </tr></thead>
                            <tbody>
                                {users.into_iter().map(|u| view! {
                                    <tr>
                                        <td><a href=format!("/admin/users/{}", u.id)>{u.name}</a></td>
                                        <td>{u.email}</td>
                                        <td>{u.role.label()}{u.restricted.then_some(" (restricted)")}</td>
                                        <td>{if u.disabled { "Disabled" } else if u.must_change_password { "Must change password" } else { "Active" }}
                                            {u.mfa_enabled.then_some(" · 2FA")}</td>
                                        <td>{match u.last_login_at {
                                            Some(at) => view! { <Time at /> }.into_any(),
                                            None => "never".into_any(),
                                        }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }))}
            </Transition>
        </section>
        <section class="card narrow-left">
            <h2>"Add a user"</h2>
            <p class="muted">"They sign in with the temporary password and must choose their own."</p>
            <ActionForm action=create>
                <Field label="Name" name="name" required=true error=field_error(create, "name") />
                <Field label="Email" name="email" kind="email" required=true error=field_error(create, "email") />
                <div class="field">
                    <label for="field-role">"Role"</label>
                    <select id="field-role" name="role">
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=r == Role::Technician>{r.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Field label="Temporary password" name="password" kind="text" autocomplete="off" required=true
                    error=field_error(create, "password") />
                <FormError error=form_error(create) />
                <button type="submit">"Add user"</button>
            </ActionForm>
        </section>
    }
}
