-- Archived locations and contacts leave the search index and come back when restored, so a
-- search reads only the index to find clients, instead of looking up every hit's record to
-- drop archived ones (a common surname has thousands of hits). Archived clients stay in it:
-- the client list can show them.
DROP VIEW location_search_text;
CREATE VIEW location_search_text AS SELECT id, client_id,
    concat_ws(' ', name, address_1, city, postal_code) AS body FROM locations
    WHERE archived_at IS NULL;
DROP VIEW contact_search_text;
CREATE VIEW contact_search_text AS SELECT id, client_id,
    concat_ws(' ', name, email, phone_digits, mobile_digits) AS body FROM contacts
    WHERE archived_at IS NULL;

CREATE TRIGGER locations_search_archive AFTER UPDATE OF archived_at ON locations BEGIN
    DELETE FROM search_index WHERE rowid = new.id * 4 + 2;
    INSERT INTO search_index (rowid, body, kind, record_id, client_id)
        SELECT id * 4 + 2, body, 'location', id, client_id FROM location_search_text WHERE id = new.id;
END;
CREATE TRIGGER contacts_search_archive AFTER UPDATE OF archived_at ON contacts BEGIN
    DELETE FROM search_index WHERE rowid = new.id * 4 + 3;
    INSERT INTO search_index (rowid, body, kind, record_id, client_id)
        SELECT id * 4 + 3, body, 'contact', id, client_id FROM contact_search_text WHERE id = new.id;
END;

DELETE FROM search_index WHERE rowid IN (SELECT id * 4 + 2 FROM locations WHERE archived_at IS NOT NULL);
DELETE FROM search_index WHERE rowid IN (SELECT id * 4 + 3 FROM contacts WHERE archived_at IS NOT NULL);
