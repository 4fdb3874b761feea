package org.mihub.common.identity;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The authenticated caller of a request, as derived from a validated OIDC access token.
 *
 * @param subject  the token's {@code sub}
 * @param org      the caller's organisation (the token's {@code org} claim)
 * @param roles    realm roles: {@code member}, {@code contributor}, {@code curator}, {@code admin}
 * @param username the token's {@code preferred_username}, for display only (may be empty)
 * @param clientId the OIDC client that obtained the token ({@code azp})
 */
public record Caller(String subject, String org, Set<String> roles, String username, String clientId) {

    public static final String MEMBER = "member";
    public static final String CONTRIBUTOR = "contributor";
    public static final String CURATOR = "curator";
    public static final String ADMIN = "admin";

    public Caller {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(org, "org");
        roles = Set.copyOf(roles);
        username = username == null ? "" : username;
        clientId = clientId == null ? "" : clientId;
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Roles in a stable order, for display and for the wire. */
    public List<String> sortedRoles() {
        return roles.stream().sorted().toList();
    }
}
