-- The catalog's first table: datasets and their sharing rules (see ARCHITECTURE.md, "Catalog data model").
CREATE TABLE dataset (
    id                  UUID PRIMARY KEY,
    owner_org           TEXT        NOT NULL,
    title               TEXT        NOT NULL,
    description         TEXT        NOT NULL DEFAULT '',
    licence             TEXT        NOT NULL,
    visibility          TEXT        NOT NULL CHECK (visibility IN ('PRIVATE', 'SHARED', 'CONSORTIUM', 'PUBLIC')),
    shared_with         TEXT[]      NOT NULL DEFAULT '{}',
    embargo_until       TIMESTAMPTZ,
    embargo_visibility  TEXT        CHECK (embargo_visibility IN ('SHARED', 'CONSORTIUM', 'PUBLIC')),
    citation            TEXT        NOT NULL DEFAULT '',
    doi                 TEXT,
    version             INTEGER     NOT NULL DEFAULT 1,
    row_count           BIGINT      NOT NULL DEFAULT 0,
    created_by          TEXT        NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at          TIMESTAMPTZ,
    deleted_by          TEXT
);

CREATE INDEX dataset_owner_org ON dataset (owner_org) WHERE deleted_at IS NULL;
CREATE INDEX dataset_visibility ON dataset (visibility) WHERE deleted_at IS NULL;
