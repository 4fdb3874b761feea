package org.mihub.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
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
import org.mihub.api.catalog.v1.CreatePropertyRequest;
import org.mihub.api.catalog.v1.CreatePropertyResponse;
import org.mihub.api.catalog.v1.DeprecatePropertyRequest;
import org.mihub.api.catalog.v1.GetPropertyRequest;
import org.mihub.api.catalog.v1.PropertyDefinition;
import org.mihub.api.catalog.v1.PropertyValueType;
import org.mihub.api.catalog.v1.UpdatePropertyRequest;

import com.google.protobuf.Message;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;

/**
 * The vocabulary's REST operations against a stand-in catalog: what JSON each sends, the 201/200 of a
 * create, the 409 carrying the existing definition, the fields a PATCH may never change refused by
 * name before the catalog is asked, and a deprecation through PATCH.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PropertyResourceTest {

    private static final PropertyDefinition TC = PropertyDefinition.newBuilder().setName("tc").setDisplayName("Tc")
            .setValueType(PropertyValueType.PROPERTY_VALUE_TYPE_NUMERIC).setCanonicalUnit("K")
            .setQuantityKind("temperature").setMinimum(0).setAddedBy("alice").setAddedByOrg("acme").setVersion(1)
            .build();
    private static final PropertyDefinition PHASE = PropertyDefinition.newBuilder().setName("phase")
            .setDisplayName("Phase").setValueType(PropertyValueType.PROPERTY_VALUE_TYPE_CATEGORICAL)
            .addAllLabels(List.of("fcc", "bcc")).setVersion(3).build();

    private final List<Message> asked = new CopyOnWriteArrayList<>();
    private Server catalog;

    @BeforeAll
    void standIn() throws IOException {
        catalog = ServerBuilder.forPort(18081).addService(new CatalogServiceGrpc.CatalogServiceImplBase() {
            @Override
            public void getProperty(GetPropertyRequest request, StreamObserver<PropertyDefinition> response) {
                switch (request.getName()) {
                    case "tc" -> reply(response, TC);
                    case "phase" -> reply(response, PHASE);
                    default -> response.onError(Status.NOT_FOUND.withDescription("property '" + request.getName()
                            + "' is not in the vocabulary").asRuntimeException());
                }
            }

            @Override
            public void createProperty(CreatePropertyRequest request, StreamObserver<CreatePropertyResponse> response) {
                asked.add(request);
                var property = request.getProperty();
                if (property.getName().equals("tc") && !property.getCanonicalUnit().equals("K")) {
                    response.onError(Status.ALREADY_EXISTS.withDescription("property 'tc' exists as numeric in K "
                            + "(temperature)").asRuntimeException());
                    return;
                }
                reply(response, CreatePropertyResponse.newBuilder().setProperty(property.toBuilder().setVersion(1))
                        .setCreated(!property.getName().equals("tc")).build());
            }

            @Override
            public void updateProperty(UpdatePropertyRequest request, StreamObserver<PropertyDefinition> response) {
                asked.add(request);
                reply(response, PHASE.toBuilder().addAllLabels(request.getAddLabelsList()).build());
            }

            @Override
            public void deprecateProperty(DeprecatePropertyRequest request, StreamObserver<PropertyDefinition> response) {
                asked.add(request);
                reply(response, PHASE.toBuilder().setDeprecated(true).setDeprecationReason(request.getReason()).build());
            }
        }).build().start();
    }

    private static <T> void reply(StreamObserver<T> response, T value) {
        response.onNext(value);
        response.onCompleted();
    }

    /** Earlier tests of this application ran without the catalog and may have opened its breaker. */
    @BeforeEach
    void reachable() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (given().get("/api/v1/properties/tc").statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the gateway does not reach the stand-in");
            }
            Thread.sleep(200);
        }
        asked.clear();
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
    void aPropertyReadsWithItsTypeUnitOrLabels() {
        given().get("/api/v1/properties/tc").then().statusCode(200).body("valueType", is("numeric"))
                .body("canonicalUnit", is("K")).body("minimum", is(0.0f)).body("labels", nullValue())
                .body("addedByOrg", is("acme"));
        given().get("/api/v1/properties/phase").then().statusCode(200).body("valueType", is("categorical"))
                .body("labels", is(List.of("fcc", "bcc"))).body("canonicalUnit", nullValue());
        given().get("/api/v1/properties/tcc").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aCreateIs201ForANewPropertyAnd200ForTheSameOne() {
        given().auth().oauth2(token()).contentType("application/json").body("""
                {"name": "is_metal", "displayName": "Metal", "valueType": "boolean"}""")
                .post("/api/v1/properties").then().statusCode(201)
                .header("Location", containsString("/api/v1/properties/is_metal")).body("valueType", is("boolean"));
        var sent = (CreatePropertyRequest) asked.get(0);
        assertEquals(PropertyValueType.PROPERTY_VALUE_TYPE_BOOLEAN, sent.getProperty().getValueType());
        given().auth().oauth2(token()).contentType("application/json").body("""
                {"name": "tc", "displayName": "Tc", "canonicalUnit": "K", "quantityKind": "temperature"}""")
                .post("/api/v1/properties").then().statusCode(200).body("name", is("tc"));
    }

    @Test
    void aNameTakenWithAnotherUnitIs409WithTheExistingDefinition() {
        given().auth().oauth2(token()).contentType("application/json").body("""
                {"name": "tc", "displayName": "Tc", "canonicalUnit": "Cel", "quantityKind": "temperature"}""")
                .post("/api/v1/properties").then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("numeric in K")).body("existing.canonicalUnit", is("K"))
                .body("existing.addedBy", is("alice"));
    }

    @Test
    void aBadValueTypeOrAFieldThatNeverChangesIsRefusedByName() {
        given().auth().oauth2(token()).contentType("application/json").body("""
                {"name": "x", "displayName": "x", "valueType": "number"}""").post("/api/v1/properties").then()
                .statusCode(400).body("errors[0].field", is("valueType"));
        for (String field : List.of("canonicalUnit", "valueType", "quantityKind", "labels")) {
            String value = field.equals("labels") ? "[\"a\"]" : "\"x\"";
            given().auth().oauth2(token()).contentType("application/json").body("{\"" + field + "\": " + value + "}")
                    .patch("/api/v1/properties/phase").then().statusCode(400).body("errors[0].field", is(field));
        }
        given().auth().oauth2(token()).contentType("application/json").body("{\"deprecated\": false}")
                .patch("/api/v1/properties/phase").then().statusCode(400).body("errors[0].field", is("deprecated"));
        assertTrue(asked.isEmpty(), "refused before the catalog is asked: " + asked);
        given().contentType("application/json").body("{\"addLabels\": [\"hcp\"]}").patch("/api/v1/properties/phase")
                .then().statusCode(401);
    }

    @Test
    void aPatchAddsLabelsAndDeprecates() {
        given().auth().oauth2(token()).contentType("application/json").body("""
                {"addLabels": ["hcp"], "deprecated": true, "deprecationReason": "use crystal_phase"}""")
                .patch("/api/v1/properties/phase").then().statusCode(200).body("deprecated", is(true))
                .body("deprecationReason", is("use crystal_phase"));
        assertEquals(List.of("hcp"), ((UpdatePropertyRequest) asked.get(0)).getAddLabelsList());
        assertEquals("use crystal_phase", ((DeprecatePropertyRequest) asked.get(1)).getReason());
    }
}
