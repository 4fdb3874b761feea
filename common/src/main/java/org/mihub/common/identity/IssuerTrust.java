package org.mihub.common.identity;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which organisations each token issuer may assert (plain Java, the rule of {@code mihub.auth.trust}).
 *
 * <p>An issuer is an OIDC tenant of this service: {@code Default} (the node's own realm,
 * {@code quarkus.oidc.auth-server-url}) or a named one ({@code quarkus.oidc.<tenant>.auth-server-url},
 * e.g. {@code consortium}). A tenant may assert the organisations listed for it; a tenant listed with
 * {@code *} every organisation that no other tenant lists. With no entries at all the default tenant
 * asserts every organisation and named tenants none: a single installation, as before federation.
 * A tenant without an entry, when there are entries, asserts nothing.
 */
public final class IssuerTrust {

    /** quarkus-oidc's id of the tenant configured without a name. */
    public static final String DEFAULT_TENANT = "Default";

    /** In a trust list: every organisation not listed for another tenant. */
    public static final String ANY_OTHER = "*";

    private final Map<String, Set<String>> trusted;
    /** Every organisation some tenant lists by name, with the tenants listing it. */
    private final Map<String, Set<String>> listedBy;

    /** From {@code tenant → organisations (or *)}; empty: today's single installation. */
    public IssuerTrust(Map<String, List<String>> tenants) {
        Map<String, Set<String>> trusted = new HashMap<>();
        Map<String, Set<String>> listedBy = new HashMap<>();
        tenants.forEach((tenant, orgs) -> {
            Set<String> set = new HashSet<>();
            orgs.stream().map(String::trim).filter(org -> !org.isEmpty()).forEach(set::add);
            trusted.put(tenant, Set.copyOf(set));
            set.stream().filter(org -> !org.equals(ANY_OTHER))
                    .forEach(org -> listedBy.computeIfAbsent(org, key -> new HashSet<>()).add(tenant));
        });
        this.trusted = Map.copyOf(trusted);
        this.listedBy = Map.copyOf(listedBy);
    }

    /** Whether there are no trust entries (a single installation: the default tenant asserts every organisation). */
    public boolean isUnconfigured() {
        return trusted.isEmpty();
    }

    /** The tenants named in trust entries. */
    public Set<String> tenants() {
        return trusted.keySet();
    }

    /** Whether a token verified by {@code tenant} may name {@code org}. */
    public boolean mayAssert(String tenant, String org) {
        if (trusted.isEmpty()) {
            return DEFAULT_TENANT.equals(tenant);
        }
        Set<String> orgs = trusted.get(tenant);
        if (orgs == null) {
            return false;
        }
        if (orgs.contains(org)) {
            return true;
        }
        return orgs.contains(ANY_OTHER) && !listedBy.containsKey(org);
    }

    /**
     * Why a token verified by {@code tenant}, issued by {@code issuer}, may not name {@code org};
     * empty when it may.
     */
    public Optional<String> refusal(String tenant, String issuer, String org) {
        return mayAssert(tenant, org) ? Optional.empty()
                : Optional.of("issuer " + issuer + " may not assert organisation " + org + " at this node");
    }
}
