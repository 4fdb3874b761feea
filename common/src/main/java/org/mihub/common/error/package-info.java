/**
 * Refusals in domain terms and their one way onto the wire: {@link
 * org.mihub.common.error.ApiException} (a kind, a message for the caller, the offending fields) and
 * {@link org.mihub.common.error.GrpcErrors}, which turns it into a gRPC status with {@code google.rpc}
 * details and anything unexpected into INTERNAL without internals. Domain code throws these; it must
 * not depend on CDI, on any service module, or on HTTP (the gateway maps statuses to problem+json).
 */
package org.mihub.common.error;
