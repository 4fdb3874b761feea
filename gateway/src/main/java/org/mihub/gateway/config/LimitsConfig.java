package org.mihub.gateway.config;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import org.hibernate.validator.constraints.time.DurationMin;
import org.mihub.common.config.ConfigRules;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * What one caller may send: requests per period ({@code rest/RateLimitFilter}) and body sizes
 * ({@code rest/BodySizeFilter}).
 */
@ConfigMapping(prefix = "mihub.gateway")
public interface LimitsConfig {

    /** The cap of every request body but record uploads (which {@code quarkus.http.limits.max-body-size} bounds). */
    @WithDefault("4194304")
    @Min(1)
    long maxRequestBytes();

    /**
     * Requests per organisation per period (anonymous callers share one allowance). Named explicitly: the
     * validator would otherwise report a bad value under {@code rateLimit}, not the key's {@code rate-limit}.
     */
    @WithName("rate-limit")
    RateLimit rateLimit();

    interface RateLimit {

        /** Requests allowed per period. */
        @WithDefault("2000")
        @Min(1)
        int requests();

        /** The period after which the allowance renews. */
        @WithDefault("1s")
        @DurationMin(millis = 1, message = ConfigRules.POSITIVE_DURATION)
        Duration period();
    }
}
