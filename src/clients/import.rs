//! CSV import as both builds see it: the fields a column can fill, a first guess at the
//! mapping from the header row, and the reports of a dry run and of an import.

use super::model::NewClient;
use serde::{Deserialize, Serialize};

/// What a column can fill: `section.field` and its label. A row is one client with, when
/// its columns are filled, the client's primary location and one contact.
pub const IMPORT_FIELDS: [(&str, &str); 35] = [
    ("client.name", "Client name"),
    ("client.kind", "Lead or customer"),
    ("client.industry", "Industry"),
    ("client.referral", "Referral"),
    ("client.website", "Website"),
    ("client.domain", "Domain"),
    ("client.account_code", "Account code"),
    ("client.abbreviation", "Abbreviation"),
    ("client.trading_name", "Trading name"),
    ("client.currency", "Currency"),
    ("client.hourly_rate", "Hourly rate"),
    ("client.net_terms", "Net terms"),
    ("client.tax_id", "Tax id"),
    ("client.invoice_email", "Invoice email"),
    ("client.notes", "Notes"),
    ("location.name", "Location name"),
    ("location.address_1", "Address line 1"),
    ("location.address_2", "Address line 2"),
    ("location.address_3", "Address line 3"),
    ("location.city", "City"),
    ("location.state", "State or province"),
    ("location.postal_code", "Postal code"),
    ("location.country", "Country"),
    ("location.phone", "Location phone"),
    ("location.fax", "Fax"),
    ("location.time_zone", "Time zone"),
    ("location.hours", "Hours"),
    ("contact.name", "Contact name"),
    ("contact.title", "Contact title"),
    ("contact.department", "Contact department"),
    ("contact.email", "Contact email"),
    ("contact.phone", "Contact phone"),
    ("contact.extension", "Contact extension"),
    ("contact.mobile", "Contact mobile"),
    ("contact.notes", "Contact notes"),
];

/// The most rows one file may hold.
pub const MAX_ROWS: usize = 50_000;

/// The target of each column, guessed from its header ("" leaves a column out). Headers
/// match a field's key, its label, or for client fields the bare field name, ignoring case
/// and punctuation; so Docket's own export maps itself.
pub fn guess_mapping(headers: &[String]) -> Vec<String> {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let mut taken: Vec<&str> = Vec::new();
    headers
        .iter()
        .map(|header| {
            let h = squash(header);
            let h = match h.as_str() {
                "client" | "company" | "companyname" | "clientname" => "name".to_string(),
                "email" | "emailaddress" => "contactemail".to_string(),
                "zip" | "zipcode" | "postcode" => "postalcode".to_string(),
                "address" | "street" => "address1".to_string(),
                _ => h,
            };
            let found = IMPORT_FIELDS.iter().map(|(key, _)| *key).find(|key| {
                let (section, field) = key.split_once('.').unwrap_or_default();
                !taken.contains(key)
                    && (h == squash(key)
                        || h == squash(&label(key))
                        || (section == "client" && h == squash(field)))
            });
            if let Some(key) = found {
                taken.push(key);
            }
            found.unwrap_or_default().to_string()
        })
        .collect()
}

/// A field's label, or the key itself when it is not a field.
pub fn label(key: &str) -> String {
    IMPORT_FIELDS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, l)| l)
        .to_string()
}

/// Writes one cell into the record it fills. Values are trimmed, and the `'` that Docket's
/// export puts before a formula-like value is dropped; unknown keys do nothing.
pub fn set_field(input: &mut NewClient, key: &str, value: &str) {
    let v = value.trim();
    let v = match v.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => v,
    }
    .to_string();
    let (c, l, p) = (&mut input.client, &mut input.location, &mut input.contact);
    match key {
        "client.name" => c.name = v,
        "client.kind" => c.lead = v.eq_ignore_ascii_case("lead"),
        "client.industry" => c.industry = v,
        "client.referral" => c.referral = v,
        "client.website" => c.website = v,
        "client.domain" => c.domain = v,
        "client.account_code" => c.account_code = v,
        "client.abbreviation" => c.abbreviation = v,
        "client.trading_name" => c.trading_name = v,
        "client.currency" => c.currency = v.to_uppercase(),
        "client.hourly_rate" => c.hourly_rate = v,
        "client.net_terms" => c.net_terms = v,
        "client.tax_id" => c.tax_id = v,
        "client.invoice_email" => c.invoice_email = v,
        "client.notes" => c.notes = v,
        "location.name" => l.name = v,
        "location.address_1" => l.address_1 = v,
        "location.address_2" => l.address_2 = v,
        "location.address_3" => l.address_3 = v,
        "location.city" => l.city = v,
        "location.state" => l.state = v,
        "location.postal_code" => l.postal_code = v,
        "location.country" => l.country = v.to_uppercase(),
        "location.phone" => l.phone = v,
        "location.fax" => l.fax = v,
        "location.time_zone" => l.time_zone = v,
        "location.hours" => l.hours = v,
        "contact.name" => p.name = v,
        "contact.title" => p.title = v,
        "contact.department" => p.department = v,
        "contact.email" => p.email = v,
        "contact.phone" => p.phone = v,
        "contact.extension" => p.extension = v,
        "contact.mobile" => p.mobile = v,
        "contact.notes" => p.notes = v,
        _ => {}
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Create,
    Update,
    Reject,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Create => "create",
            Outcome::Update => "update",
            Outcome::Reject => "reject",
        }
    }
}

