/**
 * The gateway's outbound calls and the only gateway package that touches the backends' contracts:
 * one gRPC client per backend with the caller's relayed token and a deadline per call, each behind
 * its circuit breaker and read retries ({@code BackendGuard}), and the mappers between the generated
 * protobuf types and the {@code view} records. Clients take plain values and input views and return
 * views; every gRPC failure is translated once, in {@code BackendGuard}, into a {@code BackendFailure}
 * (its kind, the backend's message for a refusal, field violations, rejected rows, a retry hint).
 * {@code ProtoJson} is the REST API's one JSON dialect for the planning contract's messages (lower-case
 * enum names, 64-bit integers as numbers), read and written from their descriptors, so they stop here
 * too. The federation's outbound calls are here as well: the hub's node list ({@code HubDirectory}), the
 * federated search over HTTP with a breaker per node and its composite cursor ({@code FederatedSearch},
 * {@code FederatedCursor}), the node's self-registration ({@code NodeRegistration}) and the requesting
 * node relayed as gRPC metadata ({@code RequestingNode}). It depends on {@code view}, {@code error} and
 * {@code config}, never on the REST layer.
 */
package org.mihub.gateway.client;
