package org.mihub.gateway.view;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** JSON shapes of the federation directory at the hub (the shared contract's card, node and resync). */
public final class FederationViews {

    private FederationViews() {
    }

    /** Also read back from the hub by every gateway (client.HubDirectory): registered for reflection. */
    @Schema(name = "FederationNode", description = "A node registered at the hub")
    @RegisterForReflection
    public record NodeView(String node, List<String> organisations, String gatewayUrl, String optimadeUrl,
            Instant registeredAt, Instant lastSeenAt) {
    }

    @Schema(name = "FederationNodes")
    @RegisterForReflection
    public record NodeList(List<NodeView> nodes) {
    }

    @Schema(name = "FederationNodeRegistration", description = "A node's organisations and URLs")
    public record NodeInput(List<String> organisations, String gatewayUrl, String optimadeUrl) {
    }

    @Schema(name = "FederationResync", description = "A resync request as sent to the node")
    public record ResyncView(String node, String requestId, Instant requestedAt) {
    }

    @Schema(name = "CardProperty", description = "A property of a card: unit, count and, when numeric, range")
    public record CardPropertyView(String name, String unit, long count, Double min, Double max) {
    }

    @Schema(name = "DatasetCard", description = "A dataset as the federation knows it: metadata only, no rows")
    public record CardView(String node, String datasetId, int version, String title, String description,
            String licence, String doi, String ownerOrg,
            @Schema(enumeration = {"SHARED", "CONSORTIUM", "PUBLIC"}) String visibility, List<String> sharedWith,
            Instant embargoUntil, @Schema(enumeration = {"SHARED", "CONSORTIUM", "PUBLIC"}) String embargoVisibility,
            long rowCount, List<String> elements, List<CardPropertyView> properties, Instant updatedAt,
            boolean tombstone) {
    }

    @Schema(name = "DatasetCards")
    public record CardPage(List<CardView> cards, String nextCursor) {
    }
}
