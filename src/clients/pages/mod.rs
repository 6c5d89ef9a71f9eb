//! Pages of the client record.

pub mod contacts;
pub mod detail;
pub mod editors;
pub mod import;
pub mod list;
pub mod new;
pub mod picker;
