//! The client portal: contacts sign in with their email, open and follow their tickets.

pub mod api;
pub mod pages;
