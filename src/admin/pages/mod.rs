//! Admin pages.

pub mod api_keys;
pub mod audit;
pub mod security;
pub mod tags;
pub mod user;
pub mod users;
