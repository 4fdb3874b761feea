package org.mihub.common.config;

import java.time.Duration;

import jakarta.validation.constraints.PositiveOrZero;

import org.hibernate.validator.constraints.time.DurationMin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The cache of bearer tokens this service has verified already ({@code identity.VerifiedTokens}). */
@ConfigMapping(prefix = "mihub.auth.token-cache")
public interface TokenCacheConfig {

    /** Whether verified tokens are remembered at all. */
    @WithDefault("true")
    boolean enabled();

    /** Tokens remembered at most (the least recently used go first). */
    @WithDefault("10000")
    @PositiveOrZero
    int maxSize();

    /** How long a verified token is trusted without verifying it again (never past its own expiry). */
    @WithDefault("60s")
    @DurationMin(millis = 1, message = ConfigRules.POSITIVE_DURATION)
    Duration ttl();
}
