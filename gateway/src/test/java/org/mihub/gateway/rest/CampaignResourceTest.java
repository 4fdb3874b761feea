package org.mihub.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mihub.api.common.v1.Job;
import org.mihub.api.common.v1.JobRef;
import org.mihub.api.common.v1.JobState;
import org.mihub.api.common.v1.Visibility;
import org.mihub.api.planning.v1.AcquisitionFunction;
import org.mihub.api.planning.v1.Campaign;
import org.mihub.api.planning.v1.CampaignStatus;
import org.mihub.api.planning.v1.CampaignView;
import org.mihub.api.planning.v1.CreateCampaignRequest;
import org.mihub.api.planning.v1.GetCampaignRequest;
import org.mihub.api.planning.v1.GetSimulationRequest;
import org.mihub.api.planning.v1.ObjectivePrediction;
import org.mihub.api.planning.v1.Candidate;
import org.mihub.api.planning.v1.Recommendation;
import org.mihub.api.planning.v1.GetRecommendationRequest;
import org.mihub.api.planning.v1.ListCampaignsRequest;
import org.mihub.api.planning.v1.ListCampaignsResponse;
import org.mihub.api.planning.v1.ListProposalsRequest;
import org.mihub.api.planning.v1.ListProposalsResponse;
import org.mihub.api.planning.v1.ObjectiveDirection;
import org.mihub.api.planning.v1.PlanningServiceGrpc;
import org.mihub.api.planning.v1.Proposal;
import org.mihub.api.planning.v1.ProposalState;
import org.mihub.api.planning.v1.ProposeBatchRequest;
import org.mihub.api.planning.v1.ProposeBatchResponse;
import org.mihub.api.planning.v1.ReportResultsRequest;
import org.mihub.api.planning.v1.ReportResultsResponse;
import org.mihub.api.planning.v1.Simulation;
import org.mihub.api.planning.v1.SimulationReport;
import org.mihub.api.planning.v1.StartSimulationRequest;
import org.mihub.api.planning.v1.UpdateCampaignStatusRequest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;

