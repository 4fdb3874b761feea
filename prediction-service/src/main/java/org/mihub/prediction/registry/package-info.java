/**
 * The model registry: model versions and their out-of-fold predictions in PostgreSQL as Hibernate ORM
 * entities with Panache repositories, their artefacts (large {@code bytea}) in JDBC in the same transaction, the
 * read rule applied to models in SQL, and who may read a model now given its training datasets (asked
 * of the catalog as the caller, through {@code client}). It must import no protobuf or gRPC type, and must
 * not depend on {@code mapping} or on the inbound gRPC API.
 */
package org.mihub.prediction.registry;
