//! The HTTP stack: router, response headers, static files and graceful shutdown.

use super::auth::session::{self, CookiePolicy};
use super::auth::{csrf, guard};
use super::config::Config;
use super::db::Db;
use super::mail::Mailer;
use crate::app::{shell, App};
use crate::error::AppError;
use axum::extract::{DefaultBodyLimit, FromRef, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::{provide_context, Owner};
use leptos::reactive::owner::WeakOwner;
use leptos_axum::{
    file_and_error_handler_with_context, generate_route_list, AxumRouteListing, LeptosRoutes,
};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Instant;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::trace::TraceLayer;

/// What every handler can reach.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub cookies: CookiePolicy,
    /// Calls per API key in the current minute, on this node.
    pub rates: Arc<super::api::limits::Rates>,
    /// Set once the first technician exists; never unset.
    setup_done: Arc<AtomicBool>,
    /// The load benchmark's folder of answers to serve from memory.
    bench_ceiling: Option<std::path::PathBuf>,
    pub mailer: Mailer,
}

impl AppState {
    pub fn new(config: &Config, db: Db) -> Self {
        Self {
            leptos_options: leptos_options(config),
            db,
            cookies: CookiePolicy {
                secure: config.secure_cookies,
            },
            rates: Arc::new(super::api::limits::Rates::new(config.api_rate_limit)),
            bench_ceiling: config.bench_ceiling.clone(),
            setup_done: Arc::new(AtomicBool::new(false)),
            // `serve` checks the mail settings before it gets here.
            mailer: Mailer::from_config(config).unwrap_or_else(|err| {
                tracing::error!(error = %err, "mail settings unreadable; mail is off");
                Mailer::new(None, "docket@localhost", config.public_url()).expect("plain sender")
            }),
        }
    }

    /// Whether first-run setup is over (asks the database until it is).
    pub async fn setup_done(&self) -> Result<bool, AppError> {
        if self.setup_done.load(Ordering::Relaxed) {
            return Ok(true);
        }
        let done = self.db.has_users().await?;
        self.setup_done.store(done, Ordering::Relaxed);
        Ok(done)
    }
}

/// A plain-text error answer with the error's status (for middleware, outside Leptos).
pub fn error_response(err: AppError) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, err.to_string()).into_response()
}

/// Leptos options from our configuration. Hashed file names are used when the build left
/// `hash.txt` next to the binary (cargo-leptos does with `hash-files = true`).
fn leptos_options(config: &Config) -> LeptosOptions {
    let hash_files = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
        .is_some_and(|path| path.exists());
    LeptosOptions::builder()
        .output_name("docket")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.site_addr)
        .hash_files(hash_files)
        .build()
}

/// The page routes, generated once per process. Generating them switches off resource loading
/// for the whole process for a moment, and a page rendered in that moment never finishes
/// (leptos #4773); tests build many routers while others render.
pub fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole application: pages, server functions under `/rpc`, health check, static files.
pub fn router(state: AppState) -> Router {
    let (db, cookies, mailer) = (state.db.clone(), state.cookies, state.mailer.clone());
    let context = move || {
        record_page_owner();
        provide_context(db.clone());
        provide_context(cookies);
        provide_context(mailer.clone());
        provide_page_nonce();
    };
    let options = state.leptos_options.clone();
    let ceiling = state
        .bench_ceiling
        .clone()
        .map_or_else(Router::new, super::ceiling::routes);
    Router::new()
        .leptos_routes_with_context(&state, page_routes(), context.clone(), move || {
            shell(options.clone())
        })
        .route("/clients/export.csv", get(super::export::clients_csv))
        .route(
            "/clients/import/upload",
            post(super::import::upload).layer(DefaultBodyLimit::max(super::import::MAX_BYTES)),
        )
        .route_layer(middleware::from_fn_with_state(state.clone(), guard::pages))
        .route("/healthz", get(healthz))
        .merge(super::api::routes(&state))
        .merge(ceiling)
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(middleware::from_fn(rpc_error_status))
        .layer(middleware::from_fn(with_page_owner))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session::attach,
        ))
        .layer(middleware::from_fn(csrf::protect))
        .layer(middleware::from_fn(response_headers))
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The reactive owner of the page a request renders, set once its render has begun.
#[derive(Clone, Default)]
struct PageOwner(Arc<OnceLock<WeakOwner>>);

/// Notes the page's owner for [`with_page_owner`]; runs first in the page's render.
fn record_page_owner() {
    let slot = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<PageOwner>().cloned());
    if let (Some(PageOwner(slot)), Some(owner)) = (slot, Owner::current()) {
        _ = slot.set(owner.downgrade());
    }
}

