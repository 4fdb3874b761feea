package org.mihub.catalog.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mihub.common.testing.ConfigMappings;

/** The catalog's mappings: today's defaults, and a negative row count refused with its key. */
class CatalogConfigTest {

    @Test
    void defaults() {
        assertEquals(50000, ConfigMappings.build(IngestConfig.class, Map.of()).segmentAfterRows());
        assertEquals(20000, ConfigMappings.build(TableMaintenanceConfig.class, Map.of()).maintenanceAfterRows());
        assertEquals(0, ConfigMappings.build(IngestConfig.class, Map.of("mihub.catalog.ingest.segment-after-rows", "0"))
                .segmentAfterRows());
    }

    @Test
    void negativeRowCountsStopTheStart() {
        assertEquals(List.of("mihub.catalog.ingest.segment-after-rows must be greater than or equal to 0"),
                ConfigMappings.problems(IngestConfig.class, Map.of("mihub.catalog.ingest.segment-after-rows", "-1")));
        assertEquals(List.of("mihub.catalog.maintenance-after-rows must be greater than or equal to 0"),
                ConfigMappings.problems(TableMaintenanceConfig.class,
                        Map.of("mihub.catalog.maintenance-after-rows", "-20000")));
    }
}
