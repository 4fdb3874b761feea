-- A campaign's version counts every change to what its planner reads (a batch proposed, a result
-- recorded, a status set). The planner reads a campaign without a lock, plans, and commits its
-- proposals only if the version is still the one it read; otherwise it plans again.
ALTER TABLE campaign ADD COLUMN version bigint NOT NULL DEFAULT 0;
