//! `/clients`: search, filters, sort and paging, all in the URL; bulk actions on selected rows.

use super::editors::{tag_chips, Refresh};
use crate::clients::api::{list_clients, BulkClients, ClientList};
use crate::clients::model::{ClientFilter, ClientSort, ListPage, BULK_ACTIONS, PAGE_SIZES};
use crate::components::form::{field_error, form_error, FilterForm, FormError};
use crate::components::loading::Loading;
use crate::components::pager::Pager;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ClientsPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        ClientFilter::from_query(|k| q.get(k))
    });
    let Refresh(refresh) = Refresh::provide();
    let list = Resource::new(
        move || (filter.get(), refresh.get()),
        |(f, _)| list_clients(f),
    );
    view! {
        <Title text="Clients" />
        <div class="page-head">
            <h1>"Clients"</h1>
            <span>
                <a class="button secondary" href="/clients/import">"Import"</a>
                " "
                <a class="button" href="/clients/new">"New client"</a>
            </span>
        </div>
        <Transition fallback=Loading>
            {move || list.get().map(|r| r.map(|list| view! { <ClientListView list filter=filter.get_untracked() /> }))}
        </Transition>
    }
}

#[component]
fn ClientListView(list: ClientList, filter: ClientFilter) -> impl IntoView {
    let ClientList {
        page,
        tags,
        industries,
        referrals,
        can_write,
    } = list;
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    let export = format!("/clients/export.csv{}", filter.to_query(None));
    let client_tags: Vec<_> = tags.into_iter().filter(|t| t.kind == "client").collect();
    let fields = view! {
        <div class="field grow">
            <label for="f-q">"Search"</label>
            <input id="f-q" name="q" type="search" value=value(&filter.q)
                placeholder="Name, domain, contact, phone, city…" />
        </div>
        <div class="field">
            <label for="f-tag">"Tag"</label>
            <select id="f-tag" name="tag">
                <option value="">"Any"</option>
                {client_tags.iter().map(|t| view! {
                    <option value=t.id selected=filter.tag == Some(t.id)>{t.name.clone()}</option>
                }).collect_view()}
            </select>
        </div>
        <ValueSelect label="Industry" name="industry" values=industries current=filter.industry.clone() />
        <ValueSelect label="Referral" name="referral" values=referrals current=filter.referral.clone() />
        <div class="field">
            <label for="f-kind">"Stage"</label>
            <select id="f-kind" name="kind">
                <option value="">"All"</option>
                <option value="customer" selected=filter.lead == Some(false)>"Customers"</option>
                <option value="lead" selected=filter.lead == Some(true)>"Leads"</option>
            </select>
        </div>
        <div class="field">
            <label for="f-archived">"Archived"</label>
            <select id="f-archived" name="archived">
                <option value="">"Hide"</option>
                <option value="include" selected=filter.archived == crate::clients::model::Archived::Include>"Include"</option>
                <option value="only" selected=filter.archived == crate::clients::model::Archived::Only>"Only archived"</option>
            </select>
        </div>
        <div class="field">
            <label for="f-from">"Created from"</label>
            <input id="f-from" name="from" type="date" value=value(&filter.from) />
        </div>
        <div class="field">
            <label for="f-to">"Created to"</label>
            <input id="f-to" name="to" type="date" value=value(&filter.to) />
        </div>
        <div class="field">
            <label for="f-sort">"Sort"</label>
            <select id="f-sort" name="sort">
                {ClientSort::ALL.into_iter().map(|(s, key, label)| view! {
                    <option value=key selected=filter.sort == s>{label}</option>
                }).collect_view()}
            </select>
        </div>
        <div class="field">
            <label for="f-size">"Per page"</label>
            <select id="f-size" name="size">
                {PAGE_SIZES.into_iter().map(|n| view! { <option value=n selected=filter.size == n>{n}</option> }).collect_view()}
            </select>
        </div>
        <button type="submit">"Apply"</button>
    };
    view! {
        <FilterForm action="/clients">{fields}</FilterForm>
        <ClientTable page filter can_write export client_tags />
    }
}

