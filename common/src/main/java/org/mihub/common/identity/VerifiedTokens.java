package org.mihub.common.identity;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Access tokens this service has already verified, with the identity built from each, so a token
 * presented again (a portal or a robot reuses its token for minutes) is not parsed and its RSA
 * signature not checked again on every request.
 *
 * <p>The key is the whole token, signature included: any other bytes, however similar, miss and
 * go through full verification. An entry lives until the token expires, and at most {@code ttl}
 * (so a key removed from the realm, or a change in what the verifier accepts, takes effect within
 * that time); the cache holds at most {@code maxSize} tokens.
 */
public final class VerifiedTokens {

    private record Entry(SecurityIdentity identity, long validUntilMillis) {
    }

    private final Cache<String, Entry> entries;
    private final Duration ttl;
    private final Clock clock;

    public VerifiedTokens(int maxSize, Duration ttl, Clock clock) {
        this.entries = Caffeine.newBuilder().maximumSize(maxSize).build();
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The identity verified for exactly this token, if it was verified and is still valid now. */
    public Optional<SecurityIdentity> find(String token) {
        Entry entry = entries.getIfPresent(token);
        if (entry == null) {
            return Optional.empty();
        }
        if (clock.millis() >= entry.validUntilMillis()) {
            entries.invalidate(token);
            return Optional.empty();
        }
        return Optional.of(entry.identity());
    }

    /** Remembers a verified token until it expires ({@code exp}, in epoch seconds), at most for the TTL. */
    public void remember(String token, SecurityIdentity identity, long expiresAtEpochSeconds) {
        long now = clock.millis();
        long validUntil = Math.min(expiresAtEpochSeconds * 1000, now + ttl.toMillis());
        if (validUntil > now) {
            entries.put(token, new Entry(identity, validUntil));
        }
    }

    public long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }
}
