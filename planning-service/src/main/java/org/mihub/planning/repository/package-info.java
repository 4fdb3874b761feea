/**
 * Persistence of campaigns, batches, proposals, prior observations and simulation jobs: JPA entities
 * mapped onto the tables Flyway migrates (Hibernate never creates or changes the schema), read and
 * written through Panache repositories inside JTA transactions ({@link
 * org.mihub.common.sql.EntityTransactions}), with the visibility rule of campaigns applied in SQL.
 * A job's moves stay on mihub-common's JDBC {@code JobTable}. Repositories return records and stored
 * documents as bytes, never entities; this package must not depend on protobuf or gRPC types, on
 * {@code mapping} or on {@code service}.
 */
package org.mihub.planning.repository;
