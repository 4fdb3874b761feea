-- The property vocabulary becomes data that curators extend (issue #25), instead of a list fixed by
-- V2. Each property keeps its name (its id: measurements refer to it) and gains what a consortium
-- needs to publish it to every node: display names in English and Japanese, a value type, the
-- labels of a categorical property, who added it and when, a version that every change bumps, and
-- a deprecation flag (a property in use is deprecated, never deleted, and its type and unit never
-- change, so every stored value keeps its meaning).
--
-- numeric:     canonical_unit (UCUM) and quantity_kind required, min_value/max_value optional
-- categorical: labels (at least one; labels are only ever appended, so a label's position is stable)
-- boolean:     true/false
-- text:        free text
-- Non-numeric properties have no unit, no quantity kind and no range.

ALTER TABLE property RENAME COLUMN display_name TO display_name_en;
ALTER TABLE property ADD COLUMN display_name_ja TEXT NOT NULL DEFAULT '';
ALTER TABLE property ADD COLUMN value_type TEXT NOT NULL DEFAULT 'numeric'
    CHECK (value_type IN ('numeric', 'categorical', 'boolean', 'text'));
ALTER TABLE property ADD COLUMN labels TEXT[] NOT NULL DEFAULT '{}';
ALTER TABLE property ADD COLUMN added_by TEXT NOT NULL DEFAULT 'mihub (schema migration)';
ALTER TABLE property ADD COLUMN added_by_org TEXT NOT NULL DEFAULT '';
ALTER TABLE property ADD COLUMN added_at TIMESTAMPTZ NOT NULL DEFAULT now();
ALTER TABLE property ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT now();
ALTER TABLE property ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE property ADD COLUMN deprecated BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE property ADD COLUMN deprecation_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE property ADD CONSTRAINT property_name CHECK (name ~ '^[a-z][a-z0-9]*(_[a-z0-9]+)*$' AND length(name) <= 64);
ALTER TABLE property ADD CONSTRAINT property_numeric_unit CHECK (
    (value_type = 'numeric' AND canonical_unit <> '' AND quantity_kind <> '')
    OR (value_type <> 'numeric' AND canonical_unit = '' AND quantity_kind = '' AND min_value IS NULL
        AND max_value IS NULL));
ALTER TABLE property ADD CONSTRAINT property_labels CHECK (
    (value_type = 'categorical' AND cardinality(labels) >= 1) OR (value_type <> 'categorical' AND cardinality(labels) = 0));

UPDATE property SET display_name_ja = CASE name
    WHEN 'band_gap' THEN 'バンドギャップ'
    WHEN 'formation_energy_per_atom' THEN '原子あたりの生成エネルギー'
    WHEN 'energy_above_hull' THEN '凸包からのエネルギー'
    WHEN 'yield_strength' THEN '降伏強さ'
    WHEN 'tensile_strength' THEN '引張強さ'
    WHEN 'bulk_modulus' THEN '体積弾性率'
    WHEN 'shear_modulus' THEN 'せん断弾性率'
    WHEN 'hardness' THEN '硬さ'
    WHEN 'density' THEN '密度'
    WHEN 'melting_point' THEN '融点'
    WHEN 'curie_temperature' THEN 'キュリー温度'
    WHEN 'thermal_conductivity' THEN '熱伝導率'
    WHEN 'electrical_conductivity' THEN '電気伝導率'
    WHEN 'seebeck_coefficient' THEN 'ゼーベック係数'
    WHEN 'toughness' THEN '靱性'
    WHEN 'magnetization' THEN '飽和磁化'
    ELSE '' END;

ALTER TABLE property ALTER COLUMN added_by DROP DEFAULT;

-- A measurement of a categorical, boolean or text property keeps its label (the category, "true" or
-- "false", the text); `value` then holds its code, so the (property, value) index answers searches
-- by label too: a boolean is 0 or 1, a category its 0-based position among the property's labels
-- (stable: labels are only appended), a text 0. Numeric measurements have no label.
ALTER TABLE measurement ADD COLUMN label TEXT;
