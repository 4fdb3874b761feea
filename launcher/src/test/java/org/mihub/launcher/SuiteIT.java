package org.mihub.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The whole suite end to end, on real servers ({@link RunningSuite}). Tokens come from Keycloak;
 * every refusal is checked at the gateway and at each service called directly over gRPC, so a
 * client that bypasses the gateway gets no more than through it.
 */
@ExtendWith(RunningSuite.class)
class SuiteIT {

    /** Twelve measured band gaps of binary semiconductors and oxides, as CSV. */
    private static final String TWELVE_GAPS = "formula,band_gap [eV]\nZnO,3.37\nZnS,3.68\nZnSe,2.7\nCdS,2.42\n"
            + "CdSe,1.74\nGaN,3.4\nGaP,2.26\nAlN,6.2\nAlP,2.45\nInN,0.7\nInP,1.34\nMgO,7.8\n";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Service> BACKENDS = List.of(Service.CATALOG, Service.PREDICTION, Service.PLANNING);

    private static Stack stack;
    private static StackConfig config;
    private static String demoDatasetId;

    @BeforeAll
    static void useTheRunningSuite() {
        stack = RunningSuite.stack();
        config = RunningSuite.config();
        demoDatasetId = RunningSuite.demoDatasetId();
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return RunningSuite.get(path, token);
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static void assertMe(String user, String org, List<String> roles) throws Exception {
        var reply = get("/api/v1/me", Tokens.accessToken(config, user));
        assertEquals(200, reply.statusCode(), reply.body());
        JsonNode me = JSON.readTree(reply.body());
        assertEquals(org, me.at("/gateway/org").asText());
        assertEquals(roles, texts(me.at("/gateway/roles")));
        JsonNode backends = me.get("backends");
        assertEquals(3, backends.size());
        for (JsonNode backend : backends) {
            String service = backend.get("service").asText();
            assertTrue(backend.get("ok").asBoolean(), service + ": " + backend);
            assertEquals(org, backend.at("/caller/org").asText(), service);
            assertEquals(roles, texts(backend.at("/caller/roles")), service);
            assertEquals(me.at("/gateway/subject").asText(), backend.at("/caller/subject").asText(), service);
        }
    }

    @Test
    void everyBackendSeesTheCallersOrgAndRoles() throws Exception {
        assertMe("alice", "acme", List.of("contributor", "curator", "member"));
        assertMe("bob", "kansai-u", List.of("contributor", "member"));
        assertMe("carol", "hub", List.of("admin", "contributor", "curator", "member"));
    }

    @Test
    void labRobotActsForAcmeWithClientCredentials() throws Exception {
        var me = JSON.readTree(get("/api/v1/me", Tokens.accessToken(config, "lab-robot")).body());
        assertEquals("acme", me.at("/gateway/org").asText());
        assertTrue(texts(me.at("/gateway/roles")).contains("contributor"));
        assertEquals("lab-robot", me.at("/gateway/clientId").asText());
    }

    @Test
    void aServiceCalledDirectlySeesWhatTheGatewaySees() throws Exception {
        String token = Tokens.accessToken(config, "bob");
        for (Service backend : BACKENDS) {
            try (var probe = new GrpcProbe(config.portOf(backend))) {
                var caller = probe.whoAmI(token);
                assertEquals("kansai-u", caller.org(), backend.module());
                assertEquals(List.of("contributor", "member"), caller.roles(), backend.module());
            }
        }
    }

    @Test
    void statusShowsEveryBackendReadyWithItsDatabase() throws Exception {
        var reply = get("/api/v1/status", Tokens.accessToken(config, "dave"));
        assertEquals(200, reply.statusCode(), reply.body());
        JsonNode status = JSON.readTree(reply.body());
        assertTrue(status.get("ready").asBoolean(), reply.body());
        for (JsonNode backend : status.get("backends")) {
            assertTrue(backend.toString().contains("Database connections health check"), backend.toString());
        }
    }

    private static HttpResponse<String> send(String method, String path, String token, String contentType,
            String body) throws Exception {
        return RunningSuite.send(method, path, token, contentType, body);
    }

    @Test
    void theDemoDatasetIsLoadedOnceAndVisibleToTheConsortiumOnly() throws Exception {
        assertEquals(demoDatasetId, DemoData.load(config), "loading again finds the same dataset");
        var asBob = JSON.readTree(get("/api/v1/datasets/" + demoDatasetId, Tokens.accessToken(config, "bob")).body());
        assertEquals("acme", asBob.get("ownerOrg").asText());
        assertEquals(20, asBob.get("rowCount").asInt(), "a replayed upload adds nothing");
        assertEquals(2, asBob.get("version").asInt());
        assertEquals(404, get("/api/v1/datasets/" + demoDatasetId, null).statusCode(), "anonymous sees PUBLIC only");
        var export = get("/api/v1/datasets/" + demoDatasetId + "/export?format=csv", Tokens.accessToken(config, "bob"));
        assertEquals(200, export.statusCode(), export.body());
        List<String> lines = export.body().lines().toList();
        // the demo rows name their method and temperature: the export keeps both in the CSV ingest's columns
        assertEquals("sample_id,formula,tags,method,band_gap [eV],band_gap_uncertainty,condition.temperature [K]",
                lines.get(0));
        assertEquals(21, lines.size());
        assertEquals(404, get("/api/v1/datasets/" + demoDatasetId + "/export", null).statusCode());
    }

    @Test
    void materialSearchThroughTheGatewayConvertsUnitsAndRespectsVisibility() throws Exception {
        String bob = Tokens.accessToken(config, "bob");
        var reply = get("/api/v1/materials?dataset=" + demoDatasetId
                + "&property=band_gap&min=1100&max=1500&unit=meV&sort=band_gap", bob);
        assertEquals(200, reply.statusCode(), reply.body());
        JsonNode materials = JSON.readTree(reply.body()).get("materials");
        assertEquals(List.of("Si", "InP", "GaAs", "CdTe"), materials.findValuesAsText("reducedFormula"));
        assertEquals("eV", materials.get(0).at("/measurements/0/value/unit").asText());
        var exactly = JSON.readTree(get("/api/v1/materials?elements=Ga,As&match=exactly", bob).body());
        assertEquals(List.of("GaAs"), exactly.get("materials").findValuesAsText("reducedFormula"));
        var log = JSON.readTree(get("/api/v1/datasets/" + demoDatasetId + "/access-log?reader=kansai-u",
                Tokens.accessToken(config, "dave")).body());
        assertTrue(log.get("entries").findValuesAsText("operation").contains("search"), log.toString());
        var usage = JSON.readTree(get("/api/v1/usage", bob).body());
        assertTrue(usage.get("consumedRecords").asLong() >= 4, usage.toString());
        assertEquals(403, get("/api/v1/datasets/" + demoDatasetId + "/access-log", bob).statusCode());
        var anonymous = JSON.readTree(get("/api/v1/materials?dataset=" + demoDatasetId, null).body());
        assertEquals(0, anonymous.get("materials").size());
        var bad = get("/api/v1/materials?elements=Ga,Xq", bob);
        assertEquals(400, bad.statusCode());
        assertEquals("elements[1]", JSON.readTree(bad.body()).at("/errors/0/field").asText());
    }

    @Test
    void aPrivateDatasetIsHiddenFromOtherOrgsThroughTheGatewayAndOverGrpc() throws Exception {
        String alice = Tokens.accessToken(config, "alice");
        var created = send("POST", "/api/v1/datasets", alice, "application/json",
                "{\"title\": \"acme secret alloys\", \"licence\": \"LicenseRef-Proprietary\"}");
        assertEquals(201, created.statusCode(), created.body());
        String id = JSON.readTree(created.body()).get("id").asText();
        assertEquals("private", JSON.readTree(created.body()).get("visibility").asText());

        String bob = Tokens.accessToken(config, "bob");
        var hidden = get("/api/v1/datasets/" + id, bob);
        assertEquals(404, hidden.statusCode());
        assertEquals("application/problem+json", hidden.headers().firstValue("Content-Type").orElse(""));
        assertTrue(JSON.readTree(get("/api/v1/datasets", bob).body()).get("datasets").findValuesAsText("id")
                .stream().noneMatch(id::equals));
        try (var probe = new GrpcProbe(config.portOf(Service.CATALOG))) {
            var direct = assertThrows(StatusRuntimeException.class, () -> probe.call(bob,
                    "mihub.catalog.v1.CatalogService/GetDataset", GrpcProbe.stringField1(id)));
            assertEquals(Status.Code.NOT_FOUND, direct.getStatus().getCode());
            probe.call(Tokens.accessToken(config, "dave"), "mihub.catalog.v1.CatalogService/GetDataset",
                    GrpcProbe.stringField1(id));
        }
        var ingestByOutsider = send("POST", "/api/v1/datasets/" + id + "/records", bob, "text/csv", "formula\nFe\n");
        assertEquals(404, ingestByOutsider.statusCode());
        var ingestByMember = send("POST", "/api/v1/datasets/" + id + "/records", Tokens.accessToken(config, "dave"),
                "text/csv", "formula\nFe\n");
        assertEquals(403, ingestByMember.statusCode());
    }

    /**
     * The visibility rule through the gateway, with real Keycloak users of the three organisations
     * and their roles, on every REST read path; the same users calling the catalog directly over
     * gRPC get the same answers.
     */
    @Test
    void everyRestReadPathShowsEachUserExactlyWhatTheRuleAllows() throws Exception {
        String alice = Tokens.accessToken(config, "alice");
        List<String> visibilities = List.of("private", "shared", "consortium", "public");
        Map<String, String> datasets = new java.util.LinkedHashMap<>();
        Map<String, String> materials = new java.util.LinkedHashMap<>();
        for (int i = 0; i < visibilities.size(); i++) {
            String visibility = visibilities.get(i);
            var created = send("POST", "/api/v1/datasets", alice, "application/json", "{\"title\": \"rest matrix "
                    + visibility + "\", \"licence\": \"CC-BY-4.0\", \"visibility\": \"" + visibility + "\""
                    + (visibility.equals("shared") ? ", \"sharedWith\": [\"kansai-u\"]" : "") + "}");
            assertEquals(201, created.statusCode(), created.body());
            String id = JSON.readTree(created.body()).get("id").asText();
            var upload = send("POST", "/api/v1/datasets/" + id + "/records", alice, "text/csv",
                    "formula,band_gap [eV],tags\nYb2Hf" + (i + 1) + "," + (8.641 + i * 0.001) + ",rest-matrix\n");
            assertEquals(200, upload.statusCode(), upload.body());
            datasets.put(visibility, id);
            materials.put(visibility, JSON.readTree(get("/api/v1/materials?dataset=" + id, alice).body())
                    .at("/materials/0/id").asText());
        }
        Map<String, List<String>> rule = new java.util.LinkedHashMap<>();
        rule.put("alice", visibilities);
        rule.put("dave", visibilities);
        rule.put("lab-robot", visibilities);
        rule.put("carol", visibilities);
        rule.put("bob", List.of("shared", "consortium", "public"));
        rule.put("frank", List.of("shared", "consortium", "public"));
        rule.put("grace", List.of("shared", "consortium", "public"));
        rule.put("erin", List.of("consortium", "public"));
        rule.put("anonymous", List.of("public"));
        try (var probe = new GrpcProbe(config.portOf(Service.CATALOG))) {
            for (var entry : rule.entrySet()) {
                String user = entry.getKey();
                String token = user.equals("anonymous") ? null : Tokens.accessToken(config, user);
                List<String> expected = entry.getValue();
                List<String> byGet = new ArrayList<>();
                List<String> byMaterial = new ArrayList<>();
                List<String> byExport = new ArrayList<>();
                List<String> byGrpc = new ArrayList<>();
                for (String visibility : visibilities) {
                    var dataset = get("/api/v1/datasets/" + datasets.get(visibility), token);
                    assertTrue(dataset.statusCode() == 200 || dataset.statusCode() == 404, user + ": " + dataset);
                    if (dataset.statusCode() == 200) {
                        byGet.add(visibility);
                    }
                    var material = get("/api/v1/materials/" + materials.get(visibility), token);
                    if (material.statusCode() == 200) {
                        byMaterial.add(visibility);
                    }
                    var export = get("/api/v1/datasets/" + datasets.get(visibility) + "/export?format=jsonl", token);
                    if (export.statusCode() == 200 && export.body().contains(materials.get(visibility))) {
                        byExport.add(visibility);
                    }
                    try {
                        probe.call(token, "mihub.catalog.v1.CatalogService/GetDataset",
                                GrpcProbe.stringField1(datasets.get(visibility)));
                        byGrpc.add(visibility);
                    } catch (StatusRuntimeException e) {
                        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), user);
                    }
                }
                assertEquals(expected, byGet, user + ": GET /datasets/{id}");
                assertEquals(expected, byMaterial, user + ": GET /materials/{id}");
                assertEquals(expected, byExport, user + ": export");
                assertEquals(expected, byGrpc, user + ": GetDataset over gRPC");
                var list = get("/api/v1/datasets?text=rest%20matrix&limit=100", token);
                assertEquals(200, list.statusCode(), user + ": " + list.body());
                List<String> listed = JSON.readTree(list.body()).get("datasets").findValuesAsText("id");
                assertEquals(expected, pick(datasets, listed), user + ": GET /datasets");
                for (String query : List.of("q=rest-matrix", "elements=Yb,Hf&match=exactly",
                        "property=band_gap&min=8640&max=8645&unit=meV")) {
                    var found = JSON.readTree(get("/api/v1/materials?limit=100&" + query, token).body());
                    assertEquals(expected, pick(materials, found.get("materials").findValuesAsText("id")),
                            user + ": GET /materials?" + query);
                }
            }
        }
    }

    private static List<String> pick(Map<String, String> byVisibility, List<String> ids) {
        return byVisibility.entrySet().stream().filter(entry -> ids.contains(entry.getValue()))
                .map(Map.Entry::getKey).toList();
    }

    /** A new dataset of the token's organisation (PRIVATE, proprietary licence); its id. */
    private static String privateDataset(String token, String title) throws Exception {
        var created = send("POST", "/api/v1/datasets", token, "application/json",
                "{\"title\": \"" + title + "\", \"licence\": \"LicenseRef-Proprietary\"}");
        assertEquals(201, created.statusCode(), created.body());
        return JSON.readTree(created.body()).get("id").asText();
    }

    /** The simulation once its job has ended (with every run's traces), polling for up to a minute. */
    private static JsonNode awaitSimulation(String id, String token) throws Exception {
        JsonNode simulation = null;
        for (int i = 0; i < 120; i++) {
            simulation = JSON.readTree(get("/api/v1/simulations/" + id + "?runs=true", token).body());
            String state = simulation.get("job").get("state").asText();
            if (!state.equals("queued") && !state.equals("running")) {
                break;
            }
            Thread.sleep(500);
        }
        return simulation;
    }


    private static String train(String token, String datasetId, String name) throws Exception {
        var started = send("POST", "/api/v1/models", token, "application/json", "{\"name\": \"" + name
                + "\", \"datasets\": [{\"datasetId\": \"" + datasetId + "\"}], \"targetProperty\": \"band_gap\", "
                + "\"hyperparameters\": {\"nTrees\": 100}, \"seed\": 7, \"kFolds\": 4}");
        assertEquals(202, started.statusCode(), started.body());
        String job = JSON.readTree(started.body()).get("id").asText();
        assertEquals("/api/v1/jobs/" + job, URI.create(started.headers().firstValue("Location").orElse("")).getPath());
        return job;
    }

    /**
     * The other two algorithms end to end: gradient-boosted trees and a Gaussian process train on
     * the demo dataset through the gateway, record their hyper-parameters and predict with an
     * uncertainty; a parameter of another algorithm is refused before any job starts.
     */
    @Test
    void boostedTreesAndAGaussianProcessTrainAndPredictThroughTheGateway() throws Exception {
        String alice = Tokens.accessToken(config, "alice");
        Map<String, String> bodies = Map.of(
                "gradient_boosting", "{\"nEstimators\": 60, \"maxDepth\": 3, \"minSamplesLeaf\": 2, "
                        + "\"ensembleSize\": 4, \"loss\": \"huber\"}",
                "gaussian_process", "{\"restarts\": 2}, \"featuriser\": {\"id\": \"element_fraction\"}");
        for (var entry : bodies.entrySet()) {
            var started = send("POST", "/api/v1/models", alice, "application/json", "{\"name\": \"demo-"
                    + entry.getKey().replace('_', '-') + "\", \"datasets\": [{\"datasetId\": \"" + demoDatasetId
                    + "\"}], \"targetProperty\": \"band_gap\", \"algorithm\": \"" + entry.getKey()
                    + "\", \"hyperparameters\": " + entry.getValue() + ", \"seed\": 7, \"kFolds\": 4}");
            assertEquals(202, started.statusCode(), started.body());
            JsonNode job = RunningSuite.awaitJob(JSON.readTree(started.body()).get("id").asText(), alice,
                    Duration.ofMinutes(3));
            assertEquals("succeeded", job.get("state").asText(), job.toString());
            JsonNode model = JSON.readTree(get("/api/v1/models/" + job.get("resultId").asText(), alice).body());
            assertEquals(entry.getKey(), model.get("algorithm").asText());
            assertEquals(20, model.at("/metrics/count").asInt());
            var predicted = send("POST", "/api/v1/models/" + model.get("id").asText() + "/predict", alice,
                    "application/json", "{\"formulas\": [\"GaAs\", \"ZnO\"]}");
            assertEquals(200, predicted.statusCode(), predicted.body());
            for (JsonNode prediction : JSON.readTree(predicted.body()).get("predictions")) {
                assertTrue(Double.isFinite(prediction.get("mean").asDouble()), prediction.toString());
                assertTrue(prediction.get("std").asDouble() > 0, prediction.toString());
            }
            if (entry.getKey().equals("gradient_boosting")) {
                assertEquals(60, model.at("/hyperparameters/nEstimators").asInt(), model.toString());
                assertEquals(4, model.at("/hyperparameters/ensembleSize").asInt());
                assertEquals("huber", model.at("/hyperparameters/loss").asText());
                // no featuriser in the request: the default, magpie matminer-v1 (magpie 3 before it)
                assertEquals("magpie/matminer-v1", model.get("featuriser").asText());
                assertEquals(132, model.get("featureCount").asInt());
            } else {
                assertEquals("matern52_ard", model.at("/hyperparameters/kernel").asText(), model.toString());
                assertEquals("element_fraction/1", model.get("featuriser").asText());
                assertEquals(103, model.get("featureCount").asInt());
            }
        }
        var foreign = send("POST", "/api/v1/models", alice, "application/json", "{\"name\": \"mixed\", "
                + "\"datasets\": [{\"datasetId\": \"" + demoDatasetId + "\"}], \"targetProperty\": \"band_gap\", "
                + "\"algorithm\": \"gradient_boosting\", \"hyperparameters\": {\"nTrees\": 100}}");
        assertEquals(400, foreign.statusCode(), foreign.body());
        assertEquals("hyperparameters.nTrees", JSON.readTree(foreign.body()).at("/errors/0/field").asText());
        var badLoss = send("POST", "/api/v1/models", alice, "application/json", "{\"name\": \"bad-loss\", "
                + "\"datasets\": [{\"datasetId\": \"" + demoDatasetId + "\"}], \"targetProperty\": \"band_gap\", "
                + "\"algorithm\": \"gradient_boosting\", \"hyperparameters\": {\"loss\": \"quantile\"}}");
        assertEquals(400, badLoss.statusCode(), badLoss.body());
        assertEquals("hyperparameters.loss", JSON.readTree(badLoss.body()).at("/errors/0/field").asText());
        var badFeaturiser = send("POST", "/api/v1/models", alice, "application/json", "{\"name\": \"soap\", "
                + "\"datasets\": [{\"datasetId\": \"" + demoDatasetId + "\"}], \"targetProperty\": \"band_gap\", "
                + "\"featuriser\": {\"id\": \"element_fraction\", \"version\": \"2\"}}");
        assertEquals(400, badFeaturiser.statusCode(), badFeaturiser.body());
        assertEquals("featuriser", JSON.readTree(badFeaturiser.body()).at("/errors/0/field").asText());
        assertTrue(badFeaturiser.body().contains("element_fraction version 1"), badFeaturiser.body());
    }

    /**
     * Training end to end: through the gateway, the prediction service reads the catalog with the
     * caller's token, cross-validates, stores the model with its lineage, and predicts; the model
     * is exactly as visible as its training data, through REST and directly over gRPC.
     */
    @Test
    void aModelTrainedThroughTheGatewayPredictsAndIsAsVisibleAsItsData() throws Exception {
        String alice = Tokens.accessToken(config, "alice");
        String bob = Tokens.accessToken(config, "bob");
        String jobId = train(alice, demoDatasetId, "demo-gap");
        try (var probe = new GrpcProbe(config.portOf(Service.PREDICTION))) {
            // a lab robot follows a job by WatchJob: states as they change, ending with the finished job
            List<byte[]> watched = probe.stream(alice, "mihub.prediction.v1.PredictionService/WatchJob",
                    GrpcProbe.stringField1(jobId));
            byte[] last = watched.get(watched.size() - 1);
            assertEquals(3, GrpcProbe.varint(last, 3), "the stream ends with SUCCEEDED");
            assertFalse(GrpcProbe.string(last, 8).isEmpty(), "and the model id");
        }
        JsonNode job = RunningSuite.awaitJob(jobId, alice, Duration.ofMinutes(3));
        assertEquals("succeeded", job.get("state").asText(), job.toString());
        assertEquals(1.0, job.get("progress").asDouble());
        String modelId = job.get("resultId").asText();

        var asBob = get("/api/v1/models/" + modelId, bob);
        assertEquals(200, asBob.statusCode(), asBob.body());
        JsonNode model = JSON.readTree(asBob.body());
        assertEquals("consortium", model.get("visibility").asText());
        assertEquals("acme", model.get("ownerOrg").asText());
        assertEquals(20, model.at("/metrics/count").asInt());
        assertEquals(4, model.get("foldMetrics").size());
        assertEquals(demoDatasetId, model.at("/lineage/0/datasetId").asText());
        assertEquals("eV", model.get("targetUnit").asText());
        assertEquals("out_of_bag", model.at("/hyperparameters/maxFeaturesSelection").asText(), model.toString());
        double fraction = model.at("/hyperparameters/maxFeatures").asDouble();
        assertTrue(java.util.Arrays.stream(new double[] {1.0 / 3, 2.0 / 3, 1.0})
                .anyMatch(candidate -> Math.abs(candidate - fraction) < 1e-12), "the fraction chosen: " + fraction);
        assertEquals(20, JSON.readTree(get("/api/v1/models/" + modelId + "/out-of-fold", bob).body())
                .get("predictions").size());

        var predicted = send("POST", "/api/v1/models/" + modelId + "/predict", bob, "application/json",
                "{\"formulas\": [\"GaAs\", \"Ga2Xx\"]}");
        assertEquals(200, predicted.statusCode(), predicted.body());
        JsonNode predictions = JSON.readTree(predicted.body()).get("predictions");
        assertTrue(predictions.get(0).get("mean").asDouble() > 0.3, predictions.toString());
        assertTrue(predictions.get(0).get("std").asDouble() > 0);
        assertEquals("unknown_element", predictions.get(1).at("/error/code").asText());
        assertEquals(3, predictions.get(1).at("/error/position").asInt());
        assertEquals(401, send("POST", "/api/v1/models", null, "application/json", "{}").statusCode());
        // a typo is refused, not trained with the defaults
        var typo = send("POST", "/api/v1/models", alice, "application/json", "{\"name\": \"typo\", \"datasets\": "
                + "[{\"datasetId\": \"" + demoDatasetId + "\"}], \"targetProperty\": \"band_gap\", "
                + "\"hyperparameters\": {\"nTress\": 50}}");
        assertEquals(400, typo.statusCode(), typo.body());
        assertEquals("hyperparameters.nTress", JSON.readTree(typo.body()).at("/errors/0/field").asText());
        assertEquals("unknown hyperparameter; did you mean nTrees?",
                JSON.readTree(typo.body()).at("/errors/0/reason").asText());

        String privateId = privateDataset(alice, "acme private gaps");
        assertEquals(200, send("POST", "/api/v1/datasets/" + privateId + "/records", alice, "text/csv",
                TWELVE_GAPS).statusCode());
        JsonNode secretJob = RunningSuite.awaitJob(train(alice, privateId, "secret-gap"), alice, Duration.ofMinutes(3));
        assertEquals("succeeded", secretJob.get("state").asText(), secretJob.toString());
        String secretModel = secretJob.get("resultId").asText();
        assertEquals("private", JSON.readTree(get("/api/v1/models/" + secretModel, alice).body())
                .get("visibility").asText());
        assertEquals(200, get("/api/v1/models/" + secretModel, Tokens.accessToken(config, "dave")).statusCode());
        assertEquals(404, get("/api/v1/models/" + secretModel, bob).statusCode());
        assertEquals(404, send("POST", "/api/v1/models/" + secretModel + "/predict", bob, "application/json",
                "{\"formulas\": [\"ZnO\"]}").statusCode());
        assertTrue(JSON.readTree(get("/api/v1/models?limit=200", bob).body()).get("models")
                .findValuesAsText("id").stream().noneMatch(secretModel::equals));
        assertEquals(404, get("/api/v1/jobs/" + secretJob.get("id").asText(), bob).statusCode(),
                "another organisation's job is hidden too");
        try (var probe = new GrpcProbe(config.portOf(Service.PREDICTION))) {
            var direct = assertThrows(StatusRuntimeException.class, () -> probe.call(bob,
                    "mihub.prediction.v1.PredictionService/GetModel", GrpcProbe.stringField1(secretModel)));
            assertEquals(Status.Code.NOT_FOUND, direct.getStatus().getCode());
        }
        JsonNode refused = RunningSuite.awaitJob(train(bob, privateId, "stolen-gap"), bob, Duration.ofMinutes(3));
        assertEquals("failed", refused.get("state").asText(), "bob cannot read the private dataset: " + refused);
        assertTrue(refused.get("message").asText().contains("not found"), refused.toString());
    }

    /**
     * A model is derived data: when the owner narrows a training dataset's sharing, the model
     * trained on it disappears at once for the organisations that lost the dataset (REST and
     * direct gRPC), though it was stored as visible to the consortium; its owner still sees it.
     */
    @Test
    void narrowingADatasetsSharingNarrowsTheModelsTrainedOnIt() throws Exception {
        String alice = Tokens.accessToken(config, "alice");
        String bob = Tokens.accessToken(config, "bob");
        String datasetId = privateDataset(alice, "acme gaps shared, then withdrawn");
        // the upper-case spelling the API used to write is still read, for one release, and says so
        var widened = send("PUT", "/api/v1/datasets/" + datasetId + "/sharing", alice, "application/json",
                "{\"visibility\": \"CONSORTIUM\"}");
        assertEquals(200, widened.statusCode(), widened.body());
        assertEquals("true", widened.headers().firstValue("Deprecation").orElse(""));
        assertEquals("consortium", JSON.readTree(widened.body()).get("visibility").asText());
        assertEquals(200, send("POST", "/api/v1/datasets/" + datasetId + "/records", alice, "text/csv",
                TWELVE_GAPS).statusCode());
        JsonNode job = RunningSuite.awaitJob(train(alice, datasetId, "withdrawn-gap"), alice, Duration.ofMinutes(3));
        assertEquals("succeeded", job.get("state").asText(), job.toString());
        String modelId = job.get("resultId").asText();
        assertEquals(200, get("/api/v1/models/" + modelId, bob).statusCode(), "bob's org sees the consortium's data");
        // the out-of-fold rows are acme's materials and values: bob's read of them is in acme's access log
        assertEquals(12, JSON.readTree(get("/api/v1/models/" + modelId + "/out-of-fold", bob).body())
                .get("predictions").size());
        JsonNode log = JSON.readTree(get("/api/v1/datasets/" + datasetId + "/access-log?reader=kansai-u", alice)
                .body()).get("entries");
        assertTrue(java.util.stream.StreamSupport.stream(log.spliterator(), false).anyMatch(entry ->
                entry.get("operation").asText().equals("derived") && entry.get("records").asLong() == 12
                        && entry.get("readerOrg").asText().equals("kansai-u")), log.toString());

        assertEquals(200, send("PUT", "/api/v1/datasets/" + datasetId + "/sharing", alice, "application/json",
                "{\"visibility\": \"private\"}").statusCode());
        assertEquals(404, get("/api/v1/models/" + modelId, bob).statusCode());
        assertEquals(404, get("/api/v1/models/" + modelId + "/out-of-fold", bob).statusCode());
        assertEquals(404, send("POST", "/api/v1/models/" + modelId + "/predict", bob, "application/json",
                "{\"formulas\": [\"ZnO\"]}").statusCode());
        assertTrue(JSON.readTree(get("/api/v1/models?limit=200", bob).body()).get("models")
                .findValuesAsText("id").stream().noneMatch(modelId::equals));
        try (var probe = new GrpcProbe(config.portOf(Service.PREDICTION))) {
            var direct = assertThrows(StatusRuntimeException.class, () -> probe.call(bob,
                    "mihub.prediction.v1.PredictionService/GetModel", GrpcProbe.stringField1(modelId)));
            assertEquals(Status.Code.NOT_FOUND, direct.getStatus().getCode());
        }
        assertEquals(200, get("/api/v1/models/" + modelId, Tokens.accessToken(config, "dave")).statusCode(),
                "the owner organisation still sees it");
    }

    /** A cancelled training job ends CANCELLED and leaves no model; another organisation cannot cancel it. */
    @Test
    void aCancelledTrainingJobLeavesNoModel() throws Exception {
        String alice = Tokens.accessToken(config, "alice");
        var started = send("POST", "/api/v1/models", alice, "application/json", "{\"name\": \"cancelled-gap\", "
                + "\"datasets\": [{\"datasetId\": \"" + demoDatasetId + "\"}], \"targetProperty\": \"band_gap\", "
                + "\"hyperparameters\": {\"nTrees\": 2000}, \"kFolds\": 10, \"seed\": 3}");
        assertEquals(202, started.statusCode(), started.body());
        String job = JSON.readTree(started.body()).get("id").asText();
        assertEquals(404, send("POST", "/api/v1/jobs/" + job + "/cancel", Tokens.accessToken(config, "bob"),
                "application/json", "").statusCode(), "bob cannot see, let alone cancel, acme's job");
        var cancelled = send("POST", "/api/v1/jobs/" + job + "/cancel", alice, "application/json", "");
        assertEquals(200, cancelled.statusCode(), cancelled.body());
        JsonNode ended = RunningSuite.awaitJob(job, alice, Duration.ofMinutes(3));
        assertEquals("cancelled", ended.get("state").asText(), ended.toString());
        Thread.sleep(1500);
        assertEquals("cancelled", JSON.readTree(get("/api/v1/jobs/" + job, alice).body()).get("state").asText(),
                "a cancelled job stays cancelled");
        assertEquals(0, JSON.readTree(get("/api/v1/models?name=cancelled-gap", alice).body()).get("models").size(),
                "no model was written");
    }

    /**
     * The prediction service killed (SIGKILL, as a crash) in the middle of a training job: started
     * again on the same host, it takes the job up at once from what it stored (the request and the
     * data read as alice), and the job succeeds, its two attempts recorded; one model is written.
     */
    @Test
    void aTrainingJobWhoseServiceWasKilledIsTakenUpAgainAndSucceeds() throws Exception {
        String alice = Tokens.accessToken(config, "alice");
        var started = send("POST", "/api/v1/models", alice, "application/json", "{\"name\": \"survives-a-crash\", "
                + "\"datasets\": [{\"datasetId\": \"" + demoDatasetId + "\"}], \"targetProperty\": \"band_gap\", "
                + "\"hyperparameters\": {\"nTrees\": 1500}, \"kFolds\": 5, \"seed\": 11}");
        assertEquals(202, started.statusCode(), started.body());
        String job = JSON.readTree(started.body()).get("id").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode running;
        do {
            running = JSON.readTree(get("/api/v1/jobs/" + job, alice).body());
            assertTrue(List.of("queued", "running").contains(running.get("state").asText()), running.toString());
            assertTrue(System.nanoTime() < deadline, "training did not start: " + running);
            Thread.sleep(100);
        } while (!running.get("state").asText().equals("running") || running.get("progress").asDouble() <= 0);
        stack.kill(Service.PREDICTION);
        stack.restart(Service.PREDICTION);
        JsonNode ended = null;
        deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            var reply = get("/api/v1/jobs/" + job, alice);
            if (reply.statusCode() == 200) {
                ended = JSON.readTree(reply.body());
                String state = ended.get("state").asText();
                if (!state.equals("queued") && !state.equals("running")) {
                    break;
                }
            } else {
                assertEquals(503, reply.statusCode(), "while the gateway finds prediction again: " + reply.body());
            }
            Thread.sleep(300);
        }
        assertEquals("succeeded", ended.get("state").asText(), ended.toString());
        JsonNode attempts = ended.get("attempts");
        assertEquals(2, attempts.size(), attempts.toString());
        assertTrue(attempts.get(0).get("outcome").asText().contains("stopped"), attempts.toString());
        assertTrue(attempts.get(1).get("outcome").asText().startsWith("succeeded"), attempts.toString());
        assertFalse(attempts.get(0).get("worker").asText().equals(attempts.get(1).get("worker").asText()),
                "a new process: " + attempts);
        JsonNode models = JSON.readTree(get("/api/v1/models?name=survives-a-crash", alice).body()).get("models");
        assertEquals(1, models.size(), models.toString());
        assertEquals(404, get("/api/v1/jobs/" + job, Tokens.accessToken(config, "bob")).statusCode(),
                "the resumed job is still only acme's");
    }

    @Test
    void aCampaignRunsItsAskTellLoopThroughTheGatewayAndStaysWithItsOrganisation() throws Exception {
        String alice = Tokens.accessToken(config, "alice");
        String bob = Tokens.accessToken(config, "bob");
        StringBuilder candidates = new StringBuilder();
        String[] formulas = {"Fe", "Fe3Ni", "FeNi", "FeNi3", "Ni", "Fe3Co", "FeCo", "Co"};
        for (int i = 0; i < formulas.length; i++) {
            candidates.append(i == 0 ? "" : ", ").append("{\"id\": \"c").append(i).append("\", \"formula\": \"")
                    .append(formulas[i]).append("\"}");
        }
        String spec = "{\"spec\": {\"name\": \"e2e hardness\", \"objectives\": [{\"property\": \"hardness\", "
                + "\"direction\": \"maximise\", \"unit\": \"GPa\"}], \"designSpace\": {\"explicit\": "
                + "{\"candidates\": [" + candidates + "]}}, \"acquisition\": {\"batchSize\": 2}, \"seed\": 5}}";
        var created = send("POST", "/api/v1/campaigns", alice, "application/json", spec);
        assertEquals(201, created.statusCode(), created.body());
        JsonNode campaign = JSON.readTree(created.body());
        String id = campaign.get("id").asText();
        assertEquals("active", campaign.get("status").asText());
        assertEquals("maximise", campaign.at("/spec/objectives/0/direction").asText());
        assertTrue(campaign.at("/spec/seed").isIntegralNumber(), "int64 as a JSON number: " + campaign);
        assertTrue(created.headers().firstValue("Deprecation").isEmpty());
        // the old raw protobuf spelling still creates the same campaign, for one release, and says it is deprecated
        var old = send("POST", "/api/v1/campaigns", alice, "application/json", spec
                .replace("\"maximise\"", "\"OBJECTIVE_DIRECTION_MAXIMISE\"").replace("\"seed\": 5", "\"seed\": \"5\""));
        assertEquals(201, old.statusCode(), old.body());
        assertEquals("true", old.headers().firstValue("Deprecation").orElse(""));
        assertEquals(campaign.get("spec"), JSON.readTree(old.body()).get("spec"));
        assertEquals(400, send("POST", "/api/v1/campaigns", alice, "application/json", spec.replace("\"maximise\"",
                "\"up\"")).statusCode(), "an unknown enum value is refused");

        var first = send("POST", "/api/v1/campaigns/" + id + "/proposals", alice, "application/json",
                "{\"requestId\": \"e2e-1\"}");
        assertEquals(200, first.statusCode(), first.body());
        JsonNode proposals = JSON.readTree(first.body()).get("proposals");
        assertEquals(2, proposals.size());
        // a wrong unit: problem+json naming the field; nothing recorded
        String p0 = proposals.get(0).get("id").asText();
        String p1 = proposals.get(1).get("id").asText();
        var wrong = send("POST", "/api/v1/campaigns/" + id + "/results", alice, "application/json",
                "{\"results\": [{\"proposalId\": \"" + p0 + "\", \"measured\": {\"values\": [{\"property\": "
                        + "\"hardness\", \"value\": {\"value\": 1.2, \"unit\": \"eV\"}}]}}]}");
        assertEquals(400, wrong.statusCode(), wrong.body());
        assertTrue(wrong.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(wrong.body().contains("results[0].measured.values[0].unit"), wrong.body());
        var told = send("POST", "/api/v1/campaigns/" + id + "/results", alice, "application/json",
                "{\"results\": [{\"proposalId\": \"" + p0 + "\", \"measured\": {\"values\": [{\"property\": "
                        + "\"hardness\", \"value\": {\"value\": 1.9, \"unit\": \"GPa\"}}]}}, "
                        + "{\"proposalId\": \"" + p1 + "\", \"measured\": {\"values\": [{\"property\": "
                        + "\"hardness\", \"value\": {\"value\": 1.4, \"unit\": \"GPa\"}}]}}]}");
        assertEquals(200, told.statusCode(), told.body());
        assertEquals(2, JSON.readTree(told.body()).get("progress").get("completed").asInt());
        // the results are now catalog measurements of acme, naming campaign and proposal, hidden from bob
        String search = "/api/v1/materials?property=hardness&min=1.8&max=2&unit=GPa&view=full";
        var written = JSON.readTree(get(search, alice).body());
        assertTrue(written.toString().contains(p0), written.toString());
        assertFalse(get(search, bob).body().contains(p0));

        var second = send("POST", "/api/v1/campaigns/" + id + "/proposals", alice, "application/json", "");
        assertEquals(200, second.statusCode(), second.body());
        JsonNode next = JSON.readTree(second.body());
        assertEquals("log_expected_improvement",
                next.get("proposals").get(0).get("acquisitionFunction").asText());
        assertEquals(1, next.get("fits").size(), "a Gaussian process was fitted to the two results");

        var full = JSON.readTree(get("/api/v1/campaigns/" + id, alice).body());
        assertEquals(4, full.get("history").size());
        assertEquals(1.9, full.get("best").get("values").get(0).get("value").get("value").asDouble(), 1e-12);
        // another organisation sees nothing, through the gateway and directly over gRPC
        assertEquals(404, get("/api/v1/campaigns/" + id, bob).statusCode());
        assertEquals(404, send("POST", "/api/v1/campaigns/" + id + "/proposals", bob, "application/json", "")
                .statusCode());
        assertFalse(get("/api/v1/campaigns", bob).body().contains(id));
        assertEquals(401, get("/api/v1/campaigns/" + id, null).statusCode());
        assertEquals(400, send("POST", "/api/v1/campaigns", alice, "application/json", "{\"spec\": {\"nmae\": 1}}")
                .statusCode(), "an unknown field is refused");
    }

    @Test
    void aCampaignPlansOverACatalogSearchAndStartsFromPriorDataTheCreatorMaySee() throws Exception {
        String alice = Tokens.accessToken(config, "alice");
        String bob = Tokens.accessToken(config, "bob");
        String dataset = privateDataset(alice, "acme hardness screening");
        // six alloys, four of them measured; the other two are what is left to make
        var ingested = send("POST", "/api/v1/datasets/" + dataset + "/records", alice, "text/csv",
                "formula,hardness [GPa]\nFe,1.1\nFe3Ni,1.4\nFeNi,1.7\nNi,0.9\nFeNi3,\nFe3Co,\n");
        assertEquals(200, ingested.statusCode(), ingested.body());
        String spec = "{\"spec\": {\"name\": \"screening follow-up\", \"objectives\": [{\"property\": "
                + "\"hardness\", \"direction\": \"maximise\", \"unit\": \"GPa\"}], "
                + "\"designSpace\": {\"catalog\": {\"query\": {\"datasetIds\": [\"" + dataset + "\"]}}}, "
                + "\"priorData\": [{\"datasetId\": \"" + dataset + "\"}], \"acquisition\": {\"batchSize\": 2}, "
                + "\"seed\": 9}}";
        var campaign = send("POST", "/api/v1/campaigns", alice, "application/json", spec);
        assertEquals(201, campaign.statusCode(), campaign.body());
        JsonNode body = JSON.readTree(campaign.body());
        String id = body.get("id").asText();
        assertEquals(6, body.at("/spec/designSpace/catalog/resolved").size(), "the search found the six alloys");
        assertEquals(4, body.at("/progress/observations").asInt(), "four measured alloys are prior observations");
        JsonNode full = JSON.readTree(get("/api/v1/campaigns/" + id, alice).body());
        assertEquals(4, full.get("priorObservations").size(), full.toString());
        assertEquals(36, full.at("/priorObservations/0/materialId").asText().length(), "a catalog material id");

        // the prior data count as observations: the first batch is already chosen by expected improvement,
        // and only the two alloys nobody has measured are proposed
        var proposed = send("POST", "/api/v1/campaigns/" + id + "/proposals", alice, "application/json", "");
        assertEquals(200, proposed.statusCode(), proposed.body());
        JsonNode batch = JSON.readTree(proposed.body());
        assertEquals(4, batch.at("/fits/0/observations").asInt(), batch.toString());
        List<String> formulas = new ArrayList<>();
        for (JsonNode proposal : batch.get("proposals")) {
            assertEquals("log_expected_improvement", proposal.get("acquisitionFunction").asText());
            assertEquals(36, proposal.at("/candidate/materialId").asText().length());
            formulas.add(proposal.at("/candidate/formula").asText());
        }
        formulas.sort(null);
        assertEquals(List.of("Co0.25Fe0.75", "Fe0.25Ni0.75"), formulas);

        // bob's organisation cannot see the dataset: as prior data it does not exist, and his search finds nothing
        var hiddenPrior = send("POST", "/api/v1/campaigns", bob, "application/json", spec.replace(
                "\"catalog\": {\"query\": {\"datasetIds\": [\"" + dataset + "\"]}}",
                "\"explicit\": {\"candidates\": [{\"id\": \"x\", \"formula\": \"Fe\"}]}"));
        assertEquals(404, hiddenPrior.statusCode(), hiddenPrior.body());
        var hiddenSearch = send("POST", "/api/v1/campaigns", bob, "application/json", spec.replace(
                ", \"priorData\": [{\"datasetId\": \"" + dataset + "\"}]", ""));
        assertEquals(400, hiddenSearch.statusCode(), hiddenSearch.body());
        assertTrue(hiddenSearch.body().contains("spec.design_space.catalog.query"), hiddenSearch.body());
        assertFalse(hiddenSearch.body().contains("Co0.25"), "nothing of the hidden materials leaks");
        // the resolved list is the planner's to fill
        var filledIn = send("POST", "/api/v1/campaigns", alice, "application/json", spec.replace("\"query\": {",
                "\"resolved\": [{\"id\": \"m\", \"formula\": \"Fe\"}], \"query\": {"));
        assertEquals(400, filledIn.statusCode(), filledIn.body());
        assertTrue(filledIn.body().contains("spec.design_space.catalog.resolved"), filledIn.body());
    }

    @Test
    void aSimulationStartedThroughTheGatewayReportsItsMeasures() throws Exception {
        String alice = Tokens.accessToken(config, "alice");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            double x = i / 29.0;
            double value = 10 - 20 * (x - 0.3) * (x - 0.3);
            rows.append(i == 0 ? "" : ", ").append("{\"candidate\": {\"id\": \"r").append(i)
                    .append("\", \"parameters\": {\"x\": {\"number\": ").append(x).append("}}}, \"values\": ")
                    .append("[{\"property\": \"toughness\", \"value\": {\"value\": ").append(value).append("}}]}");
        }
        var started = send("POST", "/api/v1/simulations", alice, "application/json", "{\"spec\": {\"name\": "
                + "\"e2e twin\", \"campaign\": {\"name\": \"twin\", \"objectives\": [{\"property\": \"toughness\", "
                + "\"direction\": \"maximise\"}], \"designSpace\": {\"parameters\": [{\"name\": "
                + "\"x\", \"continuous\": {\"min\": 0, \"max\": 1}}]}}, \"pool\": {\"rows\": [" + rows
                + "]}, \"runs\": 3, \"seeds\": [4295, 8508, 326]}}");
        assertEquals(202, started.statusCode(), started.body());
        String id = JSON.readTree(started.body()).get("id").asText();
        JsonNode simulation = awaitSimulation(id, alice);
        assertEquals("succeeded", simulation.get("job").get("state").asText(), simulation.toString());
        assertEquals(30, simulation.get("report").get("poolSize").asInt());
        assertEquals(2, simulation.get("report").get("topCount").asInt());
        assertEquals(404, get("/api/v1/simulations/" + id, Tokens.accessToken(config, "bob")).statusCode());

        // the demo dataset as the oracle: its band gaps, read from the catalog as the caller
        var fromCatalog = send("POST", "/api/v1/simulations", alice, "application/json", "{\"spec\": {\"name\": "
                + "\"gap twin\", \"campaign\": {\"name\": \"gap\", \"objectives\": [{\"property\": \"band_gap\", "
                + "\"direction\": \"maximise\"}]}, \"dataset\": {\"dataset\": {\"datasetId\": \""
                + demoDatasetId + "\"}}, \"runs\": 3, \"baseSeed\": 11, \"keepChoices\": true}}");
        assertEquals(202, fromCatalog.statusCode(), fromCatalog.body());
        String twin = JSON.readTree(fromCatalog.body()).get("id").asText();
        JsonNode done = awaitSimulation(twin, alice);
        assertEquals("succeeded", done.get("job").get("state").asText(), done.toString());
        assertEquals(20, done.get("report").get("poolSize").asInt(), "the 20 demo materials form the pool");
        assertEquals("band_gap", done.get("report").get("objectiveProperty").asText());
        // a run ends once it has found the best material; its choices are catalog material ids
        JsonNode chosen = done.get("report").get("runs").get(0).get("chosenCandidateIds");
        assertTrue(chosen.size() >= 2 && chosen.size() <= 20, chosen.toString());
        assertEquals(36, chosen.get(0).asText().length(), "a material id");

        // two objectives from a catalog dataset: a wide band gap against a low density
        String pairs = privateDataset(alice, "acme gaps and densities");
        assertEquals(200, send("POST", "/api/v1/datasets/" + pairs + "/records", alice, "text/csv",
                "formula,band_gap [eV],density [g/cm3]\nZnO,3.37,5.61\nZnS,3.68,4.09\nZnSe,2.7,5.27\n"
                        + "ZnTe,2.26,5.64\nGaN,3.4,6.15\nGaP,2.26,4.14\nGaAs,1.42,5.32\nAlN,6.2,3.26\n"
                        + "AlP,2.45,2.4\nMgO,7.8,3.58\nCdS,2.42,4.82\nSi,1.12,\n").statusCode());
        var twoObjectives = send("POST", "/api/v1/simulations", alice, "application/json", "{\"spec\": {\"name\": "
                + "\"gap and density twin\", \"campaign\": {\"name\": \"light and wide\", \"objectives\": ["
                + "{\"property\": \"band_gap\", \"direction\": \"maximise\"}, "
                + "{\"property\": \"density\", \"direction\": \"minimise\"}]}, "
                + "\"dataset\": {\"dataset\": {\"datasetId\": \"" + pairs + "\"}}, \"runs\": 3, \"baseSeed\": 5}}");
        assertEquals(202, twoObjectives.statusCode(), twoObjectives.body());
        JsonNode pareto = awaitSimulation(JSON.readTree(twoObjectives.body()).get("id").asText(), alice);
        assertEquals("succeeded", pareto.get("job").get("state").asText(), pareto.toString());
        JsonNode paretoReport = pareto.get("report");
        assertEquals(11, paretoReport.get("poolSize").asInt(), "eleven materials have both values; Si has no density");
        assertEquals("band_gap,density", paretoReport.get("objectiveProperty").asText());
        assertEquals(11, paretoReport.get("meanHypervolume").size());
        assertEquals(1.0, paretoReport.get("meanHypervolume").get(10).asDouble(), 1e-9);
        assertEquals(11, paretoReport.get("randomHypervolume").size());
    }

    /**
     * Two objectives, each from its own prediction model: a wide band gap against a low density.
     * The first batch follows the models (no random start) by expected hypervolume improvement and
     * reports both predictions in their units; after results, each model gets a process on its
     * residuals. A two-objective simulation with model surrogates is refused, naming the field.
     */
    @Test
    void twoObjectivesArePlannedFromTwoPredictionModels() throws Exception {
        String alice = Tokens.accessToken(config, "alice");
        String dataset = privateDataset(alice, "acme zinc gaps and densities");
        assertEquals(200, send("POST", "/api/v1/datasets/" + dataset + "/records", alice, "text/csv",
                "formula,band_gap [eV],density [g/cm3]\nZnO,3.37,5.61\nZnS,3.68,4.09\nZnSe,2.7,5.27\nZnTe,2.26,5.64\n"
                        + "Zn2OS,3.1,4.9\nZn2SSe,3.0,4.7\nZn2SeTe,2.45,5.45\nZn2OSe,2.9,5.4\nZn3O2S,3.3,5.1\n"
                        + "Zn3S2Se,3.4,4.5\nZn3Se2Te,2.6,5.4\nZn3OS2,3.5,4.6\n").statusCode());
        Map<String, String> models = new java.util.LinkedHashMap<>();
        for (String property : List.of("band_gap", "density")) {
            var started = send("POST", "/api/v1/models", alice, "application/json", "{\"name\": \"acme-zn-" + property
                    .replace('_', '-') + "\", \"datasets\": [{\"datasetId\": \"" + dataset + "\"}], \"targetProperty\": \""
                    + property + "\", \"hyperparameters\": {\"nTrees\": 100}, \"seed\": 7, \"kFolds\": 4}");
            assertEquals(202, started.statusCode(), started.body());
            JsonNode job = RunningSuite.awaitJob(JSON.readTree(started.body()).get("id").asText(), alice,
                    Duration.ofMinutes(3));
            assertEquals("succeeded", job.get("state").asText(), job.toString());
            models.put(property, job.get("resultId").asText());
        }
        String objectives = "[{\"property\": \"band_gap\", \"direction\": \"maximise\", "
                + "\"unit\": \"eV\"}, {\"property\": \"density\", \"direction\": \"minimise\", "
                + "\"unit\": \"g/cm3\"}]";
        String surrogate = "{\"predictionModel\": {\"modelIds\": {\"band_gap\": \"" + models.get("band_gap")
                + "\", \"density\": \"" + models.get("density") + "\"}}}";
        String space = "{\"composition\": {\"elements\": [{\"element\": \"Zn\", \"minFraction\": 0.5, "
                + "\"maxFraction\": 0.5}, {\"element\": \"O\", \"maxFraction\": 0.5}, {\"element\": \"S\", "
                + "\"maxFraction\": 0.5}, {\"element\": \"Se\", \"maxFraction\": 0.5}], \"step\": 0.1}}";
        var campaign = send("POST", "/api/v1/campaigns", alice, "application/json", "{\"spec\": {\"name\": "
                + "\"light wide zinc\", \"objectives\": " + objectives + ", \"designSpace\": " + space
                + ", \"surrogate\": " + surrogate + ", \"acquisition\": {\"batchSize\": 3}, \"seed\": 3}}");
        assertEquals(201, campaign.statusCode(), campaign.body());
        String campaignId = JSON.readTree(campaign.body()).get("id").asText();
        var first = send("POST", "/api/v1/campaigns/" + campaignId + "/proposals", alice, "application/json", "");
        assertEquals(200, first.statusCode(), first.body());
        JsonNode batch = JSON.readTree(first.body()).get("proposals");
        assertEquals(3, batch.size(), first.body());
        StringBuilder results = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            JsonNode proposal = batch.get(i);
            assertEquals("expected_hypervolume_improvement",
                    proposal.get("acquisitionFunction").asText());
            double gap = proposal.at("/predictions/0/mean").asDouble();
            double density = proposal.at("/predictions/1/mean").asDouble();
            assertTrue(gap > 1.5 && gap < 4.5, "band gap in eV: " + proposal);
            assertTrue(density > 3.5 && density < 6.5, "density in g/cm3, not negated: " + proposal);
            results.append(i == 0 ? "" : ", ").append("{\"proposalId\": \"").append(proposal.get("id").asText())
                    .append("\", \"measured\": {\"values\": [{\"property\": \"band_gap\", \"value\": {\"value\": ")
                    .append(3.0 + 0.1 * i).append(", \"unit\": \"eV\"}}, {\"property\": \"density\", \"value\": ")
                    .append("{\"value\": ").append(4.8 + 0.1 * i).append(", \"unit\": \"g/cm3\"}}]}}");
        }
        var told = send("POST", "/api/v1/campaigns/" + campaignId + "/results", alice, "application/json",
                "{\"results\": [" + results + "]}");
        assertEquals(200, told.statusCode(), told.body());
        var second = send("POST", "/api/v1/campaigns/" + campaignId + "/proposals", alice, "application/json", "");
        assertEquals(200, second.statusCode(), second.body());
        JsonNode fits = JSON.readTree(second.body()).get("fits");
        assertEquals(2, fits.size(), second.body());
        assertEquals(3, fits.get(0).get("observations").asInt(), "a process on each model's three residuals");

        var simulated = send("POST", "/api/v1/simulations", alice, "application/json", "{\"spec\": {\"name\": "
                + "\"two models\", \"campaign\": {\"name\": \"light wide zinc\", \"objectives\": " + objectives
                + ", \"surrogate\": " + surrogate + "}, \"dataset\": {\"dataset\": {\"datasetId\": \"" + dataset
                + "\"}}, \"runs\": 2}}");
        assertEquals(400, simulated.statusCode(), simulated.body());
        assertEquals("spec.campaign.surrogate.prediction_model",
                JSON.readTree(simulated.body()).at("/errors/0/field").asText());
    }

    /**
     * A prediction model as the digital twin's oracle: the strategy's composition space is predicted
     * by a model trained on acme's private data, asked as the caller; another organisation cannot
     * use the model.
     */
    @Test
    void aSimulationRunsAgainstAModelItsCallerMaySee() throws Exception {
        String alice = Tokens.accessToken(config, "alice");
        String dataset = privateDataset(alice, "acme zinc chalcogenides");
        assertEquals(200, send("POST", "/api/v1/datasets/" + dataset + "/records", alice, "text/csv",
                "formula,band_gap [eV]\nZnO,3.37\nZnS,3.68\nZnSe,2.7\nZnTe,2.26\nZn2OS,3.1\nZn2SSe,3.0\n"
                        + "Zn2SeTe,2.45\nZn2OSe,2.9\nZn3O2S,3.3\nZn3S2Se,3.4\nZn3Se2Te,2.6\nZn3OS2,3.5\n").statusCode());
        JsonNode job = RunningSuite.awaitJob(train(alice, dataset, "acme-zn-gap"), alice, Duration.ofMinutes(3));
        assertEquals("succeeded", job.get("state").asText(), job.toString());
        String modelId = job.get("resultId").asText();
        String spec = "{\"spec\": {\"name\": \"gap twin\", \"campaign\": {\"name\": \"zn gap\", \"objectives\": "
                + "[{\"property\": \"band_gap\", \"direction\": \"maximise\", \"unit\": \"meV\"}], "
                + "\"designSpace\": {\"composition\": {\"elements\": [{\"element\": \"Zn\", \"minFraction\": 0.5, "
                + "\"maxFraction\": 0.5}, {\"element\": \"S\", \"maxFraction\": 0.5}, {\"element\": \"Se\", "
                + "\"maxFraction\": 0.5}], \"step\": 0.05}}}, \"model\": {\"modelIds\": {\"band_gap\": \""
                + modelId + "\"}}, \"runs\": 3, \"baseSeed\": 5, \"maxEvaluations\": 8}}";
        var started = send("POST", "/api/v1/simulations", alice, "application/json", spec);
        assertEquals(202, started.statusCode(), started.body());
        String id = JSON.readTree(started.body()).get("id").asText();
        JsonNode done = awaitSimulation(id, alice);
        assertEquals("succeeded", done.get("job").get("state").asText(), done.toString());
        assertEquals(11, done.at("/report/poolSize").asInt(), "ZnS(1-x)Se(x) in steps of 0.05 of the whole");
        // a run ends at 8 evaluations or once it has found the best point
        JsonNode best = done.at("/report/runs/0/bestSoFar");
        assertTrue(best.size() >= 2 && best.size() <= 8, done.toString());
        double last = best.get(best.size() - 1).asDouble();
        assertTrue(last > 2000 && last < 4000, "the best predicted gap, in meV: " + last);

        String bob = Tokens.accessToken(config, "bob");
        var hidden = send("POST", "/api/v1/simulations", bob, "application/json", spec);
        assertEquals(404, hidden.statusCode(), hidden.body());
        var unnamed = send("POST", "/api/v1/simulations", alice, "application/json",
                spec.replace("\"band_gap\": \"" + modelId + "\"", "\"hardness\": \"" + modelId + "\""));
        assertEquals(400, unnamed.statusCode(), unnamed.body());
        assertTrue(unnamed.body().contains("spec.model.model_ids[band_gap]"), unnamed.body());

        // the same model as a campaign's surrogate: the first batch already follows the model, results
        // teach a process on its residuals; bob cannot plan with acme's model
        String campaignSpec = "{\"spec\": {\"name\": \"zn gap\", \"objectives\": [{\"property\": \"band_gap\", "
                + "\"direction\": \"maximise\", \"unit\": \"eV\"}], \"designSpace\": "
                + "{\"composition\": {\"elements\": [{\"element\": \"Zn\", \"minFraction\": 0.5, \"maxFraction\": 0.5}, "
                + "{\"element\": \"S\", \"maxFraction\": 0.5}, {\"element\": \"Se\", \"maxFraction\": 0.5}, "
                + "{\"element\": \"Te\", \"maxFraction\": 0.5}], \"step\": 0.1}}, \"surrogate\": {\"predictionModel\": "
                + "{\"modelIds\": {\"band_gap\": \"" + modelId + "\"}}}, \"acquisition\": {\"batchSize\": 3}, \"seed\": 3}}";
        assertEquals(404, send("POST", "/api/v1/campaigns", bob, "application/json", campaignSpec).statusCode());
        var campaign = send("POST", "/api/v1/campaigns", alice, "application/json", campaignSpec);
        assertEquals(201, campaign.statusCode(), campaign.body());
        String campaignId = JSON.readTree(campaign.body()).get("id").asText();
        var first = send("POST", "/api/v1/campaigns/" + campaignId + "/proposals", alice, "application/json", "");
        assertEquals(200, first.statusCode(), first.body());
        JsonNode firstBatch = JSON.readTree(first.body()).get("proposals");
        assertEquals(3, firstBatch.size());
        StringBuilder results = new StringBuilder();
        List<String> firstIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode proposal = firstBatch.get(i);
            assertEquals("log_expected_improvement", proposal.get("acquisitionFunction").asText());
            double predicted = proposal.at("/predictions/0/mean").asDouble();
            assertTrue(predicted > 1.5 && predicted < 4.5, "the model's own prediction: " + proposal);
            assertTrue(proposal.at("/predictions/0/std").asDouble() > 0, proposal.toString());
            firstIds.add(proposal.at("/candidate/id").asText());
            results.append(i == 0 ? "" : ", ").append("{\"proposalId\": \"").append(proposal.get("id").asText())
                    .append("\", \"measured\": {\"values\": [{\"property\": \"band_gap\", \"value\": {\"value\": ")
                    .append(2.5 + 0.2 * i).append(", \"unit\": \"eV\"}}]}}");
        }
        var told = send("POST", "/api/v1/campaigns/" + campaignId + "/results", alice, "application/json",
                "{\"results\": [" + results + "]}");
        assertEquals(200, told.statusCode(), told.body());
        var second = send("POST", "/api/v1/campaigns/" + campaignId + "/proposals", alice, "application/json", "");
        assertEquals(200, second.statusCode(), second.body());
        JsonNode secondBatch = JSON.readTree(second.body());
        assertEquals(3, secondBatch.at("/fits/0/observations").asInt(), "a process on the three residuals");
        for (JsonNode proposal : secondBatch.get("proposals")) {
            assertFalse(firstIds.contains(proposal.at("/candidate/id").asText()), "measured candidates are not repeated");
        }

        // the model as the strategy's surrogate in the digital twin, the dataset as the oracle: every
        // run starts from the material the model rates best (no random designs), then a process
        // learns the model's residuals from what the run has measured
        String guidedSpec = "{\"spec\": {\"name\": \"model-guided twin\", \"campaign\": {\"name\": \"zn gap\", "
                + "\"objectives\": [{\"property\": \"band_gap\", \"direction\": \"maximise\", "
                + "\"unit\": \"eV\"}], \"surrogate\": {\"predictionModel\": {\"modelIds\": {\"band_gap\": \"" + modelId
                + "\"}}}}, \"dataset\": {\"dataset\": {\"datasetId\": \"" + dataset + "\"}}, \"runs\": 3, "
                + "\"baseSeed\": 5, \"keepChoices\": true}}";
        var guided = send("POST", "/api/v1/simulations", alice, "application/json", guidedSpec);
        assertEquals(202, guided.statusCode(), guided.body());
        JsonNode guidedDone = awaitSimulation(JSON.readTree(guided.body()).get("id").asText(), alice);
        assertEquals("succeeded", guidedDone.get("job").get("state").asText(), guidedDone.toString());
        assertEquals(12, guidedDone.at("/report/poolSize").asInt());
        JsonNode guidedRuns = guidedDone.at("/report/runs");
        assertEquals(3, guidedRuns.size());
        for (JsonNode run : guidedRuns) {
            assertEquals(guidedRuns.get(0).at("/chosenCandidateIds/0").asText(), run.at("/chosenCandidateIds/0").asText(),
                    "whatever the seed, the model's best comes first: " + guidedRuns);
        }
        assertEquals(404, send("POST", "/api/v1/simulations", bob, "application/json", guidedSpec).statusCode());

        // a target band gap with the model as surrogate: proposals report the model's own prediction in eV
        String targetSpec = campaignSpec.replace("\"direction\": \"maximise\", \"unit\": \"eV\"",
                "\"direction\": \"target\", \"target\": 3.0, \"unit\": \"eV\"")
                .replace("{\"spec\": {\"name\": \"zn gap\"", "{\"spec\": {\"name\": \"zn gap of 3 eV\"");
        var targeted = send("POST", "/api/v1/campaigns", alice, "application/json", targetSpec);
        assertEquals(201, targeted.statusCode(), targeted.body());
        var targetBatch = send("POST", "/api/v1/campaigns/" + JSON.readTree(targeted.body()).get("id").asText()
                + "/proposals", alice, "application/json", "");
        assertEquals(200, targetBatch.statusCode(), targetBatch.body());
        for (JsonNode proposal : JSON.readTree(targetBatch.body()).get("proposals")) {
            double predicted = proposal.at("/predictions/0/mean").asDouble();
            assertTrue(predicted > 1.5 && predicted < 4.5, "the model's prediction in eV, not a distance: " + proposal);
        }
    }

    /**
     * A backend that is down: the gateway answers its paths with a fast 503 problem (and nothing
     * about internals), keeps serving the others, and recovers on its own when the backend is back.
     */
    @Test
    void aStoppedBackendIsAFast503AndTheGatewayRecoversWhenItReturns() throws Exception {
        String alice = Tokens.accessToken(config, "alice");
        assertEquals(200, get("/api/v1/campaigns", alice).statusCode());
        // as an operator would: ./mihub stop planning, through the launcher's control channel
        assertEquals("ok planning-service stopped", Control.ask(config, "stop", "planning", Duration.ofSeconds(60)));
        assertEquals("ok planning-service was not running",
                Control.ask(config, "stop", "planning-service", Duration.ofSeconds(60)));
        try {
            long started = System.nanoTime();
            var down = get("/api/v1/campaigns", alice);
            double seconds = (System.nanoTime() - started) / 1e9;
            assertEquals(503, down.statusCode(), down.body());
            assertEquals("application/problem+json", down.headers().firstValue("Content-Type").orElse(""));
            assertFalse(down.body().contains("Exception") || down.body().contains("io.grpc"), down.body());
            assertTrue(seconds < 2, "503 after " + seconds + " s");
            assertEquals(200, get("/api/v1/datasets", alice).statusCode(), "the catalog's paths still work");
            // a few more failures open planning's circuit breaker: then the gateway does not even try
            boolean open = false;
            for (int i = 0; i < 10 && !open; i++) {
                var again = get("/api/v1/campaigns", alice);
                assertEquals(503, again.statusCode(), again.body());
                open = again.body().contains("retry after");
            }
            assertTrue(open, "the breaker opens after repeated failures");
            var status = JSON.readTree(get("/api/v1/status", alice).body());
            assertEquals("UNAVAILABLE (circuit open)", status.at("/backends/2/error").asText(), status.toString());
        } finally {
            String restarted = Control.ask(config, "restart", "planning", Duration.ofMinutes(3));
            assertTrue(restarted.startsWith("ok planning-service restarted, ready after"), restarted);
        }
        // planning is ready again (the restart waited for it): the gateway serves it within 2 s, by itself
        long back = System.nanoTime();
        long deadline = back + Duration.ofSeconds(10).toNanos();
        int status;
        do {
            status = get("/api/v1/campaigns", alice).statusCode();
            if (status != 200) {
                Thread.sleep(100);
            }
        } while (status != 200 && System.nanoTime() < deadline);
        double seconds = (System.nanoTime() - back) / 1e9;
        assertEquals(200, status, "the gateway serves campaigns again once planning is back");
        assertTrue(seconds <= 2, "served again " + seconds + " s after planning was ready");
    }

    /**
     * PostgreSQL down: every service's database paths answer 503 problems with Retry-After (never a
     * 500, never a hang), and once it is back every service serves again by itself, no restart.
     */
    @Test
    void aDatabaseOutageIs503WithRetryAfterAndEveryServiceRecoversByItself() throws Exception {
        String alice = Tokens.accessToken(config, "alice");
        List<String> paths = List.of("/api/v1/datasets/" + RunningSuite.demoDatasetId(), "/api/v1/models",
                "/api/v1/campaigns");
        for (String path : paths) {
            assertEquals(200, get(path, alice).statusCode(), path);
        }
        stack.stopDatabase();
        try {
            for (String path : paths) {
                long started = System.nanoTime();
                var down = get(path, alice);
                double seconds = (System.nanoTime() - started) / 1e9;
                assertEquals(503, down.statusCode(), path + ": " + down.body());
                assertEquals("application/problem+json", down.headers().firstValue("Content-Type").orElse(""), path);
                assertTrue(down.headers().firstValue("Retry-After").isPresent(), path);
                assertFalse(down.body().contains("Exception") || down.body().contains("SQL"), down.body());
                assertTrue(seconds < 15, path + " answered after " + seconds + " s");
            }
        } finally {
            stack.startDatabase();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (String path : paths) {
            int status;
            do {
                status = get(path, alice).statusCode();
                if (status != 200) {
                    Thread.sleep(250);
                }
            } while (status != 200 && System.nanoTime() < deadline);
            assertEquals(200, status, path + " serves again once PostgreSQL is back");
        }
    }

    /**
     * One organisation's burst beyond its allowance is refused with 429 problems and Retry-After,
     * while another organisation is served at the same time; the allowance renews by itself.
     */
    @Test
    void aBurstBeyondTheRateLimitIsRefusedWith429WhileOtherOrganisationsAreServed() throws Exception {
        String erin = Tokens.accessToken(config, "erin");
        String alice = Tokens.accessToken(config, "alice");
        var client = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(URI.create(config.gatewayUrl() + "/api/v1/properties"))
                .header("Authorization", "Bearer " + erin).GET().build();
        int burst = RunningSuite.RATE_LIMIT * 4;
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
            replies.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        var other = get("/api/v1/properties", alice);
        List<HttpResponse<String>> refused = new ArrayList<>();
        int served = 0;
        for (var reply : replies) {
            HttpResponse<String> response = reply.get(60, java.util.concurrent.TimeUnit.SECONDS);
            if (response.statusCode() == 429) {
                refused.add(response);
            } else {
                assertEquals(200, response.statusCode(), response.body());
                served++;
            }
        }
        assertEquals(200, other.statusCode(), "acme is not limited by hub's burst");
        assertFalse(refused.isEmpty(), "served all " + served);
        assertTrue(served >= RunningSuite.RATE_LIMIT, "served " + served);
        var first = refused.get(0);
        assertEquals("application/problem+json", first.headers().firstValue("Content-Type").orElse(""));
        assertTrue(JSON.readTree(first.body()).get("detail").asText().contains("organisation hub"), first.body());
        // and the operator sees who was turned away
        String metrics = client.send(java.net.http.HttpRequest.newBuilder(URI.create(config.gatewayUrl() + "/q/metrics"))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        double counted = metrics.lines().filter(line -> line.startsWith("mihub_gateway_rate_limited_total{")
                && line.contains("org=\"hub\"")).mapToDouble(line -> Double.parseDouble(line.substring(
                        line.lastIndexOf(' ') + 1))).sum();
        assertTrue(counted >= refused.size(), "counted " + counted + " of " + refused.size() + " refusals");
        long retryAfter = Long.parseLong(first.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After " + retryAfter);
        Thread.sleep(retryAfter * 1000 + 200);
        assertEquals(200, get("/api/v1/properties", erin).statusCode(), "the allowance renews");
    }

    @Test
    void aRejectedUploadListsEveryBadRowAsProblemJson() throws Exception {
        String alice = Tokens.accessToken(config, "alice");
        String id = JSON.readTree(send("POST", "/api/v1/datasets", alice, "application/json",
                "{\"title\": \"uploads\", \"licence\": \"CC-BY-4.0\"}").body()).get("id").asText();
        var reply = send("POST", "/api/v1/datasets/" + id + "/records", alice, "text/csv",
                "formula,band_gap [eV]\nSi,1.12\nGa(As,1.4\nZnO,wide\n");
        assertEquals(400, reply.statusCode(), reply.body());
        JsonNode problem = JSON.readTree(reply.body());
        assertEquals(2, problem.get("rowsRejected").asInt());
        assertEquals("bad_formula", problem.at("/rejections/0/code").asText());
        assertEquals(2, problem.at("/rejections/0/row").asInt());
        assertEquals(2, problem.at("/rejections/0/position").asInt());
        assertEquals("band_gap [eV]", problem.at("/rejections/1/column").asText());
        assertEquals(0, JSON.readTree(get("/api/v1/datasets/" + id, alice).body()).get("rowCount").asInt());
        var accepted = send("POST", "/api/v1/datasets/" + id + "/records", alice, "text/csv",
                "formula,band_gap [meV]\nSi,1120\n");
        assertEquals(200, accepted.statusCode(), accepted.body());
        assertEquals("committed", JSON.readTree(accepted.body()).get("outcome").asText());
        var ndjson = send("POST", "/api/v1/datasets/" + id + "/records", alice, "application/x-ndjson",
                "{\"formula\": \"GaN\", \"measurements\": [{\"property\": \"band_gap\", "
                        + "\"value\": {\"value\": 3.4, \"unit\": \"eV\"}}]}\n");
        assertEquals(200, ndjson.statusCode(), ndjson.body());
        var badJson = send("POST", "/api/v1/datasets/" + id + "/records", alice, "application/json",
                "[{\"formula\": \"GaN\", \"measurements\": [{\"property\": \"band_gap\", "
                        + "\"value\": {\"value\": 3.4, \"unit\": \"K\"}}]}]");
        assertEquals(400, badJson.statusCode(), badJson.body());
        assertEquals("measurements[0].value.unit", JSON.readTree(badJson.body()).at("/rejections/0/column").asText());
    }
}
