-- The ask/tell loop: a campaign keeps its spec as created (the contract's CampaignSpec, protobuf
-- bytes, defaults filled in), its batches (with the request id that makes a retried proposal
-- idempotent) and every proposal with its result. Simulations run as jobs and keep their report.
-- No campaign has been stored before this version, so the columns of V1 that the spec replaces go.

ALTER TABLE campaign DROP COLUMN objectives;
ALTER TABLE campaign DROP COLUMN design_space;
ALTER TABLE campaign DROP COLUMN constraints;
ALTER TABLE campaign DROP COLUMN budget;
ALTER TABLE campaign ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE campaign ADD COLUMN shared_with TEXT[] NOT NULL DEFAULT '{}';
ALTER TABLE campaign ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE campaign ADD COLUMN spec BYTEA NOT NULL;
ALTER TABLE campaign ADD COLUMN batches INTEGER NOT NULL DEFAULT 0;
-- the catalog dataset results are written to (the spec's, or one the planner created); empty until known
ALTER TABLE campaign ADD COLUMN results_dataset_id TEXT NOT NULL DEFAULT '';
ALTER TABLE campaign ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT now();
ALTER TABLE campaign ADD CONSTRAINT campaign_status CHECK (status IN ('ACTIVE', 'PAUSED', 'COMPLETED', 'CANCELLED'));
CREATE INDEX campaign_owner ON campaign (owner_org, created_at DESC);

CREATE TABLE proposal_batch (
    id          UUID PRIMARY KEY,
    campaign_id UUID        NOT NULL REFERENCES campaign (id),
    number      INTEGER     NOT NULL,
    request_id  TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (campaign_id, number),
    UNIQUE (campaign_id, request_id)
);

CREATE TABLE proposal (
    id                   UUID PRIMARY KEY,
    campaign_id          UUID               NOT NULL REFERENCES campaign (id),
    batch_id             UUID               NOT NULL REFERENCES proposal_batch (id),
    batch_number         INTEGER            NOT NULL,
    position             INTEGER            NOT NULL,
    candidate_id         TEXT               NOT NULL,
    candidate            BYTEA              NOT NULL,
    predicted_mean       DOUBLE PRECISION[] NOT NULL,
    predicted_std        DOUBLE PRECISION[] NOT NULL,
    acquisition_value    DOUBLE PRECISION   NOT NULL,
    acquisition_function TEXT               NOT NULL,
    cost                 DOUBLE PRECISION   NOT NULL,
    state                TEXT               NOT NULL CHECK (state IN ('PENDING', 'COMPLETED', 'FAILED', 'CANCELLED')),
    retry_allowed        BOOLEAN            NOT NULL DEFAULT false,
    proposed_at          TIMESTAMPTZ        NOT NULL DEFAULT now(),
    resolved_at          TIMESTAMPTZ,
    result               BYTEA,
    objective_values     DOUBLE PRECISION[],
    assigned_to          TEXT,
    UNIQUE (batch_id, position)
);
CREATE INDEX proposal_campaign ON proposal (campaign_id, batch_number, position);

CREATE TABLE job (
    id          UUID PRIMARY KEY,
    kind        TEXT             NOT NULL,
    state       TEXT             NOT NULL CHECK (state IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    progress    DOUBLE PRECISION NOT NULL DEFAULT 0,
    message     TEXT             NOT NULL DEFAULT '',
    owner_org   TEXT             NOT NULL,
    visibility  TEXT             NOT NULL,
    created_by  TEXT             NOT NULL,
    request     BYTEA            NOT NULL,
    report      BYTEA,
    created_at  TIMESTAMPTZ      NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ      NOT NULL DEFAULT now()
);
