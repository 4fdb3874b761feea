package org.mihub.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mihub.common.testing.ConfigMappings;

/** The gateway's mappings: today's defaults, and a bad value refused with its key and the reason. */
class GatewayConfigTest {

    private static final Map<String, String> DEADLINE = Map.of("mihub.gateway.backend-deadline", "5s");

    @Test
    void backendDefaults() {
        var backends = ConfigMappings.build(BackendsConfig.class, DEADLINE);
        assertEquals(Duration.ofSeconds(5), backends.backendDeadline());
        assertEquals(Duration.ofSeconds(60), backends.proposeDeadline());
        assertEquals(Duration.ofSeconds(60), backends.predictDeadline());
        assertEquals(Duration.ofMinutes(30), backends.ingestDeadline());
        assertEquals(2, backends.readRetries());
        assertEquals(20, backends.breaker().window());
        assertEquals(5, backends.breaker().minimumCalls());
        assertEquals(50f, backends.breaker().failureRate());
        assertEquals(Duration.ofSeconds(5), backends.breaker().openFor());
        assertEquals(3, backends.breaker().halfOpenCalls());
    }

    @Test
    void theBackendDeadlineHasNoDefault() {
        assertHas(ConfigMappings.problems(BackendsConfig.class, Map.of()), "mihub.gateway.backend-deadline");
    }

    @Test
    void badBackendSettingsStopTheStart() {
        var problems = ConfigMappings.problems(BackendsConfig.class, Map.of(
                "mihub.gateway.backend-deadline", "0s",
                "mihub.gateway.read-retries", "-1",
                "mihub.gateway.breaker.window", "0",
                "mihub.gateway.breaker.failure-rate", "150",
                "mihub.gateway.breaker.open-for", "-5s"));
        assertEquals(5, problems.size(), problems.toString());
        assertHas(problems, "mihub.gateway.backend-deadline must be a positive duration");
        assertHas(problems, "mihub.gateway.read-retries must be greater than or equal to 0");
        assertHas(problems, "mihub.gateway.breaker.window must be greater than or equal to 1");
        assertHas(problems, "mihub.gateway.breaker.failure-rate must be less than or equal to 100");
        assertHas(problems, "mihub.gateway.breaker.open-for must be a positive duration");
        assertHas(ConfigMappings.problems(BackendsConfig.class,
                Map.of("mihub.gateway.backend-deadline", "5s", "mihub.gateway.breaker.failure-rate", "0")),
                "mihub.gateway.breaker.failure-rate must be greater than 0");
    }

    @Test
    void limits() {
        var limits = ConfigMappings.build(LimitsConfig.class, Map.of());
        assertEquals(4194304, limits.maxRequestBytes());
        assertEquals(2000, limits.rateLimit().requests());
        assertEquals(Duration.ofSeconds(1), limits.rateLimit().period());
        var problems = ConfigMappings.problems(LimitsConfig.class, Map.of("mihub.gateway.max-request-bytes", "-1",
                "mihub.gateway.rate-limit.requests", "0", "mihub.gateway.rate-limit.period", "0s"));
        assertEquals(3, problems.size(), problems.toString());
        assertHas(problems, "mihub.gateway.max-request-bytes must be greater than or equal to 1");
        assertHas(problems, "mihub.gateway.rate-limit.requests must be greater than or equal to 1");
        assertHas(problems, "mihub.gateway.rate-limit.period must be a positive duration");
    }

    @Test
    void portalAndRealm() {
        assertEquals("portal", ConfigMappings.build(PortalConfig.class, Map.of()).clientId());
        assertHas(ConfigMappings.problems(PortalConfig.class, Map.of("mihub.portal.client-id", " ")),
                "mihub.portal.client-id must not be blank");
        var realm = ConfigMappings.build(RealmConfig.class,
                Map.of("quarkus.oidc.auth-server-url", "http://127.0.0.1:8090/realms/mihub"));
        assertEquals("http://127.0.0.1:8090/realms/mihub", realm.authServerUrl());
        assertEquals(Optional.empty(), realm.token().issuer());
        assertEquals(List.of("quarkus.oidc.auth-server-url must be an absolute URL, e.g. https://host/path"),
                ConfigMappings.problems(RealmConfig.class, Map.of("quarkus.oidc.auth-server-url", "127.0.0.1:8090/realms")));
    }

    @Test
    void optimadeLinksAreCheckedToo() {
        var optimade = ConfigMappings.build(OptimadeConfig.class, Map.of(
                "mihub.optimade.links.hub.name", "mihub hub",
                "mihub.optimade.links.hub.description", "The consortium hub",
                "mihub.optimade.links.hub.base-url", "https://api.hub.mihub.example.org/optimade",
                "mihub.optimade.links.hub.link-type", "root"));
        assertEquals("root", optimade.links().get("hub").linkType());
        assertEquals("ok", optimade.links().get("hub").aggregate());
        assertEquals("mihub", optimade.node().id());
        var problems = ConfigMappings.problems(OptimadeConfig.class, Map.of(
                "mihub.optimade.base-url", "api.kansai.mihub.example.org/optimade",
                "mihub.optimade.links.hub.name", "mihub hub",
                "mihub.optimade.links.hub.description", "The consortium hub",
                "mihub.optimade.links.hub.base-url", "hub/optimade",
                "mihub.optimade.links.hub.link-type", "parent",
                "mihub.optimade.links.hub.aggregate", "yes"));
        assertEquals(4, problems.size(), problems.toString());
        assertHas(problems, "mihub.optimade.base-url must be an absolute URL");
        assertHas(problems, "mihub.optimade.links.hub.base-url must be an absolute URL");
        assertHas(problems, "mihub.optimade.links.hub.link-type must be root, child, external or providers");
        assertHas(problems, "mihub.optimade.links.hub.aggregate must be ok, test, staging or no");
    }

    @Test
    void federationIsOffByDefaultAndItsKeysAreChecked() {
        var off = ConfigMappings.build(FederationConfig.class, Map.of());
        assertEquals(Optional.empty(), off.node());
        assertEquals(false, off.hub());
        assertEquals(Duration.ofSeconds(2), off.timeout());
        assertEquals(Duration.ofSeconds(30), off.nodesCacheFor());
        assertEquals(Duration.ofSeconds(60), off.registerEvery());
        assertEquals(10, off.breaker().window());
        assertEquals(Duration.ofSeconds(30), off.breaker().openFor());
        var node = ConfigMappings.build(FederationConfig.class, Map.of("mihub.federation.node", "kansai-u",
                "mihub.federation.hub-url", "http://127.0.0.1:8100", "mihub.federation.organisations", "kansai-u,osaka"));
        assertEquals(Optional.of("kansai-u"), node.node());
        assertEquals(Optional.of(List.of("kansai-u", "osaka")), node.organisations());
        var problems = ConfigMappings.problems(FederationConfig.class, Map.of(
                "mihub.federation.node", "Kansai U",
                "mihub.federation.hub-url", "not a url",
                "mihub.federation.timeout", "0s",
                "mihub.federation.breaker.failure-rate", "150"));
        assertEquals(4, problems.size(), problems.toString());
        assertHas(problems, "mihub.federation.node must be a node id");
        assertHas(problems, "mihub.federation.hub-url must be an absolute URL");
        assertHas(problems, "mihub.federation.timeout must be a positive duration");
        assertHas(problems, "mihub.federation.breaker.failure-rate must be less than or equal to 100");
    }

    private static void assertHas(List<String> problems, String text) {
        assertTrue(problems.stream().anyMatch(problem -> problem.contains(text)), () -> "no problem with '" + text
                + "' in " + problems);
    }
}
