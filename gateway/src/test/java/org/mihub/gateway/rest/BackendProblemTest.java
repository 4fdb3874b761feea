package org.mihub.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mihub.api.catalog.v1.CatalogServiceGrpc;
import org.mihub.api.catalog.v1.Dataset;
import org.mihub.api.catalog.v1.DeleteDatasetRequest;
import org.mihub.api.catalog.v1.DeleteDatasetResponse;
import org.mihub.api.catalog.v1.GetDatasetRequest;
import org.mihub.api.catalog.v1.IngestRecordsRequest;
import org.mihub.api.catalog.v1.IngestRecordsResponse;
import org.mihub.api.catalog.v1.IngestRejected;
import org.mihub.api.catalog.v1.QueryStructuresRequest;
import org.mihub.api.catalog.v1.QueryStructuresResponse;
import org.mihub.api.catalog.v1.RejectionCode;
import org.mihub.api.catalog.v1.RowRejection;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;

/**
 * What a backend's refusal or failure becomes at the gateway, against a stand-in catalog on its test
 * port that answers as told: field violations and rejected rows in problem+json, no internals on a
 * 5xx, {@code Retry-After} on a 503, the OPTIMADE error document naming the parameter; and an upload
 * reaches the catalog in chunks as it is read, not as one message.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendProblemTest {

    private static final String PROBLEM = "application/problem+json";

    private final AtomicInteger chunks = new AtomicInteger();
    private final AtomicInteger bytes = new AtomicInteger();
    private Server catalog;

    private static StatusRuntimeException invalid(String message, com.google.protobuf.Message... details) {
        var status = com.google.rpc.Status.newBuilder().setCode(Code.INVALID_ARGUMENT_VALUE).setMessage(message);
        for (var detail : details) {
            status.addDetails(Any.pack(detail));
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }

    private static BadRequest violation(String field, String description) {
        return BadRequest.newBuilder().addFieldViolations(BadRequest.FieldViolation.newBuilder().setField(field)
                .setDescription(description)).build();
    }

    @BeforeAll
    void standIn() throws IOException {
        catalog = ServerBuilder.forPort(18081).addService(new CatalogServiceGrpc.CatalogServiceImplBase() {
            @Override
            public void getDataset(GetDatasetRequest request, StreamObserver<Dataset> response) {
                switch (request.getId()) {
                    case "bad" -> response.onError(invalid("id 'bad' is not a UUID", violation("id", "not a UUID")));
                    case "broken" -> response.onError(Status.INTERNAL
                            .withDescription("java.lang.NullPointerException at org.mihub.catalog.Secret")
                            .asRuntimeException());
                    case "gone" -> response.onError(Status.NOT_FOUND.withDescription("no dataset gone")
                            .asRuntimeException());
                    default -> {
                        response.onNext(Dataset.newBuilder().setId(request.getId()).setTitle("t").build());
                        response.onCompleted();
                    }
                }
            }

            @Override
            public void deleteDataset(DeleteDatasetRequest request, StreamObserver<DeleteDatasetResponse> response) {
                response.onError(Status.UNAVAILABLE.withDescription("connection refused by 10.0.0.7:5432")
                        .asRuntimeException());
            }

            @Override
            public StreamObserver<IngestRecordsRequest> ingestRecords(StreamObserver<IngestRecordsResponse> response) {
                return new StreamObserver<>() {
                    @Override
                    public void onNext(IngestRecordsRequest message) {
                        if (message.hasChunk()) {
                            chunks.incrementAndGet();
                            bytes.addAndGet(message.getChunk().size());
                        }
                    }

                    @Override
                    public void onError(Throwable failure) {
                    }

                    @Override
                    public void onCompleted() {
                        response.onError(invalid("1 of 2 rows rejected; nothing was written",
                                IngestRejected.newBuilder().setRowsReceived(2).setRowsRejected(1)
                                        .addRejections(RowRejection.newBuilder().setRow(2).setLine(3)
                                                .setColumn("formula").setCode(RejectionCode.REJECTION_CODE_BAD_FORMULA)
                                                .setReason("unknown element 'Xx' at position 2").setValue("FeXx")
                                                .setPosition(2))
                                        .build()));
                    }
                };
            }

            @Override
            public void queryStructures(QueryStructuresRequest request, StreamObserver<QueryStructuresResponse> response) {
                if (request.getFilter().startsWith("lattice_vectors")) {
                    response.onError(Status.UNIMPLEMENTED.withDescription("lattice_vectors cannot be filtered")
                            .asRuntimeException());
                } else {
                    response.onError(invalid("filter: unexpected 'AND' at position 0",
                            violation("filter", "unexpected 'AND' at position 0")));
                }
            }
        }).build().start();
    }

    /** Earlier tests of this application ran without a catalog and may have opened its breaker. */
    @BeforeEach
    void reachable() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (given().get("/api/v1/datasets/ok").statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the gateway does not reach the stand-in catalog");
            }
            Thread.sleep(200);
        }
    }

    @AfterAll
    void stop() {
        catalog.shutdownNow();
    }

    private static String token() {
        return Jwt.subject("user-1").preferredUserName("alice").claim("org", "acme")
                .claim("realm_access", Map.of("roles", List.of("member", "contributor", "curator")))
                .issuer("https://server.example.com").audience("mihub").expiresAt(Instant.now().plusSeconds(300))
                .sign();
    }

    @Test
    void aRefusalKeepsItsMessageAndItsFieldViolations() {
        given().get("/api/v1/datasets/bad").then().statusCode(400).contentType(PROBLEM)
                .body("title", is("Bad Request")).body("status", is(400))
                .body("detail", is("id 'bad' is not a UUID"))
                .body("errors[0].field", is("id")).body("errors[0].reason", is("not a UUID"))
                .body("$", not(hasKey("rejections")));
        given().get("/api/v1/datasets/gone").then().statusCode(404).contentType(PROBLEM)
                .body("detail", is("no dataset gone")).body("$", not(hasKey("errors")));
    }

    @Test
    void aBrokenBackendShowsNoInternals() {
        String body = given().get("/api/v1/datasets/broken").then().statusCode(500).contentType(PROBLEM)
                .body("title", is("Internal Server Error")).body("detail", is("Internal Server Error"))
                .extract().asString();
        assertTrue(!body.contains("NullPointer") && !body.contains("Secret"), body);
    }

    @Test
    void anUnreachableBackendIs503WithRetryAfterAndNoAddress() {
        String body = given().auth().oauth2(token()).delete("/api/v1/datasets/any").then().statusCode(503)
                .contentType(PROBLEM).header("Retry-After", "5").body("detail", is("Service Unavailable"))
                .extract().asString();
        assertTrue(!body.contains("10.0.0.7"), body);
    }

    @Test
    void aRejectedUploadListsEveryRowAndWasStreamedInChunks() {
        StringBuilder csv = new StringBuilder("formula,band_gap [eV]\n");
        while (csv.length() < 200_000) {
            csv.append("Fe2O3,2.1\n");
        }
        int sent = csv.toString().getBytes(StandardCharsets.UTF_8).length;
        given().auth().oauth2(token()).contentType("text/csv").body(csv.toString())
                .post("/api/v1/datasets/d1/records").then().statusCode(400).contentType(PROBLEM)
                .body("detail", is("1 of 2 rows rejected; nothing was written"))
                .body("rowsReceived", is(2)).body("rowsRejected", is(1)).body("truncated", is(false))
                .body("rejections[0].row", is(2)).body("rejections[0].line", is(3))
                .body("rejections[0].column", is("formula")).body("rejections[0].code", is("bad_formula"))
                .body("rejections[0].reason", is("unknown element 'Xx' at position 2"))
                .body("rejections[0].value", is("FeXx")).body("rejections[0].position", is(2))
                .body("errors", nullValue());
        assertEquals(sent, bytes.get(), "the whole body reached the catalog");
        assertTrue(chunks.get() >= 3, "in chunks of 64 KiB, not one message: " + chunks.get());
    }

    @Test
    void optimadeNamesTheParameterAndKeepsTheMessageOfA501() {
        given().get("/optimade/v1/structures?filter=AND").then().statusCode(400)
                .contentType("application/vnd.api+json")
                .body("errors[0].status", is("400")).body("errors[0].title", is("Bad Request"))
                .body("errors[0].detail", is("filter: unexpected 'AND' at position 0"))
                .body("errors[0].source.parameter", is("filter"));
        given().get("/optimade/v1/structures?filter=lattice_vectors IS KNOWN").then().statusCode(501)
                .body("errors[0].title", is("Not Implemented"))
                .body("errors[0].detail", is("lattice_vectors cannot be filtered"));
    }
}
