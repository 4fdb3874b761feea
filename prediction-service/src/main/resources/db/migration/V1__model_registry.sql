-- The model registry: every trained model version with its provenance (see ARCHITECTURE.md, "Prediction").
CREATE TABLE model (
    id                 UUID PRIMARY KEY,
    name               TEXT        NOT NULL,
    version            INTEGER     NOT NULL,
    owner_org          TEXT        NOT NULL,
    visibility         TEXT        NOT NULL CHECK (visibility IN ('PRIVATE', 'SHARED', 'CONSORTIUM', 'PUBLIC')),
    shared_with        TEXT[]      NOT NULL DEFAULT '{}',
    target_property    TEXT        NOT NULL,
    target_unit        TEXT        NOT NULL,
    featuriser         TEXT        NOT NULL,
    featuriser_version TEXT        NOT NULL,
    algorithm          TEXT        NOT NULL,
    hyper_parameters   JSONB       NOT NULL DEFAULT '{}',
    seed               BIGINT      NOT NULL,
    lineage            JSONB       NOT NULL DEFAULT '[]',
    metrics            JSONB       NOT NULL DEFAULT '{}',
    status             TEXT        NOT NULL,
    created_by         TEXT        NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (owner_org, name, version)
);
