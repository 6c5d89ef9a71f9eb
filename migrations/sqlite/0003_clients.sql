-- The client record: clients get their full set of fields; locations, contacts, typed tags,
-- and which clients each technician opened last (the list's default order).

ALTER TABLE clients ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN lead BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE clients ADD COLUMN industry TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN referral TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN website TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN currency TEXT NOT NULL DEFAULT 'USD';
ALTER TABLE clients ADD COLUMN hourly_rate_cents BIGINT NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN net_terms INTEGER NOT NULL DEFAULT 30;
ALTER TABLE clients ADD COLUMN tax_id TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN abbreviation TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN account_code TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN invoice_email TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN invoice_reminders BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE clients ADD COLUMN show_location_on_invoice BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE clients ADD COLUMN trading_name TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN domain TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN colour TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN parent_id BIGINT REFERENCES clients (id) ON DELETE SET NULL;
ALTER TABLE clients ADD COLUMN notes TEXT NOT NULL DEFAULT '';
UPDATE clients SET name_key = lower(trim(name));
CREATE INDEX clients_name_key ON clients (name_key);
CREATE INDEX clients_domain ON clients (domain);
CREATE INDEX clients_account_code ON clients (account_code);
CREATE INDEX clients_industry ON clients (industry);
CREATE INDEX clients_referral ON clients (referral);
CREATE INDEX clients_created ON clients (created_at);
CREATE INDEX clients_updated ON clients (updated_at);
CREATE INDEX clients_archived ON clients (archived_at);
CREATE INDEX clients_parent ON clients (parent_id);

CREATE TABLE locations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    is_primary BOOLEAN NOT NULL DEFAULT FALSE,
    address_1 TEXT NOT NULL DEFAULT '',
    address_2 TEXT NOT NULL DEFAULT '',
    address_3 TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    phone_secondary TEXT NOT NULL DEFAULT '',
    fax TEXT NOT NULL DEFAULT '',
    invoice_email TEXT NOT NULL DEFAULT '',
    hours TEXT NOT NULL DEFAULT '',
    time_zone TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    archived_at TEXT
);
CREATE INDEX locations_client ON locations (client_id);
CREATE INDEX locations_city ON locations (city);
-- At most one active primary per client; the data layer keeps exactly one while any exist.
CREATE UNIQUE INDEX locations_one_primary ON locations (client_id) WHERE is_primary AND archived_at IS NULL;

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    location_id BIGINT REFERENCES locations (id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    -- NULL when there is no email, so the uniqueness rule skips it.
    email_lower TEXT UNIQUE,
    phone TEXT NOT NULL DEFAULT '',
    phone_digits TEXT NOT NULL DEFAULT '',
    extension TEXT NOT NULL DEFAULT '',
    mobile TEXT NOT NULL DEFAULT '',
    mobile_digits TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    is_primary BOOLEAN NOT NULL DEFAULT FALSE,
    important BOOLEAN NOT NULL DEFAULT FALSE,
    billing BOOLEAN NOT NULL DEFAULT FALSE,
    technical BOOLEAN NOT NULL DEFAULT FALSE,
    auth_method TEXT NOT NULL DEFAULT 'none' CHECK (auth_method IN ('none', 'local', 'sso')),
    password_hash TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    archived_at TEXT
);
CREATE INDEX contacts_client ON contacts (client_id);
CREATE INDEX contacts_location ON contacts (location_id);
CREATE INDEX contacts_phone_digits ON contacts (phone_digits);
CREATE INDEX contacts_mobile_digits ON contacts (mobile_digits);
CREATE INDEX contacts_name ON contacts (name);
CREATE UNIQUE INDEX contacts_one_primary ON contacts (client_id) WHERE is_primary AND archived_at IS NULL;

CREATE TABLE tags (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('client', 'location', 'contact')),
    name TEXT NOT NULL,
    name_lower TEXT NOT NULL,
    colour TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (kind, name_lower)
);

CREATE TABLE client_tags (
    client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (client_id, tag_id)
);
CREATE INDEX client_tags_tag ON client_tags (tag_id);

CREATE TABLE location_tags (
    location_id BIGINT NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (location_id, tag_id)
);
CREATE INDEX location_tags_tag ON location_tags (tag_id);

CREATE TABLE contact_tags (
    contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (contact_id, tag_id)
);
CREATE INDEX contact_tags_tag ON contact_tags (tag_id);

CREATE TABLE client_opens (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    opened_at TEXT NOT NULL,
    PRIMARY KEY (user_id, client_id)
);
CREATE INDEX client_opens_client ON client_opens (client_id);
