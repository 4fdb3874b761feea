/**
 * The models: random forest and gradient-boosted trees with per-prediction uncertainty, the Gaussian
 * process for small data, k-fold cross-validation, the applicability domain, and the trained artefact
 * with its versioned binary format. Pure computation with explicit seeds: it must not import Quarkus,
 * CDI, MicroProfile, gRPC or protobuf types, so that models are unit-tested and benchmarked alone.
 */
package org.mihub.prediction.model;
