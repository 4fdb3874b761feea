package org.mihub.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mihub.api.common.v1.Visibility;
import org.mihub.api.federation.v1.CardProperty;
import org.mihub.api.federation.v1.DatasetCard;
import org.mihub.api.federation.v1.FederationDirectoryGrpc;
import org.mihub.api.federation.v1.ListCardsRequest;
import org.mihub.api.federation.v1.ListCardsResponse;
import org.mihub.api.federation.v1.ListNodesRequest;
import org.mihub.api.federation.v1.ListNodesResponse;
import org.mihub.api.federation.v1.Node;
import org.mihub.api.federation.v1.RegisterNodeRequest;
import org.mihub.api.federation.v1.RequestResyncRequest;
import org.mihub.api.federation.v1.ResyncRequested;
import org.mihub.api.common.v1.PageInfo;

import com.google.protobuf.Any;
import com.google.protobuf.Timestamp;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * The hub's gateway: the four federation paths against a stand-in directory on the catalog's test port:
 * the contract's JSON (upper-case visibilities, nulls kept), the query parameters passed on, 202 for a
 * resync, and the directory's refusals as problems naming the field.
 */
@QuarkusTest
@TestProfile(FederationHubResourceTest.Hub.class)
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FederationHubResourceTest {

    public static class Hub implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mihub.federation.hub", "true", "mihub.federation.node", "hub");
        }
    }

    private Server directory;
    private final AtomicReference<ListCardsRequest> asked = new AtomicReference<>();

    private static Timestamp at(long seconds) {
        return Timestamp.newBuilder().setSeconds(seconds).build();
    }

    @BeforeAll
    void standIn() throws IOException {
        directory = ServerBuilder.forPort(18081).addService(new FederationDirectoryGrpc.FederationDirectoryImplBase() {
            @Override
            public void listNodes(ListNodesRequest request, StreamObserver<ListNodesResponse> response) {
                response.onNext(ListNodesResponse.newBuilder().addNodes(Node.newBuilder().setNode("acme")
                        .addOrganisations("acme").setGatewayUrl("http://127.0.0.1:8200").setRegisteredAt(at(1_800_000_000)))
                        .build());
                response.onCompleted();
            }

            @Override
            public void registerNode(RegisterNodeRequest request, StreamObserver<Node> response) {
                if (request.getGatewayUrl().startsWith("ftp")) {
                    response.onError(StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                            .setCode(Code.INVALID_ARGUMENT_VALUE).setMessage("gateway_url: not an http(s) URL")
                            .addDetails(Any.pack(BadRequest.newBuilder().addFieldViolations(BadRequest.FieldViolation
                                    .newBuilder().setField("gateway_url").setDescription("not an http(s) URL")).build()))
                            .build()));
                    return;
                }
                response.onNext(Node.newBuilder().setNode(request.getNode()).addAllOrganisations(request.getOrganisationsList())
                        .setGatewayUrl(request.getGatewayUrl()).setRegisteredAt(at(1_800_000_000))
                        .setLastSeenAt(at(1_800_000_100)).build());
                response.onCompleted();
            }

            @Override
            public void requestResync(RequestResyncRequest request, StreamObserver<ResyncRequested> response) {
                if (!request.getNode().equals("acme")) {
                    response.onError(Status.NOT_FOUND.withDescription("node " + request.getNode() + " not found")
                            .asRuntimeException());
                    return;
                }
                response.onNext(ResyncRequested.newBuilder().setNode("acme").setRequestId("r-1")
                        .setRequestedAt(at(1_800_000_200)).build());
                response.onCompleted();
            }

            @Override
            public void listCards(ListCardsRequest request, StreamObserver<ListCardsResponse> response) {
                asked.set(request);
                response.onNext(ListCardsResponse.newBuilder().addCards(DatasetCard.newBuilder().setNode("acme")
                        .setDatasetId("3f0c2a6e-9b1d-4c57-8e2a-5d7f1b9c0a11").setVersion(3).setTitle("Oxides")
                        .setLicence("CC-BY-4.0").setOwnerOrg("acme").setVisibility(Visibility.SHARED)
                        .addSharedWith("kansai-u").setRowCount(120).addElements("Fe").addElements("O")
                        .addProperties(CardProperty.newBuilder().setName("band_gap").setUnit("eV").setCount(118)
                                .setMin(0.1).setMax(3.2))
                        .addProperties(CardProperty.newBuilder().setName("phase").setCount(4))
                        .setUpdatedAt(at(1_800_000_300)))
                        .setPageInfo(PageInfo.newBuilder().setNextPageToken("next")).build());
                response.onCompleted();
            }
        }).build().start();
    }

    @AfterAll
    void stop() {
        directory.shutdownNow();
    }

    @Test
    void theDirectoryAnswersInTheContractsShapes() {
        String member = FederationResourceTest.token("kansai-u", "member");
        given().auth().oauth2(member).get("/api/v1/federation/nodes").then().statusCode(200)
                .body("nodes[0].node", is("acme")).body("nodes[0].organisations", contains("acme"))
                .body("nodes[0].registeredAt", is("2027-01-15T08:00:00Z"));
        given().auth().oauth2(member).get("/api/v1/federation/cards?node=acme&owner=acme&q=oxide&limit=5&cursor=c1")
                .then().statusCode(200).body("cards[0].visibility", is("SHARED"))
                .body("cards[0].sharedWith", contains("kansai-u")).body("cards[0].doi", nullValue())
                .body("cards[0].properties[0].max", is(3.2f)).body("cards[0].properties[1].min", nullValue())
                .body("cards[0].properties[1].unit", nullValue()).body("cards[0].tombstone", is(false))
                .body("nextCursor", is("next"));
        ListCardsRequest request = asked.get();
        org.junit.jupiter.api.Assertions.assertEquals("acme", request.getNode());
        org.junit.jupiter.api.Assertions.assertEquals("oxide", request.getText());
        org.junit.jupiter.api.Assertions.assertEquals(5, request.getPage().getPageSize());
        org.junit.jupiter.api.Assertions.assertEquals("c1", request.getPage().getPageToken());
    }

    @Test
    void registrationResyncAndRefusals() {
        String admin = FederationResourceTest.token("hub", "member", "admin");
        given().auth().oauth2(admin).contentType("application/json")
                .body("{\"organisations\":[\"acme\"],\"gatewayUrl\":\"http://127.0.0.1:8200\"}")
                .put("/api/v1/federation/nodes/acme").then().statusCode(200).body("node", is("acme"))
                .body("lastSeenAt", is("2027-01-15T08:01:40Z"));
        given().auth().oauth2(admin).contentType("application/json")
                .body("{\"organisations\":[\"acme\"],\"gatewayUrl\":\"ftp://x\"}")
                .put("/api/v1/federation/nodes/acme").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(admin).post("/api/v1/federation/nodes/acme/resync").then().statusCode(202)
                .body("requestId", is("r-1"));
        given().auth().oauth2(admin).post("/api/v1/federation/nodes/nowhere/resync").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(admin).get("/api/v1/federation/cards?limit=0").then().statusCode(400);
    }
}
