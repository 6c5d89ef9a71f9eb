//! `/admin/api-keys`: the keys scripts use, whom each acts as, and when each was last used.

use crate::admin::api_keys::{list_api_keys, ApiKeyItem, CreateApiKey, RevokeApiKey};
use crate::admin::users::list_users;
use crate::clients::pages::editors::Refresh;
use crate::components::form::{field_error, form_error, Field, FormError};
use crate::components::loading::Loading;
use crate::components::time::Time;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let Refresh(refresh) = Refresh::provide();
    let keys = Resource::new(move || refresh.get(), |_| list_api_keys());
    let users = Resource::new(|| (), |_| list_users());
    let create = ServerAction::<CreateApiKey>::new();
    Refresh::after(create);
    let made = move || create.value().get().and_then(Result::ok);
    view! {
        <Title text="API keys" />
        <h1>"API keys"</h1>
        <p class="lead">"Scripts and integrations sign in with a key. See the " <a href="/docs/api">"API reference"</a> "."</p>
        <section class="card">
            <Transition fallback=Loading>
                {move || keys.get().map(|r| r.map(|keys| view! { <KeyTable keys /> }))}
            </Transition>
        </section>
        <section class="card narrow-left">
            <h2>"New key"</h2>
            {move || made().map(|key| view! {
                <div class="notice" role="status">
                    <p>"Copy the key now: it is not shown again."</p>
                    <code class="secret" id="new-api-key">{key}</code>
                </div>
            })}
            <ActionForm action=create>
                <Field label="Name" name="name" required=true hint="What uses it, e.g. RMM sync" error=field_error(create, "name") />
                <div class="field">
                    <label for="field-user_id">"Acts as"</label>
                    <Transition fallback=Loading>
                        {move || users.get().map(|r| r.map(|users| view! {
                            <select id="field-user_id" name="user_id">
                                {users.into_iter().filter(|u| !u.disabled).map(|u| view! {
                                    <option value=u.id>{format!("{} ({})", u.name, u.email)}</option>
                                }).collect_view()}
                            </select>
                        }))}
                    </Transition>
                    <FormError error=field_error(create, "user_id") />
                </div>
                <Field label="Expires after (days)" name="expires_days" kind="number" hint="Empty: no end" error=field_error(create, "expires_days") />
                <FormError error=form_error(create) />
                <button type="submit">"Create key"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn KeyTable(keys: Vec<ApiKeyItem>) -> impl IntoView {
    if keys.is_empty() {
        return view! { <p class="muted">"No API keys yet."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <thead><tr>
                    <th>"Name"</th><th>"Acts as"</th><th>"Key"</th><th>"Created"</th><th>"Expires"</th><th>"Last used"</th><th></th>
                </tr></thead>
                <tbody>
                    {keys.into_iter().map(|k| view! {
                        <tr>
                            <td>{k.name.clone()}</td>
                            <td>{k.owner}</td>
                            <td><code>{format!("…{}", k.last_four)}</code></td>
                            <td><Time at=k.created_at /></td>
                            <td>{match k.expires_at {
                                Some(at) => view! { <Time at /> }.into_any(),
                                None => "never".into_any(),
                            }}</td>
                            <td>{match k.last_used_at {
                                Some(at) => view! { <Time at /> }.into_any(),
                                None => "never".into_any(),
                            }}</td>
                            <td>{if k.revoked {
                                "Revoked".into_any()
                            } else {
                                view! { <RevokeButton id=k.id name=k.name /> }.into_any()
                            }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn RevokeButton(id: i64, name: String) -> impl IntoView {
    let revoke = ServerAction::<RevokeApiKey>::new();
    Refresh::after(revoke);
    view! {
        <ActionForm action=revoke>
            <input type="hidden" name="id" value=id />
            <button type="submit" class="link-button" aria-label=format!("Revoke key {name}")>"Revoke"</button>
        </ActionForm>
    }
}
