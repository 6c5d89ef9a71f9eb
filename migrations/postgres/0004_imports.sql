-- CSV imports of clients: the uploaded file, its column mapping, and the dry run's or the
-- run's report. A run commits in batches and records its progress with each batch;
-- `progress_at` is its heartbeat, so a run whose server died is seen as stopped.

CREATE TABLE imports (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    csv TEXT NOT NULL,
    total_rows BIGINT NOT NULL,
    mapping TEXT,
    status TEXT NOT NULL DEFAULT 'uploaded',
    report TEXT,
    error TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    progress_at TIMESTAMPTZ,
    finished_at TIMESTAMPTZ
);
CREATE INDEX imports_user ON imports (user_id);
