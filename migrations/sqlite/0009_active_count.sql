-- SQLite reads a partial index without its table only when the index holds every column the
-- query names, the one of its own condition too. With `archived_at` in them, these indexes
-- answer from the index alone how many clients are active (the API's total, the list's
-- capped count) and which of a search's thousands of hits are active clients.
DROP INDEX clients_active_name;
CREATE INDEX clients_active_name ON clients (lower(name), id, archived_at) WHERE archived_at IS NULL;
CREATE INDEX clients_active_id ON clients (id, archived_at) WHERE archived_at IS NULL;
