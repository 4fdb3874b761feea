package org.mihub.planning.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mihub.common.testing.ConfigMappings;

/** The planning service's deadlines: today's defaults, and one of zero refused with its key. */
class PlanningConfigTest {

    @Test
    void defaults() {
        var clients = ConfigMappings.build(ClientsConfig.class, Map.of());
        assertEquals(Duration.ofMinutes(2), clients.predictionDeadline());
        assertEquals(Duration.ofMinutes(10), clients.catalogReadDeadline());
        assertEquals(Duration.ofSeconds(30), clients.catalogDeadline());
        assertEquals(Duration.ofMillis(1500),
                ConfigMappings.build(ClientsConfig.class, Map.of("mihub.planning.catalog-deadline", "PT1.5S"))
                        .catalogDeadline());
    }

    @Test
    void zeroOrNegativeDeadlinesStopTheStart() {
        assertEquals(List.of("mihub.planning.catalog-deadline must be a positive duration, e.g. 5s",
                "mihub.planning.prediction-deadline must be a positive duration, e.g. 5s"),
                ConfigMappings.problems(ClientsConfig.class,
                        Map.of("mihub.planning.prediction-deadline", "0s", "mihub.planning.catalog-deadline", "-30s"))
                        .stream().sorted().toList());
    }
}
