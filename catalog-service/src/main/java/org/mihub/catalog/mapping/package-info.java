/**
 * Between the catalog contract and its domain: protobuf messages to queries, datasets and ingest
 * streams and back, with every bad field named. Here, with {@code grpc}, protobuf types stop; this
 * package must hold no access rules and run no SQL, and {@code service}, {@code repository} and {@code
 * ingest} must not depend on it.
 */
package org.mihub.catalog.mapping;
