package org.mihub.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mihub.api.catalog.v1.CatalogServiceGrpc;
import org.mihub.api.catalog.v1.CreateDatasetRequest;
import org.mihub.api.catalog.v1.Dataset;
import org.mihub.api.catalog.v1.Embargo;
import org.mihub.api.catalog.v1.GetDatasetRequest;
import org.mihub.api.catalog.v1.UpdateDatasetSharingRequest;
import org.mihub.api.common.v1.Job;
import org.mihub.api.common.v1.JobState;
import org.mihub.api.common.v1.Visibility;
import org.mihub.api.prediction.v1.Algorithm;
import org.mihub.api.prediction.v1.DatasetLineage;
import org.mihub.api.prediction.v1.FormulaError;
import org.mihub.api.prediction.v1.FormulaErrorCode;
import org.mihub.api.prediction.v1.GetModelRequest;
import org.mihub.api.prediction.v1.Model;
import org.mihub.api.prediction.v1.ModelStatus;
import org.mihub.api.prediction.v1.PredictRequest;
import org.mihub.api.prediction.v1.PredictResponse;
import org.mihub.api.prediction.v1.Prediction;
import org.mihub.api.prediction.v1.PredictionServiceGrpc;
import org.mihub.api.prediction.v1.TrainModelRequest;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.ValidatableResponse;
import io.smallrye.jwt.build.Jwt;

