/**
 * Campaigns, batches, proposals and simulation jobs in PostgreSQL over JDBC, with the visibility rule
 * applied in SQL. It stores and returns records and stored documents as bytes; it must not depend on
 * protobuf or gRPC types, on {@code mapping} or on {@code service}.
 */
package org.mihub.planning.repository;
