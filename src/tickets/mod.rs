//! Tickets: what contacts ask for and how technicians answer.

pub mod api;
#[cfg(feature = "ssr")]
pub mod desk;
pub mod model;
pub mod pages;
pub mod rich;
