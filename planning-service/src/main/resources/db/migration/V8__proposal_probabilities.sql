-- What the planner believed of a proposal beyond its objectives' moments: the probability that the
-- experiment succeeds (from the campaign's failures) and that its outcomes meet the campaign's outcome
-- constraints. NULL: not modelled when it was proposed (no failure yet, no constraint, or proposals made
-- before this migration).
ALTER TABLE proposal ADD COLUMN success_probability DOUBLE PRECISION;
ALTER TABLE proposal ADD COLUMN constraint_probability DOUBLE PRECISION;
