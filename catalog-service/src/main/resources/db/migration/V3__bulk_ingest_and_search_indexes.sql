-- Shapes the two big tables for bulk ingest and index-answered search (see the benchmark in bench/).
--
-- Measurements are written only by the ingest writer, in the transaction that writes their
-- material, with the property checked against the vocabulary before; materials and datasets are
-- never deleted (datasets are soft-deleted). The per-row foreign-key triggers therefore guarded
-- nothing the writer does not already guarantee, and cost a third of the ingest time.
ALTER TABLE measurement DROP CONSTRAINT measurement_material_id_fkey;
ALTER TABLE measurement DROP CONSTRAINT measurement_dataset_id_fkey;
ALTER TABLE measurement DROP CONSTRAINT measurement_property_fkey;

-- Ids are time-ordered (UUID version 7), so a material's measurements cluster under one key prefix:
-- one index serves both the primary key and the lookup by material.
ALTER TABLE measurement DROP CONSTRAINT measurement_pkey;
DROP INDEX measurement_material;
ALTER TABLE measurement ADD PRIMARY KEY (material_id, id);

-- A property-range search is answered from this index alone (material and dataset included).
DROP INDEX measurement_property_value;
CREATE INDEX measurement_property_value ON measurement (property, value) INCLUDE (material_id, dataset_id);

-- Element-set inserts go to the GIN pending list and are merged in bulk, not one posting at a time.
ALTER INDEX material_elements SET (gin_pending_list_limit = 32768);
