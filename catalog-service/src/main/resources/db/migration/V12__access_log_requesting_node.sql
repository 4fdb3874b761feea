-- Issue #24: a read asked for by another node of the federation (its gateway's federated search)
-- keeps that node's id; NULL for a read at this node itself.
ALTER TABLE access_log ADD COLUMN requesting_node text;
