//! The `docket` binary: parses the command line and hands over to the server crate.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    docket::server::cli::run().await
}
