package org.mihub.gateway.client;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.gateway.config.FederationConfig;

import io.smallrye.mutiny.Uni;

/**
 * The gateway's HTTP calls to other gateways of the federation (the hub's directory, other nodes'
 * searches, this node's registration): the JDK's non-blocking client, so no event-loop thread waits;
 * every call has the per-node timeout.
 */
@ApplicationScoped
public class FederationHttp {

    /** The header that tells a node which node asks on the caller's behalf (its access log keeps it). */
    public static final String REQUESTING_NODE = "X-Mihub-Requesting-Node";

    private final HttpClient client;
    private final Duration timeout;

    @Inject
    public FederationHttp(FederationConfig config) {
        this.timeout = config.timeout();
        this.client = HttpClient.newBuilder().connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public Uni<HttpResponse<String>> get(URI uri, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(uri).GET(), headers);
    }

    public Uni<HttpResponse<String>> put(URI uri, Map<String, String> headers, String json) {
        return send(HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json"), headers);
    }

    private Uni<HttpResponse<String>> send(HttpRequest.Builder request, Map<String, String> headers) {
        request.timeout(timeout).header("Accept", "application/json");
        headers.forEach(request::header);
        HttpRequest built = request.build();
        return Uni.createFrom().completionStage(() -> client.sendAsync(built, HttpResponse.BodyHandlers.ofString()));
    }

    /** {@code base + path + ?query}, each value URL-encoded. */
    public static URI uri(String base, String path, Map<String, List<String>> query) {
        String root = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        String parameters = query.entrySet().stream().flatMap(entry -> entry.getValue().stream()
                .map(value -> encode(entry.getKey()) + "=" + encode(value))).collect(Collectors.joining("&"));
        return URI.create(root + path + (parameters.isEmpty() ? "" : "?" + parameters));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
