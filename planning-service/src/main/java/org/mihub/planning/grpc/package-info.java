/**
 * The planning service's inbound gRPC API: campaigns, the ask/tell loop, lab sessions and simulation
 * jobs, each call run through common's {@code Work} with the caller from the gRPC context. It holds no
 * planning rules and no SQL; it translates through {@code mapping} and calls {@code service}.
 */
package org.mihub.planning.grpc;