/**
 * The planning paths speak the REST API's one dialect (lower-case enums, 64-bit integers as
 * numbers) both ways, still take the old raw protobuf spelling with a Deprecation header, and refuse a
 * bad body naming the field before the planning service is asked. The planning service is a stand-in
 * on its test port that records what it was asked.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CampaignResourceTest {

    private static final String PROBLEM = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Timestamp CREATED = Timestamp.newBuilder().setSeconds(1_796_428_800L).build();

    private static final String NEW_SPELLING = """
            {"spec": {"name": "FeNi hardness",
              "objectives": [{"property": "hardness", "direction": "maximise", "unit": "GPa"}],
              "designSpace": {"parameters": [{"name": "passes", "integer": {"min": 1, "max": 6}}]},
              "constraints": [{"name": "limit", "linear": {"terms": [{"variable": {"element": "Ni"}, "coefficient": 1}],
                "relation": "less_equal", "rhs": 0.6}}],
              "acquisition": {"batchSize": 2, "function": "upper_confidence_bound"}, "seed": 7}}""";
    private static final String OLD_SPELLING = """
            {"spec": {"name": "FeNi hardness",
              "objectives": [{"property": "hardness", "direction": "OBJECTIVE_DIRECTION_MAXIMISE", "unit": "GPa"}],
              "designSpace": {"parameters": [{"name": "passes", "integer": {"min": "1", "max": "6"}}]},
              "constraints": [{"name": "limit", "linear": {"terms": [{"variable": {"element": "Ni"}, "coefficient": 1}],
                "relation": "CONSTRAINT_RELATION_LESS_EQUAL", "rhs": 0.6}}],
              "acquisition": {"batchSize": 2, "function": "ACQUISITION_FUNCTION_UPPER_CONFIDENCE_BOUND"}, "seed": "7"}}""";

    private final List<Message> asked = new CopyOnWriteArrayList<>();
    private Server planning;

    @BeforeAll
    void standIn() throws IOException {
        planning = ServerBuilder.forPort(18083).addService(new PlanningServiceGrpc.PlanningServiceImplBase() {
            @Override
            public void createCampaign(CreateCampaignRequest request, StreamObserver<Campaign> response) {
                answer(request, campaign("c-1").setSpec(request.getSpec()).build(), response);
            }

            @Override
            public void getCampaign(GetCampaignRequest request, StreamObserver<Campaign> response) {
                answer(request, campaign(request.getId()).addHistory(Proposal.newBuilder().setId("p-1")
                        .setState(ProposalState.PROPOSAL_STATE_PENDING)
                        .setAcquisitionFunction(AcquisitionFunction.ACQUISITION_FUNCTION_LOG_EXPECTED_IMPROVEMENT))
                        .build(), response);
            }

            @Override
            public void listCampaigns(ListCampaignsRequest request, StreamObserver<ListCampaignsResponse> response) {
                answer(request, ListCampaignsResponse.newBuilder().addCampaigns(campaign("c-1")).build(), response);
            }

            @Override
            public void updateCampaignStatus(UpdateCampaignStatusRequest request, StreamObserver<Campaign> response) {
                answer(request, campaign(request.getId()).setStatus(request.getStatus())
                        .setStatusReason(request.getReason()).build(), response);
            }

            @Override
            public void proposeBatch(ProposeBatchRequest request, StreamObserver<ProposeBatchResponse> response) {
                answer(request, ProposeBatchResponse.newBuilder().setCampaignId(request.getCampaignId())
                        .setCandidatesScored(5_000_000_000L).build(), response);
            }

            @Override
            public void reportResults(ReportResultsRequest request, StreamObserver<ReportResultsResponse> response) {
                answer(request, ReportResultsResponse.getDefaultInstance(), response);
            }

            @Override
            public void listProposals(ListProposalsRequest request, StreamObserver<ListProposalsResponse> response) {
                answer(request, ListProposalsResponse.getDefaultInstance(), response);
            }

            @Override
            public void startSimulation(StartSimulationRequest request, StreamObserver<Job> response) {
                answer(request, job("s-1").build(), response);
            }

            @Override
            public void getSimulation(GetSimulationRequest request, StreamObserver<Simulation> response) {
                answer(request, Simulation.newBuilder().setId(request.getId()).setJob(job(request.getId()))
                        .setReport(SimulationReport.newBuilder().setPoolSize(30)).setCreatedAt(CREATED).build(), response);
            }

            @Override
            public void getRecommendation(GetRecommendationRequest request, StreamObserver<Recommendation> response) {
                answer(request, Recommendation.newBuilder().setCampaignId(request.getCampaignId())
                        .setCandidate(Candidate.newBuilder().setId("k-7").setFormula("Fe3Ni"))
                        .setPrediction(ObjectivePrediction.newBuilder().setProperty("hardness").setMean(5.2).setStd(0.4)
                                .setUnit("GPa"))
                        .setIntervalLower(4.416).setIntervalUpper(5.984).setConstraintProbability(0.93)
                        .setMaxExpectedImprovement(0.01).setStopThreshold(request.getStopThreshold())
                        .setStop(request.hasStopThreshold() && 0.01 < request.getStopThreshold()).build(), response);
            }

            @Override
            public void getJob(JobRef request, StreamObserver<Job> response) {
                answer(request, job(request.getJobId()).build(), response);
            }
        }).build().start();
    }

    private <T> void answer(Message request, T answer, StreamObserver<T> response) {
        asked.add(request);
        response.onNext(answer);
        response.onCompleted();
    }

    private static Campaign.Builder campaign(String id) {
        return Campaign.newBuilder().setId(id).setOwnerOrg("acme").setStatus(CampaignStatus.CAMPAIGN_STATUS_ACTIVE)
                .setVisibility(Visibility.PRIVATE).setCreatedAt(CREATED);
    }

    private static Job.Builder job(String id) {
        return Job.newBuilder().setId(id).setKind("simulation").setState(JobState.RUNNING).setProgress(0.25)
                .setCreatedAt(CREATED).setUpdatedAt(CREATED);
    }

    @AfterAll
    void stop() {
        planning.shutdownNow();
    }

    /** Earlier tests of this application ran without backends and may have opened the planning breaker. */
    @BeforeEach
    void reachable() throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (given().auth().oauth2(token()).get("/api/v1/campaigns/c-0").statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the gateway does not reach the stand-in planning service");
            }
            Thread.sleep(200);
        }
        asked.clear();
    }

    private static String token() {
        return Jwt.subject("user-1").preferredUserName("alice").claim("org", "acme")
                .claim("realm_access", Map.of("roles", List.of("member", "contributor")))
                .issuer("https://server.example.com").audience("mihub").expiresAt(Instant.now().plusSeconds(300))
                .sign();
    }

    private static Response post(String path, String body) {
        return given().auth().oauth2(token()).contentType("application/json").body(body).post(path);
    }

    @Test
    void aCampaignIsCreatedAndAnsweredInTheDialect() throws Exception {
        Response created = post("/api/v1/campaigns", NEW_SPELLING);
        created.then().statusCode(201).header("Location", endsWith("/api/v1/campaigns/c-1")).header("Deprecation", nullValue())
                .body("status", is("active")).body("visibility", is("private"))
                .body("spec.objectives[0].direction", is("maximise"))
                .body("spec.constraints[0].linear.relation", is("less_equal"))
                .body("spec.acquisition.function", is("upper_confidence_bound"))
                .body("createdAt", is("2026-12-05T00:00:00Z"));
        JsonNode body = JSON.readTree(created.asString());
        assertTrue(body.at("/spec/seed").isIntegralNumber(), body.toString());
        assertTrue(body.at("/spec/designSpace/parameters/0/integer/max").isIntegralNumber(), body.toString());
        var request = (CreateCampaignRequest) asked.get(0);
        assertEquals(ObjectiveDirection.OBJECTIVE_DIRECTION_MAXIMISE, request.getSpec().getObjectives(0).getDirection());
        assertEquals(6, request.getSpec().getDesignSpace().getParameters(0).getInteger().getMax());
        assertEquals(7, request.getSpec().getSeed());
    }

    @Test
    void theOldSpellingIsStillAcceptedForOneReleaseAndSaysItIsDeprecated() {
        post("/api/v1/campaigns", NEW_SPELLING).then().statusCode(201);
        Response old = post("/api/v1/campaigns", OLD_SPELLING);
        old.then().statusCode(201).header("Deprecation", "true").body("spec.objectives[0].direction", is("maximise"));
        assertEquals(2, asked.size());
        assertEquals(asked.get(0), asked.get(1), "both spellings ask the planning service the same");
        post("/api/v1/campaigns/c-1/status", "{\"status\": \"CAMPAIGN_STATUS_PAUSED\", \"reason\": \"furnace\"}")
                .then().statusCode(200).header("Deprecation", "true").body("status", is("paused"));
    }

    @Test
    void aBadBodyIsRefusedNamingTheFieldAndThePlanningServiceIsNotAsked() {
        post("/api/v1/campaigns", NEW_SPELLING.replace("\"maximise\"", "\"up\"")).then().statusCode(400)
                .contentType(PROBLEM).body("errors[0].field", is("spec.objectives[0].direction"))
                .body("errors[0].reason", is("'up' is not maximise, minimise or target"));
        post("/api/v1/campaigns", "{\"spec\": {\"nmae\": \"x\"}}").then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", is("spec.nmae"));
        post("/api/v1/campaigns", "{\"spec\": {\"seed\": \"seven\"}}").then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", is("spec.seed"));
        post("/api/v1/campaigns/c-1/results", "{\"results\": {}}").then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", is("results"));
        post("/api/v1/campaigns", "{\"spec\": ").then().statusCode(400).contentType(PROBLEM);
        assertEquals(List.of(), asked);
    }

    @Test
    void filtersAreTheDialectsEnumNames() {
        given().auth().oauth2(token()).get("/api/v1/campaigns?status=Paused&owner=acme").then().statusCode(200)
                .body("campaigns[0].status", is("active"));
        assertEquals(CampaignStatus.CAMPAIGN_STATUS_PAUSED, ((ListCampaignsRequest) asked.get(0)).getStatus());
        given().auth().oauth2(token()).get("/api/v1/campaigns/c-2?view=summary").then().statusCode(200)
                .body("history[0].state", is("pending"))
                .body("history[0].acquisitionFunction", is("log_expected_improvement"));
        assertEquals(CampaignView.CAMPAIGN_VIEW_SUMMARY, ((GetCampaignRequest) asked.get(1)).getView());
        given().auth().oauth2(token()).get("/api/v1/campaigns/c-2/proposals?state=completed").then().statusCode(200);
        assertEquals(ProposalState.PROPOSAL_STATE_COMPLETED, ((ListProposalsRequest) asked.get(2)).getState());

        given().auth().oauth2(token()).get("/api/v1/campaigns?status=open").then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", is("status"))
                .body("errors[0].reason", is("'open' is not active, paused, completed or cancelled"));
        given().auth().oauth2(token()).get("/api/v1/campaigns/c-2?view=all").then().statusCode(400)
                .body("errors[0].field", is("view"));
        given().auth().oauth2(token()).get("/api/v1/campaigns/c-2/proposals?state=done").then().statusCode(400)
                .body("errors[0].field", is("state"));
        assertEquals(3, asked.size());
    }

    @Test
    void askingWithoutABodyUsesTheCampaignsDefaults() throws Exception {
        Response batch = given().auth().oauth2(token()).contentType("application/json").post("/api/v1/campaigns/c-3/proposals");
        batch.then().statusCode(200).body("campaignId", is("c-3"));
        assertEquals(5_000_000_000L, JSON.readTree(batch.asString()).get("candidatesScored").longValue());
        assertEquals(ProposeBatchRequest.newBuilder().setCampaignId("c-3").build(), asked.get(0));
    }

    @Test
    void aRecommendationCarriesTheDesignItsIntervalAndTheStopHintAndABadThresholdIs400() {
        given().auth().oauth2(token()).get("/api/v1/campaigns/c-4/recommendation?stopThreshold=0.05").then()
                .statusCode(200).body("campaignId", is("c-4")).body("candidate.formula", is("Fe3Ni"))
                .body("prediction.mean", is(5.2f)).body("intervalLower", is(4.416f))
                .body("constraintProbability", is(0.93f)).body("stop", is(true));
        assertEquals(GetRecommendationRequest.newBuilder().setCampaignId("c-4").setStopThreshold(0.05).build(),
                asked.get(0));
        given().auth().oauth2(token()).get("/api/v1/campaigns/c-4/recommendation?stopThreshold=-1").then()
                .statusCode(400).body("errors.field", hasItem("stopThreshold"));
        given().auth().oauth2(token()).get("/api/v1/campaigns/c-4/recommendation?stopThreshold=soon").then()
                .statusCode(400).body("errors.field", hasItem("stopThreshold"));
        assertEquals(1, asked.size(), "bad thresholds ask nothing");
    }

    @Test
    void aSimulationsJobReadsAsTheJobsPathWritesIt() throws Exception {
        post("/api/v1/simulations", ApiExamples.SIMULATION).then().statusCode(202)
                .header("Location", endsWith("/api/v1/simulations/s-1")).body("state", is("running"));
        JsonNode simulation = JSON.readTree(given().auth().oauth2(token()).get("/api/v1/simulations/s-1?runs=true")
                .then().statusCode(200).extract().asString());
        assertTrue(((GetSimulationRequest) asked.get(1)).getIncludeRuns());
        assertEquals(30, simulation.at("/report/poolSize").asInt());
        assertTrue(simulation.at("/report/poolSize").isIntegralNumber(), "int64 as a number: " + simulation);
        JsonNode embedded = simulation.get("job");
        JsonNode job = JSON.readTree(given().auth().oauth2(token()).get("/api/v1/jobs/s-1").then().statusCode(200)
                .extract().asString());
        // the same fields with the same values: a running job has no resultId in either
        assertEquals(names(job), names(embedded));
        assertFalse(job.has("resultId"), job.toString());
        for (String field : names(job)) {
            assertEquals(job.get(field), embedded.get(field), field);
        }
        assertEquals("running", job.get("state").asText());
    }

    @Test
    void everyPlanningExampleOfTheApiDocumentationIsAccepted() {
        post("/api/v1/campaigns", ApiExamples.CREATE_CAMPAIGN).then().statusCode(201).header("Deprecation", nullValue());
        post("/api/v1/campaigns/c-1/status", ApiExamples.CAMPAIGN_STATUS).then().statusCode(200)
                .header("Deprecation", nullValue()).body("status", is("paused"));
        post("/api/v1/campaigns/c-1/proposals", ApiExamples.PROPOSE).then().statusCode(200);
        post("/api/v1/campaigns/c-1/results", ApiExamples.RESULTS).then().statusCode(200);
        post("/api/v1/simulations", ApiExamples.SIMULATION).then().statusCode(202).header("Deprecation", nullValue());
        assertEquals(5, asked.size());
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
