-- Kept in step with SQLite's 0009, which adds `archived_at` to the indexes of active clients so
-- that SQLite can count them from the index alone. PostgreSQL already does (the index's own
-- condition needs no column), so its index stays as it is.
SELECT 1;
