-- Campaigns: what the planner optimises for whom (see ARCHITECTURE.md, "Planning").
CREATE TABLE campaign (
    id           UUID PRIMARY KEY,
    owner_org    TEXT        NOT NULL,
    name         TEXT        NOT NULL,
    visibility   TEXT        NOT NULL CHECK (visibility IN ('PRIVATE', 'SHARED', 'CONSORTIUM', 'PUBLIC')),
    objectives   JSONB       NOT NULL,
    design_space JSONB       NOT NULL,
    constraints  JSONB       NOT NULL DEFAULT '[]',
    budget       DOUBLE PRECISION,
    status       TEXT        NOT NULL,
    created_by   TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
