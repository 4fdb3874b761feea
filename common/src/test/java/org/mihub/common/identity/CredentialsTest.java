package org.mihub.common.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Which Authorization headers pass, and what a refusal says. */
class CredentialsTest {

    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl-_";

    @Test
    void noHeaderOrOneBearerTokenPasses() {
        assertEquals(Optional.empty(), Credentials.problem(List.of()));
        assertEquals(Optional.empty(), Credentials.problem(List.of("Bearer " + TOKEN)));
        assertEquals(Optional.empty(), Credentials.problem(List.of("bearer " + TOKEN)));
        assertEquals(Optional.empty(), Credentials.problem(List.of("Bearer abc==")));
    }

    @Test
    void everyOtherFormIsRefusedWithItsReason() {
        assertEquals(Optional.of("the Authorization scheme 'Basic' is not accepted; use 'Bearer <access token>'"),
                Credentials.problem(List.of("Basic YWxpY2U6YWxpY2U=")));
        assertEquals(Optional.of("the Authorization header must be 'Bearer <access token>'"),
                Credentials.problem(List.of(TOKEN)));
        assertEquals(Optional.of("the Authorization header must be 'Bearer <access token>'"),
                Credentials.problem(List.of("")));
        assertEquals(Optional.of("the bearer token is empty"), Credentials.problem(List.of("Bearer ")));
        assertEquals(Optional.of("the bearer token is empty"), Credentials.problem(List.of("Bearer")));
        assertEquals(Optional.of("the bearer token has characters an access token cannot have"),
                Credentials.problem(List.of("Bearer a b")));
        assertEquals(Optional.of("the bearer token has characters an access token cannot have"),
                Credentials.problem(List.of("Bearer =abc")));
        assertEquals(Optional.of("the request has 2 Authorization headers; send exactly one: 'Bearer <access token>'"),
                Credentials.problem(List.of("Bearer " + TOKEN, "Bearer " + TOKEN)));
        assertEquals(Optional.of("the Authorization header has 16385 characters, more than 16384"),
                Credentials.problem(List.of("Bearer " + "a".repeat(Credentials.MAX_LENGTH - 6))));
        assertEquals(Optional.empty(), Credentials.problem(List.of("Bearer " + "a".repeat(Credentials.MAX_LENGTH - 7))));
    }

    @Test
    void grpcMessagesArePercentEncodedUtf8() {
        assertEquals("the bearer token is empty", CredentialsCheck.percentEncoded("the bearer token is empty"));
        assertEquals("100%25 sure: %E6%97%A5%0A", CredentialsCheck.percentEncoded("100% sure: 日\n"));
    }
}
