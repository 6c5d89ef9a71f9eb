//! `/docs/api`: the REST API's reference, read from its OpenAPI document on the server and
//! rendered here, with nothing loaded from elsewhere.

use crate::components::loading::Loading;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// The OpenAPI document, as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    pub operations: Vec<Operation>,
    pub schemas: Vec<Schema>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    pub method: String,
    pub path: String,
    pub summary: String,
    pub parameters: Vec<Property>,
    /// The schema of the request body.
    pub body: Option<String>,
    /// Status, what it means, and the schema of the answer.
    pub responses: Vec<(String, String, Option<String>)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    pub name: String,
    pub properties: Vec<Property>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Property {
    pub name: String,
    /// Where a parameter goes (path, query); empty for a schema's property.
    pub place: String,
    pub kind: String,
    /// The schema `kind` names, when it names one.
    pub link: Option<String>,
    pub required: bool,
    pub description: String,
}

#[server(prefix = "/rpc", endpoint = "api_reference")]
pub async fn api_reference() -> Result<Reference, AppError> {
    crate::server::auth::guard::require_user()?;
    Ok(crate::server::api::reference())
}

#[component]
pub fn ApiDocsPage() -> impl IntoView {
    let reference = Resource::new(|| (), |_| api_reference());
    view! {
        <Title text="API reference" />
        <h1>"API reference"</h1>
        <p class="lead">
            "The REST API for integrations. Send an API key as " <code>"Authorization: Bearer KEY"</code>
            "; the key acts as its technician. Tools can read the same description at "
            <a href="/api/openapi.json">"/api/openapi.json"</a> "."
        </p>
        <Transition fallback=Loading>
            {move || reference.get().map(|r| r.map(|r| view! { <ReferenceView reference=r /> }))}
        </Transition>
    }
}

#[component]
fn ReferenceView(reference: Reference) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="operations">
            <h2 id="operations">"Operations"</h2>
            {reference.operations.into_iter().map(|op| view! { <OperationView op /> }).collect_view()}
        </section>
        <section class="card" aria-labelledby="schemas">
            <h2 id="schemas">"Schemas"</h2>
            {reference.schemas.into_iter().map(|s| view! {
                <h3 id=format!("schema-{}", s.name)>{s.name.clone()}</h3>
                <PropertyTable properties=s.properties place=false />
            }).collect_view()}
        </section>
    }
}

#[component]
fn OperationView(op: Operation) -> impl IntoView {
    view! {
        <article class="operation">
            <h3>
                <span class="badge">{op.method.to_uppercase()}</span> " " <code>{op.path.clone()}</code>
            </h3>
            <p>{op.summary.clone()}</p>
            {(!op.parameters.is_empty()).then(|| view! { <PropertyTable properties=op.parameters place=true /> })}
            {op.body.map(|b| view! { <p>"Body: " <SchemaLink name=b /></p> })}
            <ul class="responses">
                {op.responses.into_iter().map(|(status, meaning, schema)| view! {
                    <li>
                        <code>{status}</code> " " {meaning}
                        {schema.map(|s| view! { ": " <SchemaLink name=s /> })}
                    </li>
                }).collect_view()}
            </ul>
        </article>
    }
}

#[component]
fn PropertyTable(properties: Vec<Property>, place: bool) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table>
                <thead><tr>
                    <th>"Name"</th>
                    {place.then(|| view! { <th>"In"</th> })}
                    <th>"Type"</th><th>"Required"</th><th>"Meaning"</th>
                </tr></thead>
                <tbody>
                    {properties.into_iter().map(|p| view! {
                        <tr>
                            <td><code>{p.name}</code></td>
                            {place.then(|| view! { <td>{p.place.clone()}</td> })}
                            <td>{match p.link {
                                Some(name) => view! { <SchemaLink name /> }.into_any(),
                                None => p.kind.into_any(),
                            }}</td>
                            <td>{if p.required { "yes" } else { "" }}</td>
                            <td>{p.description}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn SchemaLink(name: String) -> impl IntoView {
    view! { <a href=format!("#schema-{name}")>{name.clone()}</a> }
}
