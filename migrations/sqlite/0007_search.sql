-- One search over clients, locations and contacts: each record's searchable text in an FTS5
-- index of trigrams, so any part of a name, email, phone number (its digits) or address finds
-- it. The views say once what each kind's text is (a client's names, domain, website, account
-- code, industry and referral); triggers keep the index in step with every write. A row's
-- rowid is the record's id * 4 plus its kind (1 client, 2 location, 3 contact), so a change
-- finds its row without a scan.

CREATE VIRTUAL TABLE search_index USING fts5(
    body, kind UNINDEXED, record_id UNINDEXED, client_id UNINDEXED, tokenize = 'trigram'
);

CREATE VIEW client_search_text AS SELECT id, id AS client_id,
    concat_ws(' ', name, trading_name, domain, account_code, website, industry, referral) AS body
    FROM clients;
CREATE VIEW location_search_text AS SELECT id, client_id,
    concat_ws(' ', name, address_1, city, postal_code) AS body FROM locations;
CREATE VIEW contact_search_text AS SELECT id, client_id,
    concat_ws(' ', name, email, phone_digits, mobile_digits) AS body FROM contacts;

CREATE TRIGGER clients_search_insert AFTER INSERT ON clients BEGIN
    INSERT INTO search_index (rowid, body, kind, record_id, client_id)
        SELECT id * 4 + 1, body, 'client', id, client_id FROM client_search_text WHERE id = new.id;
END;
CREATE TRIGGER clients_search_update
    AFTER UPDATE OF name, trading_name, domain, account_code, website, industry, referral ON clients BEGIN
    UPDATE search_index SET body = (SELECT body FROM client_search_text WHERE id = new.id)
        WHERE rowid = new.id * 4 + 1;
END;
CREATE TRIGGER clients_search_delete AFTER DELETE ON clients BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4 + 1;
END;

CREATE TRIGGER locations_search_insert AFTER INSERT ON locations BEGIN
    INSERT INTO search_index (rowid, body, kind, record_id, client_id)
        SELECT id * 4 + 2, body, 'location', id, client_id FROM location_search_text WHERE id = new.id;
END;
CREATE TRIGGER locations_search_update AFTER UPDATE OF name, address_1, city, postal_code ON locations BEGIN
    UPDATE search_index SET body = (SELECT body FROM location_search_text WHERE id = new.id)
        WHERE rowid = new.id * 4 + 2;
END;
CREATE TRIGGER locations_search_delete AFTER DELETE ON locations BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4 + 2;
END;

CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO search_index (rowid, body, kind, record_id, client_id)
        SELECT id * 4 + 3, body, 'contact', id, client_id FROM contact_search_text WHERE id = new.id;
END;
CREATE TRIGGER contacts_search_update AFTER UPDATE OF name, email, phone_digits, mobile_digits ON contacts BEGIN
    UPDATE search_index SET body = (SELECT body FROM contact_search_text WHERE id = new.id)
        WHERE rowid = new.id * 4 + 3;
END;
CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4 + 3;
END;

INSERT INTO search_index (rowid, body, kind, record_id, client_id)
    SELECT id * 4 + 1, body, 'client', id, client_id FROM client_search_text;
INSERT INTO search_index (rowid, body, kind, record_id, client_id)
    SELECT id * 4 + 2, body, 'location', id, client_id FROM location_search_text;
INSERT INTO search_index (rowid, body, kind, record_id, client_id)
    SELECT id * 4 + 3, body, 'contact', id, client_id FROM contact_search_text;
