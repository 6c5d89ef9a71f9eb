//! The `docket` command line: `serve` (the default), `migrate`, `user create`, `api-key create`,
//! `seed`.

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
    /// Manage API keys.
    ApiKey {
        #[command(subcommand)]
        command: ApiKeyCommand,
    },
    /// Fill the database with realistic synthetic clients, locations and contacts.
    Seed {
        /// How many clients to add.
        #[arg(long)]
        clients: usize,
        /// The same seed on an empty database gives the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
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

#[derive(Subcommand)]
pub enum ApiKeyCommand {
    /// Create a key that acts as the given technician; the key is printed once, on the last
    /// line.
    Create {
        /// What the key is for, e.g. the script that uses it.
        #[arg(long)]
        name: String,
        /// The email of the technician the key acts as.
        #[arg(long)]
        user: String,
        /// Days until the key stops working (no end when left out).
        #[arg(long)]
        expires_days: Option<u32>,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
}

pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    // A seed's bulk statements are slow by design: sqlx's warnings about them are noise.
    let seeding = matches!(cli.command, Some(Command::Seed { .. }));
    init_tracing(
        cli.config.log_format,
        if seeding { "error" } else { "warn" },
    );
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
        Command::ApiKey {
            command:
                ApiKeyCommand::Create {
                    name,
                    user,
                    expires_days,
                },
        } => create_api_key(&cli.config, &name, &user, expires_days).await,
        Command::Seed { clients, seed } => seed_clients(&cli.config, clients, seed).await,
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

async fn create_api_key(
    config: &Config,
    name: &str,
    email: &str,
    expires_days: Option<u32>,
) -> anyhow::Result<()> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let user = db
        .user_by_email(email.trim())
        .await?
        .ok_or_else(|| anyhow::anyhow!("no technician has the email {}", email.trim()))?;
    let expires_at =
        expires_days.map(|d| chrono::Utc::now() + chrono::TimeDelta::days(i64::from(d)));
    let origin = Origin {
        source: "cli",
        ..Origin::default()
    };
    let issued =
        super::api::keys::issue(&db, &user, name, expires_at, Actor::system(), origin).await?;
    println!(
        "created API key {} for {} (id {}); it is shown only now:",
        name.trim(),
        user.email,
        issued.id
    );
    println!("{}", issued.key);
    Ok(())
}

async fn seed_clients(config: &Config, clients: usize, seed: u64) -> anyhow::Result<()> {
    use std::io::{IsTerminal, Write};
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let started = std::time::Instant::now();
    // A bar redrawn in place on a terminal; in a log, a line for each tenth.
    let terminal = std::io::stderr().is_terminal();
    let tenth = |done: usize| (done * 10).checked_div(clients).unwrap_or(10);
    let mut last_tenth = None;
    let mut bar = |done: usize| {
        let width = 30;
        let filled = (done * width).checked_div(clients).unwrap_or(width);
        if terminal {
            eprint!(
                "\rseeding [{}{}] {done}/{clients} clients",
                "#".repeat(filled),
                " ".repeat(width - filled)
            );
            let _ = std::io::stderr().flush();
        } else if last_tenth != Some(tenth(done)) {
            last_tenth = Some(tenth(done));
            eprintln!("seeding {done}/{clients} clients");
        }
    };
    bar(0);
    let seeded = super::seed::seed(&db, clients, seed, &mut bar).await?;
    if terminal {
        eprintln!();
    }
    let entry = AuditEntry::new(
        Actor::system(),
        "client.seed",
        Origin {
            source: "cli",
            ..Origin::default()
        },
    )
    .change("clients", "", seeded.clients);
    db.audit(&entry).await?;
    println!(
        "seeded {} clients, {} locations, {} contacts, {} tickets in {:.1} s",
        seeded.clients,
        seeded.locations,
        seeded.contacts,
        seeded.tickets,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Logs to stderr; sqlx's own messages from `sqlx_level` up, unless `RUST_LOG` says otherwise.
fn init_tracing(format: LogFormat, sqlx_level: &str) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(format!("info,sqlx={sqlx_level},tower_http=info")));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}
