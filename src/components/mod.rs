//! Reusable pieces of the UI.

pub mod errors;
pub mod layout;
pub mod loading;
