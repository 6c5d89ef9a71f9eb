//! Server-only code: configuration, the data layer, the HTTP stack and the command line.

pub mod api;
pub mod auth;
pub mod ceiling;
pub mod cli;
pub mod config;
pub mod db;
pub mod export;
pub mod http;
pub mod import;
pub mod mail;
pub mod seed;
