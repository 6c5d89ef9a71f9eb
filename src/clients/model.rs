//! The client record as both builds see it: the inputs of every editor and their checks (run
//! in the browser as you type and again on the server), list filters, and what pages show.

use super::codes::{is_country, is_currency};
use crate::accounts::model::{email_problem, name_problem};
use crate::error::FieldError;
use serde::{Deserialize, Deserializer, Serialize};

/// A checkbox: ticked arrives as "on" (forms) or `true`; unticked is absent.
fn checkbox<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Text(String),
    }
    Ok(match Option::<Flag>::deserialize(d)? {
        Some(Flag::Bool(b)) => b,
        Some(Flag::Text(t)) => matches!(t.as_str(), "on" | "true" | "1" | "yes"),
        None => false,
    })
}

/// The client's own fields, as typed into the editor.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientInput {
    pub name: String,
    #[serde(deserialize_with = "checkbox")]
    pub lead: bool,
    pub industry: String,
    pub referral: String,
    pub website: String,
    pub currency: String,
    pub hourly_rate: String,
    pub net_terms: String,
    pub tax_id: String,
    pub abbreviation: String,
    pub account_code: String,
    pub invoice_email: String,
    #[serde(deserialize_with = "checkbox")]
    pub invoice_reminders: bool,
    #[serde(deserialize_with = "checkbox")]
    pub show_location_on_invoice: bool,
    pub trading_name: String,
    pub domain: String,
    pub colour: String,
    pub parent_id: String,
    pub notes: String,
    pub tag_ids: Vec<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LocationInput {
    pub name: String,
    #[serde(deserialize_with = "checkbox")]
    pub primary: bool,
    pub address_1: String,
    pub address_2: String,
    pub address_3: String,
    pub city: String,
    pub state: String,
    pub postal_code: String,
    pub country: String,
    pub phone: String,
    pub phone_secondary: String,
    pub fax: String,
    pub invoice_email: String,
    pub hours: String,
    pub time_zone: String,
    pub notes: String,
    pub tag_ids: Vec<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactInput {
    pub name: String,
    pub title: String,
    pub department: String,
    pub email: String,
    pub phone: String,
    pub extension: String,
    pub mobile: String,
    pub location_id: String,
    pub notes: String,
    #[serde(deserialize_with = "checkbox")]
    pub primary: bool,
    #[serde(deserialize_with = "checkbox")]
    pub important: bool,
    #[serde(deserialize_with = "checkbox")]
    pub billing: bool,
    #[serde(deserialize_with = "checkbox")]
    pub technical: bool,
    pub auth_method: String,
    pub tag_ids: Vec<i64>,
}

/// The new-client form: the client and, when filled in, its primary location and contact.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewClient {
    pub client: ClientInput,
    pub location: LocationInput,
    pub contact: ContactInput,
}

/// How a contact signs in to the portal.
pub const AUTH_METHODS: [(&str, &str); 3] = [
    ("none", "No portal access"),
    ("local", "Portal password"),
    ("sso", "Single sign-on"),
];

/// Why `value` is refused for a field named `field` (the bare name, e.g. `email`), or None.
/// One rule set for every editor, in the browser and on the server.
pub fn field_problem(field: &str, value: &str) -> Option<String> {
    let v = value.trim();
    let problem = match field {
        "name" => name_problem(v),
        "email" | "invoice_email" if !v.is_empty() => email_problem(v),
        "website" if !v.is_empty() => (v.contains(char::is_whitespace) || !v.contains('.'))
            .then(|| "Enter a web address like example.com".to_string()),
        "domain" if !v.is_empty() => (v.contains(['/', '@', ':', ' ']) || !v.contains('.'))
            .then(|| "Enter a domain like example.com".to_string()),
        "currency" => (!is_currency(v)).then(|| "Enter an ISO 4217 code like USD or EUR".into()),
        "country" if !v.is_empty() => (!is_country(&v.to_uppercase()))
            .then(|| "Enter a two-letter country code like US or NL".into()),
        "hourly_rate" => parse_money(v).err(),
        "net_terms" => parse_days(v).err(),
        "colour" if !v.is_empty() => (!is_colour(v)).then(|| "Pick a colour like #1a73e8".into()),
        "phone" | "mobile" | "phone_secondary" | "fax" => v
            .chars()
            .any(|c| !(c.is_ascii_digit() || " +-().x/".contains(c)))
            .then(|| "Use digits, spaces and + - ( ) only".into()),
        "auth_method" if !v.is_empty() => (!AUTH_METHODS.iter().any(|(m, _)| *m == v))
            .then(|| "Choose how the contact signs in".into()),
        _ => None,
    };
    let limit = if field == "notes" { 20_000 } else { 300 };
    problem
        .or_else(|| (v.chars().count() > limit).then(|| format!("Use at most {limit} characters")))
}