/// One row's fate: its line in the file (the header is line 1), the client it names, and why
/// (which client it matched, or why it was refused).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportRow {
    pub line: usize,
    pub outcome: Outcome,
    pub name: String,
    pub detail: String,
}

/// Counts of a dry run or an import, with its rows: rejected rows first, then the rest, up to
/// `REPORT_ROWS`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub rejected: usize,
    pub rows: Vec<ReportRow>,
}

/// How many rows a report lists.
pub const REPORT_ROWS: usize = 1_000;

impl ImportReport {
    pub fn add(&mut self, row: ReportRow) {
        match row.outcome {
            Outcome::Create => self.created += 1,
            Outcome::Update => self.updated += 1,
            Outcome::Reject => self.rejected += 1,
        }
        if self.rows.len() < REPORT_ROWS {
            self.rows.push(row);
        } else if row.outcome == Outcome::Reject {
            // A rejected row pushes out the last accepted one: rejections matter most.
            if let Some(i) = self.rows.iter().rposition(|r| r.outcome != Outcome::Reject) {
                self.rows.remove(i);
                self.rows.push(row);
            }
        }
    }

    /// Rejected rows first, each group in file order.
    pub fn sort(&mut self) {
        self.rows
            .sort_by_key(|r| (r.outcome != Outcome::Reject, r.line));
    }

    pub fn rows_done(&self) -> usize {
        self.created + self.updated + self.rejected
    }
}

/// Where an import is: uploaded (choose columns), checked (dry run shown), running, done or
/// failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportStatus {
    Uploaded,
    Checked,
    Running,
    Done,
    Failed,
}

impl ImportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportStatus::Uploaded => "uploaded",
            ImportStatus::Checked => "checked",
            ImportStatus::Running => "running",
            ImportStatus::Done => "done",
            ImportStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "checked" => ImportStatus::Checked,
            "running" => ImportStatus::Running,
            "done" => ImportStatus::Done,
            "failed" => ImportStatus::Failed,
            _ => ImportStatus::Uploaded,
        }
    }
}

/// A column of the file: its header, a sample value and the field it fills.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportColumn {
    pub header: String,
    pub sample: String,
    pub target: String,
}

/// What the import page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportView {
    pub id: i64,
    pub file_name: String,
    pub status: ImportStatus,
    pub total: usize,
    pub columns: Vec<ImportColumn>,
    /// The dry run (checked), the progress so far (running) or the result (done).
    pub report: Option<ImportReport>,
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_map_to_fields_once_each() {
        let headers: Vec<String> = [
            "Name",
            "Account Code",
            "kind",
            "City",
            "Contact Email",
            "email",
            "Location phone",
            "contact_phone",
            "Zip",
            "whatever",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            guess_mapping(&headers),
            [
                "client.name",
                "client.account_code",
                "client.kind",
                "location.city",
                "contact.email",
                "",
                "location.phone",
                "contact.phone",
                "location.postal_code",
                "",
            ]
        );
    }

    #[test]
    fn cells_fill_their_section() {
        let mut input = NewClient::default();
        set_field(&mut input, "client.name", "  ACME  ");
        set_field(&mut input, "client.kind", "Lead");
        set_field(&mut input, "location.country", "nl");
        set_field(&mut input, "location.phone", "'+31 30 123");
        set_field(&mut input, "contact.email", "a@acme.test");
        set_field(&mut input, "nonsense", "x");
        assert_eq!(input.client.name, "ACME");
        assert!(input.client.lead);
        assert_eq!(input.location.country, "NL");
        assert_eq!(input.location.phone, "+31 30 123");
        assert_eq!(input.contact.email, "a@acme.test");
    }

    #[test]
    fn reports_keep_rejections_first_and_within_the_limit() {
        let mut report = ImportReport::default();
        for line in 2..(REPORT_ROWS + 10) {
            report.add(ReportRow {
                line,
                outcome: Outcome::Create,
                name: String::new(),
                detail: String::new(),
            });
        }
        report.add(ReportRow {
            line: 5000,
            outcome: Outcome::Reject,
            name: String::new(),
            detail: "bad".into(),
        });
        report.sort();
        assert_eq!(report.rows.len(), REPORT_ROWS);
        assert_eq!(report.rows[0].line, 5000);
        assert_eq!(report.created, REPORT_ROWS + 8);
        assert_eq!(report.rejected, 1);
    }
}
