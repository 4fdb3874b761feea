-- Classifiers (boolean and categorical targets): what a model learns, a classifier's classes in the
-- order of its probabilities, and each out-of-fold row's calibrated probability of each class.
-- Models stored before are regression models.

ALTER TABLE model ADD COLUMN task TEXT NOT NULL DEFAULT 'REGRESSION' CHECK (task IN ('REGRESSION', 'CLASSIFICATION'));
ALTER TABLE model ADD COLUMN classes TEXT[] NOT NULL DEFAULT '{}';

ALTER TABLE model_out_of_fold ADD COLUMN probabilities DOUBLE PRECISION[];