fn problems(section: &str, fields: &[(&str, &str)]) -> Vec<FieldError> {
    fields
        .iter()
        .filter_map(|(field, value)| {
            field_problem(field, value).map(|message| FieldError {
                field: format!("{section}[{field}]"),
                message,
            })
        })
        .collect()
}

fn blank(fields: &[(&str, &str)]) -> bool {
    fields.iter().all(|(_, v)| v.trim().is_empty())
}

impl ClientInput {
    /// Problems keyed by form name, e.g. `client[currency]`.
    pub fn problems(&self) -> Vec<FieldError> {
        problems("client", &self.text_fields())
    }

    /// The typed-in fields by name, for checks and the audit log.
    pub fn text_fields(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("name", &self.name),
            ("industry", &self.industry),
            ("referral", &self.referral),
            ("website", &self.website),
            ("currency", &self.currency),
            ("hourly_rate", &self.hourly_rate),
            ("net_terms", &self.net_terms),
            ("tax_id", &self.tax_id),
            ("abbreviation", &self.abbreviation),
            ("account_code", &self.account_code),
            ("invoice_email", &self.invoice_email),
            ("trading_name", &self.trading_name),
            ("domain", &self.domain),
            ("colour", &self.colour),
            ("parent_id", &self.parent_id),
            ("notes", &self.notes),
        ]
    }

    pub fn flags(&self) -> Vec<(&'static str, bool)> {
        vec![
            ("lead", self.lead),
            ("invoice_reminders", self.invoice_reminders),
            ("show_location_on_invoice", self.show_location_on_invoice),
        ]
    }

    /// A fresh record's defaults.
    pub fn blank() -> Self {
        Self {
            currency: "USD".into(),
            net_terms: "30".into(),
            hourly_rate: "0.00".into(),
            invoice_reminders: true,
            ..Self::default()
        }
    }

    pub fn parent(&self) -> Option<i64> {
        client_ref(&self.parent_id)
    }
}

/// The client a text field names: "Name #12" as the client picker fills it, "#12" or "12".
pub fn client_ref(text: &str) -> Option<i64> {
    let text = text.trim();
    let id = text.rsplit_once('#').map_or(text, |(_, id)| id).trim();
    id.parse().ok().filter(|id| *id > 0)
}

/// How the client picker shows a client; `client_ref` reads it back.
pub fn client_ref_text(id: i64, name: &str) -> String {
    format!("{name} #{id}")
}

impl LocationInput {
    pub fn problems(&self) -> Vec<FieldError> {
        problems("location", &self.text_fields())
    }

    pub fn text_fields(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("name", &self.name),
            ("address_1", &self.address_1),
            ("address_2", &self.address_2),
            ("address_3", &self.address_3),
            ("city", &self.city),
            ("state", &self.state),
            ("postal_code", &self.postal_code),
            ("country", &self.country),
            ("phone", &self.phone),
            ("phone_secondary", &self.phone_secondary),
            ("fax", &self.fax),
            ("invoice_email", &self.invoice_email),
            ("hours", &self.hours),
            ("time_zone", &self.time_zone),
            ("notes", &self.notes),
        ]
    }

    pub fn flags(&self) -> Vec<(&'static str, bool)> {
        vec![("primary", self.primary)]
    }

    /// Nothing typed in (the new-client form then creates no location).
    pub fn is_blank(&self) -> bool {
        blank(&self.text_fields())
    }
}

