-- The client list shows active clients by name: this index gives them in that order, so a
-- page and its capped count read only as many entries as they need. The index of archive
-- times keeps only archived clients, so it is never the planner's way to the active ones.
CREATE INDEX clients_active_name ON clients (lower(name), id) WHERE archived_at IS NULL;
DROP INDEX clients_archived;
CREATE INDEX clients_archived ON clients (archived_at) WHERE archived_at IS NOT NULL;
-- The viewer's most recently opened clients lead the default order.
CREATE INDEX client_opens_recent ON client_opens (user_id, opened_at);
