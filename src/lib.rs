//! Docket: the client hub for IT service providers.
//!
//! One crate, two builds: `ssr` is the server binary, `hydrate` the WASM that takes over the
//! server-rendered page in the browser. Everything outside `server` compiles into both.

// Deeply nested views need more than the default when components are not erased.
#![recursion_limit = "256"]

pub mod accounts;
pub mod admin;
pub mod app;
pub mod audit;
pub mod clients;
pub mod components;
pub mod error;
pub mod pages;
pub mod portal;
pub mod search;
pub mod status;
pub mod tickets;
pub mod url;

#[cfg(feature = "ssr")]
pub mod server;

/// Entry point of the WASM build: attaches the app to the server-rendered HTML.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy-loaded pages need their code before the page they are on can be hydrated.
    leptos::mount::hydrate_lazy(app::App);
}

/// Unused read-only bytes that give the WASM splitter room. It moves each piece of read-only
/// data into the module that needs it, padding for alignment; when the padded total outgrows
/// the original segment it gives up and keeps all of it in the first load (tens of kB). These
/// bytes are needed by no module, so they are dropped from every output.
#[cfg(feature = "hydrate")]
#[used]
static SPLIT_SLACK: [u8; 4096] = [0xA5; 4096];
