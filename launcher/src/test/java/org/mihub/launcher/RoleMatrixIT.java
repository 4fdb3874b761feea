package org.mihub.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The role matrix: every REST endpoint, called by users who differ in one respect (role or
 * organisation), on resources of acme that everyone in the consortium may see, so a refusal is
 * about the role and not about visibility. Each cell is the status the rule gives; the test
 * prints the whole observed matrix when a cell differs.
 *
 * <p>Users: alice (acme: member, contributor, curator), dave (acme: member), lab-robot (acme,
 * client credentials: contributor), bob (kansai-u: member, contributor), frank (kansai-u: member,
 * contributor, curator), carol (hub: admin), and no token at all.
 */
@ExtendWith(RunningSuite.class)
class RoleMatrixIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> USERS = List.of("anonymous", "alice", "dave", "lab-robot", "bob", "frank",
            "carol");

    private static final Map<String, String> TOKENS = new LinkedHashMap<>();
    private static String dataset;
    private static String model;
    private static String job;
    private static String campaign;
    private static String simulation;
    /** Vocabulary names are consortium-wide and permanent: each run adds its own. */
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000_000L);
    private static final String PHASE = "matrix_phase_" + RUN;

    /** One endpoint: how to call it as a user, and the status each user must get. */
    private record Row(String endpoint, Call call, int... expected) {
    }

    @FunctionalInterface
    private interface Call {
        HttpResponse<String> as(String user, String token) throws Exception;
    }

    @BeforeAll
    static void acmeSharesADatasetAModelAndACampaign() throws Exception {
        for (String user : USERS) {
            TOKENS.put(user, user.equals("anonymous") ? null : Tokens.accessToken(RunningSuite.config(), user));
        }
        String alice = TOKENS.get("alice");
        dataset = newDataset(alice, "role matrix");
        var rows = new StringBuilder("formula,band_gap [eV]\n");
        String[] formulas = {"Si", "Ge", "GaAs", "GaN", "ZnO", "ZnS", "CdTe", "InP", "AlN", "SiC", "GaP", "InAs"};
        for (int i = 0; i < formulas.length; i++) {
            rows.append(formulas[i]).append(',').append(0.5 + 0.3 * i).append('\n');
        }
        ok(RunningSuite.send("POST", "/api/v1/datasets/" + dataset + "/records", alice, "text/csv", rows.toString()));
        job = JSON.readTree(ok(train(alice)).body()).get("id").asText();
        model = awaitModel(job, alice);
        campaign = JSON.readTree(ok(newCampaign(alice)).body()).get("id").asText();
        simulation = JSON.readTree(ok(newSimulation(alice)).body()).get("id").asText();
        ok(json("POST", "/api/v1/properties", alice, "{\"name\": \"" + PHASE + "\", \"displayName\": \"Phase\", "
                + "\"valueType\": \"categorical\", \"labels\": [\"fcc\"]}"));
    }

    private static HttpResponse<String> ok(HttpResponse<String> reply) {
        assertTrue(reply.statusCode() < 300, reply.statusCode() + " " + reply.body());
        return reply;
    }

    /** A CONSORTIUM dataset of the token's organisation. */
    private static String newDataset(String token, String title) throws Exception {
        var created = ok(RunningSuite.send("POST", "/api/v1/datasets", token, "application/json",
                "{\"title\": \"" + title + "\", \"licence\": \"CC-BY-4.0\", \"visibility\": \"consortium\"}"));
        return JSON.readTree(created.body()).get("id").asText();
    }

    private static HttpResponse<String> train(String token) throws Exception {
        return RunningSuite.send("POST", "/api/v1/models", token, "application/json", "{\"name\": \"role matrix\", "
                + "\"datasets\": [{\"datasetId\": \"" + dataset + "\"}], \"targetProperty\": \"band_gap\", "
                + "\"hyperparameters\": {\"nTrees\": 20}, \"seed\": 3, \"kFolds\": 3}");
    }

    private static String awaitModel(String jobId, String token) throws Exception {
        for (int i = 0; i < 300; i++) {
            JsonNode state = JSON.readTree(RunningSuite.get("/api/v1/jobs/" + jobId, token).body());
            if (state.get("state").asText().equals("succeeded")) {
                return state.get("resultId").asText();
            }
            assertTrue(List.of("queued", "running").contains(state.get("state").asText()), state.toString());
            Thread.sleep(200);
        }
        throw new AssertionError("training did not end");
    }

    /** A campaign of the token's organisation with enough candidates for every user's proposal. */
    private static HttpResponse<String> newCampaign(String token) throws Exception {
        String candidates = String.join(", ", java.util.stream.Stream.of("Fe", "Ni", "Co", "FeNi", "FeCo", "NiCo",
                "Fe3Ni", "FeNi3").map(formula -> "{\"id\": \"" + formula + "\", \"formula\": \"" + formula + "\"}")
                .toList());
        return RunningSuite.send("POST", "/api/v1/campaigns", token, "application/json", "{\"spec\": {\"name\": "
                + "\"role matrix\", \"objectives\": [{\"property\": \"hardness\", \"direction\": "
                + "\"maximise\", \"unit\": \"GPa\"}], \"designSpace\": {\"explicit\": "
                + "{\"candidates\": [" + candidates + "]}}, \"acquisition\": {\"batchSize\": 1}, \"seed\": 1}}");
    }

    private static HttpResponse<String> newSimulation(String token) throws Exception {
        StringBuilder rows = new StringBuilder();
        double[] xs = {0.1, 0.3, 0.5, 0.7, 0.9};
        for (int i = 0; i < xs.length; i++) {
            rows.append(i == 0 ? "" : ", ").append("{\"candidate\": {\"id\": \"r").append(i)
                    .append("\", \"parameters\": {\"x\": {\"number\": ").append(xs[i]).append("}}}, \"values\": ")
                    .append("[{\"property\": \"y\", \"value\": {\"value\": ").append(1 - (xs[i] - 0.4) * (xs[i] - 0.4))
                    .append("}}]}");
        }
        return RunningSuite.send("POST", "/api/v1/simulations", token, "application/json", "{\"spec\": {\"name\": "
                + "\"role matrix\", \"campaign\": {\"name\": \"twin\", \"objectives\": [{\"property\": \"y\", "
                + "\"direction\": \"maximise\"}], \"designSpace\": {\"parameters\": [{\"name\": "
                + "\"x\", \"continuous\": {\"min\": 0, \"max\": 1}}]}}, \"pool\": {\"rows\": [" + rows
                + "]}, \"runs\": 1, \"seeds\": [1], \"maxEvaluations\": 3}}");
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return RunningSuite.get(path, token);
    }

    private static HttpResponse<String> json(String method, String path, String token, String body) throws Exception {
        return RunningSuite.send(method, path, token, "application/json", body);
    }

    @Test
    void everyEndpointAnswersEachRoleAsTheRuleSays() throws Exception {
        // columns: anonymous, alice, dave, lab-robot, bob, frank, carol
        List<Row> rows = List.of(
                new Row("GET /me", (u, t) -> get("/api/v1/me", t), 401, 200, 200, 200, 200, 200, 200),
                new Row("GET /status", (u, t) -> get("/api/v1/status", t), 401, 200, 200, 200, 200, 200, 200),
                new Row("GET /datasets", (u, t) -> get("/api/v1/datasets", t), 200, 200, 200, 200, 200, 200, 200),
                new Row("GET /datasets/{id}", (u, t) -> get("/api/v1/datasets/" + dataset, t),
                        404, 200, 200, 200, 200, 200, 200),
                new Row("POST /datasets", (u, t) -> json("POST", "/api/v1/datasets", t,
                        "{\"title\": \"by " + u + "\", \"licence\": \"CC-BY-4.0\"}"),
                        401, 201, 403, 201, 201, 201, 201),
                new Row("PUT /datasets/{id}/sharing", (u, t) -> json("PUT", "/api/v1/datasets/" + dataset
                        + "/sharing", t, "{\"visibility\": \"consortium\"}"), 401, 200, 403, 403, 403, 403, 200),
                new Row("POST /datasets/{id}/records?dryRun", (u, t) -> RunningSuite.send("POST", "/api/v1/datasets/"
                        + dataset + "/records?dryRun=true", t, "text/csv", "formula,band_gap [eV]\nSi,1.1\n"),
                        401, 200, 403, 200, 403, 403, 200),
                new Row("DELETE /datasets/{id}", (u, t) -> RunningSuite.send("DELETE", "/api/v1/datasets/"
                        + newDataset(TOKENS.get("alice"), "to delete") + "?reason=matrix", t, null, ""),
                        401, 200, 403, 403, 403, 403, 200),
                new Row("GET /datasets/{id}/export", (u, t) -> get("/api/v1/datasets/" + dataset + "/export", t),
                        404, 200, 200, 200, 200, 200, 200),
                new Row("GET /datasets/{id}/access-log", (u, t) -> get("/api/v1/datasets/" + dataset
                        + "/access-log", t), 401, 200, 200, 200, 403, 403, 200),
                new Row("GET /usage", (u, t) -> get("/api/v1/usage", t), 401, 200, 200, 200, 200, 200, 200),
                new Row("GET /materials", (u, t) -> get("/api/v1/materials?dataset=" + dataset, t),
                        200, 200, 200, 200, 200, 200, 200),
                new Row("GET /materials/element-counts", (u, t) -> get("/api/v1/materials/element-counts", t),
                        200, 200, 200, 200, 200, 200, 200),
                new Row("GET /properties", (u, t) -> get("/api/v1/properties", t), 200, 200, 200, 200, 200, 200, 200),
                new Row("GET /properties/{name}", (u, t) -> get("/api/v1/properties/band_gap", t),
                        200, 200, 200, 200, 200, 200, 200),
                new Row("POST /properties", (u, t) -> json("POST", "/api/v1/properties", t, "{\"name\": \"matrix_"
                        + u.replace('-', '_') + "_" + RUN + "\", \"displayName\": \"by " + u + "\", "
                        + "\"valueType\": \"boolean\"}"), 401, 201, 403, 403, 403, 201, 201),
                new Row("PATCH /properties/{name}", (u, t) -> json("PATCH", "/api/v1/properties/" + PHASE, t,
                        "{\"addLabels\": [\"by_" + u + "\"]}"), 401, 200, 403, 403, 403, 200, 200),
                new Row("POST /models", (u, t) -> train(t), 401, 202, 403, 202, 202, 202, 202),
                new Row("GET /models/{id}", (u, t) -> get("/api/v1/models/" + model, t),
                        404, 200, 200, 200, 200, 200, 200),
                new Row("POST /models/{id}/predict", (u, t) -> json("POST", "/api/v1/models/" + model + "/predict", t,
                        "{\"formulas\": [\"GaSb\"]}"), 404, 200, 200, 200, 200, 200, 200),
                new Row("GET /jobs/{id}", (u, t) -> get("/api/v1/jobs/" + job, t), 401, 200, 200, 200, 404, 404, 200),
                new Row("POST /models/{id}/archive", (u, t) -> json("POST", "/api/v1/models/" + model + "/archive", t,
                        "{\"reason\": \"matrix\"}"), 401, 200, 403, 403, 403, 403, 200),
                new Row("POST /campaigns", (u, t) -> newCampaign(t), 401, 201, 201, 201, 201, 201, 201),
                new Row("GET /campaigns/{id}", (u, t) -> get("/api/v1/campaigns/" + campaign, t),
                        401, 200, 200, 200, 404, 404, 200),
                new Row("POST /campaigns/{id}/proposals", (u, t) -> json("POST", "/api/v1/campaigns/" + campaign
                        + "/proposals", t, "{\"requestId\": \"matrix-" + u + "\"}"), 401, 200, 200, 200, 404, 404, 200),
                new Row("POST /simulations", (u, t) -> newSimulation(t), 401, 202, 202, 202, 202, 202, 202),
                new Row("GET /simulations/{id}", (u, t) -> get("/api/v1/simulations/" + simulation, t),
                        401, 200, 200, 200, 404, 404, 200));

        List<String> mismatches = new ArrayList<>();
        StringBuilder observed = new StringBuilder(String.format("%-36s", "endpoint"));
        USERS.forEach(user -> observed.append(String.format("%10s", user)));
        for (Row row : rows) {
            observed.append(String.format("%n%-36s", row.endpoint()));
            for (int i = 0; i < USERS.size(); i++) {
                String user = USERS.get(i);
                HttpResponse<String> reply = row.call().as(user, TOKENS.get(user));
                int status = reply.statusCode();
                observed.append(String.format("%10s", status == row.expected()[i] ? status : status + "!"));
                if (status != row.expected()[i]) {
                    mismatches.add(row.endpoint() + " as " + user + ": " + status + " (expected " + row.expected()[i]
                            + ") " + reply.body());
                }
                if (status >= 400) {
                    assertEquals("application/problem+json", reply.headers().firstValue("Content-Type").orElse(""),
                            row.endpoint() + " as " + user);
                }
            }
        }
        System.out.println(observed);
        assertTrue(mismatches.isEmpty(), observed + "\n" + String.join("\n", mismatches));
    }
}
