package org.mihub.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.mihub.common.testing.SecondIssuerResource;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;

/**
 * The gateway of node acme accepts tokens of its own realm (for acme) and of the consortium realm (for
 * every other organisation); a token whose issuer may not assert its organisation is a 401 problem naming
 * both, on the REST API and on OPTIMADE.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(value = SecondIssuerResource.class, initArgs = {
    @ResourceArg(name = "mihub.auth.trust.\"Default\"", value = "acme"),
    @ResourceArg(name = "mihub.auth.trust.consortium", value = "*") })
class FederatedIdentityResourceTest {

    private static String consortiumIssuer() {
        return ConfigProvider.getConfig().getValue("quarkus.oidc.consortium.auth-server-url", String.class);
    }

    private static String consortium(String org) {
        return Jwt.subject("user-3").preferredUserName("someone").claim("org", org)
                .claim("realm_access", Map.of("roles", List.of("member")))
                .issuer(consortiumIssuer()).audience("mihub").expiresAt(Instant.now().plusSeconds(600))
                .jws().keyId(SecondIssuerResource.KEY_ID).sign(SecondIssuerResource.privateKey());
    }

    private static String local(String org) {
        return Jwt.subject("user-2").preferredUserName("dave").claim("org", org)
                .claim("realm_access", Map.of("roles", List.of("member")))
                .issuer("https://server.example.com").audience("mihub").expiresAt(Instant.now().plusSeconds(600))
                .sign();
    }

    @Test
    void eachIssuerIsTrustedForItsOrganisations() {
        given().auth().oauth2(local("acme")).get("/api/v1/me").then().statusCode(200).body("gateway.org", is("acme"));
        given().auth().oauth2(consortium("kansai-u")).get("/api/v1/me").then().statusCode(200)
                .body("gateway.org", is("kansai-u"));
    }

    @Test
    void aTokenWhoseIssuerMayNotAssertItsOrganisationIsA401Problem() {
        given().auth().oauth2(consortium("acme")).get("/api/v1/me").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", is("Bearer realm=\"mihub\", error=\"invalid_token\""))
                .body("status", is(401))
                .body("detail", is("issuer " + consortiumIssuer() + " may not assert organisation acme at this node"));
        given().auth().oauth2(local("kansai-u")).get("/api/v1/status").then().statusCode(401)
                .body("detail", is("issuer https://server.example.com may not assert organisation kansai-u at this node"));
        given().auth().oauth2(consortium("acme")).get("/optimade/v1/info").then().statusCode(401)
                .body("errors[0].detail", is("issuer " + consortiumIssuer()
                        + " may not assert organisation acme at this node"));
    }
}
