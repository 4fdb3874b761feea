package org.mihub.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/** The portal is served at / with its security headers, and says where to sign in. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class PortalTest {

    @Test
    void thePortalIsServedWithAPolicyThatKeepsForeignScriptsOut() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("/app/main.js"))
                .header("Content-Security-Policy", containsString("script-src 'self';"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Content-Type-Options", is("nosniff"));
        given().get("/app/auth.js").then().statusCode(200)
                .header("Content-Security-Policy", containsString("connect-src 'self' "));
        given().get("/webjars/echarts/5.3.1/dist/echarts.min.js").then().statusCode(200);
    }

    @Test
    void theStructureViewerAndTheIconAreServedFromTheGateway() {
        given().get("/vendor/3dmol/3Dmol-min.js").then().statusCode(200).body(containsString("$3Dmol"));
        given().get("/vendor/3dmol/LICENSE").then().statusCode(200).body(containsString("BSD"));
        given().get("/favicon.ico").then().statusCode(200).contentType(containsString("image/"));
    }

    @Test
    void theApiIsNotGivenThePortalsHeaders() {
        given().get("/optimade/v1/info").then().statusCode(200).header("Content-Security-Policy", nullValue());
    }

    @Test
    void theConfigNamesTheRealmAndThePublicClient() {
        given().get("/portal/config").then().statusCode(200).body("clientId", is("portal"))
                .body("issuer", not(is(""))).body("federation", is(""));
    }
}
