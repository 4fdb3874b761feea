package org.mihub.catalog.service;

import java.time.Instant;
import java.util.List;

/**
 * A node registered at the hub's directory: the organisations whose datasets it may publish cards of,
 * and where its gateway and OPTIMADE API are reached.
 *
 * @param optimadeUrl empty when it has none
 * @param lastSeenAt  its last registration or stored card; null before either
 */
public record FederationNode(String node, List<String> organisations, String gatewayUrl, String optimadeUrl,
        Instant registeredAt, Instant lastSeenAt) {

    public FederationNode {
        organisations = List.copyOf(organisations);
    }
}
