/**
 * The prediction service's outbound calls: the catalog, over gRPC and as the caller (training data
 * exports, the property vocabulary, which training datasets the caller still sees, derived-read
 * reports). It alone holds the catalog's stubs and generated types and turns them into the service's
 * own records; the domain packages ({@code training}, {@code registry}, {@code inference}) call it and
 * import no protobuf or gRPC type. It must not depend on {@code grpc}, {@code mapping} or the domain
 * packages.
 */
package org.mihub.prediction.client;
