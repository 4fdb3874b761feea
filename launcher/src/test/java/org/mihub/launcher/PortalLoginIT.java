package org.mihub.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The portal's sign-in: the authorization code flow with PKCE (S256) against the real Keycloak,
 * as a browser does it (login form, redirect with a code, code exchanged with the verifier), and
 * the resulting token used at the gateway. The realm refuses the flow without a code challenge
 * and refuses a code exchanged with the wrong verifier.
 */
@ExtendWith(RunningSuite.class)
class PortalLoginIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT = "portal";
    /** The portal's address on the test stack's gateway port (the launcher fits the realm's redirect URIs to it). */
    private static String redirect() {
        return "http://localhost:" + RunningSuite.config().gatewayPort() + "/signed-in";
    }
    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    /** A browser that does not follow redirects (the test reads them); cookies are carried by hand. */
    private static HttpClient browser() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * The cookies a response sets, as a Cookie header. Carried by hand because Keycloak marks its
     * session cookies Secure, which browsers still send to a loopback address over plain HTTP and
     * the JDK's cookie manager does not.
     */
    private static String cookies(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie").stream().map(cookie -> cookie.split(";", 2)[0])
                .filter(pair -> !pair.endsWith("=")).collect(Collectors.joining("; "));
    }

    private static String authorizeUrl(Map<String, String> extra) {
        Map<String, String> query = new LinkedHashMap<>(Map.of("client_id", CLIENT, "response_type", "code",
                "redirect_uri", redirect(), "scope", "openid", "state", "st-" + System.nanoTime()));
        query.putAll(extra);
        return RunningSuite.config().issuer() + "/protocol/openid-connect/auth?" + form(query);
    }

    /** Signs alice in through the login form; the authorization code from the redirect. */
    private static String signIn(HttpClient browser, String challenge) throws Exception {
        var page = browser.send(HttpRequest.newBuilder(URI.create(authorizeUrl(Map.of("code_challenge", challenge,
                "code_challenge_method", "S256")))).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode(), page.body());
        Matcher action = FORM_ACTION.matcher(page.body());
        assertTrue(action.find(), "a login form");
        var login = browser.send(HttpRequest.newBuilder(URI.create(action.group(1).replace("&amp;", "&")))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookies(page))
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("username", "alice", "password", "alice",
                        "credentialId", "")))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, login.statusCode(), login.body());
        URI back = URI.create(login.headers().firstValue("Location").orElseThrow());
        assertTrue(back.toString().startsWith(redirect()), back.toString());
        return query(back).get("code");
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            values.put(parts[0], URLDecoder.decode(parts.length > 1 ? parts[1] : "", StandardCharsets.UTF_8));
        }
        return values;
    }

    private static HttpResponse<String> exchange(String code, String verifier) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(RunningSuite.config().issuer()
                + "/protocol/openid-connect/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code",
                        "client_id", CLIENT, "code", code, "redirect_uri", redirect(), "code_verifier", verifier))))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String[] pkcePair() throws Exception {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String verifier = base64Url(random);
        String challenge = base64Url(MessageDigest.getInstance("SHA-256")
                .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        return new String[] {verifier, challenge};
    }

    @Test
    void aSignInWithPkceGivesATokenTheGatewayAccepts() throws Exception {
        String[] pkce = pkcePair();
        var reply = exchange(signIn(browser(), pkce[1]), pkce[0]);
        assertEquals(200, reply.statusCode(), reply.body());
        String token = JSON.readTree(reply.body()).get("access_token").asText();
        var me = RunningSuite.get("/api/v1/me", token);
        assertEquals(200, me.statusCode(), me.body());
        JsonNode caller = JSON.readTree(me.body()).get("gateway");
        assertEquals("acme", caller.get("org").asText());
        assertEquals("portal", caller.get("clientId").asText());
    }

    @Test
    void aCodeExchangedWithTheWrongVerifierIsRefused() throws Exception {
        String[] pkce = pkcePair();
        String code = signIn(browser(), pkce[1]);
        var reply = exchange(code, pkcePair()[0]);
        assertEquals(400, reply.statusCode(), reply.body());
        assertEquals("invalid_grant", JSON.readTree(reply.body()).get("error").asText());
    }

    @Test
    void theRealmRefusesTheFlowWithoutACodeChallenge() throws Exception {
        var reply = browser().send(HttpRequest.newBuilder(URI.create(authorizeUrl(Map.of()))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(302, reply.statusCode(), reply.body());
        String location = reply.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(redirect()) && location.contains("error=invalid_request"), location);
    }
}