impl ContactInput {
    pub fn problems(&self) -> Vec<FieldError> {
        problems("contact", &self.text_fields())
    }

    pub fn text_fields(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("name", &self.name),
            ("title", &self.title),
            ("department", &self.department),
            ("email", &self.email),
            ("phone", &self.phone),
            ("extension", &self.extension),
            ("mobile", &self.mobile),
            ("notes", &self.notes),
            ("auth_method", &self.auth_method),
            ("location_id", &self.location_id),
        ]
    }

    pub fn flags(&self) -> Vec<(&'static str, bool)> {
        vec![
            ("primary", self.primary),
            ("important", self.important),
            ("billing", self.billing),
            ("technical", self.technical),
        ]
    }

    pub fn is_blank(&self) -> bool {
        blank(&self.text_fields()[..8])
    }

    pub fn location(&self) -> Option<i64> {
        self.location_id.trim().parse().ok()
    }

    pub fn auth_method(&self) -> &str {
        match self.auth_method.trim() {
            "" => "none",
            m => m,
        }
    }
}

impl NewClient {
    pub fn problems(&self) -> Vec<FieldError> {
        let mut all = self.client.problems();
        if !self.location.is_blank() {
            // A blank location name is filled in when saving.
            all.extend(
                self.location
                    .problems()
                    .into_iter()
                    .filter(|p| p.field != "location[name]"),
            );
        }
        if !self.contact.is_blank() {
            all.extend(self.contact.problems());
        }
        all
    }
}

/// An amount like `125` or `125.50`, in cents.
pub fn parse_money(value: &str) -> Result<i64, String> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(0);
    }
    let bad = || "Enter an amount like 125.00".to_string();
    let (whole, frac) = v.split_once('.').unwrap_or((v, ""));
    if whole.is_empty()
        || whole.len() > 9
        || frac.len() > 2
        || !whole
            .chars()
            .chain(frac.chars())
            .all(|c| c.is_ascii_digit())
    {
        return Err(bad());
    }
    let cents = format!("{frac:0<2}").parse::<i64>().map_err(|_| bad())?;
    Ok(whole.parse::<i64>().map_err(|_| bad())? * 100 + cents)
}

pub fn format_money(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// Payment terms in days, 0 to 365.
pub fn parse_days(value: &str) -> Result<i64, String> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(0);
    }
    v.parse::<i64>()
        .ok()
        .filter(|d| (0..=365).contains(d))
        .ok_or_else(|| "Enter a number of days from 0 to 365".to_string())
}

