//! Administration: technician accounts, API keys, security settings, the audit log.

pub mod api_keys;
pub mod pages;
pub mod security;
pub mod users;
