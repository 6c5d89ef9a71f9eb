//! The audit log: who changed what, when and from where.

pub mod api;
pub mod model;
