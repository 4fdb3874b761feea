package org.mihub.common.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.mihub.common.config.HealthConfig;

/**
 * Readiness includes the services this one calls: for every gRPC client named in
 * {@code mihub.health.downstream}, the liveness endpoint on the host and port of that client's
 * configuration ({@code quarkus.grpc.clients.<name>.host/port}; gRPC and HTTP share the port).
 * Liveness, not readiness, of the neighbour: one slow database must not cascade through the suite.
 */
@Readiness
@ApplicationScoped
public class DownstreamHealthCheck implements HealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Inject
    HealthConfig health;

    @Inject
    Config config;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("downstream services").up();
        for (String name : health.downstream().orElse(List.of())) {
            String state = probe(ClientAddress.of(config, name, "/q/health/live"));
            response.withData(name, state);
            if (!"UP".equals(state)) {
                response.down();
            }
        }
        return response.build();
    }

    private String probe(URI uri) {
        try {
            HttpResponse<Void> reply = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return reply.statusCode() == 200 ? "UP" : "DOWN (HTTP " + reply.statusCode() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "DOWN (interrupted)";
        } catch (Exception e) {
            return "DOWN (" + e.getClass().getSimpleName() + ")";
        }
    }
}