#[component]
fn ValueSelect(
    label: &'static str,
    name: &'static str,
    values: Vec<String>,
    current: Option<String>,
) -> impl IntoView {
    let id = format!("f-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                <option value="">"Any"</option>
                {values.into_iter().map(|v| {
                    let selected = current.as_deref() == Some(v.as_str());
                    view! { <option value=v.clone() selected=selected>{v.clone()}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn ClientTable(
    page: ListPage<crate::clients::model::ClientRow>,
    filter: ClientFilter,
    can_write: bool,
    export: String,
    client_tags: Vec<crate::clients::model::Tag>,
) -> impl IntoView {
    let bulk = ServerAction::<BulkClients>::new();
    Refresh::after(bulk);
    let selected = RwSignal::new(Vec::<i64>::new());
    let all_ids: Vec<i64> = page.rows.iter().map(|r| r.id).collect();
    let pages = page.pages();
    let link = {
        let filter = filter.clone();
        move |to: i64| format!("/clients{}", filter.to_query(Some(to)))
    };
    let export_selected = move || {
        let ids = selected.get();
        format!(
            "/clients/export.csv?ids={}",
            ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        )
    };
    let (total, empty) = (page.total_text(), page.total == 0);
    view! {
        <section class="card">
            <div class="list-head">
                <p class="muted" data-testid="client-total">{format!("{total} clients")}</p>
                <a href=export.clone() download="clients.csv">"Export this view (CSV)"</a>
            </div>
            <ActionForm action=bulk>
                <div class="table-wrap">
                    <table class="list">
                        <thead><tr>
                            {can_write.then(|| {
                                let all = all_ids.clone();
                                view! {
                                    <th class="select">
                                        <input type="checkbox" aria-label="Select all"
                                            prop:checked=move || !all.is_empty() && selected.with(|s| s.len() == all.len())
                                            on:change={
                                                let all = all_ids.clone();
                                                move |ev| selected.set(if event_target_checked(&ev) { all.clone() } else { Vec::new() })
                                            } />
                                    </th>
                                }
                            })}
                            <th>"Name"</th><th>"Primary contact"</th><th>"City"</th><th>"Tags"</th>
                            <th class="num">"Contacts"</th><th class="num">"Locations"</th>
                        </tr></thead>
                        <tbody>
                            {page.rows.into_iter().enumerate().map(|(i, row)| {
                                let id = row.id;
                                view! {
                                    <tr class:archived=row.archived>
                                        {can_write.then(|| view! {
                                            <td class="select">
                                                <input type="checkbox" name=format!("ids[{i}]") value=id
                                                    aria-label=format!("Select {}", row.name)
                                                    prop:checked=move || selected.with(|s| s.contains(&id))
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        selected.update(|s| {
                                                            s.retain(|x| *x != id);
                                                            if on { s.push(id) }
                                                        });
                                                    } />
                                            </td>
                                        })}
                                        <td>
                                            <a href=format!("/clients/{id}")>{row.name.clone()}</a>
                                            {row.lead.then(|| view! { " " <span class="badge">"Lead"</span> })}
                                            {row.archived.then(|| view! { " " <span class="badge muted">"Archived"</span> })}
                                            <br /><small class="muted">{row.industry.clone()}</small>
                                        </td>
                                        <td>{row.primary_contact.clone()}</td>
                                        <td>{row.city.clone()}</td>
                                        <td>{tag_chips(client_tags.iter().filter(|t| row.tag_ids.contains(&t.id)).cloned().collect())}</td>
                                        <td class="num">{row.contacts}</td>
                                        <td class="num">{row.locations}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                {empty.then(|| view! { <p class="muted">"No clients match."</p> })}
                {can_write.then(|| view! {
                    <div class="bulk">
                        <div class="field">
                            <label for="bulk-action">"With selected"</label>
                            <select id="bulk-action" name="action">
                                {BULK_ACTIONS.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="bulk-value">"Value"</label>
                            <input id="bulk-value" name="value" list="bulk-tags" placeholder="Tag, industry, rate…" />
                            <datalist id="bulk-tags">
                                {client_tags.into_iter().map(|t| view! { <option value=t.name></option> }).collect_view()}
                            </datalist>
                            {move || field_error(bulk, "value").get().map(|e| view! { <p class="field-error">{e}</p> })}
                            {move || field_error(bulk, "ids").get().map(|e| view! { <p class="field-error">{e}</p> })}
                        </div>
                        <button type="submit">"Apply"</button>
                        <a class="button secondary" href=export_selected download="clients.csv"
                            class:hidden=move || selected.with(Vec::is_empty)>"Export selected"</a>
                    </div>
                    <FormError error=form_error(bulk) />
                    {move || bulk.value().get().and_then(Result::ok).map(|n| view! {
                        <p class="notice" role="status">{format!("Updated {n} clients.")}</p>
                    })}
                })}
            </ActionForm>
            <Pager page=page.page pages link />
        </section>
    }
}
