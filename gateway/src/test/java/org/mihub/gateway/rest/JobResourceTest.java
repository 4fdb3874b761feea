package org.mihub.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mihub.api.common.v1.Job;
import org.mihub.api.common.v1.JobRef;
import org.mihub.api.common.v1.JobState;
import org.mihub.api.planning.v1.PlanningServiceGrpc;
import org.mihub.api.prediction.v1.PredictionServiceGrpc;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;

/**
 * DELETE /api/v1/jobs/{id} cancels a job in whichever service runs it (training in prediction,
 * simulations in planning), as does the older POST .../cancel; an id neither service shows the
 * caller is 404. The two services are stand-ins on their test ports that know one job each.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobResourceTest {

    private static final String PROBLEM = "application/problem+json";

    /** The jobs one service knows, and the ids it was asked about. */
    static final class Jobs {
        final Map<String, Job> known = new ConcurrentHashMap<>();
        final List<String> asked = new CopyOnWriteArrayList<>();

        void answer(JobRef ref, boolean cancel, StreamObserver<Job> response) {
            asked.add(ref.getJobId());
            Job job = known.get(ref.getJobId());
            if (job == null) {
                response.onError(Status.NOT_FOUND.withDescription("job " + ref.getJobId() + " not found")
                        .asRuntimeException());
                return;
            }
            if (cancel) {
                job = job.toBuilder().setState(JobState.CANCELLED).setMessage("cancelled by user-1").build();
                known.put(job.getId(), job);
            }
            response.onNext(job);
            response.onCompleted();
        }
    }

    private final Jobs training = new Jobs();
    private final Jobs simulations = new Jobs();
    private final String trainingId = UUID.randomUUID().toString();
    private final String simulationId = UUID.randomUUID().toString();
    private Server prediction;
    private Server planning;

    @BeforeAll
    void standIns() throws IOException {
        prediction = ServerBuilder.forPort(18082).addService(new PredictionServiceGrpc.PredictionServiceImplBase() {
            @Override
            public void getJob(JobRef request, StreamObserver<Job> response) {
                training.answer(request, false, response);
            }

            @Override
            public void cancelJob(JobRef request, StreamObserver<Job> response) {
                training.answer(request, true, response);
            }
        }).build().start();
        planning = ServerBuilder.forPort(18083).addService(new PlanningServiceGrpc.PlanningServiceImplBase() {
            @Override
            public void getJob(JobRef request, StreamObserver<Job> response) {
                simulations.answer(request, false, response);
            }

            @Override
            public void cancelJob(JobRef request, StreamObserver<Job> response) {
                simulations.answer(request, true, response);
            }
        }).build().start();
    }

    @AfterAll
    void stop() {
        prediction.shutdownNow();
        planning.shutdownNow();
    }

    @BeforeEach
    void runningJobs() throws InterruptedException {
        training.known.put(trainingId, Job.newBuilder().setId(trainingId).setKind("train-model")
                .setState(JobState.RUNNING).setProgress(0.4).setMessage("fold 2 of 5 done").build());
        simulations.known.put(simulationId, Job.newBuilder().setId(simulationId).setKind("simulation")
                .setState(JobState.RUNNING).setProgress(0.1).setMessage("5 of 50 runs done").build());
        reachable(trainingId);
        reachable(simulationId);
        training.asked.clear();
        simulations.asked.clear();
    }

    /**
     * Waits until the gateway reaches the stand-ins: earlier tests of this application ran without
     * backends and may have opened the breakers, which let trial calls through after a few seconds.
     */
    private static void reachable(String id) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (given().auth().oauth2(token()).get("/api/v1/jobs/" + id).statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the gateway does not reach the stand-in services");
            }
            Thread.sleep(200);
        }
    }

    private static String token() {
        return Jwt.subject("user-1").preferredUserName("alice").claim("org", "acme")
                .claim("realm_access", Map.of("roles", List.of("member", "contributor")))
                .issuer("https://server.example.com").audience("mihub").expiresAt(Instant.now().plusSeconds(300))
                .sign();
    }

    @Test
    void deleteCancelsATrainingJobInThePredictionService() {
        given().auth().oauth2(token()).delete("/api/v1/jobs/" + trainingId).then().statusCode(200)
                .body("id", is(trainingId)).body("kind", is("train-model")).body("state", is("cancelled"))
                .body("progress", is(0.4f)).body("message", is("cancelled by user-1"));
        assertEquals(List.of(), simulations.asked, "the planning service is not asked about a training job");
    }

    @Test
    void deleteCancelsASimulationInThePlanningService() {
        given().auth().oauth2(token()).delete("/api/v1/jobs/" + simulationId).then().statusCode(200)
                .body("id", is(simulationId)).body("kind", is("simulation")).body("state", is("cancelled"));
        assertEquals(List.of(simulationId), training.asked);
        assertEquals(JobState.CANCELLED, simulations.known.get(simulationId).getState());
        given().auth().oauth2(token()).get("/api/v1/jobs/" + simulationId).then().statusCode(200)
                .body("state", is("cancelled"));
    }

    @Test
    void theOldCancelPathCancelsEitherKind() {
        given().auth().oauth2(token()).post("/api/v1/jobs/" + trainingId + "/cancel").then().statusCode(200)
                .body("state", is("cancelled"));
        given().auth().oauth2(token()).post("/api/v1/jobs/" + simulationId + "/cancel").then().statusCode(200)
                .body("kind", is("simulation")).body("state", is("cancelled"));
    }

    @Test
    void aJobNeitherServiceShowsTheCallerIsNotFound() {
        String unknown = UUID.randomUUID().toString();
        given().auth().oauth2(token()).delete("/api/v1/jobs/" + unknown).then().statusCode(404).contentType(PROBLEM)
                .body("status", is(404));
        assertEquals(List.of(unknown), training.asked);
        assertEquals(List.of(unknown), simulations.asked);
        given().delete("/api/v1/jobs/" + trainingId).then().statusCode(401);
        assertEquals(JobState.RUNNING, training.known.get(trainingId).getState(), "an anonymous call cancels nothing");
    }
}
