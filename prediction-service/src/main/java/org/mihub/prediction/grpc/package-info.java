/**
 * The prediction service's inbound gRPC API: formula parsing, featurising, training jobs, the model
 * registry and predictions, each call run through common's {@code Work} with the caller from the gRPC
 * context. It holds no rules of its own; it translates through {@code mapping} and calls the domain
 * packages.
 */
package org.mihub.prediction.grpc;
