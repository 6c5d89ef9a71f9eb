-- The number of active clients, kept by triggers: the API's list of every client answers its
-- total from one row instead of counting every active client on each page. Once per
-- statement, and only when the number changes, so a bulk insert writes the row once and
-- ordinary edits never wait on it.
CREATE TABLE client_count (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    active BIGINT NOT NULL
);
INSERT INTO client_count (id, active) SELECT 1, COUNT(*) FROM clients WHERE archived_at IS NULL;

CREATE FUNCTION client_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta BIGINT := 0;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        delta := delta + (SELECT COUNT(*) FROM new_rows WHERE archived_at IS NULL);
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        delta := delta - (SELECT COUNT(*) FROM old_rows WHERE archived_at IS NULL);
    END IF;
    IF delta <> 0 THEN
        UPDATE client_count SET active = active + delta;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER client_count_insert AFTER INSERT ON clients REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION client_count_change();
CREATE TRIGGER client_count_update AFTER UPDATE ON clients
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION client_count_change();
CREATE TRIGGER client_count_delete AFTER DELETE ON clients REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION client_count_change();
