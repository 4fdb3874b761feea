package org.mihub.gateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import org.hibernate.validator.constraints.URL;
import org.hibernate.validator.constraints.time.DurationMin;
import org.mihub.common.config.ConfigRules;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * This gateway in the federation (issue #24): its node id, whether it is the hub, where the hub and
 * this gateway are reached, and how the federated search treats each node. Federation is off unless
 * {@code mihub.federation.node} is set.
 */
@ConfigMapping(prefix = "mihub.federation")
public interface FederationConfig {

    /** A node id as the contract writes it. */
    String NODE_ID = "[a-z0-9-]{1,40}";

    /** This node's id, e.g. {@code acme}; unset: federation off (a single installation). */
    Optional<@Pattern(regexp = NODE_ID, message = "must be a node id: 1 to 40 of a-z, 0-9 and -") String> node();

    /** {@code true} at the hub only (it serves the federation directory). */
    @WithDefault("false")
    boolean hub();

    /** The hub gateway's base URL, e.g. {@code http://127.0.0.1:8100} (at the hub: its own). */
    Optional<@URL(message = ConfigRules.URL_MESSAGE) String> hubUrl();

    /** This gateway's base URL as other nodes reach it (the {@code homeUrl} of its materials). */
    Optional<@URL(message = ConfigRules.URL_MESSAGE) String> publicUrl();

    /** How long a federated search waits for one node. */
    @WithDefault("2s")
    @DurationMin(millis = 1, message = ConfigRules.POSITIVE_DURATION)
    Duration timeout();

    /** The organisations this node registers at the hub; none given: the node id alone. */
    Optional<List<@Pattern(regexp = "[A-Za-z0-9._-]{1,64}", message = "must list organisation ids") String>>
            organisations();

    /** How often this node registers itself at the hub again (its {@code lastSeenAt}). */
    @WithDefault("60s")
    @DurationMin(millis = 1, message = ConfigRules.POSITIVE_DURATION)
    Duration registerEvery();

    /** How long the hub's node list is kept before it is asked again. */
    @WithDefault("30s")
    @DurationMin(millis = 1, message = ConfigRules.POSITIVE_DURATION)
    Duration nodesCacheFor();

    /** The circuit breaker of each remote node. */
    Breaker breaker();

    interface Breaker {

        /** Calls the breaker looks at. */
        @WithDefault("10")
        @Min(1)
        int window();

        /** Calls before it judges. */
        @WithDefault("3")
        @Min(1)
        int minimumCalls();

        /** Percentage of failed calls (timeouts included) that opens it. */
        @WithDefault("50")
        @DecimalMin(value = "0", inclusive = false)
        @DecimalMax("100")
        float failureRate();

        /** How long it stays open: the node is reported unavailable without being asked. */
        @WithDefault("30s")
        @DurationMin(millis = 1, message = ConfigRules.POSITIVE_DURATION)
        Duration openFor();

        /** Trial calls once it is half open. */
        @WithDefault("1")
        @Min(1)
        int halfOpenCalls();
    }
}
