/**
 * The public HTTP surface: the REST API under {@code /api/v1}, the OPTIMADE API, the portal's files,
 * and the filters and mappers around them (body size, rate limit, security headers, every failure as
 * problem+json). Resources call the backends through {@code client} and translate through {@code
 * mapping}; they must not decide who may see what, which the backends do.
 */
package org.mihub.gateway.rest;
