//! The frame around every page: header with navigation, the page, a footer.

use super::errors::ErrorList;
use super::hydrated::Hydrated;
use crate::accounts::api::Logout;
use crate::accounts::model::{CurrentUser, Role};
use crate::app::use_current_user;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let me = use_current_user();
    view! {
        <Hydrated>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="topbar">
                <a class="brand" href="/">"Docket"</a>
                <Transition>
                    {move || me.get().and_then(|r| r.ok().flatten()).map(|user| view! { <Navigation user /> })}
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
        <nav aria-label="Main">
            <ul class="nav">
                <li><A href="/" exact=true>"Home"</A></li>
                <li><A href="/clients">"Clients"</A></li>
                <li><A href="/contacts">"Contacts"</A></li>
                {admin.then(|| view! {
                    <li><A href="/admin/users">"Users"</A></li>
                    <li><A href="/admin/tags">"Tags"</A></li>
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
