-- Observations a campaign starts from: materials of the catalog datasets named in the spec's
-- prior_data, read once when the campaign was created, as the creator. The candidate is a stored
-- Candidate document (the point the material maps to in the design space); objective_values are in
-- the objectives' units, in the order of the spec's objectives.
CREATE TABLE prior_observation (
    campaign_id      UUID               NOT NULL REFERENCES campaign (id),
    position         INTEGER            NOT NULL,
    dataset_id       TEXT               NOT NULL,
    material_id      TEXT               NOT NULL,
    candidate        BYTEA              NOT NULL,
    objective_values DOUBLE PRECISION[] NOT NULL,
    PRIMARY KEY (campaign_id, position)
);
