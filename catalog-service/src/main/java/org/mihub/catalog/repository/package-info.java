/**
 * The catalog's PostgreSQL access over JDBC: datasets with the read rule applied in SQL, materials and
 * measurements, the search and OPTIMADE SQL builders, the access log, cursors and the formula
 * backfill. It returns domain types; it must not depend on protobuf or gRPC types or on {@code
 * mapping}.
 */
package org.mihub.catalog.repository;
