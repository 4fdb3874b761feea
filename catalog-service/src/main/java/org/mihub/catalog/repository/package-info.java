/**
 * The catalog's PostgreSQL access. Datasets and their audit one at a time go through Hibernate ORM
 * with Panache ({@code DatasetEntity}, {@code DatasetAuditEntity}, {@code DatasetRepository}, in
 * JTA transactions opened by common {@code EntityTransactions}); everything bulk or shaped by SQL stays on
 * JDBC: dataset lists and search scopes with the read rule applied in SQL and the ingest's dataset
 * lock ({@code DatasetSql}), materials and measurements, the search and OPTIMADE SQL builders, the
 * access log, cursors and the formula backfill. Flyway owns the schema; Hibernate only maps it. It
 * returns domain types; it must not depend on protobuf or gRPC types or on {@code mapping}.
 */
package org.mihub.catalog.repository;
