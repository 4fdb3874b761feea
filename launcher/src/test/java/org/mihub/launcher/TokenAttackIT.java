package org.mihub.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Token attacks against the real Keycloak realm, refused alike by the gateway (401 problem) and by
 * every service called directly over gRPC (UNAUTHENTICATED).
 *
 * <p>To change one claim at a time and still present a valid signature, the test adds an RSA key
 * of its own to the running realm (at a low priority, so Keycloak keeps signing with its own key).
 * The realm publishes it, so a copy of a real token re-signed with it is accepted: that is also the
 * key-rotation check, since the services learn of a key added after they started. Every attack
 * then differs from that accepted token in exactly one respect.
 */
@ExtendWith(RunningSuite.class)
class TokenAttackIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Service> BACKENDS = List.of(Service.CATALOG, Service.PREDICTION, Service.PLANNING);
    private static final String KEY_NAME = "e2e-test-signing-key";

    private static StackConfig config;
    private static KeycloakAdmin admin;
    private static PrivateKey realmKey;
    private static String realmKeyId;
    private static String componentId;

    @BeforeAll
    static void addASigningKeyToTheRealm() throws Exception {
        config = RunningSuite.config();
        admin = KeycloakAdmin.login(config);
        for (JsonNode old : admin.get(KeycloakAdmin.realm("/components?name=" + KEY_NAME))) {
            admin.delete(KeycloakAdmin.realm("/components/" + old.get("id").asText()));
        }
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        realmKey = pair.getPrivate();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(realmKey.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        String realmId = admin.get(KeycloakAdmin.realm("")).get("id").asText();
        componentId = admin.create(KeycloakAdmin.realm("/components"), Map.of(
                "name", KEY_NAME, "providerId", "rsa", "providerType", "org.keycloak.keys.KeyProvider",
                "parentId", realmId, "config", Map.of("priority", List.of("1"), "enabled", List.of("true"),
                        "active", List.of("true"), "algorithm", List.of("RS256"), "privateKey", List.of(pem))));
        for (JsonNode key : admin.get(KeycloakAdmin.realm("/keys")).get("keys")) {
            if (componentId.equals(key.path("providerId").asText())) {
                realmKeyId = key.get("kid").asText();
            }
        }
        assertTrue(realmKeyId != null, "the realm lists the added key");
    }

    @AfterAll
    static void removeTheKey() throws Exception {
        if (componentId != null) {
            admin.delete(KeycloakAdmin.realm("/components/" + componentId));
        }
    }

    // --- tokens

    private static ObjectNode header(String alg, String kid) {
        ObjectNode header = JSON.createObjectNode().put("alg", alg).put("typ", "JWT");
        if (kid != null) {
            header.put("kid", kid);
        }
        return header;
    }

    /** The claims of a fresh real token of {@code user}. */
    private static ObjectNode claimsOf(String user) throws Exception {
        return (ObjectNode) JSON.readTree(decode(Tokens.accessToken(config, user).split("\\.")[1]));
    }

    private static byte[] decode(String part) {
        return Base64.getUrlDecoder().decode(part);
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String encode(JsonNode json) throws Exception {
        return encode(JSON.writeValueAsBytes(json));
    }

    private static String signed(ObjectNode header, ObjectNode claims, PrivateKey key) throws Exception {
        String content = encode(header) + "." + encode(claims);
        var signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update(content.getBytes(StandardCharsets.US_ASCII));
        return content + "." + encode(signer.sign());
    }

    /** Claims re-signed with the realm key this test added. */
    private static String withRealmKey(ObjectNode claims) throws Exception {
        return signed(header("RS256", realmKeyId), claims, realmKey);
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    // --- checks

    /**
     * The gateway answers 401 with a problem body, and every service called directly answers
     * UNAUTHENTICATED. A presented token that is not valid is refused even where anonymous callers
     * may read (public datasets): it is never taken for no token.
     */
    private static void assertRefusedEverywhere(String token) throws Exception {
        for (String path : token == null ? List.of("/api/v1/me") : List.of("/api/v1/me", "/api/v1/datasets")) {
            var reply = RunningSuite.get(path, token);
            assertEquals(401, reply.statusCode(), path + ": " + reply.body());
            assertEquals("application/problem+json", reply.headers().firstValue("Content-Type").orElse(""), path);
            assertEquals(401, JSON.readTree(reply.body()).get("status").asInt(), path);
            assertTrue(reply.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), path);
        }
        for (Service backend : BACKENDS) {
            try (var probe = new GrpcProbe(config.portOf(backend))) {
                var refused = assertThrows(StatusRuntimeException.class, () -> probe.whoAmI(token), backend.module());
                assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode(), backend.module());
                // a gRPC answer with a message, not an HTTP 401 that clients see as a transport error
                assertEquals(token == null ? "a valid access token is required"
                        : "the access token is not valid (signature, issuer, audience or lifetime)",
                        refused.getStatus().getDescription(), backend.module());
            }
        }
    }

    /** The gateway and every service accept the token as a caller of {@code org}. */
    private static void assertAcceptedAs(String org, String token) throws Exception {
        var me = RunningSuite.get("/api/v1/me", token);
        assertEquals(200, me.statusCode(), me.body());
        assertEquals(org, JSON.readTree(me.body()).at("/gateway/org").asText());
        for (Service backend : BACKENDS) {
            try (var probe = new GrpcProbe(config.portOf(backend))) {
                assertEquals(org, probe.whoAmI(token).org(), backend.module());
            }
        }
    }

    // --- the tests

    /**
     * Credentials in a form the suite does not understand are refused with the reason, never taken
     * for no token: a Basic header, a token without its scheme, an empty bearer token, two headers
     * (each alone valid), an oversized token. REST: 401 problem; gRPC: UNAUTHENTICATED.
     */
    @Test
    void credentialsInAFormTheSuiteDoesNotUnderstandAreRefusedNotIgnored() throws Exception {
        String alice = Tokens.accessToken(config, "alice");
        String bob = Tokens.accessToken(config, "bob");
        Map<String, List<String>> forms = new java.util.LinkedHashMap<>();
        forms.put("the Authorization scheme 'Basic' is not accepted; use 'Bearer <access token>'",
                List.of("Basic YWxpY2U6YWxpY2U="));
        forms.put("the Authorization header must be 'Bearer <access token>'", List.of(alice));
        forms.put("the bearer token is empty", List.of("Bearer "));
        forms.put("the request has 2 Authorization headers; send exactly one: 'Bearer <access token>'",
                List.of("Bearer " + alice, "Bearer " + bob));
        forms.put("the Authorization header has 17007 characters, more than 16384", List.of("Bearer " + "a".repeat(17000)));
        var http = java.net.http.HttpClient.newHttpClient();
        for (var form : forms.entrySet()) {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(config.gatewayUrl() + "/api/v1/datasets"));
            form.getValue().forEach(value -> request.header("Authorization", value));
            var reply = http.send(request.GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(401, reply.statusCode(), form.getKey() + ": " + reply.body());
            assertEquals("application/problem+json", reply.headers().firstValue("Content-Type").orElse(""));
            assertEquals(form.getKey(), JSON.readTree(reply.body()).get("detail").asText(), reply.body());
            for (Service backend : BACKENDS) {
                try (var probe = new GrpcProbe(config.portOf(backend))) {
                    var refused = assertThrows(StatusRuntimeException.class,
                            () -> probe.whoAmIWithAuthorization(form.getValue()), backend.module());
                    assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode(), backend.module());
                    assertEquals(form.getKey(), refused.getStatus().getDescription(), backend.module());
                }
            }
        }
        // a token far beyond the cap, but within the HTTP/2 header limit, is refused the same way
        try (var probe = new GrpcProbe(config.portOf(Service.CATALOG))) {
            var refused = assertThrows(StatusRuntimeException.class,
                    () -> probe.whoAmIWithAuthorization(List.of("Bearer " + "a".repeat(48_000))));
            assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode(), refused.getStatus().toString());
        }
    }

    @Test
    void aKeyAddedToTheRealmAfterTheServicesStartedIsUsedForValidation() throws Exception {
        assertAcceptedAs("acme", withRealmKey(claimsOf("alice")));
    }

    @Test
    void noTokenIsRefused() throws Exception {
        assertRefusedEverywhere(null);
    }

    @Test
    void garbageIsRefused() throws Exception {
        assertRefusedEverywhere("not.a.token");
    }

    @Test
    void aTokenSignedByAKeyTheRealmDoesNotHaveIsRefused() throws Exception {
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        assertRefusedEverywhere(signed(header("RS256", realmKeyId), claimsOf("alice"),
                generator.generateKeyPair().getPrivate()));
    }

    /** Also when the untampered token was used just before (and every service remembers it as verified). */
    @Test
    void aTamperedTokenIsRefused() throws Exception {
        String genuine = Tokens.accessToken(config, "bob");
        assertAcceptedAs("kansai-u", genuine);
        String[] parts = genuine.split("\\.");
        ObjectNode claims = (ObjectNode) JSON.readTree(decode(parts[1]));
        claims.put("org", "acme");
        ((ObjectNode) claims.get("realm_access")).putArray("roles").add("member").add("contributor").add("curator");
        assertRefusedEverywhere(parts[0] + "." + encode(claims) + "." + parts[2]);
    }

    @Test
    void anUnsignedTokenIsRefused() throws Exception {
        ObjectNode claims = claimsOf("alice");
        assertRefusedEverywhere(encode(header("none", null)) + "." + encode(claims) + ".");
        assertRefusedEverywhere(encode(header("none", realmKeyId)) + "." + encode(claims) + ".");
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() throws Exception {
        ObjectNode claims = claimsOf("alice");
        claims.put("iss", claims.get("iss").asText().replace("/realms/" + StackConfig.REALM, "/realms/master"));
        assertRefusedEverywhere(withRealmKey(claims));
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        ObjectNode claims = claimsOf("alice");
        claims.put("aud", "account");
        assertRefusedEverywhere(withRealmKey(claims));
        claims.remove("aud");
        assertRefusedEverywhere(withRealmKey(claims));
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        ObjectNode claims = claimsOf("alice");
        claims.put("iat", now() - 3600).put("exp", now() - 600);
        assertRefusedEverywhere(withRealmKey(claims));
    }

    @Test
    void aTokenThatIsNotYetValidIsRefused() throws Exception {
        ObjectNode claims = claimsOf("alice");
        claims.put("nbf", now() + 3600).put("iat", now() + 3600).put("exp", now() + 7200);
        assertRefusedEverywhere(withRealmKey(claims));
    }

    /**
     * A real Keycloak token, used while valid and then left to expire: refused once its lifetime is
     * over, although every service has verified it before (and keeps verified tokens for a while).
     */
    @Test
    void aRealTokenIsRefusedOnceItExpires() throws Exception {
        String token = admin.shortLivedToken(config, "bob", 5);
        long expiresAt = JSON.readTree(decode(token.split("\\.")[1])).get("exp").asLong();
        assertFalse(expiresAt - now() > 10, "the token lives for seconds");
        assertAcceptedAs("kansai-u", token);
        Thread.sleep(Math.max(expiresAt * 1000 - System.currentTimeMillis() + 2000, 0));
        assertRefusedEverywhere(token);
    }
}
