//! Routed pages, one per file.

pub mod api_docs;
pub mod home;
pub mod not_found;
