//! `docket seed --clients N`: realistic synthetic clients with 1–3 locations, about three
//! contacts each (unique emails, phones in varied formats), tags, and tickets from their
//! contacts (about one client in three has some, in every status, over the last 90 days). The same `--seed` on an
//! empty database gives the same data. A batch of clients is planned in memory, then written
//! in one transaction by the data layer's bulk inserts (a few statements per batch, not a few
//! per record), which keep the record's rules (one primary each, normalised names and phone
//! digits).

use super::db::{Author, Db, NewTicket, Tx};
use crate::clients::model::{ClientInput, ContactInput, LocationInput};
use crate::error::AppError;
use crate::tickets::model::{Priority, Source, Status};
use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Clients per transaction.
const BATCH: usize = 500;

const SURNAMES: [&str; 40] = [
    "Harris",
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Novak",
    "Schmidt",
    "Rossi",
    "Kowalski",
    "Murphy",
    "Nakamura",
    "Haddad",
    "Fischer",
    "Jansen",
    "Silva",
    "Dubois",
    "Larsen",
    "Petrov",
    "Garcia",
    "Chen",
    "Walsh",
    "Becker",
    "Ivanova",
    "Costa",
    "Müller",
    "Brennan",
    "Varga",
    "Yilmaz",
    "Kaur",
    "Olsen",
    "Bianchi",
    "Horvat",
    "Adeyemi",
    "Sato",
    "Nguyen",
    "Patel",
    "Fox",
    "Keller",
    "Quinn",
    "Abbott",
];
const TRADES: [&str; 30] = [
    "Dental",
    "Legal",
    "Logistics",
    "Builders",
    "Accounting",
    "Clinic",
    "Motors",
    "Foods",
    "Realty",
    "Engineering",
    "Design",
    "Consulting",
    "Insurance",
    "Pharmacy",
    "Studios",
    "Partners",
    "Labs",
    "Supply",
    "Hotels",
    "Farms",
    "Architects",
    "Veterinary",
    "Printing",
    "Plumbing",
    "Electrical",
    "Bakery",
    "Fitness",
    "Opticians",
    "Travel",
    "Marine",
];
const FORMS: [&str; 8] = ["Inc", "LLC", "Ltd", "GmbH", "BV", "& Co", "Group", "LLP"];
const INDUSTRIES: [&str; 12] = [
    "Healthcare",
    "Legal",
    "Logistics",
    "Construction",
    "Finance",
    "Hospitality",
    "Retail",
    "Manufacturing",
    "Education",
    "Non-profit",
    "Real estate",
    "Agriculture",
];
const REFERRALS: [&str; 6] = [
    "Website",
    "Referral",
    "Trade show",
    "Cold call",
    "Partner",
    "Google",
];
/// City, state, country, time zone, phone prefix.
const PLACES: [(&str, &str, &str, &str, &str); 10] = [
    ("Springfield", "IL", "US", "America/Chicago", "+1 (217)"),
    ("Austin", "TX", "US", "America/Chicago", "+1 (512)"),
    ("Portland", "OR", "US", "America/Los_Angeles", "+1 (503)"),
    ("Utrecht", "UT", "NL", "Europe/Amsterdam", "+31 30"),
    ("Leeds", "", "GB", "Europe/London", "+44 113"),
    ("Lyon", "", "FR", "Europe/Paris", "+33 4"),
    ("Hamburg", "HH", "DE", "Europe/Berlin", "+49 40"),
    ("Toronto", "ON", "CA", "America/Toronto", "+1 (416)"),
    ("Brisbane", "QLD", "AU", "Australia/Brisbane", "+61 7"),
    ("Cork", "", "IE", "Europe/Dublin", "+353 21"),
];
const STREETS: [&str; 10] = [
    "Main Street",
    "Station Road",
    "Oak Avenue",
    "Harbour Way",
    "Mill Lane",
    "Church Street",
    "Park Road",
    "Market Square",
    "Bridge Street",
    "Kingsway",
];
const FIRST_NAMES: [&str; 24] = [
    "Ana", "Ben", "Chloé", "Dmitri", "Emma", "Farah", "Gustav", "Hana", "Ivan", "Jade", "Kofi",
    "Lena", "Marco", "Nia", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tomás", "Uma", "Viktor",
    "Wen", "Yusuf",
];
const TITLES: [&str; 8] = [
    "Office manager",
    "Owner",
    "IT coordinator",
    "Practice manager",
    "Finance lead",
    "Operations director",
    "Receptionist",
    "Partner",
];
const DEPARTMENTS: [&str; 5] = ["Management", "Finance", "Operations", "Front desk", "IT"];
/// Tags the seed uses: kind, name, colour.
const ISSUES: [(&str, &str); 10] = [
    (
        "Printer on the second floor is offline",
        "It shows offline for everyone since this morning.",
    ),
    (
        "New starter needs an account",
        "Starts Monday in Finance; needs email and the shared drive.",
    ),
    (
        "Outlook keeps asking for the password",
        "After the update it asks every few minutes.",
    ),
    (
        "VPN drops every hour",
        "Working from home, the VPN disconnects roughly hourly.",
    ),
    (
        "Laptop running very slowly",
        "Takes ten minutes to start and programs freeze.",
    ),
    (
        "Cannot reach the shared drive",
        "The S: drive says access denied.",
    ),
    (
        "Phishing email received",
        "Several of us got an email asking to confirm our passwords.",
    ),
    (
        "Wi-Fi weak in the meeting room",
        "Video calls drop in the big meeting room.",
    ),
    (
        "Backup warning email",
        "We received a warning that last night's backup failed.",
    ),
    (
        "Request: second monitor",
        "Could we order a second monitor for reception?",
    ),
];
const FOLLOW_UPS: [&str; 4] = [
    "Any update on this?",
    "It happened again just now.",
    "Thanks, that worked.",
    "Is there anything I should try in the meantime?",
];

