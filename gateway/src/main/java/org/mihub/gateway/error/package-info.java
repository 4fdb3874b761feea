/**
 * Failures the REST layer turns into problem+json without any transport type in them: the caller's
 * own bad input ({@link org.mihub.gateway.error.InvalidInput}), found by resources and mappers alike.
 */
package org.mihub.gateway.error;
