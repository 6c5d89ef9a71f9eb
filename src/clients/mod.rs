//! The client record: clients, their locations and contacts, tags, lists, bulk changes and CSV.

pub mod api;
pub mod codes;
pub mod model;
pub mod pages;
