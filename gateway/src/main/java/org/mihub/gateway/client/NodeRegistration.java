package org.mihub.gateway.client;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.mihub.gateway.config.FederationConfig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * This node's entry in the hub's directory: with {@code mihub.federation.node} and {@code hub-url}
 * set, the gateway registers its node at start and again every {@code register-every} (60 s), as
 * {@code PUT {hub-url}/api/v1/federation/nodes/{node}} with a client-credentials token of the
 * {@code federation} OIDC client. A failure is logged once per change of state and retried on the
 * next round; readiness does not depend on it (the node works alone while the hub is down).
 */
@ApplicationScoped
public class NodeRegistration {

    private static final Logger LOG = Logger.getLogger(NodeRegistration.class);

    /** The body of the registration. */
    @RegisterForReflection
    public record Registration(List<String> organisations, String gatewayUrl, String optimadeUrl) {
    }

    @Inject
    FederationConfig config;

    @Inject
    FederationHttp http;

    @Inject
    Instance<OidcClients> clients;

    @Inject
    ObjectMapper json;

    @Inject
    HubDirectory directory;

    private final AtomicReference<String> state = new AtomicReference<>("");

    void start(@Observes StartupEvent started, Vertx vertx) {
        if (config.node().isEmpty() || config.hubUrl().isEmpty()) {
            return;
        }
        if (config.publicUrl().isEmpty()) {
            LOG.warnf("federation: mihub.federation.public-url is not set, so node %s does not register at the hub "
                    + "(other nodes would not know where to reach it)", config.node().get());
            return;
        }
        OidcClient client = client();
        if (client == null) {
            LOG.warnf("federation: quarkus.oidc-client.federation is not configured, so node %s does not register "
                    + "at the hub %s", config.node().get(), config.hubUrl().get());
            return;
        }
        register(client).subscribe().with(done -> { }, failure -> { });
        vertx.setPeriodic(config.registerEvery().toMillis(),
                tick -> register(client).subscribe().with(done -> { }, failure -> { }));
    }

    private OidcClient client() {
        try {
            return clients.isResolvable() ? clients.get().getClient("federation") : null;
        } catch (RuntimeException notConfigured) {
            return null;
        }
    }

    /** The registration this node sends. */
    public Registration registration() {
        String node = config.node().orElseThrow();
        String base = config.publicUrl().orElseThrow();
        String root = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return new Registration(config.organisations().filter(list -> !list.isEmpty()).orElse(List.of(node)), root,
                root + "/optimade");
    }

    /** One registration round: a token, then the PUT; the outcome logged when it differs from the last one. */
    Uni<Void> register(OidcClient client) {
        String node = config.node().orElseThrow();
        String hub = config.hubUrl().orElseThrow();
        String body;
        try {
            body = json.writeValueAsString(registration());
        } catch (JsonProcessingException impossible) {
            return Uni.createFrom().failure(impossible);
        }
        return client.getTokens().onFailure().transform(failure -> new IllegalStateException(
                "no token from the federation OIDC client: " + FederatedSearch.describe(failure)))
                .chain(tokens -> http.put(FederationHttp.uri(hub, "/api/v1/federation/nodes/" + node, Map.of()),
                        Map.of("Authorization", "Bearer " + tokens.getAccessToken()), body)
                        .onFailure(failure -> !(failure instanceof IllegalStateException)).transform(failure ->
                                new IllegalStateException("the hub could not be reached: "
                                        + FederatedSearch.describe(failure))))
                .invoke(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("the hub answered " + response.statusCode() + ": "
                                + FederatedSearch.problemDetail(json, response.body()));
                    }
                })
                .invoke(response -> {
                    if (!"registered".equals(state.getAndSet("registered"))) {
                        LOG.infof("federation: node %s registered at the hub %s", node, hub);
                        directory.forget();
                    }
                })
                .onFailure().invoke(failure -> {
                    String message = failure.getMessage();
                    if (!message.equals(state.getAndSet(message))) {
                        LOG.warnf("federation: node %s could not register at the hub %s (retried every %s): %s",
                                node, hub, config.registerEvery(), message);
                    }
                })
                .replaceWithVoid();
    }
}
