package org.mihub.catalog.config;

import java.util.Optional;

import jakarta.validation.constraints.Pattern;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * This catalog's part in the federation (issue 24): its node id, whether it keeps the hub's directory,
 * and its NATS account. Without a node id federation is off: no outbox rows, no NATS connection.
 */
@ConfigMapping(prefix = "mihub.federation")
public interface FederationConfig {

    /** This node's id, e.g. {@code acme} (the hub's is {@code hub}); unset or empty: federation off. */
    Optional<@Pattern(regexp = "[a-z0-9-]{1,40}", message = "must be a node id of 1 to 40 characters a-z, 0-9 or -")
            String> node();

    /** Whether this catalog keeps the federation directory (the hub only). */
    @WithDefault("false")
    boolean hub();

    /** The NATS server the cards go through. */
    Nats nats();

    interface Nats {

        /** e.g. {@code nats://127.0.0.1:4222}. */
        @WithDefault("nats://127.0.0.1:4222")
        String url();

        /** This node's NATS user (each node has its own; the hub's may do everything). */
        Optional<String> user();

        Optional<String> password();
    }

    /** Whether federation is on (a node id is set). */
    default boolean enabled() {
        return node().filter(id -> !id.isBlank()).isPresent();
    }

    /** This node's id; only when {@link #enabled()}. */
    default String nodeId() {
        return node().orElseThrow();
    }
}
