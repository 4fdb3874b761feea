package org.mihub.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;

/** At a gateway that is not the hub, every federation path is a 404 problem naming the hub. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class FederationResourceTest {

    static String token(String org, String... roles) {
        return Jwt.subject("user-1").preferredUserName("alice").claim("org", org)
                .claim("realm_access", Map.of("roles", List.of(roles)))
                .issuer("https://server.example.com").audience("mihub").expiresAt(Instant.now().plusSeconds(300))
                .sign();
    }

    @Test
    void everyFederationPathIsA404ProblemNamingTheHub() {
        String detail = "this installation is not the federation hub (the hub is http://127.0.0.1:8100)";
        given().auth().oauth2(token("acme", "member")).get("/api/v1/federation/nodes").then().statusCode(404)
                .contentType("application/problem+json").body("detail", is(detail));
        given().auth().oauth2(token("acme", "member")).get("/api/v1/federation/cards").then().statusCode(404)
                .body("detail", is(detail));
        given().auth().oauth2(token("hub", "admin")).post("/api/v1/federation/nodes/acme/resync").then()
                .statusCode(404).body("detail", is(detail));
        given().auth().oauth2(token("hub", "admin")).contentType("application/json")
                .body("{\"organisations\":[\"acme\"],\"gatewayUrl\":\"http://127.0.0.1:8200\"}")
                .put("/api/v1/federation/nodes/acme").then().statusCode(404).body("detail", is(detail));
    }

    @Test
    void withoutATokenItIs401() {
        given().get("/api/v1/federation/nodes").then().statusCode(401).contentType("application/problem+json");
    }
}
