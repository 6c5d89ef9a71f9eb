//! The portal's pages, built for a phone first: one column, large targets, and every form
//! works without JavaScript.

pub mod access;
pub mod profile;
pub mod tickets;

use crate::error::AppError;
use crate::portal::api::{portal_me, ContactProfile, PortalLogout};
use leptos::prelude::*;

pub type ProfileResource = Resource<Result<Option<ContactProfile>, AppError>>;

/// The signed-in contact, loaded once per page.
pub fn provide_me() -> ProfileResource {
    let me = Resource::new(|| (), |_| portal_me());
    provide_context(me);
    me
}

/// The portal's own bar: whose support this is, and where a contact can go.
#[component]
pub fn PortalNav() -> impl IntoView {
    let me = expect_context::<ProfileResource>();
    let logout = ServerAction::<PortalLogout>::new();
    view! {
        <nav class="portal-nav" aria-label="Portal">
            <Transition>
                {move || me.get().and_then(|r| r.ok().flatten()).map(|me| view! {
                    <p class="muted">{format!("{} · {}", me.name, me.client_name)}</p>
                })}
            </Transition>
            <ul class="nav">
                <li><a href="/portal/tickets">"My tickets"</a></li>
                <li><a href="/portal/tickets/new">"New ticket"</a></li>
                <li><a href="/portal/profile">"Profile"</a></li>
                <li>
                    <ActionForm action=logout>
                        <button type="submit" class="link-button">"Sign out"</button>
                    </ActionForm>
                </li>
            </ul>
        </nav>
    }
}
