package org.mihub.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;

/**
 * The gateway alone (no backend running): it checks tokens itself and reports unreachable backends
 * as such, quickly, instead of failing. The suite with real backends is tested end to end in the launcher module.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class IdentityResourceTest {

    private static String token(Instant expiresAt) {
        return Jwt.subject("user-2").preferredUserName("bob").claim("org", "kansai-u")
                .claim("realm_access", Map.of("roles", List.of("member", "contributor")))
                .issuer("https://server.example.com").audience("mihub").expiresAt(expiresAt).sign();
    }

    @Test
    void meNeedsAValidToken() {
        given().get("/api/v1/me").then().statusCode(401);
        given().auth().oauth2(token(Instant.now().minusSeconds(600))).get("/api/v1/me").then().statusCode(401);
        given().auth().oauth2("not-a-jwt").get("/api/v1/status").then().statusCode(401);
    }

    @Test
    void meShowsTheGatewayViewAndEachUnreachableBackend() {
        given().auth().oauth2(token(Instant.now().plusSeconds(300))).get("/api/v1/me").then().statusCode(200)
                .body("gateway.org", is("kansai-u"))
                .body("gateway.username", is("bob"))
                .body("gateway.roles", is(List.of("contributor", "member")))
                .body("backends", hasSize(3))
                .body("backends.ok", everyItem(is(false)))
                .body("backends.error", everyItem(startsWith("UNAVAILABLE")));
    }

    @Test
    void statusReportsBackendsThatAreDown() {
        given().auth().oauth2(token(Instant.now().plusSeconds(300))).get("/api/v1/status").then().statusCode(200)
                .body("ready", is(false))
                .body("backends.service", is(List.of("catalog-service", "prediction-service", "planning-service")))
                .body("backends.reachable", everyItem(is(false)));
    }
}
