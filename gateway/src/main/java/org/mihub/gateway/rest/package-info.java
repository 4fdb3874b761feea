/**
 * The public HTTP surface: the REST API under {@code /api/v1}, the OPTIMADE API, the portal's files,
 * and the filters and mappers around them (body size, rate limit, security headers, every failure as
 * problem+json: a backend's {@code BackendFailure} in {@code BackendFailureMapper}, the gateway's own
 * {@code InvalidInput} in {@code InvalidInputMapper}). Resources speak {@code view} records and plain
 * values with the clients and use no generated, protobuf or gRPC type ({@code LayeringTest}; the
 * planning resource is the exception until its move off the protobuf JSON); they must not decide
 * who may see what, which the backends do.
 */
package org.mihub.gateway.rest;
