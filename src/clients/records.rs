//! Writes to the client record, one way for the browser, the API and the import: each checks
//! what the author may reach, then the input, then makes one transaction with its audit
//! entries. A record the author may not see answers "not found", never "forbidden".

use super::model::{field_problem, ClientInput, ContactInput, LocationInput, NewClient};
use crate::error::{AppError, FieldError};
use crate::server::db::{Actor, AuditEntry, Db, Origin, Scope, Tx};

/// Who makes a change and from where: what each of its audit entries carries.
#[derive(Debug, Clone)]
pub struct Author {
    pub actor: Actor,
    pub origin: Origin,
}

/// A client, location or contact, for archiving, restoring and deleting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RecordKind {
    Client,
    Location,
    Contact,
}

impl RecordKind {
    pub fn parse(kind: &str) -> Result<Self, AppError> {
        match kind {
            "client" => Ok(Self::Client),
            "location" => Ok(Self::Location),
            "contact" => Ok(Self::Contact),
            _ => Err(AppError::invalid("kind", "Unknown kind of record")),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Client => "client",
            Self::Location => "location",
            Self::Contact => "contact",
        }
    }

    /// The audit actions of changing, archiving, restoring and deleting one.
    fn actions(self) -> [&'static str; 4] {
        match self {
            Self::Client => [
                "client.update",
                "client.archive",
                "client.restore",
                "client.delete",
            ],
            Self::Location => [
                "location.update",
                "location.archive",
                "location.restore",
                "location.delete",
            ],
            Self::Contact => [
                "contact.update",
                "contact.archive",
                "contact.restore",
                "contact.delete",
            ],
        }
    }
}

/// An author changing the client records within a scope.
pub struct Editor {
    pub db: Db,
    pub by: Author,
    pub scope: Scope,
}