fn is_colour(v: &str) -> bool {
    v.len() == 7 && v.starts_with('#') && v[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// A client name reduced for duplicate detection: lower case, words only, legal suffixes gone.
pub fn name_key(name: &str) -> String {
    const SUFFIXES: &[&str] = &[
        "inc",
        "ltd",
        "llc",
        "llp",
        "gmbh",
        "bv",
        "nv",
        "corp",
        "corporation",
        "co",
        "company",
        "limited",
        "plc",
        "sa",
        "ag",
        "the",
    ];
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !SUFFIXES.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The digits of a phone number, for lookups whatever way it was typed.
pub fn digits(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

/// `https://www.Example.com/x` → `example.com`.
pub fn domain_of(website: &str) -> String {
    let v = website.trim().to_lowercase();
    let v = v.split_once("://").map_or(v.as_str(), |(_, rest)| rest);
    let host = v.split(['/', '?', '#', ':']).next().unwrap_or_default();
    host.strip_prefix("www.").unwrap_or(host).to_string()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    pub id: i64,
    /// client, location or contact.
    pub kind: String,
    pub name: String,
    pub colour: String,
}

pub const TAG_KINDS: [&str; 3] = ["client", "location", "contact"];

/// A client as the detail page and editors see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Client {
    pub id: i64,
    pub fields: ClientInput,
    pub parent_name: Option<String>,
    pub tags: Vec<Tag>,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
    pub archived_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub id: i64,
    pub client_id: i64,
    pub fields: LocationInput,
    pub tags: Vec<Tag>,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
    pub archived_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub location_name: Option<String>,
    pub fields: ContactInput,
    pub tags: Vec<Tag>,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
    pub archived_at: Option<String>,
}

impl Location {
    pub fn archived(&self) -> bool {
        self.archived_at.is_some()
    }
}

impl Contact {
    pub fn archived(&self) -> bool {
        self.archived_at.is_some()
    }
}

/// Everything the client page shows, with the choices its editors offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientRecord {
    pub client: Client,
    pub locations: Vec<Location>,
    pub contacts: Vec<Contact>,
    /// Every tag, for the pickers.
    pub all_tags: Vec<Tag>,
}

/// One row of the client list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientRow {
    pub id: i64,
    pub name: String,
    pub lead: bool,
    pub industry: String,
    pub primary_contact: Option<String>,
    pub city: Option<String>,
    /// Named by the list's tags.
    pub tag_ids: Vec<i64>,
    pub contacts: i64,
    pub locations: i64,
    pub archived: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientSort {
    /// Recently opened by the viewer first, then by name.
    Recent,
    Name,
    Created,
    Updated,
}

impl ClientSort {
    pub const ALL: [(ClientSort, &'static str, &'static str); 4] = [
        (ClientSort::Recent, "recent", "Recently opened"),
        (ClientSort::Name, "name", "Name"),
        (ClientSort::Created, "created", "Newest"),
        (ClientSort::Updated, "updated", "Recently changed"),
    ];

    pub fn parse(v: &str) -> Self {
        Self::ALL
            .iter()
            .find(|(_, key, _)| *key == v)
            .map_or(ClientSort::Recent, |(s, ..)| *s)
    }

    pub fn key(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(s, ..)| *s == self)
            .map_or("recent", |(_, k, _)| k)
    }
}

/// Which archived records a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Archived {
    Hide,
    Include,
    Only,
}

impl Archived {
    fn parse(v: &str) -> Self {
        match v {
            "include" => Archived::Include,
            "only" => Archived::Only,
            _ => Archived::Hide,
        }
    }
    fn key(self) -> Option<&'static str> {
        match self {
            Archived::Hide => None,
            Archived::Include => Some("include"),
            Archived::Only => Some("only"),
        }
    }

    /// The word the list queries bind: hide, include or only.
    pub fn mode(self) -> &'static str {
        self.key().unwrap_or("hide")
    }
}

pub const PAGE_SIZES: [i64; 4] = [25, 50, 100, 200];

