-- The values each property can possibly take, in its canonical unit, where it is bounded: clients
-- clip predicted intervals to them (a band gap's 95 % interval does not reach below 0 eV). NULL is
-- unbounded: a formation energy or a Seebeck coefficient can have either sign.

ALTER TABLE property ADD COLUMN min_value DOUBLE PRECISION;
ALTER TABLE property ADD COLUMN max_value DOUBLE PRECISION;
ALTER TABLE property ADD CONSTRAINT property_range CHECK (min_value IS NULL OR max_value IS NULL OR min_value <= max_value);

UPDATE property SET min_value = 0 WHERE name IN ('band_gap', 'energy_above_hull', 'yield_strength',
    'tensile_strength', 'bulk_modulus', 'shear_modulus', 'hardness', 'density', 'melting_point',
    'curie_temperature', 'thermal_conductivity', 'electrical_conductivity', 'toughness', 'magnetization');
