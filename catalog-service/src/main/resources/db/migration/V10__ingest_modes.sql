-- An ingest in skip-invalid mode (issue #25) writes its valid rows and skips the bad ones: the ingest
-- records its mode, how many rows it skipped and why (each problem's row, line, column, code and
-- reason, at most as many as the ingest reported), so the dataset's history says what was left out.

ALTER TABLE ingest ADD COLUMN mode TEXT NOT NULL DEFAULT 'strict' CHECK (mode IN ('strict', 'skip-invalid'));
ALTER TABLE ingest ADD COLUMN rows_skipped BIGINT NOT NULL DEFAULT 0 CHECK (rows_skipped >= 0);
ALTER TABLE ingest ADD COLUMN skipped JSONB NOT NULL DEFAULT '[]';
