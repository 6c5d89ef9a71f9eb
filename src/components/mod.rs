//! Reusable pieces of the UI.

pub mod errors;
pub mod form;
pub mod hydrated;
pub mod layout;
pub mod loading;
pub mod pager;
pub mod route;
pub mod time;
