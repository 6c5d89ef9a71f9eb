//! The `docket` command line: `serve` (the default), `migrate`, `user create`.

use super::auth::password;
use super::config::{Config, LogFormat};
use super::db::{Actor, AuditEntry, Db, NewUser, Origin};
use crate::accounts::model::{email_problem, name_problem, password_problem, Role};
use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "docket",
    version,
    about = "The client hub for IT service providers"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run migrations, then serve the web UI, the portal and the API (the default).
    Serve,
    /// Run migrations and exit.
    Migrate,
    /// Manage technician accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a technician account without prompts.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        #[arg(long)]
        name: String,
        /// admin, technician or read_only
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
}

pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(cli.config.log_format);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => super::http::serve(cli.config).await,
        Command::Migrate => migrate(&cli.config).await,
        Command::User {
            command:
                UserCommand::Create {
                    email,
                    password,
                    name,
                    role,
                },
        } => create_user(&cli.config, &email, password, &name, role).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn migrate(config: &Config) -> anyhow::Result<()> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    println!(
        "migrations applied; schema version {}",
        db.schema_version().await?
    );
    Ok(())
}

async fn create_user(
    config: &Config,
    email: &str,
    password: String,
    name: &str,
    role: Role,
) -> anyhow::Result<()> {
    let problem = email_problem(email)
        .or_else(|| name_problem(name))
        .or_else(|| password_problem(&password));
    if let Some(problem) = problem {
        anyhow::bail!("{problem}");
    }
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let hash = password::hash(password).await?;
    let mut tx = db.begin().await?;
    let new = NewUser {
        email,
        name,
        role,
        password_hash: &hash,
        must_change_password: false,
    };
    let id = tx.insert_user(&new).await?;
    let origin = Origin {
        source: "cli",
        ..Origin::default()
    };
    tx.audit(
        &AuditEntry::new(Actor::system(), "user.create", origin)
            .record("user", id, email.trim())
            .change("role", "", role),
    )
    .await?;
    tx.commit().await?;
    println!("created {role} {} (id {id})", email.trim());
    Ok(())
}

fn init_tracing(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}
