-- The number of active clients, kept by triggers: the API's list of every client answers its
-- total from one row instead of counting the whole index on each page. The triggers have no
-- WHEN clause: with one, an INSERT … RETURNING on clients that SQLite (3.46) prepared again
-- after a schema change failed with "no such table: clients".
CREATE TABLE client_count (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    active INTEGER NOT NULL
);
INSERT INTO client_count (id, active) SELECT 1, COUNT(*) FROM clients WHERE archived_at IS NULL;

CREATE TRIGGER client_count_insert AFTER INSERT ON clients BEGIN
    UPDATE client_count SET active = active + (new.archived_at IS NULL);
END;
CREATE TRIGGER client_count_delete AFTER DELETE ON clients BEGIN
    UPDATE client_count SET active = active - (old.archived_at IS NULL);
END;
CREATE TRIGGER client_count_archive AFTER UPDATE OF archived_at ON clients BEGIN
    UPDATE client_count SET active = active + (new.archived_at IS NULL) - (old.archived_at IS NULL);
END;
