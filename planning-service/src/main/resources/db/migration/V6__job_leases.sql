-- Simulation jobs outlive their process, as prediction's training jobs do (common's jobs.JobTable,
-- whose columns and tables these are): a lease held by one worker at a time and renewed while it
-- runs, and the attempts made. A simulation is taken up again from its stored request when that
-- request is all it needs; job_input is the shared table for what else a job keeps until it ends.

ALTER TABLE job ADD COLUMN lease_owner TEXT;
-- a job is held by the process that inserted it until that process frees or renews it
ALTER TABLE job ADD COLUMN lease_until TIMESTAMPTZ DEFAULT now() + interval '2 minutes';
ALTER TABLE job ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
-- jobs unfinished when this migration runs have no process any more: the first worker claims them
UPDATE job SET lease_until = NULL;
CREATE INDEX job_unfinished ON job (created_at) WHERE state IN ('QUEUED', 'RUNNING');

CREATE TABLE job_attempt (
    job_id     UUID        NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    number     INTEGER     NOT NULL,
    worker     TEXT        NOT NULL,
    started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    ended_at   TIMESTAMPTZ,
    outcome    TEXT,
    PRIMARY KEY (job_id, number)
);

CREATE TABLE job_input (
    job_id   UUID    NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    data     BYTEA   NOT NULL,
    PRIMARY KEY (job_id, position)
);
