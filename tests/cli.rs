//! The `docket` binary as an operator runs it: migrate, bad configuration, serve and stop.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn docket() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_docket"));
    cmd.env_remove("DATABASE_URL")
        .env_remove("LEPTOS_SITE_ADDR")
        .env("RUST_LOG", "info");
    cmd
}

#[test]
fn migrate_creates_the_database_and_exits() {
    let dir = tempfile::tempdir().unwrap();
    let out = docket()
        .current_dir(dir.path())
        .arg("migrate")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        dir.path().join("docket.db").exists(),
        "default sqlite://docket.db in the working dir"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("schema version"));
}

#[test]
fn a_bad_database_url_fails_with_a_clear_message() {
    let out = docket()
        .args(["migrate", "--database-url", "mysql://x/y"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("sqlite:// or postgres://"), "{stderr}");
}

#[test]
fn serve_answers_health_checks_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = docket()
        .current_dir(dir.path())
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("DOCKET_LOG_FORMAT", "json")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            let json: serde_json::Value = serde_json::from_str(&line).ok()?;
            (json["fields"]["message"] == "ready")
                .then(|| json["fields"]["addr"].as_str().unwrap().to_string())
        })
        .expect("server logs a ready line with its address");

    let mut stream = TcpStream::connect(&addr).unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "server did not stop within 10 s");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "graceful shutdown exits 0, got {status}");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(rest.iter().any(|l| l.contains("stopped")), "{rest:?}");
}

#[test]
fn user_create_makes_an_account_once_and_refuses_a_taken_email() {
    let dir = tempfile::tempdir().unwrap();
    let create = |email: &str, password: &str| {
        docket()
            .current_dir(dir.path())
            .args([
                "user",
                "create",
                "--email",
                email,
                "--password",
                password,
                "--name",
                "Ana Admin",
                "--role",
                "admin",
            ])
            .output()
            .unwrap()
    };
    let first = create("ana@example.com", "violet-harbour-kettle");
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(String::from_utf8_lossy(&first.stdout).contains("created admin ana@example.com"));

    let again = create("ANA@example.com", "violet-harbour-kettle");
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already exists"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );

    let weak = create("bob@example.com", "password1234");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("too common"));

    let role = docket()
        .current_dir(dir.path())
        .args([
            "user",
            "create",
            "--email",
            "c@example.com",
            "--password",
            "violet-harbour-kettle",
            "--name",
            "C",
            "--role",
            "boss",
        ])
        .output()
        .unwrap();
    assert!(!role.status.success());
    assert!(String::from_utf8_lossy(&role.stderr).contains("unknown role"));
}

#[test]
fn seed_fills_the_database_with_progress() {
    let dir = tempfile::tempdir().unwrap();
    let out = docket()
        .current_dir(dir.path())
        .args(["seed", "--clients", "12", "--seed", "3"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("12/12 clients"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("seeded 12 clients, "), "{stdout}");
}

#[test]
fn api_key_create_prints_the_key_once_and_stores_only_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let user = docket()
        .current_dir(dir.path())
        .args(["user", "create", "--email", "ana@example.com"])
        .args(["--password", "violet-harbour-kettle", "--name", "Ana"])
        .args(["--role", "technician"])
        .output()
        .unwrap();
    assert!(user.status.success());
    let key = |name: &str, email: &str| {
        docket()
            .current_dir(dir.path())
            .args(["api-key", "create", "--name", name, "--user", email])
            .args(["--expires-days", "30"])
            .output()
            .unwrap()
    };

    let made = key("RMM sync", "ana@example.com");
    let stdout = String::from_utf8_lossy(&made.stdout);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let printed = stdout.lines().last().unwrap();
    assert!(printed.starts_with("dk_") && printed.len() > 40, "{stdout}");
    // The database and its write-ahead log hold the key's hash, never the key.
    let mut stored = Vec::new();
    for file in ["docket.db", "docket.db-wal"] {
        stored.extend(std::fs::read(dir.path().join(file)).unwrap_or_default());
    }
    let stored = String::from_utf8_lossy(&stored);
    let hash = docket::server::auth::token::sha256_hex(printed);
    assert!(stored.contains(&hash), "the hash is stored");
    assert!(!stored.contains(&printed[3..]), "the key is not");
    assert_ne!(key("RMM sync", "ana@example.com").stdout, made.stdout);

    let nobody = key("sync", "nobody@example.com");
    assert!(!nobody.status.success());
    assert!(String::from_utf8_lossy(&nobody.stderr).contains("no technician"));
    let unnamed = key(" ", "ana@example.com");
    assert!(!unnamed.status.success());
    assert!(String::from_utf8_lossy(&unnamed.stderr).contains("Name the key"));
}
