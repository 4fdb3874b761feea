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

/**
 * A value that is not one of a contract enum's, in any body or parameter, is a 400 problem naming the
 * field and listing the values it takes (the contract's, in the dialect's spelling, without the unset
 * one), before any backend is asked: none runs in this test.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class EnumErrorsTest {

    private static final String PROBLEM = "application/problem+json";

    private static String token() {
        return Jwt.subject("user-1").preferredUserName("alice").claim("org", "acme")
                .claim("realm_access", Map.of("roles", List.of("member", "contributor", "curator")))
                .issuer("https://server.example.com").audience("mihub").expiresAt(Instant.now().plusSeconds(300))
                .sign();
    }

    private static void refused(String method, String path, String body, String field, String reason) {
        var request = given().auth().oauth2(token());
        if (body != null) {
            request = request.contentType("application/json").body(body);
        }
        request.request(method, path).then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", is(field)).body("errors[0].reason", is(reason));
    }

    @Test
    void aModelsEnumsListTheirValues() {
        String train = "{\"name\": \"gap\", \"datasets\": [{\"datasetId\": \"d-1\"}], \"targetProperty\": \"band_gap\"";
        refused("POST", "/api/v1/models", train + ", \"algorithm\": \"svm\"}", "algorithm",
                "'svm' is not random_forest, gradient_boosting or gaussian_process");
        refused("POST", "/api/v1/models", train + ", \"algorithm\": \"unspecified\"}", "algorithm",
                "'unspecified' is not random_forest, gradient_boosting or gaussian_process");
        refused("POST", "/api/v1/models", train + ", \"duplicates\": \"first\"}", "duplicates",
                "'first' is not mean or keep_all");
        refused("POST", "/api/v1/models", train + ", \"sources\": [\"experiment\", \"guess\"]}", "sources[1]",
                "'guess' is not experiment, simulation or prediction");
        refused("POST", "/api/v1/models", train + ", \"algorithm\": \"gradient_boosting\", "
                + "\"hyperparameters\": {\"loss\": \"l1\"}}", "hyperparameters.loss",
                "'l1' is not squared_error, absolute_error or huber");
        refused("POST", "/api/v1/models", train + ", \"algorithm\": \"gaussian_process\", "
                + "\"hyperparameters\": {\"kernel\": \"linear\"}}", "hyperparameters.kernel",
                "'linear' is not matern52_ard, matern32_ard or rbf_ard");
    }

    @Test
    void aDatasetsAndASearchsEnumsListTheirValues() {
        refused("POST", "/api/v1/datasets", "{\"title\": \"t\", \"visibility\": \"secret\"}", "visibility",
                "'secret' is not private, shared, consortium or public");
        refused("PUT", "/api/v1/datasets/d-1/sharing", "{\"visibility\": \"private\", \"embargo\": "
                + "{\"until\": \"2027-01-01T00:00:00Z\", \"liftsTo\": \"everyone\"}}", "embargo.liftsTo",
                "'everyone' is not private, shared, consortium or public");
        refused("GET", "/api/v1/materials?source=guess", null, "source",
                "'guess' is not experiment, simulation or prediction");
    }

    @Test
    void planningEnumsListTheirValuesWhereverTheyAreInTheBody() {
        refused("POST", "/api/v1/campaigns", "{\"spec\": {\"acquisition\": {\"function\": \"greedy\"}}}",
                "spec.acquisition.function", "'greedy' is not log_expected_improvement, upper_confidence_bound, "
                        + "probability_of_improvement, thompson_sampling, pure_exploration, "
                        + "expected_hypervolume_improvement, parego or random");
        refused("POST", "/api/v1/campaigns", "{\"spec\": {\"acquisition\": {\"batchStrategy\": \"greedy\"}}}",
                "spec.acquisition.batchStrategy", "'greedy' is not kriging_believer or local_penalisation");
        refused("POST", "/api/v1/campaigns", "{\"spec\": {\"constraints\": [{\"name\": \"c\", \"linear\": "
                + "{\"relation\": \"lt\"}}]}}", "spec.constraints[0].linear.relation",
                "'lt' is not less_equal, greater_equal or equal");
        refused("POST", "/api/v1/campaigns/c-1/status", "{\"status\": \"open\"}", "status",
                "'open' is not active, paused, completed or cancelled");
    }
}
