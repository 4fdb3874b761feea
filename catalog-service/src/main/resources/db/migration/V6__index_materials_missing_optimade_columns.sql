-- OptimadeFormulaBackfill looks for materials without the V4 columns at every start: this partial
-- index holds only those (none, once filled), so the look costs nothing on a large catalog.
CREATE INDEX material_missing_ratios ON material (id) WHERE elements_ratios IS NULL;
