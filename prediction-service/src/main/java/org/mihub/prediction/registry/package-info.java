/**
 * The model registry: model versions, their artefacts and out-of-fold predictions in PostgreSQL, the
 * read rule applied to models in SQL, and who may read a model now given its training datasets (asked
 * of the catalog as the caller, through {@code client}). It must import no protobuf or gRPC type, and must
 * not depend on {@code mapping} or on the inbound gRPC API.
 */
package org.mihub.prediction.registry;
