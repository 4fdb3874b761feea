/**
 * Training jobs: the data read from the catalog as the caller, featurised, cross-validated and fitted,
 * then stored with the model, its artefact and its metrics, with progress, cancellation and heartbeats
 * in the service's job table (inserted and read as a Hibernate ORM entity; its moves are common's JDBC
 * {@code JobTable}). The catalog is reached through {@code client}: it must import no protobuf or
 * gRPC type, and must not depend on {@code mapping} or on the inbound gRPC API.
 */
package org.mihub.prediction.training;
