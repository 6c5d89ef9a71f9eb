//! Tickets: what contacts ask for and how technicians answer.

pub mod api;
pub mod model;
pub mod pages;
