package org.mihub.gateway.config;

import java.time.Duration;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;

import org.hibernate.validator.constraints.time.DurationMin;
import org.mihub.common.config.ConfigRules;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How the gateway calls its backends ({@code client/}): the deadline of each kind of call, and the
 * circuit breaker and retries of {@code client/BackendGuard}.
 */
@ConfigMapping(prefix = "mihub.gateway")
public interface BackendsConfig {

    /**
     * Deadline of an ordinary backend call, from the moment it is made (retries included); no default:
     * application.properties sets it.
     */
    @DurationMin(millis = 1, message = ConfigRules.POSITIVE_DURATION)
    Duration backendDeadline();

    /** Deadline of creating a campaign, proposing a batch or starting a simulation (surrogate fits). */
    @WithDefault("60s")
    @DurationMin(millis = 1, message = ConfigRules.POSITIVE_DURATION)
    Duration proposeDeadline();

    /** Deadline of a prediction batch. */
    @WithDefault("60s")
    @DurationMin(millis = 1, message = ConfigRules.POSITIVE_DURATION)
    Duration predictDeadline();

    /** Deadline of a record upload or a dataset export, streamed through. */
    @WithDefault("30m")
    @DurationMin(millis = 1, message = ConfigRules.POSITIVE_DURATION)
    Duration ingestDeadline();

    /** Retries of an idempotent read that could not reach its backend. */
    @WithDefault("2")
    @PositiveOrZero
    int readRetries();

    /** Each backend's circuit breaker. */
    Breaker breaker();

    interface Breaker {

        /** Calls the breaker looks at. */
        @WithDefault("20")
        @Min(1)
        int window();

        /** Calls before it judges. */
        @WithDefault("5")
        @Min(1)
        int minimumCalls();

        /** Percentage of failed calls that opens it. */
        @WithDefault("50")
        @DecimalMin(value = "0", inclusive = false)
        @DecimalMax("100")
        float failureRate();

        /** How long it stays open (the {@code Retry-After} of its 503s). */
        @WithDefault("5s")
        @DurationMin(millis = 1, message = ConfigRules.POSITIVE_DURATION)
        Duration openFor();

        /** Trial calls once it is half open. */
        @WithDefault("3")
        @Min(1)
        int halfOpenCalls();
    }
}
