-- Archived locations and contacts leave the search index and come back when restored, so a
-- search reads only the index to find clients, instead of looking up every hit's record to
-- drop archived ones (a common surname has thousands of hits). Archived clients stay in it:
-- the client list can show them.
CREATE OR REPLACE FUNCTION search_index_write() RETURNS trigger LANGUAGE plpgsql AS $$
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
    ELSIF NEW.archived_at IS NOT NULL THEN
        DELETE FROM search_index WHERE id = NEW.id * 4 + code;
        RETURN NEW;
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

DELETE FROM search_index WHERE id IN (SELECT id * 4 + 2 FROM locations WHERE archived_at IS NOT NULL);
DELETE FROM search_index WHERE id IN (SELECT id * 4 + 3 FROM contacts WHERE archived_at IS NOT NULL);
