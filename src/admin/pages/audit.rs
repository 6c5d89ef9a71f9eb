//! The audit log with filters (user, client, action, dates, text) and paging, all in the URL.

use crate::admin::users::list_users;
use crate::audit::api::list_audit;
use crate::audit::model::{AuditFilter, AuditPage};
use crate::components::form::FilterForm;
use crate::components::loading::Loading;
use crate::components::pager::Pager;
use crate::components::time::Time;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        let text = |k: &str| q.get(k).filter(|v| !v.trim().is_empty());
        let num = |k: &str| text(k).and_then(|v| v.trim().parse().ok());
        AuditFilter {
            user_id: num("user"),
            client_id: num("client"),
            action: text("action"),
            from: text("from"),
            to: text("to"),
            text: text("q"),
            page: num("page"),
            page_size: num("size"),
        }
    });
    let page = Resource::new(move || filter.get(), list_audit);
    let users = Resource::new(|| (), |_| list_users());
    let value = move |v: Option<String>| v.unwrap_or_default();
    let fields = view! {
        <div class="field">
            <label for="f-user">"User"</label>
            <select id="f-user" name="user">
                <option value="">"Anyone"</option>
                <Transition>
                    {move || users.get().and_then(Result::ok).map(|users| users.into_iter().map(|u| {
                        let selected = filter.get_untracked().user_id == Some(u.id);
                        view! { <option value=u.id selected=selected>{u.name}</option> }
                    }).collect_view())}
                </Transition>
            </select>
        </div>
        <div class="field">
            <label for="f-client">"Client id"</label>
            <input id="f-client" name="client" inputmode="numeric" value=move || filter.get().client_id.map(|c| c.to_string()) />
        </div>
        <div class="field">
            <label for="f-action">"Action"</label>
            <input id="f-action" name="action" placeholder="login.failed" value=move || value(filter.get().action) />
        </div>
        <div class="field">
            <label for="f-from">"From"</label>
            <input id="f-from" name="from" type="date" value=move || value(filter.get().from) />
        </div>
        <div class="field">
            <label for="f-to">"To"</label>
            <input id="f-to" name="to" type="date" value=move || value(filter.get().to) />
        </div>
        <div class="field">
            <label for="f-q">"Text"</label>
            <input id="f-q" name="q" type="search" value=move || value(filter.get().text) />
        </div>
        <button type="submit">"Filter"</button>
    };
    view! {
        <Title text="Audit log" />
        <h1>"Audit log"</h1>
        <FilterForm action="/admin/audit">{fields}</FilterForm>
        <Transition fallback=Loading>
            {move || page.get().map(|r| r.map(|page| view! { <AuditTable page filter=filter.get() /> }))}
        </Transition>
    }
}

#[component]
fn AuditTable(page: AuditPage, filter: AuditFilter) -> impl IntoView {
    let pages = page.pages();
    let link = move |to: i64| {
        let mut params = vec![format!("page={to}")];
        let mut add = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                params.push(format!("{k}={}", crate::url::encode(&v)));
            }
        };
        add("user", filter.user_id.map(|v| v.to_string()));
        add("client", filter.client_id.map(|v| v.to_string()));
        add("action", filter.action.clone());
        add("from", filter.from.clone());
        add("to", filter.to.clone());
        add("q", filter.text.clone());
        format!("/admin/audit?{}", params.join("&"))
    };
    view! {
        <section class="card">
            <p class="muted" data-testid="audit-total">{format!("{} entries", page.total)}</p>
            <div class="table-wrap">
                <table>
                    <thead><tr>
                        <th>"When"</th><th>"Who"</th><th>"Action"</th><th>"Record"</th><th>"Changes"</th><th>"From"</th>
                    </tr></thead>
                    <tbody>
                        {page.rows.into_iter().map(|row| view! {
                            <tr>
                                <td><Time at=row.at /></td>
                                <td>{row.actor}</td>
                                <td><code>{row.action}</code></td>
                                <td>{row.record}</td>
                                <td>
                                    <ul class="changes">
                                        {row.changes.into_iter().map(|c| view! {
                                            <li>{c.field} ": " {c.old.unwrap_or_default()} " → " {c.new.unwrap_or_default()}</li>
                                        }).collect_view()}
                                    </ul>
                                </td>
                                <td>{row.source} " " {row.ip} <br /> <small class="muted">{row.user_agent}</small></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <Pager page=page.page pages link />
        </section>
    }
}
