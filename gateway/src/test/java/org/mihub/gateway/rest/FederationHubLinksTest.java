package org.mihub.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;

/**
 * OPTIMADE {@code /links} at the hub: every registered node but the hub itself is a {@code child}
 * provider with its {@code optimadeUrl}, read from the directory (a stand-in hub directory here) with
 * the caller's token; an anonymous caller gets the last list read. No federation OIDC client is
 * configured, so the hub does not register itself and still starts.
 */
@QuarkusTest
@TestProfile(FederationHubLinksTest.Hub.class)
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FederationHubLinksTest {

    private static final int DIRECTORY = 18196;

    public static class Hub implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mihub.federation.node", "hub", "mihub.federation.hub", "true",
                    "mihub.federation.hub-url", "http://127.0.0.1:" + DIRECTORY,
                    "mihub.federation.public-url", "http://127.0.0.1:18080");
        }
    }

    private HttpServer directory;

    private static String node(String id, String optimade) {
        return "{\"node\":\"" + id + "\",\"organisations\":[\"" + id + "\"],\"gatewayUrl\":\"http://" + id
                + ".example.org\",\"optimadeUrl\":\"" + optimade + "\"}";
    }

    @BeforeAll
    void standIn() throws IOException {
        directory = HttpServer.create(new InetSocketAddress("127.0.0.1", DIRECTORY), 0);
        directory.createContext("/api/v1/federation/nodes", exchange -> {
            boolean member = exchange.getRequestHeaders().getFirst("Authorization") != null;
            byte[] body = (member ? "{\"nodes\":[" + String.join(",", node("hub", "http://hub.example.org/optimade"),
                    node("acme", "http://acme.example.org/optimade"),
                    node("kansai-u", "http://kansai-u.example.org/optimade")) + "]}"
                    : "{\"title\":\"Unauthorized\",\"status\":401}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(member ? 200 : 401, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        directory.start();
    }

    @AfterAll
    void stop() {
        directory.stop(0);
    }

    @Test
    void theHubListsEveryOtherRegisteredNodeAsAChild() {
        String token = Jwt.subject("carol").preferredUserName("carol").claim("org", "hub")
                .claim("realm_access", Map.of("roles", List.of("member"))).issuer("https://server.example.com")
                .audience("mihub").expiresAt(Instant.now().plusSeconds(300)).sign();
        given().auth().oauth2(token).get("/optimade/v1/links").then().statusCode(200)
                .body("data.find { it.id == 'acme' }.attributes.link_type", is("child"))
                .body("data.find { it.id == 'acme' }.attributes.base_url", is("http://acme.example.org/optimade"))
                .body("data.find { it.id == 'kansai-u' }.attributes.link_type", is("child"))
                .body("data.find { it.id == 'hub' && it.attributes.link_type == 'child' }", nullValue());
        // anonymous: the directory refuses, the last list read is used
        given().get("/optimade/v1/links").then().statusCode(200)
                .body("data.find { it.id == 'kansai-u' }.attributes.base_url",
                        is("http://kansai-u.example.org/optimade"));
    }
}
