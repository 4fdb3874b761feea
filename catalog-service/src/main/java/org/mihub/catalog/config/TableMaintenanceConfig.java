package org.mihub.catalog.config;

import jakarta.validation.constraints.PositiveOrZero;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** When the catalog's tables are vacuumed and analysed after an ingest ({@code ingest/TableMaintenance}). */
@ConfigMapping(prefix = "mihub.catalog")
public interface TableMaintenanceConfig {

    /** Rows (materials and measurements) of one ingest from which a VACUUM (ANALYZE) follows it (0: after every ingest). */
    @WithDefault("20000")
    @PositiveOrZero
    long maintenanceAfterRows();
}
