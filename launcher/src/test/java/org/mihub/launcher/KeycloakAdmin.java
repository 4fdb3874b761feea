package org.mihub.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Keycloak's admin REST API on the running suite, as the bootstrap admin, for tests that change the realm. */
final class KeycloakAdmin {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String token;

    private KeycloakAdmin(String base, String token) {
        this.base = base;
        this.token = token;
    }

    static KeycloakAdmin login(StackConfig config) throws Exception {
        String base = "http://" + StackConfig.HOST + ":" + config.keycloakPort();
        String token = Tokens.request(base + "/realms/master/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", "admin-cli",
                "username", Keycloak.ADMIN_USER, "password", Keycloak.ADMIN_PASSWORD)).get("access_token").asText();
        return new KeycloakAdmin(base, token);
    }

    /** The mihub realm's admin path. */
    static String realm(String path) {
        return "/admin/realms/" + StackConfig.REALM + path;
    }

    /**
     * A real token of a demo user that expires {@code seconds} after it is issued: the first call
     * registers a copy of the mihub-cli client with that access-token lifespan
     * ({@code e2e-short-lived-<seconds>}) through the admin API.
     */
    String shortLivedToken(StackConfig config, String user, int seconds) throws Exception {
        String clientId = "e2e-short-lived-" + seconds;
        String clients = realm("/clients");
        if (get(clients + "?clientId=" + clientId).isEmpty()) {
            ObjectNode client = (ObjectNode) get(clients + "?clientId=mihub-cli").get(0);
            client.remove("id");
            client.put("clientId", clientId);
            ((ObjectNode) client.with("attributes")).put("access.token.lifespan", String.valueOf(seconds));
            client.withArray("protocolMappers").forEach(mapper -> ((ObjectNode) mapper).remove("id"));
            create(clients, client);
        }
        return Tokens.request(config.issuer() + "/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", clientId, "username", user, "password", user))
                .get("access_token").asText();
    }

    JsonNode get(String path) throws Exception {
        var reply = send(HttpRequest.newBuilder(URI.create(base + path)).GET());
        if (reply.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": HTTP " + reply.statusCode() + " " + reply.body());
        }
        return JSON.readTree(reply.body());
    }

    /** POSTs JSON; returns the created resource's id (the last segment of Location). */
    String create(String path, Object body) throws Exception {
        var reply = send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        if (reply.statusCode() != 201) {
            throw new IllegalStateException("POST " + path + ": HTTP " + reply.statusCode() + " " + reply.body());
        }
        String location = reply.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    void delete(String path) throws Exception {
        var reply = send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
        if (reply.statusCode() != 204 && reply.statusCode() != 404) {
            throw new IllegalStateException("DELETE " + path + ": HTTP " + reply.statusCode() + " " + reply.body());
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
