package org.mihub.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Access tokens from the suite's Keycloak: demo users through the {@code mihub-cli} client
 * (password grant; demo passwords equal the user names), lab robots and other confidential clients
 * through client credentials ({@code ./mihub token --client lab-robot}).
 */
public final class Tokens {

    /** Demo secret of the lab-robot client, as in dev/keycloak/mihub-realm.json (never used outside dev). */
    static final String LAB_ROBOT_SECRET = "lab-robot-dev-secret";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Tokens() {
    }

    /** An access token for a demo user ({@code alice}, {@code bob}...) or for {@code lab-robot}. */
    public static String accessToken(StackConfig config, String user) throws IOException, InterruptedException {
        if ("lab-robot".equals(user)) {
            return clientToken(config, "lab-robot", null);
        }
        return passwordToken(config.issuer(), user);
    }

    /** A demo user's access token from a realm (issuer URL) through the command-line client's password grant. */
    public static String passwordToken(String issuer, String user) throws IOException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", "mihub-cli");
        form.put("username", user);
        form.put("password", user);
        return request(issuer + "/protocol/openid-connect/token", form).get("access_token").asText();
    }

    /**
     * A client-credentials token of a confidential client of the realm (a lab robot's, such as
     * {@code lab-robot}), as the robot itself gets one. {@code secret} null: {@code lab-robot}'s demo
     * secret for {@code lab-robot}, for any other client a refusal naming what to pass.
     */
    public static String clientToken(StackConfig config, String clientId, String secret)
            throws IOException, InterruptedException {
        return clientToken(config.issuer(), clientId, secret);
    }

    /** A client-credentials token of a confidential client of the realm {@code issuer}. */
    public static String clientToken(String issuer, String clientId, String secret)
            throws IOException, InterruptedException {
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("--client needs a client id (e.g. lab-robot)");
        }
        if (secret == null || secret.isEmpty()) {
            if (!"lab-robot".equals(clientId)) {
                throw new IllegalArgumentException("client '" + clientId + "' needs its secret: --secret SECRET or "
                        + "the environment variable MIHUB_CLIENT_SECRET");
            }
            secret = LAB_ROBOT_SECRET;
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_secret", secret);
        return request(issuer + "/protocol/openid-connect/token", form).get("access_token").asText();
    }

    /** POSTs a form to a token endpoint and returns the JSON reply; an OAuth error becomes an exception. */
    public static JsonNode request(String url, Map<String, String> form) throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> reply = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(reply.body());
        if (reply.statusCode() != 200) {
            throw new IOException("token request refused (HTTP " + reply.statusCode() + "): "
                    + json.path("error_description").asText(json.path("error").asText(reply.body())));
        }
        return json;
    }
}
