package org.mihub.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
