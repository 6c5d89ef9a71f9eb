//! Technician accounts as both builds see them: roles, the signed-in user, and the rules a
//! password or email must meet (checked in the browser as you type, re-checked on the server).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    ReadOnly,
    Technician,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Technician, Role::ReadOnly];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Technician => "technician",
            Role::ReadOnly => "read_only",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Admin",
            Role::Technician => "Technician",
            Role::ReadOnly => "Read-only",
        }
    }

    /// Read-only users look; everyone else may change records.
    pub fn can_write(self) -> bool {
        self != Role::ReadOnly
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "admin" => Ok(Role::Admin),
            "technician" => Ok(Role::Technician),
            "read_only" | "readonly" => Ok(Role::ReadOnly),
            _ => Err(format!(
                "unknown role {s:?}: use admin, technician or read_only"
            )),
        }
    }
}

/// The signed-in technician, as the UI needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub mfa_enabled: bool,
}

pub const PASSWORD_MIN_CHARS: usize = 12;
pub const PASSWORD_MAX_CHARS: usize = 256;

/// Passwords people pick first; with the minimum length, these are what is left to refuse.
const COMMON_PASSWORDS: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456789123",
    "111111111111",
    "000000000000",
    "123123123123",
    "121212121212",
    "987654321098",
    "1q2w3e4r5t6y",
    "qwertyuiop12",
    "qwertyuiopas",
    "qwertyuiop123",
    "qwerty123456",
    "1qaz2wsx3edc",
    "zaq12wsxcde3",
    "asdfghjkl123",
    "zxcvbnm12345",
    "qazwsxedcrfv",
    "abcdefghijkl",
    "abcdef123456",
    "abc123456789",
    "abcd12345678",
    "password1234",
    "password12345",
    "passwordpassword",
    "password123456",
    "p@ssw0rd1234",
    "passw0rd1234",
    "iloveyou1234",
    "iloveyou123456",
    "letmein12345",
    "letmein123456",
    "welcome12345",
    "welcome123456",
    "welcome2024!",
    "welcome2025!",
    "welcome2026!",
    "changeme1234",
    "changeme12345",
    "administrator",
    "administrator1",
    "admin1234567",
    "admin12345678",
    "adminadmin123",
    "trustno1trustno1",
    "football1234",
    "baseball1234",
    "basketball12",
    "superman1234",
    "sunshine1234",
    "princess1234",
    "dragon123456",
    "monkey123456",
    "master123456",
    "shadow123456",
    "michael12345",
    "jennifer1234",
    "computer1234",
    "internet1234",
    "whatever1234",
    "starwars1234",
    "pokemon12345",
    "liverpool123",
    "chelsea12345",
    "arsenal12345",
    "barcelona123",
    "manchester12",
    "summer2024!!",
    "winter2024!!",
    "spring2025!!",
    "autumn2025!!",
    "summer2026!!",
    "winter2026!!",
    "company12345",
    "secret123456",
    "mypassword12",
    "mypassword123",
    "thisismypassword",
    "correcthorsebatterystaple",
    "letmeinletmein",
    "qwertyqwerty",
    "asdfasdfasdf",
    "zxcvzxcvzxcv",
    "aaaaaaaaaaaa",
    "passwordpassword1",
    "iloveyouiloveyou",
    "1234qwerasdf",
    "1234567890qwerty",
    "qwerty1234567",
];

/// Why a new password is refused, or None when it is acceptable.
pub fn password_problem(password: &str) -> Option<String> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        return Some(format!("Use at least {PASSWORD_MIN_CHARS} characters"));
    }
    if chars > PASSWORD_MAX_CHARS {
        return Some(format!("Use at most {PASSWORD_MAX_CHARS} characters"));
    }
    let lower = password.to_lowercase();
    let first = lower.chars().next().unwrap_or_default();
    if lower.chars().all(|c| c == first) || COMMON_PASSWORDS.contains(&lower.as_str()) {
        return Some("This password is too common; choose another".to_string());
    }
    None
}

/// Why an email address is refused, or None. Deliberately loose: one `@`, a dot after it.
pub fn email_problem(email: &str) -> Option<String> {
    let email = email.trim();
    if email.is_empty() {
        return Some("Enter an email address".to_string());
    }
    let valid = email.len() <= 254
        && !email.contains(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.ends_with('.')
        });
    (!valid).then(|| "Enter a valid email address".to_string())
}

/// Why a display name is refused, or None.
pub fn name_problem(name: &str) -> Option<String> {
    match name.trim().chars().count() {
        0 => Some("Enter a name".to_string()),
        n if n > 200 => Some("Use at most 200 characters".to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_common_and_repeated_passwords_are_refused() {
        assert!(password_problem("short").unwrap().contains("12"));
        assert!(password_problem("Password1234").unwrap().contains("common"));
        assert!(password_problem("zzzzzzzzzzzzzz")
            .unwrap()
            .contains("common"));
        assert_eq!(password_problem("violet-harbour-kettle"), None);
    }

    #[test]
    fn emails_need_a_local_part_and_a_domain() {
        assert_eq!(email_problem("ana@example.com"), None);
        assert!(email_problem("ana@example").is_some());
        assert!(email_problem("ana example@x.com").is_some());
        assert!(email_problem("@x.com").is_some());
        assert!(email_problem("").is_some());
    }

    #[test]
    fn roles_parse_from_the_cli_spelling() {
        assert_eq!("admin".parse::<Role>(), Ok(Role::Admin));
        assert_eq!("read-only".parse::<Role>(), Ok(Role::ReadOnly));
        assert!("boss".parse::<Role>().is_err());
        assert!(Role::Technician.can_write() && !Role::ReadOnly.can_write());
    }
}
