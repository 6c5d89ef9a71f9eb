//! Route parameters pages share.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The `:id` of the current route as a number (0 when it is not one, which no record has).
pub fn use_route_id() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or_default()
    }
}
