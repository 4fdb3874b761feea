package org.mihub.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.mihub.common.testing.ConfigMappings;

/** The shared mappings: today's defaults, and a bad value refused with its key and the reason. */
class CommonConfigTest {

    @Test
    void tokenCacheDefaults() {
        var cache = ConfigMappings.build(TokenCacheConfig.class, Map.of());
        assertTrue(cache.enabled());
        assertEquals(10000, cache.maxSize());
        assertEquals(Duration.ofSeconds(60), cache.ttl());
    }

    @Test
    void tokenCacheRefusesZeroTtlAndNegativeSize() {
        var problems = ConfigMappings.problems(TokenCacheConfig.class,
                Map.of("mihub.auth.token-cache.ttl", "0s", "mihub.auth.token-cache.max-size", "-1"));
        assertEquals(2, problems.size(), problems.toString());
        assertHas(problems, "mihub.auth.token-cache.ttl must be a positive duration");
        assertHas(problems, "mihub.auth.token-cache.max-size must be greater than or equal to 0");
    }

    @Test
    void anonymousMethodsAreFullMethodNames() {
        assertEquals(Optional.empty(), ConfigMappings.build(GrpcAccessConfig.class, Map.of()).anonymousMethods());
        assertEquals(Optional.of(Set.of("mihub.catalog.v1.CatalogService/GetDataset", "a.B/C")),
                ConfigMappings.build(GrpcAccessConfig.class,
                        Map.of("mihub.grpc.anonymous-methods", "mihub.catalog.v1.CatalogService/GetDataset,a.B/C"))
                        .anonymousMethods());
        var problems = ConfigMappings.problems(GrpcAccessConfig.class,
                Map.of("mihub.grpc.anonymous-methods", "mihub.catalog.v1.CatalogService.GetDataset"));
        assertHas(problems, "mihub.grpc.anonymous-methods");
        assertHas(problems, "package.Service/Method");
    }

    @Test
    void downstreamIsClientNamesOrNothing() {
        assertEquals(Optional.empty(), ConfigMappings.build(HealthConfig.class, Map.of("mihub.health.downstream", ""))
                .downstream());
        assertEquals(Optional.of(List.of("prediction", "catalog")),
                ConfigMappings.build(HealthConfig.class, Map.of("mihub.health.downstream", "prediction,catalog"))
                        .downstream());
        assertHas(ConfigMappings.problems(HealthConfig.class, Map.of("mihub.health.downstream", "catalog:8081")),
                "mihub.health.downstream");
    }

    @Test
    void applicationNeedsItsName() {
        var application = ConfigMappings.build(ApplicationConfig.class, Map.of("quarkus.application.name", "gateway"));
        assertEquals("gateway", application.name());
        assertEquals("unknown", application.version());
        assertHas(ConfigMappings.problems(ApplicationConfig.class, Map.of()), "quarkus.application.name");
    }

    /** One of the problems contains the text. */
    static void assertHas(List<String> problems, String text) {
        assertTrue(problems.stream().anyMatch(problem -> problem.contains(text)), () -> "no problem with '" + text
                + "' in " + problems);
    }
}
