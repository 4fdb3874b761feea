package org.mihub.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mihub.api.prediction.v1.Explanation;
import org.mihub.api.prediction.v1.FeatureContribution;
import org.mihub.api.prediction.v1.FeatureImportance;
import org.mihub.api.prediction.v1.GetModelRequest;
import org.mihub.api.prediction.v1.ImportanceGroup;
import org.mihub.api.prediction.v1.Model;
import org.mihub.api.prediction.v1.ModelMetrics;
import org.mihub.api.prediction.v1.PermutationImportance;
import org.mihub.api.prediction.v1.PredictRequest;
import org.mihub.api.prediction.v1.PredictResponse;
import org.mihub.api.prediction.v1.PredictedValue;
import org.mihub.api.prediction.v1.Prediction;
import org.mihub.api.prediction.v1.PredictionServiceGrpc;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * Explanations over REST, against a stand-in of the prediction service: {@code ?explain=true} asks
 * the service to explain and each prediction carries its contributions with plain names and the
 * grouped sums; a bad flag is 400 naming {@code explain} and nothing is asked; a model the service
 * cannot explain is 409 with its reason; a model's permutation importance is in its view.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelExplanationTest {

    private static final String PROBLEM = "application/problem+json";

    private final List<PredictRequest> asked = new CopyOnWriteArrayList<>();
    private Server prediction;

    @BeforeAll
    void standIn() throws IOException {
        prediction = ServerBuilder.forPort(18082).addService(new PredictionServiceGrpc.PredictionServiceImplBase() {
            @Override
            public void getModel(GetModelRequest request, StreamObserver<Model> response) {
                var importance = PermutationImportance.newBuilder().setMetric("mae").setRepeats(3).setFolds(5)
                        .setSeed(7).addFeatures(FeatureImportance.newBuilder().setFeature(8)
                                .setName("mean_Electronegativity").setPlainName("mean electronegativity")
                                .setMean(0.31).setStd(0.02).setCount(15))
                        .addByProperty(ImportanceGroup.newBuilder().setName("electronegativity").setValue(0.4)
                                .setFeatures(6));
                var model = Model.newBuilder().setId(request.getId()).setName("gap-rf").setVersion(1);
                if (!request.getId().equals("old")) {
                    model.setMetrics(ModelMetrics.newBuilder().setKFolds(5).setPermutationImportance(importance));
                }
                response.onNext(model.build());
                response.onCompleted();
            }

            @Override
            public void predict(PredictRequest request, StreamObserver<PredictResponse> response) {
                asked.add(request);
                if (request.getModelId().equals("process") && request.getExplain()) {
                    response.onError(Status.FAILED_PRECONDITION.withDescription("explain: explanations are computed "
                            + "for tree models (random forest, gradient boosting); this model is a Gaussian process")
                            .asRuntimeException());
                    return;
                }
                var value = PredictedValue.newBuilder().setMean(2.1).setStd(0.2);
                if (request.getExplain()) {
                    value.setExplanation(Explanation.newBuilder().setMethod("tree_shap_path_dependent")
                            .setExpectedValue(1.5).addContributions(FeatureContribution.newBuilder().setFeature(8)
                                    .setName("mean_Electronegativity").setPlainName("mean electronegativity")
                                    .setValue(2.9).setContribution(0.7))
                            .addContributions(FeatureContribution.newBuilder().setFeature(0).setName("mean_Number")
                                    .setPlainName("mean atomic number").setValue(15.2).setContribution(-0.1))
                            .addByProperty(ImportanceGroup.newBuilder().setName("electronegativity").setValue(0.7)
                                    .setFeatures(6))
                            .addByStatistic(ImportanceGroup.newBuilder().setName("mean").setValue(0.6)
                                    .setFeatures(22)));
                }
                response.onNext(PredictResponse.newBuilder().addPredictions(Prediction.newBuilder().setIndex(0)
                        .setReducedFormula("Fe2O3").setValue(value)).build());
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
        asked.clear();
    }

    @AfterAll
    void stop() {
        prediction.shutdownNow();
    }

    private static io.restassured.response.ValidatableResponse predict(String model, String query) {
        return given().contentType("application/json").body("{\"formulas\": [\"Fe2O3\"]}")
                .post("/api/v1/models/" + model + "/predict" + query).then();
    }

    @Test
    void explainTrueReturnsTheContributionsWithPlainNamesAndTheGroups() {
        predict("m1", "?explain=true").statusCode(200)
                .body("predictions[0].mean", is(2.1f))
                .body("predictions[0].explanation.method", is("tree_shap_path_dependent"))
                .body("predictions[0].explanation.expectedValue", is(1.5f))
                .body("predictions[0].explanation.contributions[0].plainName", is("mean electronegativity"))
                .body("predictions[0].explanation.contributions[0].name", is("mean_Electronegativity"))
                .body("predictions[0].explanation.contributions[0].contribution", is(0.7f))
                .body("predictions[0].explanation.contributions[1].value", is(15.2f))
                .body("predictions[0].explanation.byProperty[0].name", is("electronegativity"))
                .body("predictions[0].explanation.byProperty[0].features", is(6))
                .body("predictions[0].explanation.byStatistic[0].name", is("mean"));
        assertEquals(true, asked.get(0).getExplain());
        predict("m1", "").statusCode(200).body("predictions[0].explanation", nullValue());
        assertEquals(false, asked.get(1).getExplain(), "not asked, not explained");
    }

    @Test
    void aBadFlagIs400NamingItAndAModelThatCannotBeExplainedIs409() {
        predict("m1", "?explain=maybe").statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItem("explain"));
        assertEquals(List.of(), asked, "nothing was asked of the service");
        predict("process", "?explain=true").statusCode(409).contentType(PROBLEM)
                .body("detail", org.hamcrest.Matchers.containsString("Gaussian process"));
        predict("process", "").statusCode(200);
    }

    @Test
    void aModelCarriesItsPermutationImportance() {
        given().get("/api/v1/models/m1").then().statusCode(200)
                .body("permutationImportance.metric", is("mae"))
                .body("permutationImportance.folds", is(5))
                .body("permutationImportance.features[0].plainName", is("mean electronegativity"))
                .body("permutationImportance.features[0].mean", is(0.31f))
                .body("permutationImportance.features[0].std", is(0.02f))
                .body("permutationImportance.byProperty[0].name", is("electronegativity"));
        given().get("/api/v1/models/old").then().statusCode(200).body("permutationImportance", nullValue());
    }
}
