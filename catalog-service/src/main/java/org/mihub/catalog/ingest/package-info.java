/**
 * Ingest of a document (CSV, JSON or structured records) into a dataset as one new version: streaming
 * readers that validate every cell and report every problem with its row, line and column, and the
 * {@code COPY} writer that stores a clean document in one transaction. It works on domain types: it
 * must not depend on protobuf or gRPC types, which {@code mapping} translates.
 */
package org.mihub.catalog.ingest;