const TAGS: [(&str, &str, &str); 6] = [
    ("client", "Managed", "#1a73e8"),
    ("client", "Break-fix", "#b06000"),
    ("client", "VIP", "#b42318"),
    ("client", "Onboarding", "#137333"),
    ("contact", "Decision maker", "#6a1b9a"),
    ("location", "Server room", "#455a64"),
];

/// What a seed run added.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Seeded {
    pub clients: usize,
    pub locations: usize,
    pub contacts: usize,
    pub tickets: usize,
}

/// Adds `clients` clients with their locations and contacts; `progress` hears how many
/// clients are done after each batch.
pub async fn seed(
    db: &Db,
    clients: usize,
    seed: u64,
    mut progress: impl FnMut(usize),
) -> Result<Seeded, AppError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let tags = ensure_tags(db).await?;
    // Numbering continues after the clients already there, so a second run adds new ones.
    let first = db.client_count().await? as usize;
    let mut seeded = Seeded::default();
    // The search index is built once at the end rather than row by row.
    let paused = db.pause_search_index().await?;
    let added = async {
        for start in (0..clients).step_by(BATCH) {
            let plans: Vec<Plan> = (first + start..first + (start + BATCH).min(clients))
                .map(|n| plan(&mut rng, n, &tags))
                .collect();
            let mut tx = db.begin().await?;
            tx.load_schema().await?; // the pause changed it
            write(&mut tx, &plans, &mut seeded).await?;
            tx.commit().await?;
            progress(seeded.clients);
        }
        Ok::<_, AppError>(())
    }
    .await;
    db.resume_search_index(paused).await?;
    added?;
    db.refresh_statistics().await?;
    Ok(seeded)
}

