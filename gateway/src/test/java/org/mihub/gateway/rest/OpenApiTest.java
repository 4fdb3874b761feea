package org.mihub.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * The API document: every /api/v1 path, the OIDC security scheme, an example for every request
 * body (valid JSON where the body is JSON), and the problem answers on every operation.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class OpenApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode document() throws Exception {
        return JSON.readTree(given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString());
    }

    @Test
    void everyPathIsDocumented() throws Exception {
        Set<String> paths = new TreeSet<>();
        document().get("paths").fieldNames().forEachRemaining(paths::add);
        for (String expected : List.of("/api/v1/me", "/api/v1/status", "/api/v1/datasets", "/api/v1/datasets/{id}",
                "/api/v1/datasets/{id}/sharing", "/api/v1/datasets/{id}/records", "/api/v1/datasets/{id}/export",
                "/api/v1/datasets/{id}/access-log", "/api/v1/usage", "/api/v1/materials", "/api/v1/materials/{id}",
                "/api/v1/properties", "/api/v1/models", "/api/v1/models/{id}", "/api/v1/models/{id}/out-of-fold",
                "/api/v1/models/{id}/archive", "/api/v1/models/{id}/predict", "/api/v1/jobs/{id}",
                "/api/v1/jobs/{id}/cancel", "/api/v1/campaigns", "/api/v1/campaigns/{id}",
                "/api/v1/campaigns/{id}/status", "/api/v1/campaigns/{id}/proposals", "/api/v1/campaigns/{id}/results",
                "/api/v1/simulations", "/api/v1/simulations/{id}")) {
            assertTrue(paths.contains(expected), expected + " in " + paths);
        }
    }

    /** The pinned @redocly/cli; it needs Node.js 20.19 or later with npm (README, set-up). */
    static final String REDOCLY = "@redocly/cli@2.77.0";

    @Test
    void everyOperationHasAUniqueCamelCaseOperationIdAndTypedJsonBodies() throws Exception {
        Set<String> ids = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        var paths = document().get("paths").fields();
        while (paths.hasNext()) {
            var path = paths.next();
            var operations = path.getValue().fields();
            while (operations.hasNext()) {
                var operation = operations.next();
                String where = operation.getKey() + " " + path.getKey();
                String id = operation.getValue().path("operationId").asText();
                if (!id.matches("[a-z][A-Za-z0-9]*") || !ids.add(id)) {
                    problems.add(where + ": operationId '" + id + "'");
                }
                JsonNode body = operation.getValue().at("/requestBody/content/application~1json/schema");
                if (!operation.getValue().at("/requestBody").isMissingNode() && path.getKey().startsWith("/api/v1")
                        && !path.getKey().endsWith("/records") && !body.has("$ref")) {
                    problems.add(where + ": request body " + body);
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        JsonNode schemas = document().at("/components/schemas");
        assertFalse(schemas.has("JsonNode"), "no Jackson tree type in the document");
        assertEquals("object", schemas.at("/CampaignSpec/type").asText(), schemas.path("CampaignSpec").toString());
        assertEquals("[\"maximise\",\"minimise\",\"target\"]", schemas.at("/ObjectiveDirection/enum").toString());
        assertEquals("[\"private\",\"shared\",\"consortium\",\"public\"]",
                schemas.at("/DatasetView/properties/visibility/enum").toString());
        JsonNode create = document().at("/paths/~1api~1v1~1campaigns/post/responses");
        assertEquals("#/components/schemas/Campaign", create.at("/201/content/application~1json/schema/$ref").asText(),
                create.toString());
    }

    /** The served document passes redocly lint with the recommended rules as errors (gateway/redocly.yaml). */
    @Test
    void theServedDocumentPassesRedoclyLint() throws Exception {
        String served = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString();
        Path file = Path.of("target/openapi/served.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, served, StandardCharsets.UTF_8);
        Process lint;
        try {
            lint = new ProcessBuilder("npx", "--yes", REDOCLY, "lint", "--config", "redocly.yaml", "--format", "stylish",
                    file.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("npx (Node.js 20.19+ with npm) is needed to lint the API document: " + e);
        }
        String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = lint.waitFor();
        System.out.println(output);
        assertEquals(0, exit, "redocly lint of " + file + ":\n" + output);
    }

    /**
     * The document the build wrote (target/openapi/openapi.json, what the launcher's generated Java client
     * is made from) is the served one, but for the OIDC discovery URL, which is set when the gateway starts.
     */
    @Test
    void theDocumentAsBuiltIsTheServedOneButForTheRealmsUrl() throws Exception {
        JsonNode built = JSON.readTree(Path.of("target/openapi/openapi.json").toFile());
        JsonNode served = document();
        for (JsonNode document : List.of(built, served)) {
            document.at("/components/securitySchemes").elements().forEachRemaining(scheme ->
                    ((com.fasterxml.jackson.databind.node.ObjectNode) scheme).remove("openIdConnectUrl"));
        }
        assertEquals(served, built);
    }

    @Test
    void theSecuritySchemeIsOidc() throws Exception {
        JsonNode schemes = document().at("/components/securitySchemes");
        assertEquals("openIdConnect", schemes.elements().next().get("type").asText(), schemes.toString());
    }

    @Test
    void authorizeGoesToTheConfiguredRealmNotTheBuildsDefault() throws Exception {
        String issuer = given().get("/portal/config").then().statusCode(200).extract().path("issuer");
        JsonNode scheme = document().at("/components/securitySchemes").elements().next();
        assertEquals(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration",
                scheme.get("openIdConnectUrl").asText());
        assertFalse(scheme.get("openIdConnectUrl").asText().contains(":8090/"), scheme.toString());
    }

    @Test
    void everyRequestBodyHasAnExampleAndJsonExamplesParse() throws Exception {
        List<String> missing = new ArrayList<>();
        int bodies = 0;
        var paths = document().get("paths").fields();
        while (paths.hasNext()) {
            var path = paths.next();
            var operations = path.getValue().fields();
            while (operations.hasNext()) {
                var operation = operations.next();
                JsonNode content = operation.getValue().at("/requestBody/content");
                if (content.isMissingNode()) {
                    continue;
                }
                var media = content.fields();
                while (media.hasNext()) {
                    var type = media.next();
                    bodies++;
                    JsonNode examples = type.getValue().get("examples");
                    if (examples == null || examples.isEmpty()) {
                        missing.add(operation.getKey() + " " + path.getKey() + " " + type.getKey());
                        continue;
                    }
                    String value = examples.elements().next().get("value").asText();
                    if (type.getKey().equals("application/json")) {
                        JSON.readTree(value);
                    } else if (type.getKey().equals("application/x-ndjson")) {
                        for (String line : value.strip().split("\n")) {
                            JSON.readTree(line);
                        }
                    }
                }
            }
        }
        assertTrue(bodies >= 13, "request bodies found: " + bodies);
        assertTrue(missing.isEmpty(), "no example: " + missing);
    }

    @Test
    void everyOperationDocumentsItsProblemAnswers() throws Exception {
        JsonNode document = document();
        assertFalse(document.at("/components/schemas/Problem/properties/detail").isMissingNode());
        var paths = document.get("paths").fields();
        while (paths.hasNext()) {
            var path = paths.next();
            boolean optimade = path.getKey().startsWith("/optimade/");
            if (path.getKey().equals("/optimade/versions")) {
                continue;
            }
            path.getValue().fields().forEachRemaining(operation -> {
                for (String status : optimade ? List.of("400", "404", "501", "553")
                        : List.of("401", "429", "503")) {
                    JsonNode answer = operation.getValue().at("/responses/" + status + "/content");
                    assertTrue(answer.has(optimade ? OptimadeMeta.MEDIA_TYPE : Problem.MEDIA_TYPE)
                            || !optimade && !operation.getValue().at("/responses/" + status).isMissingNode(),
                            operation.getKey() + " " + path.getKey() + " " + status);
                }
            });
        }
    }
}
