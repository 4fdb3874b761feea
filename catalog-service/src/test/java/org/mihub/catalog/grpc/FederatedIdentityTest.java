package org.mihub.catalog.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mihub.api.catalog.v1.CreateDatasetRequest;
import org.mihub.api.catalog.v1.GetDatasetRequest;
import org.mihub.api.catalog.v1.ListDatasetsRequest;
import org.mihub.api.common.v1.PageRequest;
import org.mihub.api.common.v1.ServiceInfoGrpc;
import org.mihub.api.common.v1.Visibility;
import org.mihub.api.common.v1.WhoAmIRequest;
import org.mihub.api.common.v1.WhoAmIResponse;
import org.mihub.common.testing.PostgresResource;
import org.mihub.common.testing.SecondIssuerResource;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;
import io.vertx.core.json.JsonObject;

/**
 * Identity across institutions at node acme: tokens of its own realm (the OIDC test server, tenant
 * {@code Default}, trusted for acme only) and of a consortium realm with its own key (tenant
 * {@code consortium}, trusted for every other organisation), each fully verified against its own
 * issuer's keys. A token whose issuer may not assert its organisation is refused on gRPC and REST with
 * a message naming both; a node's service account (role {@code federation}) reads no data.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(value = SecondIssuerResource.class, initArgs = {
    @ResourceArg(name = "mihub.auth.trust.\"Default\"", value = "acme"),
    @ResourceArg(name = "mihub.auth.trust.consortium", value = "*") })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FederatedIdentityTest {

    private static final String LOCAL_ISSUER = "https://server.example.com";

    private final ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", 18081).usePlaintext()
            .build();
    private final CatalogClient catalog = new CatalogClient();
    private String consortiumDataset;
    private String publicDataset;

    private static String consortiumIssuer() {
        return ConfigProvider.getConfig().getValue("quarkus.oidc.consortium.auth-server-url", String.class);
    }

    /** A token of the node's own realm (the OIDC test server's key and issuer). */
    private static String local(String subject, String org, String... roles) {
        return CatalogClient.token(subject, org, roles);
    }

    /** A token of the consortium realm: its issuer, signed with its key. */
    private static String consortium(String subject, String org, String... roles) {
        return signedByConsortium(consortiumIssuer(), subject, org, roles);
    }

    private static String signedByConsortium(String issuer, String subject, String org, String... roles) {
        return Jwt.subject(subject).preferredUserName(subject).claim("org", org)
                .claim("realm_access", Map.of("roles", List.of(roles))).claim("azp", "mihub-portal")
                .issuer(issuer).audience("mihub").expiresAt(Instant.now().plusSeconds(600))
                .jws().keyId(SecondIssuerResource.KEY_ID).sign(SecondIssuerResource.privateKey());
    }

    @BeforeAll
    void createDatasets() {
        String alice = local("alice", "acme", "member", "contributor", "curator");
        consortiumDataset = catalog.as(alice).createDataset(CreateDatasetRequest.newBuilder()
                .setTitle("federated consortium").setLicence("CC-BY-4.0").setVisibility(Visibility.CONSORTIUM).build())
                .getId();
        publicDataset = catalog.as(alice).createDataset(CreateDatasetRequest.newBuilder()
                .setTitle("federated public").setLicence("CC-BY-4.0").setVisibility(Visibility.PUBLIC).build())
                .getId();
    }

    @AfterAll
    void close() throws Exception {
        channel.shutdownNow();
        catalog.close();
    }

    private WhoAmIResponse whoAmI(String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return ServiceInfoGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(
                headers)).whoAmI(WhoAmIRequest.getDefaultInstance());
    }

    private Status refused(String token) {
        return assertThrows(StatusRuntimeException.class, () -> whoAmI(token)).getStatus();
    }

    /** A plain HTTP/1.1 request to the service's REST side (its liveness), with the token. */
    private static HttpResponse<String> rest(String token) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:18081/q/health/live"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTokenOfTheLocalRealmForTheLocalOrganisationIsAccepted() throws Exception {
        String dave = local("dave", "acme", "member");
        for (int call = 0; call < 2; call++) { // the second answer comes from the verified-token cache
            var reply = whoAmI(dave);
            assertEquals("acme", reply.getCaller().getOrg());
            assertEquals("dave", reply.getCaller().getSubject());
        }
        assertEquals(200, rest(dave).statusCode());
    }

    @Test
    void aConsortiumTokenForAnotherOrganisationIsAccepted() {
        String bob = consortium("bob", "kansai-u", "member", "contributor");
        for (int call = 0; call < 2; call++) {
            var reply = whoAmI(bob);
            assertEquals("kansai-u", reply.getCaller().getOrg());
            assertEquals(List.of("contributor", "member"), reply.getCaller().getRolesList());
        }
        // it reads what any member organisation reads
        assertEquals(consortiumDataset, catalog.as(bob).getDataset(GetDatasetRequest.newBuilder()
                .setId(consortiumDataset).build()).getId());
    }

    @Test
    void aConsortiumTokenClaimingTheLocalOrganisationIsRefused() throws Exception {
        String forged = consortium("mallory", "acme", "member", "admin");
        String expected = "issuer " + consortiumIssuer() + " may not assert organisation acme at this node";
        for (int call = 0; call < 2; call++) { // never remembered as verified
            Status status = refused(forged);
            assertEquals(Status.Code.UNAUTHENTICATED, status.getCode(), status.toString());
            assertEquals(expected, status.getDescription());
        }
        var response = rest(forged);
        assertEquals(401, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        var problem = new JsonObject(response.body());
        assertEquals(401, problem.getInteger("status"));
        assertEquals(expected, problem.getString("detail"));
        // the catalog's own calls refuse it as well
        var denied = assertThrows(StatusRuntimeException.class, () -> catalog.as(forged).getDataset(
                GetDatasetRequest.newBuilder().setId(consortiumDataset).build()));
        assertEquals(Status.Code.UNAUTHENTICATED, denied.getStatus().getCode());
    }

    @Test
    void theLocalRealmMayNotAssertAnotherOrganisation() {
        Status status = refused(local("bob", "kansai-u", "member"));
        assertEquals(Status.Code.UNAUTHENTICATED, status.getCode());
        assertEquals("issuer " + LOCAL_ISSUER + " may not assert organisation kansai-u at this node",
                status.getDescription());
    }

    @Test
    void aTokenOfAnUnknownIssuerIsRefused() {
        // the consortium's key, but an issuer this node has no tenant for: verified against the default tenant, and fails
        Status unknown = refused(signedByConsortium("http://127.0.0.1:1/realms/elsewhere", "eve", "kansai-u",
                "member"));
        assertEquals(Status.Code.UNAUTHENTICATED, unknown.getCode());
        assertEquals("the access token is not valid (signature, issuer, audience or lifetime)", unknown.getDescription());
        // the consortium's issuer but not its key (signed by the local realm's): refused by the consortium tenant
        String wrongKey = Jwt.subject("eve").claim("org", "kansai-u")
                .claim("realm_access", Map.of("roles", List.of("member"))).issuer(consortiumIssuer())
                .audience("mihub").expiresAt(Instant.now().plusSeconds(600)).sign();
        Status forged = refused(wrongKey);
        assertEquals(Status.Code.UNAUTHENTICATED, forged.getCode());
        assertEquals("the access token is not valid (signature, issuer, audience or lifetime)", forged.getDescription());
    }

    @Test
    void aFederationServiceAccountReadsNoConsortiumData() {
        String node = consortium("service-account-mihub-node-kansai-u", "kansai-u", "federation");
        assertEquals("kansai-u", whoAmI(node).getCaller().getOrg());
        var hidden = assertThrows(StatusRuntimeException.class, () -> catalog.as(node).getDataset(
                GetDatasetRequest.newBuilder().setId(consortiumDataset).build()));
        assertEquals(Status.Code.NOT_FOUND, hidden.getStatus().getCode(), hidden.getStatus().toString());
        Set<String> listed = catalog.as(node).listDatasets(ListDatasetsRequest.newBuilder()
                .setPage(PageRequest.newBuilder().setPageSize(100)).build()).getDatasetsList().stream()
                .map(dataset -> dataset.getVisibility().name()).collect(Collectors.toSet());
        assertEquals(Set.of("PUBLIC"), listed, "a federation-only caller lists PUBLIC datasets only");
        // like anyone, it reads PUBLIC data
        assertEquals(publicDataset, catalog.as(node).getDataset(GetDatasetRequest.newBuilder().setId(publicDataset)
                .build()).getId());
    }
}
