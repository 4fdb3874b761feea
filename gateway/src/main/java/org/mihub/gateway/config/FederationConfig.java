package org.mihub.gateway.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * This gateway's part in the federation (issue 24; the keys of the shared contract). Without a node id
 * federation is off and the gateway behaves as a single installation.
 */
@ConfigMapping(prefix = "mihub.federation")
public interface FederationConfig {

    /** This node's id ({@code [a-z0-9-]{1,40}}, e.g. {@code acme}; the hub's is {@code hub}); empty: federation off. */
    Optional<String> node();

    /** Whether this gateway is the hub's (it then serves {@code /api/v1/federation/*}). */
    @WithDefault("false")
    boolean hub();

    /** The hub gateway's base URL, e.g. {@code http://127.0.0.1:8100} (at the hub: its own). */
    Optional<String> hubUrl();

    /** This gateway's base URL as other nodes reach it. */
    Optional<String> publicUrl();

    /** How long a federated search waits for one node. */
    @WithDefault("2s")
    Duration timeout();
}
