package org.mihub.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;

/**
 * Every refusal the gateway makes on its own is RFC 9457 problem+json that says what and where:
 * token problems (with the RFC 6750 challenge), unknown paths, wrong methods and media types,
 * malformed or mistyped JSON bodies, bad query parameters, and a backend whose breaker is open.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class ProblemShapeTest {

    private static final String PROBLEM = "application/problem+json";

    private static String token() {
        return Jwt.subject("user-1").preferredUserName("alice").claim("org", "acme")
                .claim("realm_access", Map.of("roles", List.of("member", "contributor", "curator")))
                .issuer("https://server.example.com").audience("mihub").expiresAt(Instant.now().plusSeconds(300))
                .sign();
    }

    @Test
    void aMissingTokenIsA401ProblemWithTheChallenge() {
        given().get("/api/v1/me").then().statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", is("Bearer realm=\"mihub\""))
                .body("status", is(401)).body("detail", containsString("access token is required"));
    }

    @Test
    void anInvalidTokenIsA401ProblemThatDoesNotSayWhy() {
        given().auth().oauth2("not-a-jwt").get("/api/v1/materials").then().statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                .body("title", is("Unauthorized")).body("detail", not(containsString("Exception")));
    }

    @Test
    void anUnknownPathAWrongMethodAndAWrongMediaTypeAreProblems() {
        given().auth().oauth2(token()).get("/api/v1/nothing-here").then().statusCode(404).contentType(PROBLEM)
                .body("detail", is("no resource at /api/v1/nothing-here"));
        given().auth().oauth2(token()).patch("/api/v1/datasets").then().statusCode(405).contentType(PROBLEM)
                .body("detail", is("method PATCH is not allowed on /api/v1/datasets"));
        given().auth().oauth2(token()).contentType("text/plain").body("x").post("/api/v1/datasets").then()
                .statusCode(415).contentType(PROBLEM)
                .body("detail", containsString("Content-Type text/plain is not accepted"));
    }

    @Test
    void aMalformedJsonBodyIsA400ThatSaysWhere() {
        given().auth().oauth2(token()).contentType("application/json").body("{\n  \"title\": \"x\",\n  oops\n}")
                .post("/api/v1/datasets").then().statusCode(400).contentType(PROBLEM)
                .body("detail", containsString("not valid JSON at line 3, column 3"));
    }

    @Test
    void aMistypedFieldIsA400ThatNamesTheFieldWithoutJavaTypes() {
        given().auth().oauth2(token()).contentType("application/json")
                .body("{\"title\": \"x\", \"licence\": [1]}").post("/api/v1/datasets").then().statusCode(400)
                .contentType(PROBLEM)
                .body("errors[0].field", is("licence"))
                .body("detail", containsString("field 'licence': expected a string"))
                .body("detail", not(containsString("java.")));
    }

    @Test
    void aBadQueryParameterIsA400ThatNamesIt() {
        given().auth().oauth2(token()).get("/api/v1/materials?limit=ten").then().statusCode(400)
                .contentType(PROBLEM).body("errors[0].field", is("limit"))
                .body("detail", is("query parameter 'limit': 'ten' is not an integer"));
        given().auth().oauth2(token()).get("/api/v1/materials?limit=-1").then().statusCode(400)
                .contentType(PROBLEM).body("errors[0].field", is("limit"))
                .body("detail", is("query parameter 'limit': '-1' is not a page size of at least 1"));
        given().auth().oauth2(token()).get("/api/v1/materials?property=band_gap&min=low").then().statusCode(400)
                .body("errors[0].field", is("min"));
        given().auth().oauth2(token()).get("/api/v1/models?latest=yes").then().statusCode(400)
                .body("errors[0].field", is("latest"));
    }

    /** No backend runs in this test: the catalog's breaker opens, and then answers at once without calling. */
    @Test
    void aBackendThatKeepsFailingIsRefusedAtOnceWithRetryAfter() {
        Response last = null;
        for (int i = 0; i < 10; i++) {
            last = given().auth().oauth2(token()).get("/api/v1/properties");
            assertEquals(503, last.statusCode(), last.asString());
            assertEquals(PROBLEM, last.contentType());
            if (last.asString().contains("retry after")) {
                break;
            }
        }
        assertTrue(last.asString().contains("the catalog service is unavailable; retry after 5 s"), last.asString());
        assertEquals("5", last.header("Retry-After"));
        long started = System.nanoTime();
        given().auth().oauth2(token()).get("/api/v1/datasets").then().statusCode(503);
        double millis = (System.nanoTime() - started) / 1e6;
        assertTrue(millis < 500, "an open breaker answers at once, not after " + millis + " ms");
    }
}
