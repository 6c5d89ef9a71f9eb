-- What was deleted, so integrations that sync can drop it too. A row with a user names a
-- restricted technician who could see the record (a deleted client takes its access rows
-- with it); a row without one is for everyone else.

CREATE TABLE tombstones (
    id BIGSERIAL PRIMARY KEY,
    record_type TEXT NOT NULL,
    record_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    user_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
    deleted_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX tombstones_deleted ON tombstones (deleted_at, id);
