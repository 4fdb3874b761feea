package org.mihub.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/** Browsers may call the API from the portal's origin only. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class CorsTest {

    @Test
    void thePortalsOriginIsAllowedAndNoOtherIs() {
        given().header("Origin", "http://localhost:8080").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "Authorization")
                .options("/api/v1/datasets").then()
                .header("Access-Control-Allow-Origin", is("http://localhost:8080"));
        given().header("Origin", "https://elsewhere.example").header("Access-Control-Request-Method", "POST")
                .options("/api/v1/datasets").then()
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
