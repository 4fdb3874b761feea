package org.mihub.common.identity;

import java.util.Optional;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;

/** Turns a validated {@link SecurityIdentity} into a {@link Caller}. */
public final class CallerFactory {

    /** The token claim that names the caller's organisation. */
    public static final String ORG_CLAIM = "org";

    private CallerFactory() {
    }

    /**
     * The caller for an authenticated identity, or empty when the identity is anonymous or its token
     * carries no organisation (such a token grants nothing in mihub).
     */
    public static Optional<Caller> fromIdentity(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Optional.empty();
        }
        String orgName = organisation(jwt);
        if (orgName.isEmpty() || jwt.getSubject() == null) {
            return Optional.empty();
        }
        String azp = jwt.getClaim("azp");
        return Optional.of(new Caller(jwt.getSubject(), orgName, identity.getRoles(),
                jwt.getClaim("preferred_username"), azp, jwt.getIssuer()));
    }

    /** The organisation a token names (its {@code org} claim), or empty. */
    static String organisation(JsonWebToken jwt) {
        Object org = jwt.getClaim(ORG_CLAIM);
        return org == null ? "" : org.toString().replace("\"", "").trim();
    }

    /** The raw access token the identity was built from, if any. */
    public static Optional<String> rawToken(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return Optional.empty();
        }
        AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
        return credential == null ? Optional.empty() : Optional.ofNullable(credential.getToken());
    }
}
