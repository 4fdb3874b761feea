package org.mihub.catalog.repository;

import java.util.List;
import java.util.Optional;

import org.mihub.common.identity.Caller;

/**
 * The read rule of {@link org.mihub.catalog.service.AccessPolicy} as a SQL condition on the
 * {@code dataset} table (alias {@code d}), with its parameters.
 */
public record ReadScope(String condition, List<Object> parameters) {

    /** The visibility now in effect: an embargo that has passed is applied on every read. */
    public static final String EFFECTIVE_VISIBILITY =
            "(CASE WHEN d.embargo_until IS NOT NULL AND d.embargo_until <= now() THEN d.embargo_visibility"
                    + " ELSE d.visibility END)";

    public static ReadScope of(Optional<Caller> caller) {
        if (caller.isEmpty()) {
            return new ReadScope(EFFECTIVE_VISIBILITY + " = 'PUBLIC'", List.of());
        }
        Caller who = caller.get();
        if (who.hasRole(Caller.ADMIN)) {
            return new ReadScope("TRUE", List.of());
        }
        return new ReadScope("(d.owner_org = ? OR " + EFFECTIVE_VISIBILITY + " IN ('CONSORTIUM', 'PUBLIC') OR ("
                + EFFECTIVE_VISIBILITY + " = 'SHARED' AND ? = ANY(d.shared_with)))", List.of(who.org(), who.org()));
    }
}
