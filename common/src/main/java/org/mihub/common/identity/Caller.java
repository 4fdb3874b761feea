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
 * @param issuer   the token's verified {@code iss}: the node's own realm or another issuer this node
 *                 accepts (e.g. the consortium realm), so services can tell local from federated callers
 *                 (empty when unknown, e.g. a caller rebuilt for a resumed job); not part of {@link #toString()}
 */
public record Caller(String subject, String org, Set<String> roles, String username, String clientId,
        String issuer) {

    public static final String MEMBER = "member";
    public static final String CONTRIBUTOR = "contributor";
    public static final String CURATOR = "curator";
    public static final String ADMIN = "admin";
    /** A node's service account: grants no data access ({@code access.AccessRule}). */
    public static final String FEDERATION = "federation";

    /** The roles that grant data access; a caller with none of them reads only what anyone may. */
    public static final Set<String> DATA_ROLES = Set.of(MEMBER, CONTRIBUTOR, CURATOR, ADMIN);

    public Caller {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(org, "org");
        roles = Set.copyOf(roles);
        username = username == null ? "" : username;
        clientId = clientId == null ? "" : clientId;
        issuer = issuer == null ? "" : issuer;
    }

    /** A caller whose issuer is not known (tests, callers rebuilt from stored requests). */
    public Caller(String subject, String org, Set<String> roles, String username, String clientId) {
        this(subject, org, roles, username, clientId, "");
    }

    /** Whether any role grants data access ({@link #DATA_ROLES}). */
    public boolean hasDataRole() {
        return roles.stream().anyMatch(DATA_ROLES::contains);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Roles in a stable order, for display and for the wire. */
    public List<String> sortedRoles() {
        return roles.stream().sorted().toList();
    }

    /** As before the issuer was kept: logs show who, not which realm's token. */
    @Override
    public String toString() {
        return "Caller[subject=" + subject + ", org=" + org + ", roles=" + roles + ", username=" + username
                + ", clientId=" + clientId + "]";
    }
}
