//! `/tickets`: every ticket the technician may see, filtered, searched, sorted and paged, with
//! the state in the URL.

use super::parts::TicketRow;
use crate::components::form::FilterForm;
use crate::components::loading::Loading;
use crate::components::pager::Pager;
use crate::tickets::api::{list_tickets, TicketList};
use crate::tickets::model::{Priority, Status, TicketFilter};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const FIELDS: [&str; 7] = [
    "q", "show", "status", "priority", "client", "assignee", "sort",
];

#[component]
pub fn TicketsPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        TicketFilter {
            q: get("q"),
            show: get("show"),
            status: get("status"),
            priority: get("priority"),
            client: get("client"),
            assignee: get("assignee"),
            sort: get("sort"),
            page: get("page").parse().unwrap_or(1),
        }
    });
    let list = Resource::new(move || filter.get(), list_tickets);
    view! {
        <Title text="Tickets" />
        <div class="page-head">
            <h1>"Tickets"</h1>
            <a class="button" href="/tickets/new">"New ticket"</a>
        </div>
        <Transition fallback=Loading>
            {move || list.get().map(|r| r.map(|list| view! { <TicketListView list filter=filter.get_untracked() /> }))}
        </Transition>
    }
}

/// The query string of `f` at `page`.
fn link(f: &TicketFilter, page: i64) -> String {
    let values = [
        &f.q,
        &f.show,
        &f.status,
        &f.priority,
        &f.client,
        &f.assignee,
        &f.sort,
    ];
    let mut parts: Vec<String> = FIELDS
        .iter()
        .zip(values)
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", crate::url::encode(v)))
        .collect();
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    format!("/tickets?{}", parts.join("&"))
}

#[component]
fn TicketListView(list: TicketList, filter: TicketFilter) -> impl IntoView {
    let TicketList {
        page, technicians, ..
    } = list;
    let f = filter.clone();
    let option = move |value: &str, label: &str, current: &str| {
        view! { <option value=value.to_string() selected=value == current>{label.to_string()}</option> }
    };
    let fields = view! {
        <div class="field grow">
            <label for="t-q">"Search"</label>
            <input id="t-q" name="q" type="search" value=f.q.clone() placeholder="Subject or #number" />
        </div>
        <div class="field">
            <label for="t-show">"Show"</label>
            <select id="t-show" name="show">
                {option("open", "Open", &f.show)}
                {option("closed", "Resolved and closed", &f.show)}
                {option("all", "All", &f.show)}
            </select>
        </div>
        <div class="field">
            <label for="t-status">"Status"</label>
            <select id="t-status" name="status">
                {option("", "Any", &f.status)}
                {Status::ALL.iter().map(|s| option(s.as_str(), s.label(), &f.status)).collect_view()}
            </select>
        </div>
        <div class="field">
            <label for="t-priority">"Priority"</label>
            <select id="t-priority" name="priority">
                {option("", "Any", &f.priority)}
                {Priority::ALL.iter().map(|p| option(p.as_str(), p.label(), &f.priority)).collect_view()}
            </select>
        </div>
        <div class="field">
            <label for="t-assignee">"Assignee"</label>
            <select id="t-assignee" name="assignee">
                {option("", "Anyone", &f.assignee)}
                {option("me", "Me", &f.assignee)}
                {option("none", "Nobody", &f.assignee)}
                {technicians.iter().map(|(id, name)| option(&id.to_string(), name, &f.assignee)).collect_view()}
            </select>
        </div>
        <div class="field">
            <label for="t-sort">"Sort"</label>
            <select id="t-sort" name="sort">
                {option("updated", "Recently updated", &f.sort)}
                {option("created", "Newest", &f.sort)}
                {option("number", "Number", &f.sort)}
                {option("priority", "Priority", &f.sort)}
            </select>
        </div>
        <input type="hidden" name="client" value=f.client.clone() />
        <button type="submit">"Apply"</button>
    };
    view! {
        <FilterForm action="/tickets">{fields}</FilterForm>
        <section class="card">
            <p class="muted" role="status">{format!("{} tickets", page.total_text())}</p>
            <TicketTable rows=page.rows.clone() />
            <Pager page=page.page pages=page.pages() link=move |p| link(&filter, p) />
        </section>
    }
}

/// A technician's table of tickets (also on the client page).
#[component]
pub fn TicketTable(rows: Vec<crate::tickets::model::TicketItem>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">"No tickets match."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <thead><tr>
                    <th>"#"</th><th>"Subject"</th><th>"Status"</th><th>"Priority"</th>
                    <th>"Client"</th><th>"Contact"</th><th>"Assignee"</th><th>"Updated"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|t| {
                        let href = format!("/tickets/{}", t.id);
                        view! { <TicketRow t href staff=true /> }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
