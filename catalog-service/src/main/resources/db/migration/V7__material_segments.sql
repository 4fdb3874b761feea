-- Materials and measurements are kept in segments: each table is partitioned by a segment number.
-- Segment 0 takes the rows of small ingests, one index insertion per row as before. A large ingest
-- (see MaterialWriter) copies its rows into a segment of its own, a plain table without indexes,
-- and attaches it at the end of its transaction: PostgreSQL then builds that segment's indexes in
-- bulk, by sorting, which costs a third of inserting 1 M rows one by one into six indexes. Queries
-- still read the tables `material` and `measurement`; a rolled-back ingest leaves no segment.
--
-- A material's dataset is not a foreign key any more (as measurement's references since V3):
-- attaching a segment would clone it, locking the dataset table against every write until the
-- ingest commits, and scan the segment to validate it. The ingest holds its dataset's row lock
-- while it writes, and datasets are never deleted (only soft-deleted).
--
-- Unique constraints on a partitioned table must contain the partition key, so the primary keys
-- become (id, segment) and (material_id, id, segment), and the uniqueness of a sample key within
-- its dataset, which no longer is a constraint, is kept by the ingest: it holds the dataset's row
-- lock, refuses keys repeated within a document (the readers) and keys the dataset already has
-- (MaterialWriter), as it always did before writing.

ALTER TABLE material RENAME TO material_v6;
ALTER TABLE measurement RENAME TO measurement_v6;

CREATE SEQUENCE material_segment START WITH 1;

CREATE TABLE material (
    id                   UUID               NOT NULL,
    dataset_id           UUID               NOT NULL,
    row_number           BIGINT             NOT NULL,
    sample_key           TEXT,
    formula              TEXT               NOT NULL,
    reduced_formula      TEXT               NOT NULL,
    elements             TEXT[]             NOT NULL,
    nelements            INTEGER            NOT NULL,
    composition          JSONB              NOT NULL,
    structure            JSONB,
    external_ids         JSONB              NOT NULL DEFAULT '[]',
    tags                 TEXT[]             NOT NULL DEFAULT '{}',
    process_steps        JSONB              NOT NULL DEFAULT '[]',
    dataset_version      INTEGER            NOT NULL,
    created_by           TEXT               NOT NULL,
    created_at           TIMESTAMPTZ        NOT NULL DEFAULT now(),
    formula_alphabetical TEXT,
    formula_anonymous    TEXT,
    elements_ratios      DOUBLE PRECISION[],
    segment              BIGINT             NOT NULL DEFAULT 0,
    PRIMARY KEY (id, segment)
) PARTITION BY LIST (segment);

CREATE TABLE measurement (
    id             UUID             NOT NULL,
    material_id    UUID             NOT NULL,
    dataset_id     UUID             NOT NULL,
    property       TEXT             NOT NULL,
    value          DOUBLE PRECISION NOT NULL,
    uncertainty    DOUBLE PRECISION,
    reported_value DOUBLE PRECISION NOT NULL,
    reported_unit  TEXT             NOT NULL,
    method         TEXT             NOT NULL DEFAULT '',
    instrument     TEXT             NOT NULL DEFAULT '',
    conditions     JSONB            NOT NULL DEFAULT '[]',
    source         TEXT             NOT NULL CHECK (source IN ('experiment', 'simulation', 'prediction')),
    source_ref     TEXT             NOT NULL DEFAULT '',
    campaign_id    TEXT,
    proposal_id    TEXT,
    measured_at    TIMESTAMPTZ,
    segment        BIGINT           NOT NULL DEFAULT 0,
    PRIMARY KEY (material_id, id, segment)
) PARTITION BY LIST (segment);

CREATE TABLE material_segment_0 PARTITION OF material FOR VALUES IN (0);
CREATE TABLE measurement_segment_0 PARTITION OF measurement FOR VALUES IN (0);

INSERT INTO material (id, dataset_id, row_number, sample_key, formula, reduced_formula, elements, nelements,
        composition, structure, external_ids, tags, process_steps, dataset_version, created_by, created_at,
        formula_alphabetical, formula_anonymous, elements_ratios)
    SELECT id, dataset_id, row_number, sample_key, formula, reduced_formula, elements, nelements, composition,
        structure, external_ids, tags, process_steps, dataset_version, created_by, created_at, formula_alphabetical,
        formula_anonymous, elements_ratios
    FROM material_v6;
INSERT INTO measurement (id, material_id, dataset_id, property, value, uncertainty, reported_value, reported_unit,
        method, instrument, conditions, source, source_ref, campaign_id, proposal_id, measured_at)
    SELECT id, material_id, dataset_id, property, value, uncertainty, reported_value, reported_unit, method,
        instrument, conditions, source, source_ref, campaign_id, proposal_id, measured_at
    FROM measurement_v6;

DROP TABLE measurement_v6;
DROP TABLE material_v6;

-- the indexes of V2 to V6, now on every segment (a new segment's are built when it is attached)
CREATE INDEX material_dataset ON material (dataset_id, id);
CREATE INDEX material_sample_key ON material (dataset_id, sample_key);
CREATE INDEX material_elements ON material USING GIN (elements) WITH (gin_pending_list_limit = 32768);
CREATE INDEX material_reduced_formula ON material (reduced_formula);
CREATE INDEX material_formula_alphabetical ON material (formula_alphabetical);
CREATE INDEX material_missing_ratios ON material (id) WHERE elements_ratios IS NULL;
CREATE INDEX measurement_property_value ON measurement (property, value) INCLUDE (material_id, dataset_id);

-- partitioned parents are never analysed by autovacuum: plan with real statistics from the start
ANALYZE material;
ANALYZE measurement;
