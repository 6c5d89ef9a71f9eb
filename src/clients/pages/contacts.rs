//! `/contacts`: every contact across the clients the technician may see, searchable and
//! filterable; a contact opens in its client's contact editor.

use super::picker::ClientPicker;
use crate::clients::api::{list_contacts, ContactList};
use crate::clients::model::{Archived, ContactFilter, CONTACT_FLAGS, PAGE_SIZES};
use crate::components::form::FilterForm;
use crate::components::loading::Loading;
use crate::components::pager::Pager;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ContactsPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        ContactFilter::from_query(|k| q.get(k))
    });
    let list = Resource::new(move || filter.get(), list_contacts);
    view! {
        <Title text="Contacts" />
        <h1>"Contacts"</h1>
        <Transition fallback=Loading>
            {move || list.get().map(|r| r.map(|list| view! { <ContactListView list filter=filter.get_untracked() /> }))}
        </Transition>
    }
}

#[component]
fn ContactListView(list: ContactList, filter: ContactFilter) -> impl IntoView {
    let ContactList { page, tags, client } = list;
    let pages = page.pages();
    let link = {
        let filter = filter.clone();
        move |to: i64| format!("/contacts{}", filter.to_query(Some(to)))
    };
    let fields = view! {
        <div class="field grow">
            <label for="f-q">"Search"</label>
            <input id="f-q" name="q" type="search" value=filter.q.clone().unwrap_or_default()
                placeholder="Name, email, phone, client…" />
        </div>
        <div class="field">
            <label for="f-flag">"Flag"</label>
            <select id="f-flag" name="flag">
                <option value="">"Any"</option>
                {CONTACT_FLAGS.into_iter().map(|(v, l)| view! {
                    <option value=v selected=filter.flag.as_deref() == Some(v)>{l}</option>
                }).collect_view()}
            </select>
        </div>
        <ClientPicker label="Client" name="client" chosen=client />
        <div class="field">
            <label for="f-tag">"Tag"</label>
            <select id="f-tag" name="tag">
                <option value="">"Any"</option>
                {tags.into_iter().filter(|t| t.kind == "contact").map(|t| view! {
                    <option value=t.id selected=filter.tag == Some(t.id)>{t.name}</option>
                }).collect_view()}
            </select>
        </div>
        <div class="field">
            <label for="f-archived">"Archived"</label>
            <select id="f-archived" name="archived">
                <option value="">"Hide"</option>
                <option value="include" selected=filter.archived == Archived::Include>"Include"</option>
                <option value="only" selected=filter.archived == Archived::Only>"Only archived"</option>
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
        <FilterForm action="/contacts">{fields}</FilterForm>
        <section class="card">
            <p class="muted" data-testid="contact-total">{format!("{} contacts", page.total_text())}</p>
            <div class="table-wrap">
                <table>
                    <thead><tr><th>"Name"</th><th>"Client"</th><th>"Email"</th><th>"Phone"</th><th>"Tags"</th></tr></thead>
                    <tbody>
                        {page.rows.into_iter().map(|k| {
                            let archived = k.archived();
                            let f = k.fields;
                            view! {
                                <tr class:archived=archived>
                                    <td>
                                        <a href=format!("/clients/{}?tab=contacts&contact={}", k.client_id, k.id)>{f.name.clone()}</a>
                                        <br /><small class="muted">{f.title.clone()}</small>
                                    </td>
                                    <td><a href=format!("/clients/{}", k.client_id)>{k.client_name}</a></td>
                                    <td>{f.email.clone()}</td>
                                    <td>{f.phone.clone()} " " {f.mobile.clone()}</td>
                                    <td>{super::editors::tag_chips(k.tags)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <Pager page=page.page pages link />
        </section>
    }
}
