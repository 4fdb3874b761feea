/**
 * The gateway's outbound calls: one gRPC client per backend with the caller's relayed token and a
 * deadline per call, each behind its circuit breaker and read retries. It is the only gateway package
 * that holds gRPC stubs; it must not depend on the REST layer.
 */
package org.mihub.gateway.client;
