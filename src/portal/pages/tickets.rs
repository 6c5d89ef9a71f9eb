//! The contact's tickets: the list, a new ticket, and one ticket's conversation, which
//! follows a technician's replies without a reload.

use super::{provide_me, PortalNav};
use crate::clients::pages::editors::Refresh;
use crate::components::form::{field_error, form_error, reset_after, Field, FormError};
use crate::components::loading::Loading;
use crate::components::pager::Pager;
use crate::components::route::use_route_id;
use crate::portal::api::{
    portal_ticket, portal_tickets, ContactTicket, PortalNewTicket, PortalReply, PortalSetStatus,
};
use crate::tickets::model::{Priority, Show, Status};
use crate::tickets::pages::parts::{Conversation, PriorityBadge, StatusBadge, TicketRow};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// How often an open ticket asks for new replies.
const POLL_MS: u64 = 5_000;

#[component]
pub fn PortalTicketsPage() -> impl IntoView {
    provide_me();
    let query = use_query_map();
    let show = Memo::new(move |_| Show::parse(&query.read().get("show").unwrap_or_default()));
    let page = Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1)
    });
    let list = Resource::new(
        move || (show.get(), page.get()),
        |(show, page)| portal_tickets(show.as_str().into(), page),
    );
    let tab = move |s: Show, label: &'static str| {
        view! {
            <a href=format!("/portal/tickets?show={}", s.as_str()) aria-current=move || (show.get() == s).then_some("page")>{label}</a>
        }
    };
    view! {
        <Title text="My tickets" />
        <PortalNav />
        <div class="page-head">
            <h1>"My tickets"</h1>
            <a class="button" href="/portal/tickets/new">"New ticket"</a>
        </div>
        <nav class="tabs" aria-label="Which tickets">
            {tab(Show::Open, "Open")}
            {tab(Show::Closed, "Closed")}
            {tab(Show::All, "All")}
        </nav>
        <Transition fallback=Loading>
            {move || list.get().map(|r| r.map(|page| {
                let show = show.get_untracked();
                view! {
                    <section class="card">
                        {if page.rows.is_empty() {
                            view! { <p class="muted">"No tickets here."</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap">
                                    <table class="portal-tickets">
                                        <thead><tr><th>"#"</th><th>"Subject"</th><th>"Status"</th><th>"Priority"</th><th>"Updated"</th></tr></thead>
                                        <tbody>
                                            {page.rows.iter().cloned().map(|t| {
                                                let href = format!("/portal/tickets/{}", t.id);
                                                view! { <TicketRow t href /> }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                        <Pager page=page.page pages=page.pages()
                            link=move |p| format!("/portal/tickets?show={}&page={p}", show.as_str()) />
                    </section>
                }
            }))}
        </Transition>
    }
}

#[component]
pub fn PortalNewTicketPage() -> impl IntoView {
    provide_me();
    let create = ServerAction::<PortalNewTicket>::new();
    view! {
        <Title text="New ticket" />
        <PortalNav />
        <section class="card narrow-left">
            <h1>"New ticket"</h1>
            <ActionForm action=create>
                <Field label="Subject" name="subject" required=true error=field_error(create, "subject")
                    hint="In a few words: what is wrong?" />
                <div class="field">
                    <label for="field-details">"Details"</label>
                    <textarea id="field-details" name="details" rows="6"></textarea>
                    {move || field_error(create, "details").get().map(|e| view! { <p class="field-error">{e}</p> })}
                </div>
                <div class="field">
                    <label for="field-priority">"Priority"</label>
                    <select id="field-priority" name="priority">
                        {[Priority::Low, Priority::Medium, Priority::High].into_iter().map(|p| view! {
                            <option value=p.as_str() selected=p == Priority::Medium>{p.label()}</option>
                        }).collect_view()}
                    </select>
                    {move || field_error(create, "priority").get().map(|e| view! { <p class="field-error">{e}</p> })}
                </div>
                <FormError error=form_error(create) />
                <button type="submit" disabled=move || create.pending().get()>"Open ticket"</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn PortalTicketPage() -> impl IntoView {
    provide_me();
    let id = use_route_id();
    let Refresh(refresh) = Refresh::provide();
    let reply = ServerAction::<PortalReply>::new();
    let status = ServerAction::<PortalSetStatus>::new();
    Refresh::after(reply);
    Refresh::after(status);
    let reply_form = reset_after(reply);
    // New replies appear on their own: the page asks again every few seconds (in the browser;
    // without JavaScript a reload shows them).
    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || refresh.update(|n| *n += 1),
            std::time::Duration::from_millis(POLL_MS),
        );
        on_cleanup(move || {
            if let Ok(h) = handle {
                h.clear();
            }
        });
    });
    let ticket = Resource::new(move || (id(), refresh.get()), |(id, _)| portal_ticket(id));
    view! {
        <PortalNav />
        <p><a href="/portal/tickets">"← My tickets"</a></p>
        <Transition fallback=Loading>
            {move || ticket.get().map(|r| r.map(|t| view! { <TicketView t status /> }))}
        </Transition>
        <section class="card">
            <h2>"Reply"</h2>
            <ActionForm action=reply node_ref=reply_form>
                <input type="hidden" name="id" value=id />
                <div class="field">
                    <label for="reply-body">"Message"</label>
                    <textarea id="reply-body" name="body" rows="4" required=true></textarea>
                    {move || field_error(reply, "body").get().map(|e| view! { <p class="field-error">{e}</p> })}
                </div>
                <FormError error=form_error(reply) />
                <button type="submit" disabled=move || reply.pending().get()>"Send reply"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn TicketView(t: ContactTicket, status: ServerAction<PortalSetStatus>) -> impl IntoView {
    let ContactTicket { ticket, replies } = t;
    let item = ticket.item;
    let id = item.id;
    let button = move |action: &'static str, label: &'static str| {
        view! {
            <ActionForm action=status>
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="action" value=action />
                <button type="submit" class="secondary">{label}</button>
            </ActionForm>
        }
    };
    let opened_by = item.contact_name.clone().unwrap_or_else(|| "You".into());
    view! {
        <Title text=format!("#{} {}", item.number, item.subject) />
        <h1>{format!("#{} {}", item.number, item.subject)}</h1>
        <p class="ticket-state">
            <StatusBadge status=item.status />" "<PriorityBadge priority=item.priority />
        </p>
        <div class="actions">
            {item.status.is_open().then(|| button("resolve", "Mark resolved"))}
            {(!item.status.is_open()).then(|| button("reopen", "Reopen"))}
            {(item.status != Status::Closed).then(|| button("close", "Close"))}
        </div>
        <FormError error=form_error(status) />
        <section class="card">
            <Conversation details=ticket.details_html opened_by opened_at=item.created_at replies />
        </section>
    }
}
