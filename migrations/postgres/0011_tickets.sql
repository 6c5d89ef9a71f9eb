-- Tickets, their conversation and history, and the client portal's sessions and one-time
-- links. Ticket numbers come from a counter row that only grows, so a number is never reused.

CREATE TABLE ticket_counter (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    last_number BIGINT NOT NULL
);
INSERT INTO ticket_counter (id, last_number) VALUES (1, 0);

CREATE TABLE tickets (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number BIGINT NOT NULL UNIQUE,
    client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    contact_id BIGINT REFERENCES contacts (id) ON DELETE SET NULL,
    location_id BIGINT REFERENCES locations (id) ON DELETE SET NULL,
    assignee_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    subject TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('new', 'open', 'on_hold', 'resolved', 'closed')),
    priority TEXT NOT NULL CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    source TEXT NOT NULL CHECK (source IN ('portal', 'ui', 'api', 'email')),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    resolved_at TIMESTAMPTZ,
    closed_at TIMESTAMPTZ
);
CREATE INDEX tickets_updated ON tickets (updated_at, id);
CREATE INDEX tickets_client ON tickets (client_id, updated_at);
CREATE INDEX tickets_contact ON tickets (contact_id, updated_at);
CREATE INDEX tickets_status ON tickets (status, updated_at);
CREATE INDEX tickets_assignee ON tickets (assignee_id, updated_at);
CREATE INDEX tickets_resolved ON tickets (resolved_at) WHERE status = 'resolved';

-- A reply is by a technician (user_id) or a contact (contact_id); internal ones never reach
-- the portal. The author's name is kept so the conversation reads the same after deletions.
CREATE TABLE ticket_replies (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    contact_id BIGINT REFERENCES contacts (id) ON DELETE SET NULL,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    internal BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX ticket_replies_ticket ON ticket_replies (ticket_id, id);

-- Status, priority and assignment changes, oldest first.
CREATE TABLE ticket_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    old_value TEXT NOT NULL,
    new_value TEXT NOT NULL,
    actor TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);

-- Portal sessions of contacts, apart from technicians' sessions; only the SHA-256 is stored.
CREATE TABLE portal_sessions (
    id_hash TEXT PRIMARY KEY NOT NULL,
    contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX portal_sessions_contact ON portal_sessions (contact_id);

-- Invitation and password-reset links: stored hashed, used once, expiring.
CREATE TABLE portal_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);
CREATE INDEX portal_tokens_contact ON portal_tokens (contact_id);
