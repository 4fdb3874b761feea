/**
 * Failures the REST layer turns into problem+json without any transport type in them: the caller's
 * own bad input ({@link org.mihub.gateway.error.InvalidInput}), found by the resources and by the
 * clients' mappers alike, before any backend is asked. It depends on no other gateway package.
 */
package org.mihub.gateway.error;
