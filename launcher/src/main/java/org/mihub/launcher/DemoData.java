package org.mihub.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Loads the demo dataset that the project ships ({@code dev/demo/semiconductor-band-gaps.csv}:
 * textbook room-temperature band gaps) through the gateway's REST API, as alice of acme, visible
 * to the consortium. Loading again finds it and does nothing.
 */
final class DemoData {

    static final String TITLE = "Demo: band gaps of common semiconductors";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoData() {
    }

    /** The demo dataset's id, after creating and filling it if it was not there. */
    static String load(StackConfig config) throws IOException, InterruptedException {
        String token = Tokens.accessToken(config, "alice");
        String api = config.gatewayUrl() + "/api/v1/datasets";
        JsonNode existing = send(HttpRequest.newBuilder(URI.create(api + "?owner=acme&text="
                + URLEncoder.encode(TITLE, StandardCharsets.UTF_8))).GET(), token, 200);
        String id;
        if (existing.path("datasets").isEmpty()) {
            String body = JSON.createObjectNode().put("title", TITLE).put("licence", "CC0-1.0")
                    .put("visibility", "consortium")
                    .put("description", "Room-temperature band gaps of twenty well-known semiconductors and "
                            + "insulators, rounded textbook values; shipped with mihub for demonstrations.")
                    .put("citation", "mihub demo data (textbook values)").toString();
            id = send(HttpRequest.newBuilder(URI.create(api)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)), token, 201).get("id").asText();
        } else {
            id = existing.path("datasets").get(0).get("id").asText();
        }
        Path csv = config.home().resolve("dev/demo/semiconductor-band-gaps.csv");
        send(HttpRequest.newBuilder(URI.create(api + "/" + id + "/records?sourceName=semiconductor-band-gaps.csv"))
                .header("Content-Type", "text/csv").header("Idempotency-Key", "demo-band-gaps-v1")
                .POST(HttpRequest.BodyPublishers.ofFile(csv)), token, 200);
        return id;
    }

    private static JsonNode send(HttpRequest.Builder request, String token, int expected)
            throws IOException, InterruptedException {
        HttpResponse<String> reply = HTTP.send(request.header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != expected) {
            throw new IOException("demo data: HTTP " + reply.statusCode() + " from " + reply.request().uri() + ": "
                    + reply.body());
        }
        return JSON.readTree(reply.body());
    }
}
