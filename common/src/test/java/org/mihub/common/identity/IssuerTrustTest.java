package org.mihub.common.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;
import org.mihub.common.config.IssuerTrustConfig;
import org.mihub.common.testing.ConfigMappings;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;

/** Which issuer may assert which organisation, from {@code mihub.auth.trust} as a node configures it. */
class IssuerTrustTest {

    private static IssuerTrust trust(Map<String, String> properties) {
        return new IssuerTrust(ConfigMappings.build(IssuerTrustConfig.class, properties).tenants());
    }

    @Test
    void withoutEntriesTheDefaultTenantAssertsEveryOrganisationAndNoOtherTenantAny() {
        IssuerTrust single = trust(Map.of());
        assertTrue(single.isUnconfigured());
        assertTrue(single.mayAssert("Default", "acme"));
        assertTrue(single.mayAssert("Default", "anything-at-all"));
        assertFalse(single.mayAssert("consortium", "acme"));
    }

    @Test
    void aNodeTrustsItsRealmForItselfAndTheConsortiumForEveryoneElse() {
        IssuerTrust acme = trust(Map.of("mihub.auth.trust.\"Default\"", "acme", "mihub.auth.trust.consortium", "*"));
        assertEquals(Set.of("Default", "consortium"), acme.tenants());
        assertTrue(acme.mayAssert("Default", "acme"));
        assertFalse(acme.mayAssert("Default", "kansai-u"));
        assertFalse(acme.mayAssert("consortium", "acme"), "acme is listed for the local realm only");
        assertTrue(acme.mayAssert("consortium", "kansai-u"));
        assertTrue(acme.mayAssert("consortium", "tohoku-lab"));
        assertFalse(acme.mayAssert("elsewhere", "kansai-u"), "a tenant without an entry asserts nothing");
        assertEquals(Optional.of("issuer http://kc/realms/consortium may not assert organisation acme at this node"),
                acme.refusal("consortium", "http://kc/realms/consortium", "acme"));
        assertEquals(Optional.empty(), acme.refusal("consortium", "http://kc/realms/consortium", "kansai-u"));
    }

    @Test
    void namedOrganisationsAndSeveralTenants() {
        IssuerTrust node = trust(Map.of("mihub.auth.trust.\"Default\"", "acme,acme-lab",
                "mihub.auth.trust.consortium", "kansai-u, hub", "mihub.auth.trust.partner", "*"));
        assertTrue(node.mayAssert("Default", "acme-lab"));
        assertTrue(node.mayAssert("consortium", "hub"));
        assertFalse(node.mayAssert("consortium", "tohoku-lab"));
        assertTrue(node.mayAssert("partner", "tohoku-lab"));
        assertFalse(node.mayAssert("partner", "kansai-u"), "kansai-u is listed for the consortium");
        // the default tenant has an entry, so it no longer asserts everyone
        assertFalse(node.mayAssert("Default", "tohoku-lab"));
    }

    @Test
    void entriesAreOrganisationsOrAStar() {
        var problems = ConfigMappings.problems(IssuerTrustConfig.class,
                Map.of("mihub.auth.trust.consortium", "kansai u"));
        assertTrue(problems.stream().anyMatch(p -> p.contains("mihub.auth.trust")
                && p.contains("must list organisations (e.g. acme,kansai-u) or *")), problems.toString());
        assertEquals(Map.of(), ConfigMappings.build(IssuerTrustConfig.class, Map.of()).tenants());
        // as the launcher passes them: -Dmihub.auth.trust.Default=acme -Dmihub.auth.trust.consortium=*
        assertEquals(Map.of("Default", List.of("acme"), "consortium", List.of("*")), ConfigMappings.build(
                IssuerTrustConfig.class, Map.of("mihub.auth.trust.Default", "acme", "mihub.auth.trust.consortium", "*"))
                .tenants());
    }

    @Test
    void theAugmentorJudgesTheTenantThatVerifiedTheToken() {
        IssuerTrustAugmentor augmentor = new IssuerTrustAugmentor();
        augmentor.config = ConfigMappings.build(IssuerTrustConfig.class,
                Map.of("mihub.auth.trust.\"Default\"", "acme", "mihub.auth.trust.consortium", "*"));
        augmentor.init();
        assertEquals(Optional.empty(), augmentor.refusal(identity("Default", "https://local/realms/acme", "acme")));
        assertEquals(Optional.of("issuer https://local/realms/acme may not assert organisation kansai-u at this node"),
                augmentor.refusal(identity("Default", "https://local/realms/acme", "kansai-u")));
        assertEquals(Optional.of("issuer https://kc/realms/consortium may not assert organisation acme at this node"),
                augmentor.refusal(identity("consortium", "https://kc/realms/consortium", "acme")));
        assertEquals(Optional.empty(), augmentor.refusal(identity("consortium", "https://kc/realms/consortium",
                "kansai-u")));
        // no tenant attribute: the default tenant's
        assertEquals(Optional.empty(), augmentor.refusal(identity(null, "https://local/realms/acme", "acme")));
        // no organisation: nothing to judge (such a token makes no Caller)
        assertEquals(Optional.empty(), augmentor.refusal(identity("consortium", "https://kc/realms/consortium", null)));
    }

    @Test
    void adminCountsOnlyFromTheNodesOwnTenant() {
        SecurityIdentity local = QuarkusSecurityIdentity.builder(identity("Default", "https://local/realms/acme", "acme"))
                .addRole(Caller.ADMIN).build();
        assertTrue(IssuerTrustAugmentor.withoutForeignAdmin(local).hasRole(Caller.ADMIN));
        SecurityIdentity hubAdmin = QuarkusSecurityIdentity.builder(identity("consortium", "https://kc/realms/consortium",
                "hub")).addRole(Caller.ADMIN).addRole(Caller.CURATOR).build();
        SecurityIdentity reduced = IssuerTrustAugmentor.withoutForeignAdmin(hubAdmin);
        assertFalse(reduced.hasRole(Caller.ADMIN));
        assertEquals(Set.of("member", Caller.CURATOR), reduced.getRoles());
        assertEquals("hub", CallerFactory.fromIdentity(reduced).orElseThrow().org());
        assertEquals("consortium", IssuerTrustAugmentor.tenantOf(reduced));
    }

    @Test
    void theCallerKeepsTheIssuerOutOfItsText() {
        SecurityIdentity identity = identity("consortium", "https://kc/realms/consortium", "kansai-u");
        Caller caller = CallerFactory.fromIdentity(identity).orElseThrow();
        assertEquals("https://kc/realms/consortium", caller.issuer());
        assertEquals("kansai-u", caller.org());
        assertFalse(caller.toString().contains("realms"), caller.toString());
        assertEquals("", new Caller("s", "acme", Set.of(), "", "").issuer());
    }

    /** An identity as quarkus-oidc builds it: a JWT principal and the verifying tenant as an attribute. */
    static SecurityIdentity identity(String tenant, String issuer, String org) {
        Map<String, Object> claims = new java.util.HashMap<>(Map.of("iss", issuer, "sub", "user-1"));
        if (org != null) {
            claims.put("org", org);
        }
        JsonWebToken jwt = new JsonWebToken() {
            @Override
            public String getName() {
                return "user-1";
            }

            @Override
            public Set<String> getClaimNames() {
                return claims.keySet();
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String name) {
                return (T) claims.get(name);
            }
        };
        var builder = QuarkusSecurityIdentity.builder().setPrincipal(jwt).addRoles(Set.of("member"));
        if (tenant != null) {
            builder.addAttribute("tenant-id", tenant);
        }
        return builder.build();
    }
}
