-- Jobs outlive their process (common's jobs.JobTable): a lease held by one worker at a time and
-- renewed while it runs, the attempts made, and what a job needs to be taken up again by another
-- process: the request as the caller sent it and, kept only until the job ends, the data it read
-- from the catalog as the caller.

ALTER TABLE job ADD COLUMN lease_owner TEXT;
-- a job is held by the process that inserted it until that process frees or renews it
ALTER TABLE job ADD COLUMN lease_until TIMESTAMPTZ DEFAULT now() + interval '2 minutes';
ALTER TABLE job ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE job ADD COLUMN request_message BYTEA;
-- jobs unfinished when this migration runs have no process any more; they are claimed (and, having
-- no stored request, failed with the reason) by the first worker
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
