-- A simulation job is shared like a campaign: SHARED jobs are readable by the named organisations.
ALTER TABLE job ADD COLUMN shared_with TEXT[] NOT NULL DEFAULT '{}';
