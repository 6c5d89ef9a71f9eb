//! Configuration from flags and environment variables (each flag has an env twin).

use clap::{ArgAction, Args};
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Args, Clone)]
pub struct Config {
    /// `sqlite://PATH` or `postgres://...`; a SQLite file is created if missing.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://docket.db",
        global = true
    )]
    pub database_url: String,

    /// Address the server listens on.
    #[arg(
        long,
        env = "LEPTOS_SITE_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub site_addr: SocketAddr,

    /// Folder holding the built site (WASM, JS, CSS, public files).
    #[arg(
        long,
        env = "LEPTOS_SITE_ROOT",
        default_value = "target/site",
        global = true
    )]
    pub site_root: String,

    /// `false` lets session cookies travel over plain http (tests, loopback).
    #[arg(long, env = "DOCKET_SECURE_COOKIES", default_value_t = true, action = ArgAction::Set, global = true)]
    pub secure_cookies: bool,

    /// Log format: `text` for people, `json` for log collectors.
    #[arg(long, env = "DOCKET_LOG_FORMAT", default_value = "text", global = true)]
    pub log_format: LogFormat,

    /// API calls one key may make in a minute, on each node.
    #[arg(long, env = "DOCKET_API_RATE_LIMIT", default_value_t = super::api::limits::PER_KEY, global = true)]
    pub api_rate_limit: u32,

    /// For the load benchmark: answer `/bench/ceiling/{name}` with the file `name` of this
    /// folder, from memory.
    #[arg(long, env = "DOCKET_BENCH_CEILING", global = true)]
    pub bench_ceiling: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

impl fmt::Debug for Config {
    // The database URL may carry a password: never print it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("site_addr", &self.site_addr)
            .field("site_root", &self.site_root)
            .field("secure_cookies", &self.secure_cookies)
            .field("log_format", &self.log_format)
            .field("api_rate_limit", &self.api_rate_limit)
            .field("bench_ceiling", &self.bench_ceiling)
            .finish()
    }
}

/// `postgres://user:secret@host/db` becomes `postgres://user:***@host/db`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_string();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;
    use crate::server::cli::Cli;
    use clap::Parser;

    #[test]
    fn the_api_rate_limit_is_600_unless_set() {
        let limit = |args: &[&str]| Cli::try_parse_from(args).unwrap().config.api_rate_limit;
        assert_eq!(limit(&["docket"]), 600);
        assert_eq!(
            limit(&["docket", "--api-rate-limit", "5000", "serve"]),
            5000
        );
        assert!(Cli::try_parse_from(["docket", "--api-rate-limit", "many"]).is_err());
    }

    #[test]
    fn passwords_in_database_urls_are_redacted() {
        assert_eq!(
            redact_url("postgres://docket:s3cret@db:5432/docket"),
            "postgres://docket:***@db:5432/docket"
        );
        assert_eq!(redact_url("sqlite://docket.db"), "sqlite://docket.db");
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1/x"),
            "postgres://postgres@127.0.0.1/x"
        );
    }
}