impl Editor {
    /// A new client with, when filled in, its primary location and primary contact.
    pub async fn create_client(&self, input: &NewClient) -> Result<i64, AppError> {
        let mut problems = input.problems();
        problems.extend(self.parent_problem(None, &input.client).await?);
        if !input.contact.is_blank() {
            problems.extend(self.email_problem(&input.contact.email, None).await?);
        }
        check(problems)?;
        let mut tx = self.db.begin().await?;
        let id = insert_record(&mut tx, &self.by, self.scope, input).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_client(&self, id: i64, client: &ClientInput) -> Result<(), AppError> {
        let before = self.client(id).await?;
        let mut problems = client.problems();
        problems.extend(self.parent_problem(Some(id), client).await?);
        check(problems)?;
        let mut tx = self.db.begin().await?;
        tx.update_client(id, client).await?;
        let (old, new) = (snapshot_client(&before), snapshot_client(client));
        let record = (RecordKind::Client, id, client.name.as_str());
        self.audit_update(&mut tx, record, id, &old, &new).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The quick notes on the client page, saved in place.
    pub async fn save_client_notes(&self, id: i64, notes: &str) -> Result<(), AppError> {
        let before = self.client(id).await?;
        if let Some(p) = field_problem("notes", notes) {
            return Err(AppError::invalid("notes", p));
        }
        let mut tx = self.db.begin().await?;
        tx.set_client_notes(id, notes).await?;
        let entry = AuditEntry::new(
            self.by.actor.clone(),
            "client.update",
            self.by.origin.clone(),
        )
        .record("client", id, &before.name)
        .client(Some(id))
        .change("notes", before.notes.trim(), notes.trim());
        tx.audit(&entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a location to a client (`id` None) or changes one of its locations.
    pub async fn save_location(
        &self,
        client_id: i64,
        id: Option<i64>,
        location: &LocationInput,
    ) -> Result<i64, AppError> {
        self.visible(client_id).await?;
        let before = match id {
            Some(id) => Some(
                self.db
                    .location(id)
                    .await?
                    .filter(|l| l.client_id == client_id)
                    .ok_or(AppError::NotFound)?,
            ),
            None => None,
        };
        check(location.problems())?;
        let mut tx = self.db.begin().await?;
        let id = match &before {
            Some(b) => {
                tx.update_location(b.id, client_id, location).await?;
                let (old, new) = (snapshot_location(&b.fields), snapshot_location(location));
                let record = (RecordKind::Location, b.id, location.name.as_str());
                self.audit_update(&mut tx, record, client_id, &old, &new)
                    .await?;
                b.id
            }
            None => add_location(&mut tx, &self.by, client_id, location).await?,
        };
        tx.commit().await?;
        Ok(id)
    }

    /// Adds a contact to a client (`id` None) or changes one of its contacts.
    pub async fn save_contact(
        &self,
        client_id: i64,
        id: Option<i64>,
        contact: &ContactInput,
    ) -> Result<i64, AppError> {
        self.visible(client_id).await?;
        let before = match id {
            Some(id) => Some(
                self.db
                    .contact(self.scope, id)
                    .await?
                    .filter(|c| c.client_id == client_id)
                    .ok_or(AppError::NotFound)?,
            ),
            None => None,
        };
        let mut problems = contact.problems();
        problems.extend(self.email_problem(&contact.email, id).await?);
        if let Some(location) = contact.location() {
            if !self
                .db
                .location(location)
                .await?
                .is_some_and(|l| l.client_id == client_id)
            {
                problems.push(FieldError {
                    field: "contact[location_id]".into(),
                    message: "Choose one of this client's locations".into(),
                });
            }
        }
        check(problems)?;
        let mut tx = self.db.begin().await?;
        let id = match &before {
            Some(b) => {
                tx.update_contact(b.id, client_id, contact).await?;
                let (old, new) = (snapshot_contact(&b.fields), snapshot_contact(contact));
                let record = (RecordKind::Contact, b.id, contact.name.as_str());
                self.audit_update(&mut tx, record, client_id, &old, &new)
                    .await?;
                b.id
            }
            None => add_contact(&mut tx, &self.by, client_id, contact).await?,
        };
        tx.commit().await?;
        Ok(id)
    }

    /// Archives (`archived` true) or restores a record.
    pub async fn set_archived(
        &self,
        kind: RecordKind,
        id: i64,
        archived: bool,
    ) -> Result<(), AppError> {
        let (client_id, label) = self.record(kind, id).await?;
        let mut tx = self.db.begin().await?;
        match kind {
            RecordKind::Client => tx.set_client_archived(id, archived).await?,
            RecordKind::Location => tx.set_location_archived(id, client_id, archived).await?,
            RecordKind::Contact => tx.set_contact_archived(id, archived).await?,
        }
        let [_, archive, restore, _] = kind.actions();
        let action = if archived { archive } else { restore };
        tx.audit(&self.entry(action, kind, id, &label, client_id))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes an archived record with what depends on it, answering its client's id. The
    /// browser asks for the record's exact name first (`confirm`); scripts name it by id.
    pub async fn delete_archived(
        &self,
        kind: RecordKind,
        id: i64,
        confirm: Option<&str>,
    ) -> Result<i64, AppError> {
        let (client_id, label) = self.record(kind, id).await?;
        if confirm.is_some_and(|c| c.trim() != label.trim()) {
            return Err(AppError::invalid(
                "confirm",
                "Type the exact name to delete",
            ));
        }
        let mut tx = self.db.begin().await?;
        tx.insert_tombstone(kind.name(), id, client_id, chrono::Utc::now())
            .await?;
        let deleted = match kind {
            RecordKind::Client => tx.delete_archived_client(id).await?,
            RecordKind::Location => tx.delete_archived_location(id).await?,
            RecordKind::Contact => tx.delete_archived_contact(id).await?,
        };
        if !deleted {
            return Err(AppError::Conflict(
                "Archive it first; only archived records can be deleted".into(),
            ));
        }
        let [.., delete] = kind.actions();
        tx.audit(&self.entry(delete, kind, id, &label, client_id))
            .await?;
        tx.commit().await?;
        Ok(client_id)
    }

    /// Which client already has a contact with this email; a client the author may not see is
    /// not named.
    pub async fn email_owner(
        &self,
        email: &str,
        except: Option<i64>,
    ) -> Result<Option<String>, AppError> {
        if email.trim().is_empty() {
            return Ok(None);
        }
        Ok(match self.db.email_owner(email, except).await? {
            Some(owner) if self.db.client_visible(self.scope, owner.client_id).await? => {
                Some(format!("This email is already on {}", owner.client_name))
            }
            Some(_) => Some("This email is already on another client's contact".into()),
            None => None,
        })
    }

    /// The audit entry of a changed record of `client_id`, with the fields that changed.
    async fn audit_update(
        &self,
        tx: &mut Tx,
        (kind, id, label): (RecordKind, i64, &str),
        client_id: i64,
        before: &[(&str, String)],
        after: &[(&str, String)],
    ) -> Result<(), AppError> {
        let [update, ..] = kind.actions();
        let record = (kind.name(), id, label);
        audit(tx, &self.by, update, record, client_id, Some(before), after).await
    }

    fn entry(
        &self,
        action: &'static str,
        kind: RecordKind,
        id: i64,
        label: &str,
        client_id: i64,
    ) -> AuditEntry {
        AuditEntry::new(self.by.actor.clone(), action, self.by.origin.clone())
            .record(kind.name(), id, label)
            .client(Some(client_id))
    }

    /// A client's fields, when the author may see it.
    async fn client(&self, id: i64) -> Result<ClientInput, AppError> {
        let client = self.db.client(self.scope, id).await?;
        Ok(client.ok_or(AppError::NotFound)?.fields)
    }

    async fn visible(&self, client_id: i64) -> Result<(), AppError> {
        match self.db.client_visible(self.scope, client_id).await? {
            true => Ok(()),
            false => Err(AppError::NotFound),
        }
    }

    /// The client and name of a record the author may see.
    async fn record(&self, kind: RecordKind, id: i64) -> Result<(i64, String), AppError> {
        let (db, scope) = (&self.db, self.scope);
        let found = match kind {
            RecordKind::Client => db.client(scope, id).await?.map(|c| (c.id, c.fields.name)),
            RecordKind::Location => match db.location(id).await? {
                Some(l) if db.client_visible(scope, l.client_id).await? => {
                    Some((l.client_id, l.fields.name))
                }
                _ => None,
            },
            RecordKind::Contact => db
                .contact(scope, id)
                .await?
                .map(|c| (c.client_id, c.fields.name)),
        };
        found.ok_or(AppError::NotFound)
    }

    /// A parent must be another client the author can see.
    async fn parent_problem(
        &self,
        id: Option<i64>,
        input: &ClientInput,
    ) -> Result<Vec<FieldError>, AppError> {
        let problem = match input.parent() {
            None if !input.parent_id.trim().is_empty() => Some("Choose a parent client"),
            Some(p) if Some(p) == id => Some("A client cannot be its own parent"),
            Some(p) if !self.db.client_visible(self.scope, p).await? => {
                Some("Choose a parent client")
            }
            _ => None,
        };
        Ok(field_errors("client[parent_id]", problem.map(String::from)))
    }

    async fn email_problem(
        &self,
        email: &str,
        except: Option<i64>,
    ) -> Result<Vec<FieldError>, AppError> {
        let owner = self.email_owner(email, except).await?;
        Ok(field_errors("contact[email]", owner))
    }
}

fn field_errors(field: &str, message: Option<String>) -> Vec<FieldError> {
    message
        .map(|message| FieldError {
            field: field.into(),
            message,
        })
        .into_iter()
        .collect()
}

pub fn check(problems: Vec<FieldError>) -> Result<(), AppError> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(problems))
    }
}

/// Creates a client with, when filled in, its primary location and primary contact. A
/// restricted technician keeps access to the client they created.
pub async fn insert_record(
    tx: &mut Tx,
    by: &Author,
    scope: Scope,
    input: &NewClient,
) -> Result<i64, AppError> {
    let id = tx.insert_client(&input.client).await?;
    let after = snapshot_client(&input.client);
    let record = ("client", id, input.client.name.as_str());
    audit(tx, by, "client.create", record, id, None, &after).await?;
    if !input.location.is_blank() {
        let mut location = input.location.clone();
        if location.name.trim().is_empty() {
            location.name = "Main office".into();
        }
        location.primary = true;
        add_location(tx, by, id, &location).await?;
    }
    if !input.contact.is_blank() {
        let mut contact = input.contact.clone();
        contact.primary = true;
        contact.location_id = String::new();
        add_contact(tx, by, id, &contact).await?;
    }
    if let Some(user) = scope.restricted_user {
        tx.add_user_client(user, id).await?;
    }
    Ok(id)
}

/// Writes an audit entry for a record of a client with its field changes.
pub async fn audit(
    tx: &mut Tx,
    by: &Author,
    action: &'static str,
    (kind, id, label): (&'static str, i64, &str),
    client_id: i64,
    before: Option<&[(&str, String)]>,
    after: &[(&str, String)],
) -> Result<(), AppError> {
    let entry = AuditEntry::new(by.actor.clone(), action, by.origin.clone())
        .record(kind, id, label.trim())
        .client(Some(client_id))
        .diff(before, after);
    tx.audit(&entry).await
}

fn snapshot(
    text: Vec<(&'static str, &str)>,
    flags: Vec<(&'static str, bool)>,
    tags: &[i64],
) -> Vec<(&'static str, String)> {
    let mut tags = tags.to_vec();
    tags.sort_unstable();
    text.into_iter()
        .map(|(k, v)| (k, v.trim().to_string()))
        .chain(flags.into_iter().map(|(k, v)| (k, v.to_string())))
        .chain([(
            "tags",
            tags.iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(","),
        )])
        .collect()
}

pub fn snapshot_client(c: &ClientInput) -> Vec<(&'static str, String)> {
    snapshot(c.text_fields(), c.flags(), &c.tag_ids)
}

pub fn snapshot_location(l: &LocationInput) -> Vec<(&'static str, String)> {
    snapshot(l.text_fields(), l.flags(), &l.tag_ids)
}

pub fn snapshot_contact(c: &ContactInput) -> Vec<(&'static str, String)> {
    snapshot(c.text_fields(), c.flags(), &c.tag_ids)
}

/// Adds a location to a client, with its audit entry.
pub async fn add_location(
    tx: &mut Tx,
    by: &Author,
    client_id: i64,
    location: &LocationInput,
) -> Result<i64, AppError> {
    let id = tx.insert_location(client_id, location).await?;
    let after = snapshot_location(location);
    let record = ("location", id, location.name.as_str());
    audit(tx, by, "location.create", record, client_id, None, &after).await?;
    Ok(id)
}

/// Adds a contact to a client, with its audit entry.
pub async fn add_contact(
    tx: &mut Tx,
    by: &Author,
    client_id: i64,
    contact: &ContactInput,
) -> Result<i64, AppError> {
    let id = tx.insert_contact(client_id, contact).await?;
    let after = snapshot_contact(contact);
    let record = ("contact", id, contact.name.as_str());
    audit(tx, by, "contact.create", record, client_id, None, &after).await?;
    Ok(id)
}
