/**
 * Predictions from a registered model for callers who may see it: each input parsed and featurised on
 * its own, a bad one reported without failing the rest, with mean, standard deviation and
 * applicability-domain flag. It must not import protobuf or gRPC types; {@code mapping} translates.
 */
package org.mihub.prediction.inference;
