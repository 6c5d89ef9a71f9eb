//! `/tickets/{id}`: the conversation with internal notes, a reply box, the ticket's status,
//! priority and assignee, and its history.

use super::parts::{Conversation, PriorityBadge, StatusBadge};
use crate::clients::pages::editors::Refresh;
use crate::components::form::{field_error, form_error, reset_after, FormError};
use crate::components::loading::Loading;
use crate::components::route::use_route_id;
use crate::components::time::Time;
use crate::tickets::api::{ticket_detail, ReplyTicket, TicketView, UpdateTicket};
use crate::tickets::model::{Priority, Status};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn TicketPage() -> impl IntoView {
    let id = use_route_id();
    let Refresh(refresh) = Refresh::provide();
    // The actions live here, outside the part that reloads, so their answers stay on screen
    // and a half-written reply survives a reload.
    let reply = ServerAction::<ReplyTicket>::new();
    let update = ServerAction::<UpdateTicket>::new();
    Refresh::after(reply);
    Refresh::after(update);
    let detail = Resource::new(move || (id(), refresh.get()), |(id, _)| ticket_detail(id));
    let reply_form = reset_after(reply);
    view! {
        <p><a href="/tickets">"← Tickets"</a></p>
        <Transition fallback=Loading>
            {move || detail.get().map(|r| r.map(|view| view! { <TicketView view update /> }))}
        </Transition>
        <section class="card">
            <h2>"Reply"</h2>
            <ActionForm action=reply node_ref=reply_form>
                <input type="hidden" name="id" value=id />
                <div class="field">
                    <label for="reply-body">"Message"</label>
                    <textarea id="reply-body" name="body" rows="5" required=true
                        aria-invalid=move || field_error(reply, "body").get().is_some().then_some("true")></textarea>
                    {move || field_error(reply, "body").get().map(|e| view! { <p class="field-error">{e}</p> })}
                </div>
                <label class="check">
                    <input type="checkbox" name="internal" value="on" />
                    " Internal note (the contact does not see it)"
                </label>
                <div class="field">
                    <label for="reply-status">"Then set status"</label>
                    <select id="reply-status" name="status">
                        <option value="">"Leave as it is"</option>
                        {Status::ALL.iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                    </select>
                </div>
                <FormError error=form_error(reply) />
                <button type="submit" disabled=move || reply.pending().get()>"Send reply"</button>
                {move || matches!(reply.value().get(), Some(Ok(()))).then(|| view! { <span class="saved" role="status">" Sent."</span> })}
            </ActionForm>
        </section>
    }
}

#[component]
fn TicketView(view: TicketView, update: ServerAction<UpdateTicket>) -> impl IntoView {
    let TicketView {
        record,
        technicians,
        can_write,
    } = view;
    let t = record.ticket;
    let item = t.item.clone();
    let opened_by = item.contact_name.clone().unwrap_or_else(|| "Docket".into());
    view! {
        <Title text=format!("#{} {}", item.number, item.subject) />
        <div class="page-head">
            <h1>{format!("#{} {}", item.number, item.subject)}</h1>
            <span><StatusBadge status=item.status />" "<PriorityBadge priority=item.priority /></span>
        </div>
        <div class="grid-2">
            <section class="card">
                <h2>"Conversation"</h2>
                <Conversation details=t.details_html.clone() opened_by opened_at=item.created_at.clone() replies=record.replies />
            </section>
            <section class="card">
                <h2>"Ticket"</h2>
                <dl class="facts">
                    <dt>"Client"</dt><dd><a href=format!("/clients/{}", item.client_id)>{item.client_name.clone()}</a></dd>
                    <dt>"Contact"</dt><dd>{item.contact_name.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>"Location"</dt><dd>{t.location_name.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>"Source"</dt><dd>{t.source.label()}</dd>
                    <dt>"Opened"</dt><dd><Time at=item.created_at.clone() /></dd>
                    <dt>"Updated"</dt><dd><Time at=item.updated_at.clone() /></dd>
                </dl>
                {can_write.then(|| view! {
                    <ActionForm action=update>
                        <input type="hidden" name="id" value=item.id />
                        <div class="field">
                            <label for="t-status">"Status"</label>
                            <select id="t-status" name="status">
                                {Status::ALL.iter().map(|s| view! { <option value=s.as_str() selected=*s == item.status>{s.label()}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="t-priority">"Priority"</label>
                            <select id="t-priority" name="priority">
                                {Priority::ALL.iter().map(|p| view! { <option value=p.as_str() selected=*p == item.priority>{p.label()}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="t-assignee">"Assignee"</label>
                            <select id="t-assignee" name="assignee">
                                <option value="">"Nobody"</option>
                                {technicians.into_iter().map(|(id, name)| view! {
                                    <option value=id selected=t.assignee_id == Some(id)>{name}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <FormError error=form_error(update) />
                        <button type="submit" class="secondary">"Save"</button>
                    </ActionForm>
                })}
                <h3>"History"</h3>
                <ul class="history">
                    {record.events.into_iter().map(|e| view! {
                        <li>{format!("{}: {} → {} by {} ", e.field, e.old_value, e.new_value, e.actor)}<Time at=e.created_at /></li>
                    }).collect_view()}
                </ul>
            </section>
        </div>
    }
}
