//! The HTML shell and the routes of the app.

use crate::accounts::api::signed_in_user;
use crate::accounts::model::CurrentUser;
use crate::accounts::pages::{
    account::AccountPage, login::LoginPage, login::MfaLoginPage, logout::LogoutPage, mfa::MfaPage,
    password::PasswordPage, setup::SetupPage,
};
use crate::admin::pages::{
    api_keys::ApiKeysPage, audit::AuditLogPage, security::SecurityPage, tags::TagsPage,
    user::UserPage, users::UsersPage,
};
use crate::clients::pages::{
    contacts::ContactsPage,
    detail::ClientPage,
    import::{ImportJobPage, ImportPage},
    list::ClientsPage,
    new::NewClientPage,
};
use crate::components::hydrated::Hydrated;
use crate::components::layout::Layout;
use crate::error::AppError;
use crate::pages::{api_docs::ApiDocsPage, home::HomePage, not_found::NotFound};
use crate::portal::pages::{
    access::{PortalForgotPage, PortalLoginPage, PortalPasswordPage},
    profile::PortalProfilePage,
    tickets::{PortalNewTicketPage, PortalTicketPage, PortalTicketsPage},
};
use crate::search::page::SearchPage;
use crate::tickets::pages::{detail::TicketPage, list::TicketsPage, new::NewTicketPage};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{lazy_route, path, Lazy, LazyRoute, SsrMode};

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

pub type CurrentUserResource = Resource<Result<Option<CurrentUser>, AppError>>;

/// The signed-in technician, reloaded on every navigation (sign-in and sign-out change it).
pub fn use_current_user() -> CurrentUserResource {
    expect_context::<CurrentUserResource>()
}

/// The document title of a page. leptos_meta writes it into the server's HTML unescaped, so
/// names people typed (a client, a ticket's subject) are escaped there; in the browser it is
/// set as text and needs none.
fn title_text(page: String) -> String {
    let title = if page.is_empty() {
        "Docket".to_string()
    } else {
        format!("{page} · Docket")
    };
    if cfg!(feature = "ssr") {
        title
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        title
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Pages wait for their data on the server so they are complete without JavaScript.
    let ssr = SsrMode::Async;
    view! {
        <Title formatter=title_text />
        <Router>
            <CurrentUserProvider>
                <Layout>
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view={Lazy::<HomeRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/setup") view={Lazy::<SetupRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/login/mfa") view={Lazy::<MfaLoginRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/logout") view={Lazy::<LogoutRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/account") view={Lazy::<AccountRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/account/password") view={Lazy::<PasswordRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/account/mfa") view={Lazy::<MfaRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/admin/users") view={Lazy::<UsersRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/admin/users/:id") view={Lazy::<UserRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/admin/security") view={Lazy::<SecurityRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/admin/audit") view={Lazy::<AuditLogRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/admin/tags") view={Lazy::<TagsRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/admin/api-keys") view={Lazy::<ApiKeysRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/clients") view={Lazy::<ClientsRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/clients/new") view={Lazy::<NewClientRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/clients/import") view={Lazy::<ImportRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/clients/import/:id") view={Lazy::<ImportJobRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/clients/:id") view={Lazy::<ClientRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/contacts") view={Lazy::<ContactsRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/docs/api") view={Lazy::<ApiDocsRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/search") view={Lazy::<SearchRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/tickets") view={Lazy::<TicketsRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/tickets/new") view={Lazy::<NewTicketRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/tickets/:id") view={Lazy::<TicketRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/portal") view={Lazy::<PortalLoginRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/portal/forgot") view={Lazy::<PortalForgotRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/portal/password") view={Lazy::<PortalPasswordRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/portal/tickets") view={Lazy::<PortalTicketsRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/portal/tickets/new") view={Lazy::<PortalNewTicketRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/portal/tickets/:id") view={Lazy::<PortalTicketRoute>::new()} ssr=ssr.clone() />
                        <Route path=path!("/portal/profile") view={Lazy::<PortalProfileRoute>::new()} ssr=ssr.clone() />
                    </Routes>
                </Layout>
            </CurrentUserProvider>
        </Router>
    }
}

/// A page whose code is split out of the main WASM and loaded when first visited, so the
/// first load carries only the frame (layout, navigation, router) and each page comes with
/// its own code.
macro_rules! lazy_page {
    ($($route:ident => $page:ident),* $(,)?) => {$(
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                view! { <Hydrated><$page /></Hydrated> }.into_any()
            }
        }
    )*};
}

lazy_page! {
    HomeRoute => HomePage,
    LoginRoute => LoginPage,
    MfaLoginRoute => MfaLoginPage,
    LogoutRoute => LogoutPage,
    SetupRoute => SetupPage,
    AccountRoute => AccountPage,
    PasswordRoute => PasswordPage,
    MfaRoute => MfaPage,
    UsersRoute => UsersPage,
    UserRoute => UserPage,
    SecurityRoute => SecurityPage,
    AuditLogRoute => AuditLogPage,
    TagsRoute => TagsPage,
    ApiKeysRoute => ApiKeysPage,
    ClientsRoute => ClientsPage,
    NewClientRoute => NewClientPage,
    ImportRoute => ImportPage,
    ImportJobRoute => ImportJobPage,
    ClientRoute => ClientPage,
    ContactsRoute => ContactsPage,
    ApiDocsRoute => ApiDocsPage,
    SearchRoute => SearchPage,
    TicketsRoute => TicketsPage,
    NewTicketRoute => NewTicketPage,
    TicketRoute => TicketPage,
    PortalLoginRoute => PortalLoginPage,
    PortalForgotRoute => PortalForgotPage,
    PortalPasswordRoute => PortalPasswordPage,
    PortalTicketsRoute => PortalTicketsPage,
    PortalNewTicketRoute => PortalNewTicketPage,
    PortalTicketRoute => PortalTicketPage,
    PortalProfileRoute => PortalProfilePage,
}

#[component]
fn CurrentUserProvider(children: Children) -> impl IntoView {
    let location = use_location();
    let me: CurrentUserResource =
        Resource::new(move || location.pathname.get(), |_| signed_in_user());
    provide_context(me);
    children()
}
