-- Materials with their process history, measurements in canonical units, the property
-- vocabulary, ingests (idempotency and provenance), the access log and the dataset audit.

ALTER TABLE dataset ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT now();
ALTER TABLE dataset ADD COLUMN delete_reason TEXT;

CREATE TABLE property (
    name           TEXT PRIMARY KEY,
    display_name   TEXT NOT NULL,
    canonical_unit TEXT NOT NULL,
    quantity_kind  TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT ''
);

INSERT INTO property (name, display_name, canonical_unit, quantity_kind, description) VALUES
    ('band_gap', 'Band gap', 'eV', 'energy', 'Electronic band gap; optical (Tauc) or computed.'),
    ('formation_energy_per_atom', 'Formation energy per atom', 'eV', 'energy', 'Formation energy per atom relative to the elements.'),
    ('energy_above_hull', 'Energy above hull', 'eV', 'energy', 'Energy per atom above the convex hull of stability.'),
    ('yield_strength', 'Yield strength', 'MPa', 'pressure', '0.2 % offset yield strength.'),
    ('tensile_strength', 'Ultimate tensile strength', 'MPa', 'pressure', 'Maximum engineering stress in tension.'),
    ('bulk_modulus', 'Bulk modulus', 'GPa', 'pressure', 'Resistance to uniform compression.'),
    ('shear_modulus', 'Shear modulus', 'GPa', 'pressure', 'Resistance to shear deformation.'),
    ('hardness', 'Hardness', 'GPa', 'pressure', 'Indentation hardness expressed as a pressure.'),
    ('density', 'Density', 'g/cm3', 'mass density', 'Mass per unit volume.'),
    ('melting_point', 'Melting point', 'K', 'temperature', 'Solidus or congruent melting temperature.'),
    ('curie_temperature', 'Curie temperature', 'K', 'temperature', 'Ferromagnetic ordering temperature.'),
    ('thermal_conductivity', 'Thermal conductivity', 'W/(m.K)', 'thermal conductivity', 'Heat flux per temperature gradient.'),
    ('electrical_conductivity', 'Electrical conductivity', 'S/cm', 'electrical conductivity', 'Inverse of resistivity.'),
    ('seebeck_coefficient', 'Seebeck coefficient', 'uV/K', 'thermoelectric power', 'Thermoelectric voltage per temperature difference.'),
    ('toughness', 'Toughness', 'J', 'energy', 'Energy absorbed before failure (of a test specimen).'),
    ('magnetization', 'Saturation magnetization', 'A/m', 'magnetization', 'Magnetic moment per unit volume at saturation.');

CREATE TABLE material (
    id              UUID PRIMARY KEY,
    dataset_id      UUID        NOT NULL REFERENCES dataset (id),
    row_number      BIGINT      NOT NULL,
    sample_key      TEXT,
    formula         TEXT        NOT NULL,
    reduced_formula TEXT        NOT NULL,
    elements        TEXT[]      NOT NULL,
    nelements       INTEGER     NOT NULL,
    composition     JSONB       NOT NULL,
    structure       JSONB,
    external_ids    JSONB       NOT NULL DEFAULT '[]',
    tags            TEXT[]      NOT NULL DEFAULT '{}',
    process_steps   JSONB       NOT NULL DEFAULT '[]',
    dataset_version INTEGER     NOT NULL,
    created_by      TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (dataset_id, sample_key)
);

CREATE INDEX material_dataset ON material (dataset_id, id);
CREATE INDEX material_elements ON material USING GIN (elements);
CREATE INDEX material_reduced_formula ON material (reduced_formula);

CREATE TABLE measurement (
    id             UUID PRIMARY KEY,
    material_id    UUID             NOT NULL REFERENCES material (id),
    dataset_id     UUID             NOT NULL REFERENCES dataset (id),
    property       TEXT             NOT NULL REFERENCES property (name),
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
    measured_at    TIMESTAMPTZ
);

CREATE INDEX measurement_material ON measurement (material_id);
CREATE INDEX measurement_property_value ON measurement (property, value);

CREATE TABLE ingest (
    id                   UUID PRIMARY KEY,
    dataset_id           UUID        NOT NULL REFERENCES dataset (id),
    idempotency_key      TEXT,
    content_sha256       TEXT        NOT NULL,
    format               TEXT        NOT NULL,
    source_name          TEXT        NOT NULL DEFAULT '',
    rows_written         BIGINT      NOT NULL,
    measurements_written BIGINT      NOT NULL,
    dataset_version      INTEGER     NOT NULL,
    created_by           TEXT        NOT NULL,
    completed_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (dataset_id, idempotency_key)
);

CREATE TABLE access_log (
    id             BIGSERIAL PRIMARY KEY,
    at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    reader_subject TEXT        NOT NULL,
    reader_org     TEXT        NOT NULL,
    dataset_id     UUID        NOT NULL REFERENCES dataset (id),
    owner_org      TEXT        NOT NULL,
    operation      TEXT        NOT NULL,
    records        BIGINT      NOT NULL
);

CREATE INDEX access_log_owner ON access_log (owner_org, at DESC);

CREATE TABLE dataset_audit (
    id            BIGSERIAL PRIMARY KEY,
    dataset_id    UUID        NOT NULL REFERENCES dataset (id),
    at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor_subject TEXT        NOT NULL,
    actor_org     TEXT        NOT NULL,
    action        TEXT        NOT NULL,
    detail        JSONB       NOT NULL DEFAULT '{}'
);