/// The seed's tags, created when missing: (kind, id) pairs in `TAGS` order.
async fn ensure_tags(db: &Db) -> Result<Vec<(&'static str, i64)>, AppError> {
    let existing = db.list_tags().await?;
    let mut out = Vec::new();
    let mut tx = db.begin().await?;
    for (kind, name, colour) in TAGS {
        let found = existing
            .iter()
            .find(|t| t.kind == kind && t.name.eq_ignore_ascii_case(name));
        let id = match found {
            Some(t) => t.id,
            None => tx.insert_tag(kind, name, colour).await?,
        };
        out.push((kind, id));
    }
    tx.commit().await?;
    Ok(out)
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// Tags of one kind, each chosen with probability `p`.
fn some_tags(rng: &mut StdRng, tags: &[(&str, i64)], kind: &str, p: f64) -> Vec<i64> {
    tags.iter()
        .filter(|(k, _)| *k == kind)
        .filter(|_| rng.random_bool(p))
        .map(|(_, id)| *id)
        .collect()
}

/// A phone number in one of the ways people type them.
fn phone(rng: &mut StdRng, prefix: &str) -> String {
    let (a, b) = (rng.random_range(100..999), rng.random_range(1000..9999));
    match rng.random_range(0..4) {
        0 => format!("{prefix} {a}-{b}"),
        1 => format!("{prefix} {a} {b}"),
        2 => format!("{}{a}{b}", prefix.replace([' ', '(', ')'], "")),
        _ => format!("{prefix}.{a}.{b}").replace(" .", " "),
    }
}

/// One client as the seed will write it: its records refer to each other by position.
struct Plan {
    client: ClientInput,
    locations: Vec<LocationInput>,
    /// Each contact with the position of its location.
    contacts: Vec<(ContactInput, usize)>,
    tickets: Vec<PlannedTicket>,
}

struct PlannedTicket {
    /// Positions of its contact and location.
    contact: usize,
    location: usize,
    issue: (&'static str, &'static str),
    priority: Priority,
    source: Source,
    status: Status,
    at: DateTime<Utc>,
    follow_up: Option<(&'static str, DateTime<Utc>)>,
}

fn plan(rng: &mut StdRng, n: usize, tags: &[(&str, i64)]) -> Plan {
    // Every (surname, trade, form) once before any repeats; repeats carry a number.
    let combos = SURNAMES.len() * TRADES.len() * FORMS.len();
    let k = (n * 7919) % combos;
    let surname = SURNAMES[k % SURNAMES.len()];
    let trade = TRADES[(k / SURNAMES.len()) % TRADES.len()];
    let form = FORMS[k / (SURNAMES.len() * TRADES.len())];
    let round = n / combos;
    let name = match round {
        0 => format!("{surname} {trade} {form}"),
        r => format!("{surname} {trade} {form} {}", r + 1),
    };
    let slug = format!(
        "{surname}-{trade}",
        surname = ascii(surname),
        trade = ascii(trade)
    );
    let domain = format!("{slug}-{n}.example");
    let place = *pick(rng, &PLACES);
    let abbreviation = ascii(surname)[..3].to_uppercase();
    let client = ClientInput {
        name,
        lead: rng.random_bool(0.1),
        industry: pick(rng, &INDUSTRIES).to_string(),
        referral: pick(rng, &REFERRALS).to_string(),
        website: format!("https://www.{domain}"),
        domain: domain.clone(),
        currency: match place.2 {
            "US" => "USD",
            "GB" => "GBP",
            "CA" => "CAD",
            "AU" => "AUD",
            _ => "EUR",
        }
        .into(),
        hourly_rate: format!("{}.00", rng.random_range(8..20) * 10),
        net_terms: pick(rng, &["7", "14", "30", "30", "45", "60"]).to_string(),
        account_code: format!("{abbreviation}{n:06}"),
        abbreviation,
        invoice_email: format!("accounts@{domain}"),
        tag_ids: some_tags(rng, tags, "client", 0.25),
        ..ClientInput::blank()
    };

    let locations: Vec<LocationInput> = (0..rng.random_range(1..=3))
        .map(|i| {
            let place = if i == 0 { place } else { *pick(rng, &PLACES) };
            LocationInput {
                name: match i {
                    0 => "Head office".to_string(),
                    _ => format!("{} branch", place.0),
                },
                primary: i == 0,
                address_1: format!("{} {}", rng.random_range(1..400), pick(rng, &STREETS)),
                city: place.0.into(),
                state: place.1.into(),
                postal_code: format!("{:05}", rng.random_range(1000..99999)),
                country: place.2.into(),
                time_zone: place.3.into(),
                phone: phone(rng, place.4),
                hours: "Mon–Fri 08:30–17:30".into(),
                tag_ids: some_tags(rng, tags, "location", 0.1),
                ..Default::default()
            }
        })
        .collect();

    // One to five contacts, three on average; the first is the primary one.
    let contacts: Vec<(ContactInput, usize)> = (0..rng.random_range(1..=5))
        .map(|i| {
            let first = pick(rng, &FIRST_NAMES);
            let last = pick(rng, &SURNAMES);
            let email = format!("{}.{}{i}@{domain}", ascii(first), ascii(last)).to_lowercase();
            let contact = ContactInput {
                name: format!("{first} {last}"),
                title: pick(rng, &TITLES).to_string(),
                department: pick(rng, &DEPARTMENTS).to_string(),
                email,
                phone: phone(rng, place.4),
                extension: if rng.random_bool(0.3) {
                    rng.random_range(100..999).to_string()
                } else {
                    String::new()
                },
                mobile: if rng.random_bool(0.6) {
                    phone(rng, place.4)
                } else {
                    String::new()
                },
                primary: i == 0,
                important: rng.random_bool(0.2),
                billing: rng.random_bool(0.2),
                technical: rng.random_bool(0.3),
                tag_ids: some_tags(rng, tags, "contact", 0.15),
                ..Default::default()
            };
            (contact, rng.random_range(0..locations.len()))
        })
        .collect();

    // Two clients in three have no tickets; the others one to three, most of them settled.
    let count = match rng.random_range(0..6) {
        0..=3 => 0,
        4 => 1,
        _ => rng.random_range(2..=3),
    };
    let tickets = (0..count)
        .map(|_| {
            let at = Utc::now() - chrono::Duration::minutes(rng.random_range(180..90 * 24 * 60));
            PlannedTicket {
                contact: rng.random_range(0..contacts.len()),
                location: rng.random_range(0..locations.len()),
                issue: *pick(rng, &ISSUES),
                status: *pick(
                    rng,
                    &[
                        Status::New,
                        Status::Open,
                        Status::OnHold,
                        Status::Resolved,
                        Status::Closed,
                        Status::Closed,
                        Status::Closed,
                    ],
                ),
                priority: *pick(
                    rng,
                    &[
                        Priority::Low,
                        Priority::Medium,
                        Priority::Medium,
                        Priority::High,
                        Priority::Urgent,
                    ],
                ),
                source: *pick(
                    rng,
                    &[
                        Source::Portal,
                        Source::Portal,
                        Source::Email,
                        Source::Ui,
                        Source::Api,
                    ],
                ),
                at,
                follow_up: rng.random_bool(0.4).then(|| {
                    let later = at + chrono::Duration::minutes(rng.random_range(5..120));
                    (*pick(rng, &FOLLOW_UPS), later)
                }),
            }
        })
        .collect();
    Plan {
        client,
        locations,
        contacts,
        tickets,
    }
}

/// Writes a batch of planned clients: clients, locations, contacts, tags and tickets each in a
/// few statements; follow-ups one by one (one ticket in seven has one).
async fn write(tx: &mut Tx, plans: &[Plan], seeded: &mut Seeded) -> Result<(), AppError> {
    let clients = tx
        .insert_clients(&plans.iter().map(|p| &p.client).collect::<Vec<_>>())
        .await?;
    let tagged = |ids: &[i64], tags: &mut dyn Iterator<Item = &Vec<i64>>| -> Vec<(i64, i64)> {
        ids.iter()
            .zip(tags)
            .flat_map(|(id, tags)| tags.iter().map(move |t| (*id, *t)))
            .collect()
    };
    tx.add_tags_to_many(
        "client",
        &tagged(&clients, &mut plans.iter().map(|p| &p.client.tag_ids)),
    )
    .await?;

    let rows: Vec<(i64, &LocationInput)> = plans
        .iter()
        .zip(&clients)
        .flat_map(|(p, id)| p.locations.iter().map(move |l| (*id, l)))
        .collect();
    let locations = tx.insert_new_locations(&rows).await?;
    tx.add_tags_to_many(
        "location",
        &tagged(&locations, &mut rows.iter().map(|(_, l)| &l.tag_ids)),
    )
    .await?;

    // Each client's records, by position: where its locations and contacts start.
    let starts = |sizes: &mut dyn Iterator<Item = usize>| -> Vec<usize> {
        sizes
            .scan(0, |at, n| {
                let start = *at;
                *at += n;
                Some(start)
            })
            .collect()
    };
    let location_start = starts(&mut plans.iter().map(|p| p.locations.len()));
    let contact_start = starts(&mut plans.iter().map(|p| p.contacts.len()));
    let location_ids = &locations;
    let contact_inputs: Vec<(i64, ContactInput)> = plans
        .iter()
        .zip(&clients)
        .zip(&location_start)
        .flat_map(|((p, id), start)| {
            p.contacts.iter().map(move |(k, at)| {
                let contact = ContactInput {
                    location_id: location_ids[start + at].to_string(),
                    ..k.clone()
                };
                (*id, contact)
            })
        })
        .collect();
    let rows: Vec<(i64, &ContactInput)> = contact_inputs.iter().map(|(id, k)| (*id, k)).collect();
    let contacts = tx.insert_new_contacts(&rows).await?;
    tx.add_tags_to_many(
        "contact",
        &tagged(&contacts, &mut rows.iter().map(|(_, k)| &k.tag_ids)),
    )
    .await?;

    let mut new = Vec::new();
    let mut follow_ups = Vec::new();
    for (i, p) in plans.iter().enumerate() {
        for t in &p.tickets {
            let contact = contact_start[i] + t.contact;
            new.push((
                NewTicket {
                    client_id: clients[i],
                    contact_id: Some(contacts[contact]),
                    location_id: Some(locations[location_start[i] + t.location]),
                    assignee_id: None,
                    subject: t.issue.0,
                    details: t.issue.1,
                    priority: t.priority,
                    source: t.source,
                },
                t.status,
                t.at,
            ));
            follow_ups.push(
                t.follow_up
                    .map(|f| (contacts[contact], &p.contacts[t.contact].0.name, f)),
            );
        }
    }
    let rows: Vec<(&NewTicket, Status, DateTime<Utc>)> =
        new.iter().map(|(t, s, at)| (t, *s, *at)).collect();
    let tickets = tx.insert_tickets_at(&rows).await?;
    for ((ticket, _), follow_up) in tickets.iter().zip(follow_ups) {
        if let Some((contact, name, (body, at))) = follow_up {
            tx.insert_reply_at(*ticket, Author::Contact(contact, name), body, false, at)
                .await?;
        }
    }

    seeded.clients += clients.len();
    seeded.locations += locations.len();
    seeded.contacts += contacts.len();
    seeded.tickets += tickets.len();
    Ok(())
}

/// `Müller` → `muller`-ish: letters for domains and emails.
fn ascii(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'ü' => Some('u'),
            'é' => Some('e'),
            'á' => Some('a'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_become_plain_ascii() {
        assert_eq!(super::ascii("Müller"), "muller");
        assert_eq!(super::ascii("Tomás"), "tomas");
        assert_eq!(super::ascii("& Co"), "co");
    }
}
