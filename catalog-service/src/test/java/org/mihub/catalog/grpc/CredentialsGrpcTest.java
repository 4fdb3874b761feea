package org.mihub.catalog.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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

/**
 * Credentials the service does not accept end every gRPC call with a gRPC status, UNAUTHENTICATED
 * and the reason, never a transport-level HTTP 401, a 431, a 500, or anonymous success.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
@WithTestResource(OidcWiremockTestResource.class)
class CredentialsGrpcTest {

    private ManagedChannel channel;

    @BeforeEach
    void open() {
        channel = ManagedChannelBuilder.forAddress("localhost", 18081).usePlaintext().build();
    }

    @AfterEach
    void close() {
        channel.shutdownNow();
    }

    private static String token(Instant expiresAt) {
        return Jwt.subject("user-1").preferredUserName("alice").claim("org", "acme")
                .claim("realm_access", Map.of("roles", List.of("member")))
                .issuer("https://server.example.com").audience("mihub").expiresAt(expiresAt).sign();
    }

    private Status whoAmI(List<String> authorization) {
        Metadata headers = new Metadata();
        authorization.forEach(value -> headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                value));
        var stub = ServiceInfoGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        return assertThrows(StatusRuntimeException.class, () -> stub.whoAmI(WhoAmIRequest.getDefaultInstance()))
                .getStatus();
    }

    private static void assertUnauthenticated(String message, Status status) {
        assertEquals(Status.Code.UNAUTHENTICATED, status.getCode(), status.toString());
        assertEquals(message, status.getDescription());
    }

    @Test
    void malformedCredentialsAreRefusedWithTheReason() {
        String valid = token(Instant.now().plusSeconds(300));
        assertUnauthenticated("the Authorization scheme 'Basic' is not accepted; use 'Bearer <access token>'",
                whoAmI(List.of("Basic YWxpY2U6YWxpY2U=")));
        assertUnauthenticated("the Authorization header must be 'Bearer <access token>'", whoAmI(List.of(valid)));
        assertUnauthenticated("the bearer token is empty", whoAmI(List.of("Bearer ")));
        assertUnauthenticated("the request has 2 Authorization headers; send exactly one: 'Bearer <access token>'",
                whoAmI(List.of("Bearer " + valid, "Bearer " + valid)));
        assertUnauthenticated("the Authorization header has 40007 characters, more than 16384",
                whoAmI(List.of("Bearer " + "a".repeat(40_000))));
    }

    @Test
    void aRefusedTokenIsAGrpcStatusWithAMessage() {
        assertUnauthenticated("the access token is not valid (signature, issuer, audience or lifetime)",
                whoAmI(List.of("Bearer " + token(Instant.now().minusSeconds(600)))));
        assertUnauthenticated("the access token is not valid (signature, issuer, audience or lifetime)",
                whoAmI(List.of("Bearer not.a.token")));
        assertUnauthenticated("a valid access token is required", whoAmI(List.of()));
    }
}
