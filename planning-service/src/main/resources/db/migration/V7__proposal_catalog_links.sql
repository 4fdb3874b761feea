-- A measured result is written to the catalog as a material with one measurement per reported value:
-- the proposal keeps their ids, so Proposal.material_id / measurement_ids and the tell's ResultAck name
-- them (they were always empty). Proposals resolved before this migration keep empty links.
ALTER TABLE proposal ADD COLUMN material_id TEXT;
ALTER TABLE proposal ADD COLUMN measurement_ids TEXT[];
