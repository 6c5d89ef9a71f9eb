//! The technician's ticket pages, and the pieces the portal shows too.

pub mod detail;
pub mod list;
pub mod new;
pub mod parts;
