//! Tickets as both builds see them: status, priority and source, what lists and pages show,
//! and the checks a new ticket or reply must pass.

use super::rich::SafeHtml;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An enum stored and sent as its snake_case code, shown by its label.
macro_rules! coded {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $code:literal / $label:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),* }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let code = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == code)
                    .ok_or_else(|| {
                        let all: Vec<_> = $name::ALL.iter().map(|v| v.as_str()).collect();
                        format!("Choose one of: {}", all.join(", "))
                    })
            }
        }
    };
}

coded!(Status {
    New = "new" / "New",
    Open = "open" / "Open",
    OnHold = "on_hold" / "On hold",
    Resolved = "resolved" / "Resolved",
    Closed = "closed" / "Closed",
});

coded!(Priority {
    Low = "low" / "Low",
    Medium = "medium" / "Medium",
    High = "high" / "High",
    Urgent = "urgent" / "Urgent",
});

coded!(Source {
    Portal = "portal" / "Portal",
    Ui = "ui" / "Docket",
    Api = "api" / "API",
    Email = "email" / "Email",
});

impl Status {
    /// New, open and on hold: work is still to do.
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Resolved | Status::Closed)
    }
}

/// Which tickets a list shows by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Show {
    #[default]
    Open,
    Closed,
    All,
}

impl Show {
    pub fn parse(s: &str) -> Self {
        match s {
            "closed" => Show::Closed,
            "all" => Show::All,
            _ => Show::Open,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Show::Open => "open",
            Show::Closed => "closed",
            Show::All => "all",
        }
    }
}

/// A ticket list's filters, from the page's query string.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TicketFilter {
    pub q: String,
    pub show: String,
    /// One status, or empty for every status `show` allows.
    pub status: String,
    pub priority: String,
    pub client: String,
    /// A technician's id, "me", "none", or empty.
    pub assignee: String,
    /// `updated` (newest first, the default), `created`, `number` or `priority`.
    pub sort: String,
    pub page: i64,
}

pub const PAGE_SIZE: i64 = 50;

/// A row of a ticket list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketItem {
    pub id: i64,
    pub number: i64,
    pub subject: String,
    pub status: Status,
    pub priority: Priority,
    pub client_id: i64,
    pub client_name: String,
    pub contact_name: Option<String>,
    pub assignee_name: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
}

/// One ticket with everything its page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    pub item: TicketItem,
    pub details: String,
    pub details_html: SafeHtml,
    pub source: Source,
    pub contact_id: Option<i64>,
    pub location_id: Option<i64>,
    pub location_name: Option<String>,
    pub assignee_id: Option<i64>,
    pub resolved_at: Option<String>,
    pub closed_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub id: i64,
    pub author: String,
    /// True when a contact wrote it (from the portal or by email).
    pub by_contact: bool,
    pub body: String,
    pub body_html: SafeHtml,
    pub internal: bool,
    pub created_at: String,
}

/// A change of status, priority or assignee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub field: String,
    pub old_value: String,
    pub new_value: String,
    pub actor: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketRecord {
    pub ticket: Ticket,
    pub replies: Vec<Reply>,
    pub events: Vec<Event>,
}

/// The longest subject; details and replies may be long, but not unbounded.
pub const SUBJECT_MAX: usize = 200;
pub const BODY_MAX: usize = 20_000;

pub fn subject_problem(s: &str) -> Option<String> {
    let n = s.trim().chars().count();
    if n == 0 {
        Some("Enter a subject".into())
    } else if n > SUBJECT_MAX {
        Some(format!("Keep the subject under {SUBJECT_MAX} characters"))
    } else {
        None
    }
}

/// Details may be empty; a reply may not (`required`).
pub fn body_problem(s: &str, required: bool) -> Option<String> {
    if required && s.trim().is_empty() {
        Some("Write a message".into())
    } else if s.chars().count() > BODY_MAX {
        Some(format!("Keep it under {BODY_MAX} characters"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for s in Status::ALL {
            assert_eq!(s.as_str().parse::<Status>(), Ok(*s));
        }
        assert_eq!("On Hold".parse::<Status>(), Ok(Status::OnHold));
        assert!("done".parse::<Status>().unwrap_err().contains("on_hold"));
        assert_eq!("URGENT".parse::<Priority>(), Ok(Priority::Urgent));
        assert!(Status::OnHold.is_open() && !Status::Resolved.is_open());
    }

    #[test]
    fn subjects_and_bodies_are_bounded() {
        assert!(subject_problem("  ").is_some());
        assert!(subject_problem(&"x".repeat(SUBJECT_MAX + 1)).is_some());
        assert_eq!(subject_problem("Printer jams"), None);
        assert!(body_problem("", true).is_some() && body_problem("", false).is_none());
    }
}
