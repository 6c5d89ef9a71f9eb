//! Pieces of ticket pages shared by technicians and the portal.

use crate::components::time::Time;
use crate::tickets::model::{Priority, Reply, Status, TicketItem};
use crate::tickets::rich::SafeHtml;
use leptos::prelude::*;

#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    view! { <span class=format!("badge status-{}", status.as_str())>{status.label()}</span> }
}

#[component]
pub fn PriorityBadge(priority: Priority) -> impl IntoView {
    view! { <span class=format!("badge priority-{}", priority.as_str())>{priority.label()}</span> }
}

/// The ticket's details and replies, oldest first, as the server made them safe to show.
#[component]
pub fn Conversation(
    details: SafeHtml,
    opened_by: String,
    opened_at: String,
    replies: Vec<Reply>,
) -> impl IntoView {
    view! {
        <ol class="conversation" aria-label="Conversation">
            <li class="message from-contact">
                <p class="message-head"><strong>{opened_by}</strong>" · "<Time at=opened_at /></p>
                <div class="message-body" inner_html=details.as_str().to_owned()></div>
            </li>
            {replies.into_iter().map(|r| view! {
                <li class="message" class:from-contact=r.by_contact class:internal=r.internal>
                    <p class="message-head">
                        <strong>{r.author}</strong>
                        {r.internal.then(|| view! { " " <span class="badge muted">"Internal note"</span> })}
                        " · " <Time at=r.created_at />
                    </p>
                    <div class="message-body" inner_html=r.body_html.as_str().to_owned()></div>
                </li>
            }).collect_view()}
        </ol>
    }
}

/// A row of a ticket table; `href` makes the link (technician or portal page).
#[component]
pub fn TicketRow(t: TicketItem, href: String, #[prop(optional)] staff: bool) -> impl IntoView {
    view! {
        <tr>
            <td>{format!("#{}", t.number)}</td>
            <td><a href=href>{t.subject}</a></td>
            <td><StatusBadge status=t.status /></td>
            <td><PriorityBadge priority=t.priority /></td>
            {staff.then(|| view! {
                <td><a href=format!("/clients/{}", t.client_id)>{t.client_name.clone()}</a></td>
                <td>{t.contact_name.clone().unwrap_or_default()}</td>
                <td>{t.assignee_name.clone().unwrap_or_else(|| "—".into())}</td>
            })}
            <td><Time at=t.updated_at /></td>
        </tr>
    }
}
