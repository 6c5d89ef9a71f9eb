//! The frame around every page: header with navigation, the page, a footer.

use super::errors::ErrorList;
use super::hydrated::Hydrated;
use crate::accounts::api::Logout;
use crate::accounts::model::{CurrentUser, Role};
use crate::app::use_current_user;
use crate::search::quick::{self, QuickSearch};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let me = use_current_user();
    // The portal has its own bar; a technician who opens it sees it as a contact would.
    let location = leptos_router::hooks::use_location();
    let portal = move || location.pathname.get().starts_with("/portal");
    // Ctrl+K (⌘K on a Mac) goes to the search box from anywhere.
    let _ = window_event_listener(leptos::ev::keydown, |ev| {
        if (ev.ctrl_key() || ev.meta_key())
            && ev.key().eq_ignore_ascii_case("k")
            && quick::focus_box()
        {
            ev.prevent_default();
        }
    });
    view! {
        <Hydrated>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="topbar">
                <a class="brand" href="/">"Docket"</a>
                <Transition>
                    {move || me.get().and_then(|r| r.ok().flatten()).filter(|_| !portal()).map(|user| view! { <Navigation user /> })}
                </Transition>
            </header>
            <main id="main" class="page">
                <ErrorBoundary fallback=|errors| view! { <ErrorList errors /> }>{children()}</ErrorBoundary>
            </main>
            <footer class="footer">"Docket · client hub for IT service providers"</footer>
        </Hydrated>
    }
}

#[component]
fn Navigation(user: CurrentUser) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let admin = user.role == Role::Admin;
    view! {
        <QuickSearch />
        <nav aria-label="Main">
            <ul class="nav">
                <li><A href="/" exact=true>"Home"</A></li>
                <li><A href="/clients">"Clients"</A></li>
                <li><A href="/contacts">"Contacts"</A></li>
                <li><A href="/tickets">"Tickets"</A></li>
                {admin.then(|| view! {
                    <li><A href="/admin/users">"Users"</A></li>
                    <li><A href="/admin/tags">"Tags"</A></li>
                    <li><A href="/admin/api-keys">"API keys"</A></li>
                    <li><A href="/admin/audit">"Audit log"</A></li>
                    <li><A href="/admin/security">"Security"</A></li>
                })}
            </ul>
        </nav>
        <div class="session">
            <A href="/account">{user.name}</A>
            <ActionForm action=logout>
                <button type="submit" class="link-button">"Sign out"</button>
            </ActionForm>
        </div>
    }
}
