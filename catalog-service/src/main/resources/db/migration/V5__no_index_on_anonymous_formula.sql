-- An anonymous formula (A3B2) is shared by a large part of any catalog: an index on it is never
-- selective enough to be used, and it cost every bulk ingest an index insertion per material.
DROP INDEX material_formula_anonymous;
