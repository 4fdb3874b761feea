/**
 * The gateway's outbound calls: one gRPC client per backend with the caller's relayed token and a
 * deadline per call, each behind its circuit breaker and read retries. It is the only gateway package
 * that holds gRPC stubs; it must not depend on the REST layer. {@code ProtoJson} is the REST API's one
 * JSON dialect for protobuf messages (lower-case enum names, 64-bit integers as numbers), read and
 * written from their descriptors, so the planning contract's messages stop here.
 */
package org.mihub.gateway.client;
