package org.mihub.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;

/** Per-organisation limits: three requests a minute here, so the fourth of one organisation is refused. */
@QuarkusTest
@TestProfile(RateLimitTest.ThreeAMinute.class)
@WithTestResource(OidcWiremockTestResource.class)
class RateLimitTest {

    public static class ThreeAMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mihub.gateway.rate-limit.requests", "3", "mihub.gateway.rate-limit.period", "60s");
        }
    }

    private static String token(String user, String org) {
        return Jwt.subject(user).preferredUserName(user).claim("org", org)
                .claim("realm_access", Map.of("roles", List.of("member")))
                .issuer("https://server.example.com").audience("mihub").expiresAt(Instant.now().plusSeconds(300))
                .sign();
    }

    @Test
    void anOrganisationOverItsAllowanceIsToldWhenToRetryAndOthersAreNotHeldUp() {
        String bob = token("bob", "kansai-u");
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(bob).get("/api/v1/status").then().statusCode(200);
        }
        var refused = given().auth().oauth2(bob).get("/api/v1/status").then().statusCode(429)
                .contentType("application/problem+json")
                .body("status", is(429))
                .body("detail", containsString("organisation kansai-u made more than 3 requests"))
                .extract();
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        // another user of the same organisation shares its allowance; another organisation has its own
        given().auth().oauth2(token("carol", "kansai-u")).get("/api/v1/status").then().statusCode(429);
        given().auth().oauth2(token("alice", "acme")).get("/api/v1/status").then().statusCode(200);
        // the health endpoints are not the API and are never limited
        for (int i = 0; i < 5; i++) {
            given().get("/q/health/live").then().statusCode(200);
        }
    }
}