/**
 * The one JSON dialect beyond planning, against stand-ins of the catalog and the prediction service:
 * every enum a dataset, a model, a prediction or a job writes is lower case without its prefix; the
 * upper-case spelling the API used to write is still read, answered with {@code Deprecation: true}; and
 * a field the request does not have is refused, naming it and the closest known one, before any
 * backend is asked.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DialectTest {

    private static final String PROBLEM = "application/problem+json";
    private static final Timestamp UNTIL = Timestamp.newBuilder().setSeconds(1_806_537_600L).build();

    private final List<Message> asked = new CopyOnWriteArrayList<>();
    private Server catalog;
    private Server prediction;

    @BeforeAll
    void standIns() throws IOException {
        catalog = ServerBuilder.forPort(18081).addService(new CatalogServiceGrpc.CatalogServiceImplBase() {
            @Override
            public void getDataset(GetDatasetRequest request, StreamObserver<Dataset> response) {
                reply(response, Dataset.newBuilder().setId(request.getId()).setTitle("t")
                        .setVisibility(Visibility.CONSORTIUM).setEmbargo(Embargo.newBuilder().setUntil(UNTIL)
                                .setLiftsTo(Visibility.PUBLIC)).build());
            }

            @Override
            public void createDataset(CreateDatasetRequest request, StreamObserver<Dataset> response) {
                asked.add(request);
                reply(response, Dataset.newBuilder().setId("d-new").setTitle(request.getTitle())
                        .setVisibility(request.getVisibility()).build());
            }

            @Override
            public void updateDatasetSharing(UpdateDatasetSharingRequest request, StreamObserver<Dataset> response) {
                asked.add(request);
                reply(response, Dataset.newBuilder().setId(request.getDatasetId()).setVisibility(request.getVisibility())
                        .addAllSharedWith(request.getSharedWithList()).setEmbargo(request.getEmbargo()).build());
            }
        }).build().start();
        prediction = ServerBuilder.forPort(18082).addService(new PredictionServiceGrpc.PredictionServiceImplBase() {
            @Override
            public void getModel(GetModelRequest request, StreamObserver<Model> response) {
                reply(response, Model.newBuilder().setId(request.getId()).setName("gap-rf").setVersion(1)
                        .setVisibility(Visibility.PRIVATE).setStatus(ModelStatus.MODEL_STATUS_READY)
                        .setAlgorithm(Algorithm.ALGORITHM_RANDOM_FOREST).addLineage(DatasetLineage.newBuilder()
                                .setDatasetId("d1").setVersion(2).setVisibility(Visibility.SHARED))
                        .build());
            }

            @Override
            public void trainModel(TrainModelRequest request, StreamObserver<Job> response) {
                asked.add(request);
                reply(response, Job.newBuilder().setId("j-1").setKind("train-model").setState(JobState.QUEUED)
                        .build());
            }

            @Override
            public void predict(PredictRequest request, StreamObserver<PredictResponse> response) {
                reply(response, PredictResponse.newBuilder().addPredictions(Prediction.newBuilder().setIndex(0)
                        .setError(FormulaError.newBuilder().setCode(FormulaErrorCode.FORMULA_ERROR_CODE_UNKNOWN_ELEMENT)
                                .setPosition(2).setReason("unknown element 'Xx' at position 2"))).build());
            }
        }).build().start();
    }

    private static <T> void reply(StreamObserver<T> response, T value) {
        response.onNext(value);
        response.onCompleted();
    }

    /** Earlier tests of this application ran without these backends and may have opened their breakers. */
    @BeforeEach
    void reachable() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (given().get("/api/v1/datasets/ok").statusCode() != 200
                || given().get("/api/v1/models/ok").statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the gateway does not reach the stand-ins");
            }
            Thread.sleep(200);
        }
        asked.clear();
    }

    @AfterAll
    void stop() {
        catalog.shutdownNow();
        prediction.shutdownNow();
    }

    private static String token() {
        return Jwt.subject("user-1").preferredUserName("alice").claim("org", "acme")
                .claim("realm_access", Map.of("roles", List.of("member", "contributor", "curator")))
                .issuer("https://server.example.com").audience("mihub").expiresAt(Instant.now().plusSeconds(300))
                .sign();
    }

    private static ValidatableResponse send(String method, String path, String body) {
        return given().auth().oauth2(token()).contentType("application/json").body(body).request(method, path).then();
    }

    @Test
    void datasetsAndModelsWriteTheirEnumsInLowerCase() {
        given().get("/api/v1/datasets/d1").then().statusCode(200).body("visibility", is("consortium"))
                .body("embargo.liftsTo", is("public")).body("embargo.until", is("2027-04-01T00:00:00Z"));
        given().get("/api/v1/models/m1").then().statusCode(200).body("visibility", is("private"))
                .body("status", is("ready")).body("algorithm", is("random_forest"))
                .body("lineage[0].visibility", is("shared"));
        send("POST", "/api/v1/models/m1/predict", "{\"formulas\": [\"FeXx\"]}").statusCode(200)
                .body("predictions[0].error.code", is("unknown_element"))
                .body("predictions[0].error.position", is(2));
        send("POST", "/api/v1/models", "{\"name\": \"gap-rf\", \"datasets\": [{\"datasetId\": \"d1\"}], "
                + "\"targetProperty\": \"band_gap\"}").statusCode(202).body("state", is("queued"))
                .body("kind", is("train-model")).body("resultId", nullValue());
    }

    @Test
    void theOldUpperCaseSpellingIsReadAndMarkedDeprecated() {
        send("POST", "/api/v1/datasets", "{\"title\": \"t\", \"visibility\": \"consortium\"}").statusCode(201)
                .header("Deprecation", nullValue()).body("visibility", is("consortium"));
        send("POST", "/api/v1/datasets", "{\"title\": \"t\", \"visibility\": \"CONSORTIUM\"}").statusCode(201)
                .header("Deprecation", "true").body("visibility", is("consortium"));
        send("PUT", "/api/v1/datasets/d1/sharing", "{\"visibility\": \"shared\", \"sharedWith\": [\"kansai-u\"], "
                + "\"embargo\": {\"until\": \"2027-04-01T00:00:00Z\", \"liftsTo\": \"PUBLIC\"}}").statusCode(200)
                .header("Deprecation", "true").body("visibility", is("shared"))
                .body("embargo.liftsTo", is("public"));
        send("PUT", "/api/v1/datasets/d1/sharing", "{\"visibility\": \"private\"}").statusCode(200)
                .header("Deprecation", nullValue()).body("visibility", is("private"));
        assertEquals(Visibility.CONSORTIUM, ((CreateDatasetRequest) asked.get(1)).getVisibility());
        assertEquals(Visibility.PUBLIC, ((UpdateDatasetSharingRequest) asked.get(2)).getEmbargo().getLiftsTo());

        send("POST", "/api/v1/datasets", "{\"title\": \"t\", \"visibility\": \"secret\"}").statusCode(400)
                .contentType(PROBLEM).body("errors[0].field", is("visibility"))
                .body("errors[0].reason", is("'secret' is not private, shared, consortium or public"));
        assertEquals(4, asked.size(), "a refused body reaches no backend");
    }

    @Test
    void theDocumentationsExamplesSpeakTheDialect() {
        send("POST", "/api/v1/datasets", ApiExamples.CREATE_DATASET).statusCode(201).header("Deprecation", nullValue())
                .body("visibility", is("consortium"));
        send("PUT", "/api/v1/datasets/d1/sharing", ApiExamples.SHARING).statusCode(200)
                .header("Deprecation", nullValue()).body("embargo.liftsTo", is("public"));
        send("POST", "/api/v1/models", ApiExamples.TRAIN).statusCode(202);
        send("POST", "/api/v1/models/m1/predict", ApiExamples.PREDICT).statusCode(200);
        assertEquals(500, ((TrainModelRequest) asked.get(2)).getHyperparameters().getRandomForest().getNTrees());
    }

    @Test
    void anUnknownFieldIsRefusedNamingItAndTheClosestKnownOne() {
        send("POST", "/api/v1/models", "{\"name\": \"gap-rf\", \"datasets\": [{\"datasetId\": \"d1\"}], "
                + "\"targetProperty\": \"band_gap\", \"hyperparameters\": {\"nTress\": 500}}").statusCode(400)
                .contentType(PROBLEM).body("errors[0].field", is("hyperparameters.nTress"))
                .body("errors[0].reason", is("unknown hyperparameter; did you mean nTrees?"))
                .body("detail", startsWith("hyperparameters.nTress: unknown hyperparameter; did you mean nTrees? "
                        + "(at line 1, column "));
        send("POST", "/api/v1/datasets", "{\"titel\": \"t\"}").statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", is("titel")).body("errors[0].reason", is("unknown field; did you mean title?"));
        send("PUT", "/api/v1/datasets/d1/sharing", "{\"embargo\": {\"liftsTo\": \"public\", \"when\": \"2027\"}}")
                .statusCode(400).body("errors[0].field", is("embargo.when"))
                .body("errors[0].reason", is("unknown field"));
        send("POST", "/api/v1/models/m1/predict", "{\"formula\": [\"Fe2O3\"]}").statusCode(400)
                .body("errors[0].field", is("formula")).body("errors[0].reason", is("unknown field; did you mean formulas?"));
        assertTrue(asked.isEmpty(), "nothing was sent: " + asked);
    }

    @Test
    void aParameterOfAnotherAlgorithmNamesTheOnesItTakes() {
        send("POST", "/api/v1/models", "{\"name\": \"gap-gp\", \"datasets\": [{\"datasetId\": \"d1\"}], "
                + "\"targetProperty\": \"band_gap\", \"algorithm\": \"gaussian_process\", "
                + "\"hyperparameters\": {\"nTrees\": 500}}").statusCode(400)
                .body("errors[0].field", is("hyperparameters.nTrees"))
                .body("errors[0].reason", is("not a parameter of gaussian_process (it takes kernel, restarts, "
                        + "noiseVariance)"));
        send("POST", "/api/v1/models", "{\"name\": \"gap-gb\", \"datasets\": [{\"datasetId\": \"d1\"}], "
                + "\"targetProperty\": \"band_gap\", \"algorithm\": \"gradient_boosting\", "
                + "\"hyperparameters\": {\"maxFeatures\": 0.3}}").statusCode(400)
                .body("errors[0].field", is("hyperparameters.maxFeatures"))
                .body("errors[0].reason", is("not a parameter of gradient_boosting (it takes nEstimators, learningRate, "
                        + "maxDepth, subsample, minSamplesLeaf, ensembleSize, loss)"));
        assertTrue(asked.isEmpty(), "nothing was sent: " + asked);
    }
}