/// Runs a request with its own page's reactive owner current each time it resumes, and none
/// before its render begins. After a page renders, leptos_integration_utils (0.8.9) reads the
/// page's lazy chunks and adds their preloads through whatever owner the thread has current:
/// after an await that would be another response's (which then gets this page's preloads), a
/// disposed one (a warning on stderr per link) or none (no preloads: the page then fetches its
/// chunks one after another while it hydrates).
async fn with_page_owner(mut req: Request, next: Next) -> Response {
    struct Owned<F> {
        page: PageOwner,
        run: Pin<Box<F>>,
    }
    impl<F: Future> Future for Owned<F> {
        type Output = F::Output;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
            if let Some(stale) = Owner::current() {
                stale.unset();
            }
            match self.page.0.get().and_then(WeakOwner::upgrade) {
                Some(owner) => owner.with(|| self.run.as_mut().poll(cx)),
                None => self.run.as_mut().poll(cx),
            }
        }
    }
    let page = PageOwner::default();
    req.extensions_mut().insert(page.clone());
    let run = Box::pin(next.run(req));
    Owned { page, run }.await
}

/// Server functions answer every error with 500, and errors raised before our code runs
/// (unreadable arguments) never set a status. Give each error answer the status of its error.
async fn rpc_error_status(req: Request, next: Next) -> Response {
    let rpc = req.uri().path().starts_with("/rpc/");
    let res = next.run(req).await;
    if !rpc || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

async fn healthz(State(db): State<Db>) -> Response {
    match db.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response(),
    }
}

/// The script nonce of one response. `response_headers` makes it and names it in the page's
/// policy; Leptos stamps it on the page's scripts. The policy is thus set outside the render
/// and cannot miss its page.
#[derive(Clone)]
struct PageNonce(Arc<str>);

/// Hands the request's nonce to Leptos in place of the one it made itself.
fn provide_page_nonce() {
    let nonce = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<PageNonce>().cloned());
    if let Some(PageNonce(nonce)) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(nonce));
    }
}

/// The Content-Security-Policy of HTML pages: scripts only from us or with this response's
/// nonce (the hydration bootstrap and streamed resources carry it), WASM allowed to compile.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Everything that is not a page gets a policy that allows nothing to run.
const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Security headers on every response; long caching for content-hashed assets only.
async fn response_headers(mut req: Request, next: Next) -> Response {
    let hashed_asset = req.uri().path().starts_with("/pkg/") && is_hashed(req.uri().path());
    let nonce = PageNonce(super::auth::token::random_token(16).into());
    req.extensions_mut().insert(nonce.clone());
    let mut res = next.run(req).await;
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let headers = res.headers_mut();
    let csp = if content_type.starts_with("text/html") {
        HeaderValue::from_str(&page_csp(&nonce.0))
    } else {
        Ok(HeaderValue::from_static(DEFAULT_CSP))
    };
    if let Ok(csp) = csp {
        headers
            .entry(header::CONTENT_SECURITY_POLICY)
            .or_insert(csp);
    }
    let set = |headers: &mut axum::http::HeaderMap, name, value: &'static str| {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    };
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, header::REFERRER_POLICY, "same-origin");
    set(
        headers,
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        headers,
        header::HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=()",
    );
    // Pages, exports and JSON answers hold client data (pages also a one-time nonce): never
    // stored, so going back loads the page as it is now. Other files are revalidated.
    let private = ["text/html", "text/csv", "application/json"]
        .iter()
        .any(|p| content_type.starts_with(p));
    if hashed_asset && res.status() == StatusCode::OK {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    } else if private {
        set(res.headers_mut(), header::CACHE_CONTROL, "no-store");
    } else {
        set(res.headers_mut(), header::CACHE_CONTROL, "no-cache");
    }
    res
}

/// `docket.3f9a1c.wasm` is hashed; `docket.wasm` is not.
fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    name.split('.').count() >= 3
}

/// Connects, migrates and serves until SIGINT or SIGTERM, then drains requests and exits.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let started = Instant::now();
    tracing::info!(?config, "starting");
    Mailer::from_config(&config)?;
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    tokio::spawn(close_resolved_tickets(
        db.clone(),
        chrono::Duration::hours(config.ticket_autoclose_hours.into()),
    ));
    let listener = tokio::net::TcpListener::bind(config.site_addr).await?;
    let app = router(AppState::new(&config, db.clone()));
    tracing::info!(
        addr = %listener.local_addr()?,
        engine = %db.engine(),
        ready_ms = started.elapsed().as_millis() as u64,
        "ready"
    );
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Closes resolved tickets once they have been resolved for `after`, checking every minute.
async fn close_resolved_tickets(db: Db, after: chrono::Duration) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        tick.tick().await;
        match db.close_resolved(chrono::Utc::now() - after).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(tickets = n, "closed resolved tickets"),
            Err(err) => tracing::warn!(error = %err, "closing resolved tickets failed"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn only_content_hashed_files_count_as_hashed() {
        assert!(is_hashed("/pkg/docket.a1b2c3.wasm"));
        assert!(!is_hashed("/pkg/docket.wasm"));
        assert!(!is_hashed("/favicon.ico"));
    }
}
