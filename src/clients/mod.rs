//! The client record: clients, their locations and contacts, tags, lists, bulk changes and CSV.

pub mod api;
pub mod codes;
pub mod import;
pub mod importer;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod records;
