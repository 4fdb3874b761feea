package org.mihub.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A second token issuer for {@code @QuarkusTest}s of federation: an OIDC realm {@code consortium} with its
 * own RSA key (not the OIDC test server's), served from the JDK's HTTP server (discovery document and JWKS),
 * configured as the OIDC tenant {@code consortium} like a node's launcher configures it. Init args are added
 * to the configuration as they are (e.g. {@code mihub.auth.trust.consortium=*}). Tests sign tokens with
 * {@link #privateKey()} and key id {@link #KEY_ID}; the issuer is {@code quarkus.oidc.consortium.auth-server-url}.
 */
public class SecondIssuerResource implements QuarkusTestResourceLifecycleManager {

    public static final String TENANT = "consortium";
    public static final String KEY_ID = "consortium-test-key";

    private static final PrivateKey PRIVATE_KEY = readPrivateKey();

    private final Map<String, String> extra = new HashMap<>();
    private HttpServer server;

    /** The key the consortium realm signs with (its public half is the realm's JWKS). */
    public static PrivateKey privateKey() {
        return PRIVATE_KEY;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        extra.putAll(initArgs);
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String realm = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/" + TENANT;
        String discovery = "{\"issuer\":\"" + realm + "\",\"jwks_uri\":\"" + realm + "/protocol/openid-connect/certs\","
                + "\"token_endpoint\":\"" + realm + "/protocol/openid-connect/token\","
                + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
        serve("/realms/" + TENANT + "/.well-known/openid-configuration", discovery);
        serve("/realms/" + TENANT + "/protocol/openid-connect/certs", jwks());
        server.start();
        Map<String, String> config = new HashMap<>(Map.of(
                "quarkus.oidc." + TENANT + ".auth-server-url", realm,
                "quarkus.oidc." + TENANT + ".application-type", "service",
                "quarkus.oidc." + TENANT + ".token.audience", "mihub",
                "quarkus.oidc." + TENANT + ".roles.role-claim-path", "realm_access/roles"));
        config.putAll(extra);
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void serve(String path, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        server.createContext(path, exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }

    /** The public key as a JWK set (modulus and exponent of the private key's CRT form). */
    private static String jwks() {
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) PRIVATE_KEY;
        return "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + KEY_ID + "\",\"n\":\""
                + base64Url(key.getModulus()) + "\",\"e\":\"" + base64Url(key.getPublicExponent()) + "\"}]}";
    }

    private static String base64Url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        int start = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        byte[] unsigned = java.util.Arrays.copyOfRange(bytes, start, bytes.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(unsigned);
    }

    private static PrivateKey readPrivateKey() {
        try (InputStream in = SecondIssuerResource.class.getResourceAsStream("consortium-private-key.pem")) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
