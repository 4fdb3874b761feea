package org.mihub.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * The OPTIMADE surface the gateway answers on its own (no catalog runs in this test): versions,
 * info, links, and every refusal as a JSON:API error document with meta. Queries against a real
 * catalog are in the launcher's OptimadeIT.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class OptimadeTest {

    private static final String JSON_API = "application/vnd.api+json";

    @Test
    void versionsIsACsvListOfMajorVersions() {
        given().get("/optimade/versions").then().statusCode(200).contentType(containsString("text/csv"))
                .header("Content-Type", containsString("header=present")).body(is("version\n1\n"));
        given().get("/optimade/v1/versions").then().statusCode(404).contentType(JSON_API);
    }

    @Test
    void infoDescribesTheServiceWithTheRequiredMeta() {
        given().get("/optimade/v1/info").then().statusCode(200).contentType(JSON_API)
                .body("data.type", is("info")).body("data.id", is("/"))
                .body("data.attributes.api_version", is("1.2.0"))
                .body("data.attributes.available_api_versions[0].url", startsWith("http"))
                .body("data.attributes.entry_types_by_format.json", hasItems("structures", "references"))
                .body("data.attributes.available_endpoints", hasItems("structures", "references"))
                .body("meta.schema", is("https://schemas.optimade.org/openapi/v1.2/optimade.json"))
                .body("meta.api_version", is("1.2.0")).body("meta.more_data_available", is(false))
                .body("meta.provider.prefix", is("mihub")).body("meta.query.representation", is("/info"));
        given().get("/optimade/v1.2.0/info").then().statusCode(200);
    }

    @Test
    void anUnservedVersionIs553() {
        given().get("/optimade/v2/info").then().statusCode(553).contentType(JSON_API)
                .body("errors[0].status", is("553")).body("errors[0].title", is("Version Not Supported"))
                .body("meta.api_version", is("1.2.0"));
        given().get("/optimade/v1.9/structures").then().statusCode(553);
    }

    @Test
    void linksListTheConfiguredFederation() {
        given().get("/optimade/v1/links").then().statusCode(200).contentType(JSON_API)
                .body("data.id", hasItems("hub", "kansai"))
                .body("data.find { it.id == 'hub' }.attributes.link_type", is("root"))
                .body("data.find { it.id == 'kansai' }.attributes.link_type", is("child"))
                .body("data.find { it.id == 'kansai' }.attributes.base_url",
                        is("https://api.kansai.mihub.example.org/optimade"))
                .body("data.size()", is(2));
    }

    @Test
    void badParametersAreRefusedBeforeTheCatalogIsAsked() {
        given().queryParam("filtre", "nelements=2").get("/optimade/v1/structures").then().statusCode(400)
                .contentType(JSON_API).body("errors[0].source.parameter", is("filtre"))
                .body("errors[0].detail", containsString("unknown query parameter 'filtre'"));
        given().queryParam("_mihub_x", "1").get("/optimade/v1/structures").then().statusCode(400);
        given().queryParam("page_limit", "1000").get("/optimade/v1/structures").then().statusCode(403)
                .body("errors[0].detail", containsString("largest page_limit is 500"));
        given().queryParam("page_limit", "ten").get("/optimade/v1/structures").then().statusCode(400)
                .body("errors[0].source.parameter", is("page_limit"));
        given().queryParam("page_offset", "-1").get("/optimade/v1/structures").then().statusCode(400);
        given().queryParam("response_format", "xml").get("/optimade/v1/structures").then().statusCode(400);
        given().queryParam("include", "authors").get("/optimade/v1/structures").then().statusCode(400);
        given().get("/optimade/v1/structures/not-an-id").then().statusCode(404).contentType(JSON_API);
        given().get("/optimade/v1/references/not-an-id").then().statusCode(404).contentType(JSON_API)
                .body("errors[0].detail", containsString("no reference with id not-an-id"));
        given().queryParam("filtre", "doi IS KNOWN").get("/optimade/v1/references").then().statusCode(400);
        given().get("/optimade/v1/calculations").then().statusCode(404).contentType(JSON_API);
    }

    @Test
    void anInvalidTokenIsAJsonApi401() {
        given().auth().oauth2("not-a-jwt").get("/optimade/v1/structures").then().statusCode(401)
                .contentType(JSON_API).body("errors[0].status", is("401"))
                .header("WWW-Authenticate", containsString("invalid_token"))
                .body("meta.query.representation", is("/structures"));
    }

    @Test
    void anUnreachableCatalogIsAJsonApi503() {
        given().queryParam("filter", "nelements=2").get("/optimade/v1/structures").then().statusCode(503)
                .contentType(JSON_API).body("errors[0].status", is("503"))
                .body("meta.query.representation", startsWith("/structures?filter=nelements"));
    }
}
