package org.mihub.catalog.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mihub.api.common.v1.GetStatusRequest;
import org.mihub.api.common.v1.ServiceInfoGrpc;
import org.mihub.api.common.v1.WhoAmIRequest;
import org.mihub.common.testing.PostgresResource;

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

/** The catalog validates tokens itself and sees the caller's org and roles; a real PostgreSQL backs readiness. */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
@WithTestResource(OidcWiremockTestResource.class)
class ServiceInfoGrpcServiceTest {

    private ManagedChannel channel;

    @BeforeEach
    void open() {
        channel = ManagedChannelBuilder.forAddress("localhost", 18081).usePlaintext().build();
    }

    @AfterEach
    void close() {
        channel.shutdownNow();
    }

    private ServiceInfoGrpc.ServiceInfoBlockingStub stub(String token) {
        var stub = ServiceInfoGrpc.newBlockingStub(channel);
        if (token == null) {
            return stub;
        }
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static String token(String org, Instant expiresAt) {
        var builder = Jwt.subject("user-1").preferredUserName("alice")
                .claim("realm_access", Map.of("roles", List.of("member", "contributor")))
                .issuer("https://server.example.com").audience("mihub").expiresAt(expiresAt);
        if (org != null) {
            builder.claim("org", org);
        }
        return builder.sign();
    }

    @Test
    void whoAmIReportsTheCallerFromTheToken() {
        var reply = stub(token("acme", Instant.now().plusSeconds(300))).whoAmI(WhoAmIRequest.getDefaultInstance());
        assertEquals("catalog-service", reply.getService());
        assertEquals("acme", reply.getCaller().getOrg());
        assertEquals("user-1", reply.getCaller().getSubject());
        assertEquals("alice", reply.getCaller().getUsername());
        assertEquals(List.of("contributor", "member"), reply.getCaller().getRolesList());
    }

    @Test
    void callsWithoutAValidTokenAreRefused() {
        var noToken = assertThrows(StatusRuntimeException.class,
                () -> stub(null).whoAmI(WhoAmIRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, noToken.getStatus().getCode(), noToken.getStatus().toString());

        var expired = assertThrows(StatusRuntimeException.class,
                () -> stub(token("acme", Instant.now().minusSeconds(600))).whoAmI(WhoAmIRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, expired.getStatus().getCode());

        var noOrg = assertThrows(StatusRuntimeException.class,
                () -> stub(token(null, Instant.now().plusSeconds(300))).whoAmI(WhoAmIRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, noOrg.getStatus().getCode());
    }

    @Test
    void statusIncludesTheDatabase() {
        var status = stub(token("hub", Instant.now().plusSeconds(300))).getStatus(GetStatusRequest.getDefaultInstance());
        assertTrue(status.getReady(), status.toString());
        assertTrue(status.getChecksList().stream().anyMatch(check -> check.getName().toLowerCase().contains("database")
                && check.getUp()), status.toString());
    }
}