/// Reads a list's paging from its query string.
fn paging(get: &impl Fn(&str) -> Option<String>) -> (i64, i64) {
    let page = get("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1i64)
        .max(1);
    let size = get("size")
        .and_then(|s| s.parse().ok())
        .filter(|s| PAGE_SIZES.contains(s))
        .unwrap_or(50);
    (page, size)
}

fn text(get: &impl Fn(&str) -> Option<String>, key: &str) -> Option<String> {
    get(key)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Builds `?k=v&...` from the parts that are set.
fn query(pairs: &[(&str, Option<String>)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={}", crate::url::encode(v))))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// The client list's state, all of it in the URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientFilter {
    pub q: Option<String>,
    pub tag: Option<i64>,
    pub industry: Option<String>,
    pub referral: Option<String>,
    /// Some(true) leads only, Some(false) customers only.
    pub lead: Option<bool>,
    pub archived: Archived,
    /// First and last creation day included, `YYYY-MM-DD` (UTC).
    pub from: Option<String>,
    pub to: Option<String>,
    pub sort: ClientSort,
    pub page: i64,
    pub size: i64,
}

impl Default for ClientFilter {
    fn default() -> Self {
        Self::from_query(|_| None)
    }
}

impl ClientFilter {
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let (page, size) = paging(&get);
        Self {
            q: text(&get, "q"),
            tag: text(&get, "tag").and_then(|t| t.parse().ok()),
            industry: text(&get, "industry"),
            referral: text(&get, "referral"),
            lead: match text(&get, "kind").as_deref() {
                Some("lead") => Some(true),
                Some("customer") => Some(false),
                _ => None,
            },
            archived: Archived::parse(&text(&get, "archived").unwrap_or_default()),
            from: text(&get, "from"),
            to: text(&get, "to"),
            sort: ClientSort::parse(&text(&get, "sort").unwrap_or_default()),
            page,
            size,
        }
    }

    /// The query string for this filter on another page (None: leave paging out).
    pub fn to_query(&self, page: Option<i64>) -> String {
        query(&[
            ("q", self.q.clone()),
            ("tag", self.tag.map(|t| t.to_string())),
            ("industry", self.industry.clone()),
            ("referral", self.referral.clone()),
            (
                "kind",
                self.lead
                    .map(|l| if l { "lead" } else { "customer" }.to_string()),
            ),
            ("archived", self.archived.key().map(String::from)),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            (
                "sort",
                (self.sort != ClientSort::Recent).then(|| self.sort.key().to_string()),
            ),
            ("size", (self.size != 50).then(|| self.size.to_string())),
            ("page", page.filter(|p| *p > 1).map(|p| p.to_string())),
        ])
    }
}

/// One page of a list with the total number of matches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListPage<T> {
    pub total: i64,
    pub page: i64,
    pub size: i64,
    pub rows: Vec<T>,
}

/// The client list counts matches up to this many; past it, it says "10,000+".
pub const COUNT_CAP: i64 = 10_000;

impl<T> ListPage<T> {
    /// The total as shown: exact up to [`COUNT_CAP`].
    pub fn total_text(&self) -> String {
        if self.total > COUNT_CAP {
            "10,000+".into()
        } else {
            self.total.to_string()
        }
    }

    pub fn pages(&self) -> i64 {
        ((self.total + self.size - 1) / self.size).max(1)
    }
}

/// The contact list's state, all of it in the URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactFilter {
    pub q: Option<String>,
    /// primary, important, billing or technical.
    pub flag: Option<String>,
    pub client: Option<i64>,
    pub tag: Option<i64>,
    pub archived: Archived,
    pub page: i64,
    pub size: i64,
}

impl Default for ContactFilter {
    fn default() -> Self {
        Self::from_query(|_| None)
    }
}

pub const CONTACT_FLAGS: [(&str, &str); 4] = [
    ("primary", "Primary"),
    ("important", "Important"),
    ("billing", "Billing"),
    ("technical", "Technical"),
];

impl ContactFilter {
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let (page, size) = paging(&get);
        Self {
            q: text(&get, "q"),
            flag: text(&get, "flag").filter(|f| CONTACT_FLAGS.iter().any(|(k, _)| k == f)),
            client: text(&get, "client").and_then(|c| client_ref(&c)),
            tag: text(&get, "tag").and_then(|t| t.parse().ok()),
            archived: Archived::parse(&text(&get, "archived").unwrap_or_default()),
            page,
            size,
        }
    }

    pub fn to_query(&self, page: Option<i64>) -> String {
        query(&[
            ("q", self.q.clone()),
            ("flag", self.flag.clone()),
            ("client", self.client.map(|c| c.to_string())),
            ("tag", self.tag.map(|t| t.to_string())),
            ("archived", self.archived.key().map(String::from)),
            ("size", (self.size != 50).then(|| self.size.to_string())),
            ("page", page.filter(|p| *p > 1).map(|p| p.to_string())),
        ])
    }
}

