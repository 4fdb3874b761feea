/**
 * The catalog's inbound gRPC API: reads the caller from the gRPC context on the calling thread, turns
 * messages into domain calls through {@code mapping} and runs them on worker threads through common's
 * {@code Work}. It holds no access rules and no SQL of its own; those belong to {@code service} and
 * {@code repository}. {@code IngestFlowControl} gives the client-streaming ingest the flow control
 * and end signal the Mutiny stubs lack.
 */
package org.mihub.catalog.grpc;
