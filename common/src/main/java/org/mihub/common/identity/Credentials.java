package org.mihub.common.identity;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the suite accepts as credentials: no {@code Authorization} header at all (anonymous, where a
 * path allows it), or exactly one, of the form {@code Bearer <token>} with a non-empty token of
 * RFC 6750 characters and a bounded length. Anything else is refused with the reason, never read
 * as anonymous: a {@code Basic} header, a token without its scheme, an empty token, two headers.
 */
public final class Credentials {

    /**
     * Longest Authorization header accepted, in characters. Keycloak's access tokens are 1–3 KB;
     * 16 KiB leaves room for many roles and organisations while bounding the work per request.
     */
    public static final int MAX_LENGTH = 16 * 1024;

    /** What a refusal of a presented token says: what to check, never why it failed (that would help a forger). */
    public static final String TOKEN_NOT_VALID = "the access token is not valid (signature, issuer, audience or lifetime)";

    /** RFC 6750 b64token: the characters a bearer token may have, padding only at its end. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    private Credentials() {
    }

    /** Why the Authorization header values of one request are refused; empty when they are acceptable. */
    public static Optional<String> problem(List<String> authorization) {
        if (authorization.isEmpty()) {
            return Optional.empty();
        }
        if (authorization.size() > 1) {
            return Optional.of("the request has " + authorization.size()
                    + " Authorization headers; send exactly one: 'Bearer <access token>'");
        }
        String value = authorization.get(0);
        if (value.length() > MAX_LENGTH) {
            return Optional.of("the Authorization header has " + value.length() + " characters, more than "
                    + MAX_LENGTH);
        }
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        if (!scheme.toLowerCase(Locale.ROOT).equals("bearer")) {
            return Optional.of(space < 0 || scheme.isEmpty()
                    ? "the Authorization header must be 'Bearer <access token>'"
                    : "the Authorization scheme '" + abbreviated(scheme) + "' is not accepted; use 'Bearer <access token>'");
        }
        String token = space < 0 ? "" : value.substring(space + 1).strip();
        if (token.isEmpty()) {
            return Optional.of("the bearer token is empty");
        }
        if (!B64TOKEN.matcher(token).matches()) {
            return Optional.of("the bearer token has characters an access token cannot have");
        }
        return Optional.empty();
    }

    private static String abbreviated(String scheme) {
        return scheme.length() <= 20 ? scheme : scheme.substring(0, 20) + "…";
    }
}
