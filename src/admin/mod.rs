//! Administration: technician accounts, security settings, the audit log.

pub mod pages;
pub mod security;
pub mod users;