/// What a bulk action on selected clients does.
pub const BULK_ACTIONS: [(&str, &str); 8] = [
    ("tag_add", "Add tag"),
    ("tag_remove", "Remove tag"),
    ("industry", "Set industry"),
    ("referral", "Set referral"),
    ("hourly_rate", "Set hourly rate"),
    ("net_terms", "Set net terms"),
    ("archive", "Archive"),
    ("restore", "Restore"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_past_the_cap_are_not_counted_exactly() {
        let page = |total| ListPage::<()> {
            total,
            page: 1,
            size: 50,
            rows: Vec::new(),
        };
        assert_eq!(page(COUNT_CAP).total_text(), "10000");
        assert_eq!(page(COUNT_CAP + 1).total_text(), "10,000+");
    }

    #[test]
    fn a_client_is_named_by_its_trailing_number() {
        assert_eq!(client_ref(&client_ref_text(12, "ACME #3 Corp")), Some(12));
        assert_eq!(client_ref(" #7 "), Some(7));
        assert_eq!(client_ref("42"), Some(42));
        assert_eq!(client_ref("ACME Corp"), None);
        assert_eq!(client_ref("#0"), None);
        assert_eq!(client_ref("#-4"), None);
        assert_eq!(client_ref(""), None);
    }

    #[test]
    fn money_and_days_parse_strictly() {
        assert_eq!(parse_money("125"), Ok(12500));
        assert_eq!(parse_money("125.5"), Ok(12550));
        assert_eq!(parse_money(" 0.05 "), Ok(5));
        assert!(parse_money("12,50").is_err() && parse_money("-1").is_err());
        assert!(parse_money("1.234").is_err() && parse_money(".5").is_err());
        assert_eq!(format_money(12550), "125.50");
        assert_eq!(parse_days("30"), Ok(30));
        assert!(parse_days("366").is_err() && parse_days("x").is_err());
    }

    #[test]
    fn duplicate_keys_ignore_case_punctuation_and_legal_form() {
        assert_eq!(name_key("ACME Corp."), "acme");
        assert_eq!(name_key("Acme, Inc"), "acme");
        assert_eq!(name_key("The Blue  Widget Company"), "blue widget");
        assert_eq!(domain_of("https://www.Example.com/about"), "example.com");
        assert_eq!(digits("+1 (555) 010-0199"), "15550100199");
    }

    #[test]
    fn fields_are_checked_by_name_with_their_form_key() {
        let mut input = ClientInput::blank();
        assert_eq!(
            input
                .problems()
                .iter()
                .map(|p| p.field.as_str())
                .collect::<Vec<_>>(),
            ["client[name]"]
        );
        input.name = "Acme".into();
        input.currency = "XXY".into();
        input.colour = "blue".into();
        let fields: Vec<_> = input.problems().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["client[currency]", "client[colour]"]);
        assert!(field_problem("country", "NL").is_none());
        assert!(field_problem("country", "UK").is_some());
        assert!(field_problem("email", "").is_none(), "email is optional");
        assert!(field_problem("email", "nope").is_some());
        assert!(field_problem("phone", "555-0100 x12").is_none());
        assert!(field_problem("phone", "call me").is_some());
    }

    #[test]
    fn list_state_round_trips_through_the_query_string() {
        let pairs = [
            ("q", "acme"),
            ("kind", "lead"),
            ("sort", "name"),
            ("size", "25"),
            ("tag", "3"),
        ];
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(p, _)| *p == k)
                .map(|(_, v)| v.to_string())
        };
        let f = ClientFilter::from_query(get);
        assert_eq!(f.lead, Some(true));
        assert_eq!(f.sort, ClientSort::Name);
        let q = f.to_query(Some(2));
        assert_eq!(q, "?q=acme&tag=3&kind=lead&sort=name&size=25&page=2");
        assert_eq!(ClientFilter::default().to_query(Some(1)), "");
        let bad = ClientFilter::from_query(|k| (k == "size").then(|| "100000".to_string()));
        assert_eq!(bad.size, 50);
    }
}
