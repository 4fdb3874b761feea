-- What the OPTIMADE structures filter asks of a material beyond V2's columns, stored so that PostgreSQL answers it:
-- chemical_formula_reduced (alphabetical, whole numbers; null when the amounts have no whole proportions),
-- chemical_formula_anonymous, and elements_ratios in the order of the (alphabetical) elements array.
-- Rows written before this version are filled in by OptimadeFormulaBackfill when the service starts.
ALTER TABLE material ADD COLUMN formula_alphabetical TEXT;
ALTER TABLE material ADD COLUMN formula_anonymous TEXT;
ALTER TABLE material ADD COLUMN elements_ratios DOUBLE PRECISION[];

CREATE INDEX material_formula_alphabetical ON material (formula_alphabetical);
CREATE INDEX material_formula_anonymous ON material (formula_anonymous);
