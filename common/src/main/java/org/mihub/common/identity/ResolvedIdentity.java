package org.mihub.common.identity;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;

/** The identity of the current request, read without blocking the event loop. */
final class ResolvedIdentity {

    private ResolvedIdentity() {
    }

    /**
     * Authentication is proactive, so by the time service code or an interceptor runs, the
     * deferred identity has completed and subscribing yields it at once. An identity that is still
     * being resolved, or failed, counts as none.
     */
    static Optional<SecurityIdentity> of(CurrentIdentityAssociation association) {
        AtomicReference<SecurityIdentity> resolved = new AtomicReference<>();
        association.getDeferredIdentity().subscribe().with(resolved::set, failure -> {
        });
        return Optional.ofNullable(resolved.get());
    }
}
