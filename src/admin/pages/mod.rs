//! Admin pages.

pub mod audit;
pub mod security;
pub mod tags;
pub mod user;
pub mod users;
