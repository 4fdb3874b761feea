/**
 * How candidates are scored and batches chosen: the acquisition functions with tail-safe normal
 * quantities, kriging-believer and locally penalised batches, expected hypervolume improvement for two
 * objectives, and prediction models as a surrogate's prior. Pure computation on arrays and the common
 * Gaussian process: it must not import Quarkus, CDI, MicroProfile, gRPC or protobuf types.
 */
package org.mihub.planning.acquisition;
