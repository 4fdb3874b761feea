package org.mihub.gateway.client;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.gateway.config.FederationConfig;
import org.mihub.gateway.view.FederationViews.NodeList;
import org.mihub.gateway.view.FederationViews.NodeView;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

/**
 * The federation's registered nodes, as the hub's {@code GET /api/v1/federation/nodes} lists them: the
 * list is the same for every caller, so it is kept for {@code mihub.federation.nodes-cache-for} (30 s),
 * but it is read with the token of the caller who needs it (the hub lists nodes to members only).
 */
@ApplicationScoped
public class HubDirectory {

    /** Why the hub gave no list: {@code refused} (401/403) or {@code unavailable}, and what it said. */
    public static class HubFailure extends RuntimeException {
        private final String status;

        HubFailure(String status, String message) {
            super(message);
            this.status = status;
        }

        public String status() {
            return status;
        }
    }

    private record Cached(List<NodeView> nodes, Instant until) {
    }

    private final AtomicReference<Cached> cache = new AtomicReference<>();
    private final FederationHttp http;
    private final FederationConfig config;
    private final ObjectMapper json;

    @Inject
    public HubDirectory(FederationHttp http, FederationConfig config, ObjectMapper mapper) {
        this.http = http;
        this.config = config;
        this.json = lenient(mapper);
    }

    /** A mapper for other gateways' answers: fields this gateway does not know (a newer node's) are skipped. */
    static ObjectMapper lenient(ObjectMapper mapper) {
        return mapper.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /** The registered nodes (cached), read with {@code authorization} when the cache is cold; fails with a {@link HubFailure}. */
    public Uni<List<NodeView>> nodes(Optional<String> authorization) {
        Cached cached = cache.get();
        if (cached != null && Instant.now().isBefore(cached.until())) {
            return Uni.createFrom().item(cached.nodes());
        }
        String hub = config.hubUrl().orElseThrow(() -> new HubFailure("unavailable",
                "mihub.federation.hub-url is not set: this node knows no hub"));
        Map<String, String> headers = authorization.map(token -> Map.of("Authorization", token)).orElse(Map.of());
        return http.get(FederationHttp.uri(hub, "/api/v1/federation/nodes", Map.of()), headers)
                .onFailure().transform(failure -> new HubFailure("unavailable", "the hub " + hub
                        + " could not be reached: " + FederatedSearch.describe(failure)))
                .map(this::parse)
                .invoke(nodes -> cache.set(new Cached(nodes, Instant.now().plus(cacheFor()))));
    }

    /** The last list read, if any (e.g. for OPTIMADE /links, which has no caller token to read it with). */
    public Optional<List<NodeView>> known() {
        return Optional.ofNullable(cache.get()).map(Cached::nodes);
    }

    /** Forgets the list (a test, or a node that just registered). */
    public void forget() {
        cache.set(null);
    }

    private Duration cacheFor() {
        return config.nodesCacheFor();
    }

    private List<NodeView> parse(HttpResponse<String> response) {
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new HubFailure("refused", "the hub refused the node list (" + response.statusCode() + "): "
                    + FederatedSearch.problemDetail(json, response.body()));
        }
        if (response.statusCode() != 200) {
            throw new HubFailure("unavailable", "the hub answered the node list with " + response.statusCode());
        }
        try {
            NodeList list = json.readValue(response.body(), NodeList.class);
            if (list.nodes() == null || list.nodes().stream().anyMatch(node -> node == null || node.node() == null
                    || node.gatewayUrl() == null)) {
                throw new HubFailure("unavailable", "the hub's node list is malformed: a node without node or gatewayUrl");
            }
            return List.copyOf(list.nodes());
        } catch (java.io.IOException malformed) {
            throw new HubFailure("unavailable", "the hub's node list is malformed JSON");
        }
    }
}
