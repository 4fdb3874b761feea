package org.mihub.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.mihub.api.common.v1.Job;
import org.mihub.api.common.v1.JobState;
import org.mihub.api.prediction.v1.Calibration;
import org.mihub.api.prediction.v1.ClassProbability;
import org.mihub.api.prediction.v1.ClassificationMetrics;
import org.mihub.api.prediction.v1.GetModelRequest;
import org.mihub.api.prediction.v1.Model;
import org.mihub.api.prediction.v1.ModelMetrics;
import org.mihub.api.prediction.v1.PredictRequest;
import org.mihub.api.prediction.v1.PredictResponse;
import org.mihub.api.prediction.v1.PredictedClass;
import org.mihub.api.prediction.v1.Prediction;
import org.mihub.api.prediction.v1.PredictionServiceGrpc;
import org.mihub.api.prediction.v1.ReliabilityBin;
import org.mihub.api.prediction.v1.Task;
import org.mihub.api.prediction.v1.TrainModelRequest;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;

/**
 * Classifiers over REST, against a stand-in of the prediction service: a classifier's view carries
 * its task, classes, pooled and per-fold classification metrics with the confusion matrix as rows and
 * the reliability bins, and its calibration; its predictions carry the predicted class and each
 * class's probability and no mean; {@code task} in a training body reaches the service, and an
 * unknown task is 400 naming {@code task} with nothing asked.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelClassificationTest {

    private static final String PROBLEM = "application/problem+json";

    private final List<TrainModelRequest> trained = new CopyOnWriteArrayList<>();
    private Server prediction;

    private static ClassificationMetrics metrics(double accuracy) {
        return ClassificationMetrics.newBuilder().setAccuracy(accuracy).setBalancedAccuracy(0.81).setRocAuc(0.9)
                .setLogLoss(0.35).setBrier(0.11).setCount(20)
                .addReliability(ReliabilityBin.newBuilder().setLower(0.8).setUpper(0.9).setCount(5)
                        .setMeanPredicted(0.84).setObservedFraction(0.8))
                .addAllConfusion(List.of(9L, 1L, 2L, 8L)).build();
    }

    @BeforeAll
    void standIn() throws IOException {
        prediction = ServerBuilder.forPort(18082).addService(new PredictionServiceGrpc.PredictionServiceImplBase() {
            @Override
            public void getModel(GetModelRequest request, StreamObserver<Model> response) {
                response.onNext(Model.newBuilder().setId(request.getId()).setName("metal-rf").setVersion(1)
                        .setTask(Task.TASK_CLASSIFICATION).addClasses("false").addClasses("true")
                        .setMetrics(ModelMetrics.newBuilder().setKFolds(2).setClassificationOverall(metrics(0.85))
                                .addClassificationFolds(metrics(0.8)).addClassificationFolds(metrics(0.9))
                                .setCalibration(Calibration.newBuilder().setMethod("isotonic").setIsotonicLogLoss(0.35)
                                        .setPlattLogLoss(0.37).setUncalibratedLogLoss(0.42)))
                        .build());
                response.onCompleted();
            }

            @Override
            public void predict(PredictRequest request, StreamObserver<PredictResponse> response) {
                response.onNext(PredictResponse.newBuilder()
                        .setModel(org.mihub.api.prediction.v1.ModelSummary.newBuilder().setModelId(request.getModelId())
                                .setTask(Task.TASK_CLASSIFICATION).addClasses("false").addClasses("true"))
                        .addPredictions(Prediction.newBuilder().setIndex(0).setReducedFormula("FeNi3")
                                .setClassPrediction(PredictedClass.newBuilder().setPredictedClass("true")
                                        .setInDomain(true).setDomainDistance(0.4)
                                        .addProbabilities(ClassProbability.newBuilder().setLabel("false")
                                                .setProbability(0.1))
                                        .addProbabilities(ClassProbability.newBuilder().setLabel("true")
                                                .setProbability(0.9))))
                        .build());
                response.onCompleted();
            }

            @Override
            public void trainModel(TrainModelRequest request, StreamObserver<Job> response) {
                trained.add(request);
                response.onNext(Job.newBuilder().setId("job-1").setState(JobState.QUEUED).build());
                response.onCompleted();
            }
        }).build().start();
    }

    /** Earlier tests of this application ran without the backend and may have opened its breaker. */
    @BeforeEach
    void reachable() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (given().get("/api/v1/models/ok").statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the gateway does not reach the stand-in");
            }
            Thread.sleep(200);
        }
        trained.clear();
    }

    @AfterAll
    void stop() {
        prediction.shutdownNow();
    }

    private static String token() {
        return Jwt.subject("user-1").preferredUserName("alice").claim("org", "acme")
                .claim("realm_access", Map.of("roles", List.of("member", "contributor")))
                .issuer("https://server.example.com").audience("mihub").expiresAt(Instant.now().plusSeconds(300))
                .sign();
    }

    @Test
    void aClassifiersViewCarriesItsMetricsConfusionMatrixReliabilityAndCalibration() {
        given().get("/api/v1/models/c1").then().statusCode(200)
                .body("task", is("CLASSIFICATION"))
                .body("classes", contains("false", "true"))
                .body("metrics", nullValue())
                .body("classificationMetrics.accuracy", is(0.85f))
                .body("classificationMetrics.balancedAccuracy", is(0.81f))
                .body("classificationMetrics.rocAuc", is(0.9f))
                .body("classificationMetrics.confusion[0]", contains(9, 1))
                .body("classificationMetrics.confusion[1]", contains(2, 8))
                .body("classificationMetrics.reliability[0].observedFraction", is(0.8f))
                .body("classificationFoldMetrics.size()", is(2))
                .body("classificationFoldMetrics[1].accuracy", is(0.9f))
                .body("calibration.method", is("isotonic"))
                .body("calibration.uncalibratedLogLoss", is(0.42f));
    }

    @Test
    void aClassifiersPredictionIsTheClassWithEachProbabilityAndNoMean() {
        given().contentType("application/json").body("{\"formulas\": [\"FeNi3\"]}")
                .post("/api/v1/models/c1/predict").then().statusCode(200)
                .body("model.task", is("CLASSIFICATION"))
                .body("predictions[0].predictedClass", is("true"))
                .body("predictions[0].probabilities.label", contains("false", "true"))
                .body("predictions[0].probabilities[1].probability", is(0.9f))
                .body("predictions[0].inDomain", is(true))
                .body("predictions[0].mean", nullValue());
    }

    @Test
    void theTaskOfATrainingBodyReachesTheServiceAndAnUnknownOneIs400() {
        String body = "{\"name\": \"metal\", \"datasets\": [{\"datasetId\": \"d1\"}], \"targetProperty\": \"is_metal\", "
                + "\"task\": \"%s\"}";
        given().auth().oauth2(token()).contentType("application/json").body(body.formatted("classification"))
                .post("/api/v1/models")
                .then().statusCode(202);
        assertEquals(Task.TASK_CLASSIFICATION, trained.get(0).getTask());
        given().auth().oauth2(token()).contentType("application/json").body(body.formatted("clustering"))
                .post("/api/v1/models")
                .then().statusCode(400).contentType(PROBLEM).body("errors.field", hasItem("task"));
        assertEquals(1, trained.size(), "the bad body asked nothing");
    }
}
