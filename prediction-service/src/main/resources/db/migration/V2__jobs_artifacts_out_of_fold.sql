-- Training jobs, the rest of a model's provenance, its artifact and its out-of-fold predictions.
-- A model row, its artifact and its out-of-fold predictions are written in one transaction at the
-- end of a successful job: a failed or cancelled job leaves no half-written model.

CREATE TABLE job (
    id          UUID PRIMARY KEY,
    kind        TEXT             NOT NULL,
    state       TEXT             NOT NULL CHECK (state IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    progress    DOUBLE PRECISION NOT NULL DEFAULT 0,
    message     TEXT             NOT NULL DEFAULT '',
    owner_org   TEXT             NOT NULL,
    created_by  TEXT             NOT NULL,
    request     JSONB            NOT NULL DEFAULT '{}',
    result_id   UUID,
    created_at  TIMESTAMPTZ      NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ      NOT NULL DEFAULT now()
);

ALTER TABLE model ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE model ADD COLUMN feature_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE model ADD COLUMN sources TEXT[] NOT NULL DEFAULT '{}';
ALTER TABLE model ADD COLUMN duplicates TEXT NOT NULL DEFAULT 'MEAN';
ALTER TABLE model ADD COLUMN training_rows BIGINT NOT NULL DEFAULT 0;
ALTER TABLE model ADD COLUMN domain_neighbours INTEGER NOT NULL DEFAULT 5;
ALTER TABLE model ADD COLUMN domain_quantile DOUBLE PRECISION NOT NULL DEFAULT 0.95;
ALTER TABLE model ADD COLUMN domain_threshold DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE model ADD COLUMN job_id UUID REFERENCES job (id);
ALTER TABLE model ADD COLUMN artifact_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE model ADD COLUMN artifact_size BIGINT NOT NULL DEFAULT 0;
ALTER TABLE model ADD COLUMN archived_at TIMESTAMPTZ;
ALTER TABLE model ADD COLUMN archive_reason TEXT;

CREATE INDEX model_name ON model (name, version DESC);

CREATE TABLE model_artifact (
    model_id UUID PRIMARY KEY REFERENCES model (id),
    content  BYTEA NOT NULL
);

CREATE TABLE model_out_of_fold (
    model_id        UUID             NOT NULL REFERENCES model (id),
    position        INTEGER          NOT NULL,
    material_ids    TEXT             NOT NULL,
    dataset_id      UUID             NOT NULL,
    reduced_formula TEXT             NOT NULL,
    fold            INTEGER          NOT NULL,
    observed        DOUBLE PRECISION NOT NULL,
    mean            DOUBLE PRECISION NOT NULL,
    std             DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (model_id, position)
);
