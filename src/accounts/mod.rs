//! Technician accounts: first-run setup, sign-in and out, password changes, two-factor.

pub mod api;
pub mod mfa;
pub mod model;
pub mod pages;
