package org.mihub.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
        return load(config.home(), config.gatewayUrl(), Tokens.accessToken(config, "alice"), new Spec("acme", TITLE, "consortium",
                List.of(), "Room-temperature band gaps of twenty well-known semiconductors and "
                        + "insulators, rounded textbook values; shipped with mihub for demonstrations.", 1, 0));
    }

    /**
     * One demo dataset: owner, title, visibility ({@code private}, {@code shared}, {@code consortium},
     * {@code public}) and shared-with list; its rows are every {@code stride}-th row of the shipped
     * band-gap table starting at row {@code offset} (so the datasets of a federation differ).
     */
    record Spec(String owner, String title, String visibility, List<String> sharedWith, String description,
            int stride, int offset) {
    }

    /** Creates and fills a demo dataset at a gateway as the token's caller; loading again finds it and does nothing. */
    static String load(Path home, String gatewayUrl, String token, Spec spec) throws IOException, InterruptedException {
        String api = gatewayUrl + "/api/v1/datasets";
        JsonNode existing = send(HttpRequest.newBuilder(URI.create(api + "?owner=" + spec.owner() + "&text="
                + URLEncoder.encode(spec.title(), StandardCharsets.UTF_8))).GET(), token, 200);
        String id;
        if (existing.path("datasets").isEmpty()) {
            ObjectNode body = JSON.createObjectNode().put("title", spec.title()).put("licence", "CC0-1.0")
                    .put("visibility", spec.visibility()).put("description", spec.description())
                    .put("citation", "mihub demo data (textbook values)");
            spec.sharedWith().forEach(body.putArray("sharedWith")::add);
            id = send(HttpRequest.newBuilder(URI.create(api)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())), token, 201).get("id").asText();
        } else {
            id = existing.path("datasets").get(0).get("id").asText();
        }
        List<String> lines = Files.readAllLines(home.resolve("dev/demo/semiconductor-band-gaps.csv"));
        StringBuilder csv = new StringBuilder(lines.get(0)).append('\n');
        for (int row = 1 + spec.offset(); row < lines.size(); row += spec.stride()) {
            csv.append(lines.get(row)).append('\n');
        }
        send(HttpRequest.newBuilder(URI.create(api + "/" + id + "/records?sourceName=semiconductor-band-gaps.csv"))
                .header("Content-Type", "text/csv")
                .header("Idempotency-Key", "demo-band-gaps-v1" + (spec.stride() == 1 ? "" : "-" + spec.stride() + "-" + spec.offset()))
                .POST(HttpRequest.BodyPublishers.ofString(csv.toString())), token, 200);
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
