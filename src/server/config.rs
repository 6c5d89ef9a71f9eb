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

    /// Outgoing mail server: `smtp://[user:password@]host[:port]`, with `?tls=required` for
    /// STARTTLS, or `smtps://...`. Without it, invitations show their link to the technician
    /// and no other mail is sent.
    #[arg(long, env = "DOCKET_SMTP_URL", global = true)]
    pub smtp_url: Option<String>,

    /// The sender of Docket's mail.
    #[arg(
        long,
        env = "DOCKET_MAIL_FROM",
        default_value = "Docket <docket@localhost>",
        global = true
    )]
    pub mail_from: String,

    /// The address people reach Docket at, for links in mail; default `http://` and the
    /// listen address.
    #[arg(long, env = "DOCKET_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Resolved tickets close themselves after this many hours.
    #[arg(
        long,
        env = "DOCKET_TICKET_AUTOCLOSE_HOURS",
        default_value_t = 72,
        global = true
    )]
    pub ticket_autoclose_hours: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

impl Config {
    /// Where people reach Docket, without a trailing slash.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!("http://{}", self.site_addr),
        }
    }
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
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("public_url", &self.public_url)
            .field("ticket_autoclose_hours", &self.ticket_autoclose_hours)
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
