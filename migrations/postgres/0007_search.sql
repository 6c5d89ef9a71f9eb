-- One search over clients, locations and contacts: each record's searchable text (a client's
-- names, domain, website, account code, industry and referral) with a
-- trigram index (pg_trgm), so any part of a name, email, phone number (its digits) or address
-- finds it, and near misses rank by similarity. Triggers keep the index in step with every
-- write. A row's id is the record's id * 4 plus its kind (1 client, 2 location, 3 contact).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE search_index (
    id BIGINT PRIMARY KEY,
    kind TEXT NOT NULL,
    record_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX search_index_body ON search_index USING gin (body gin_trgm_ops);

CREATE FUNCTION search_index_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    code INT := CASE TG_TABLE_NAME WHEN 'clients' THEN 1 WHEN 'locations' THEN 2 ELSE 3 END;
    kind TEXT := CASE TG_TABLE_NAME WHEN 'clients' THEN 'client' WHEN 'locations' THEN 'location' ELSE 'contact' END;
    body TEXT;
    client BIGINT;
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_index WHERE id = OLD.id * 4 + code;
        RETURN OLD;
    END IF;
    IF TG_TABLE_NAME = 'clients' THEN
        body := lower(concat_ws(' ', NEW.name, NEW.trading_name, NEW.domain, NEW.account_code, NEW.website, NEW.industry, NEW.referral));
        client := NEW.id;
    ELSIF TG_TABLE_NAME = 'locations' THEN
        body := lower(concat_ws(' ', NEW.name, NEW.address_1, NEW.city, NEW.postal_code));
        client := NEW.client_id;
    ELSE
        body := lower(concat_ws(' ', NEW.name, NEW.email, NEW.phone_digits, NEW.mobile_digits));
        client := NEW.client_id;
    END IF;
    INSERT INTO search_index (id, kind, record_id, client_id, body)
        VALUES (NEW.id * 4 + code, kind, NEW.id, client, body)
        ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body;
    RETURN NEW;
END
$$;

CREATE TRIGGER clients_search AFTER INSERT OR UPDATE OR DELETE ON clients
    FOR EACH ROW EXECUTE FUNCTION search_index_write();
CREATE TRIGGER locations_search AFTER INSERT OR UPDATE OR DELETE ON locations
    FOR EACH ROW EXECUTE FUNCTION search_index_write();
CREATE TRIGGER contacts_search AFTER INSERT OR UPDATE OR DELETE ON contacts
    FOR EACH ROW EXECUTE FUNCTION search_index_write();

INSERT INTO search_index (id, kind, record_id, client_id, body)
    SELECT id * 4 + 1, 'client', id, id, lower(concat_ws(' ', name, trading_name, domain, account_code, website, industry, referral)) FROM clients;
INSERT INTO search_index (id, kind, record_id, client_id, body)
    SELECT id * 4 + 2, 'location', id, client_id, lower(concat_ws(' ', name, address_1, city, postal_code)) FROM locations;
INSERT INTO search_index (id, kind, record_id, client_id, body)
    SELECT id * 4 + 3, 'contact', id, client_id, lower(concat_ws(' ', name, email, phone_digits, mobile_digits)) FROM contacts;
