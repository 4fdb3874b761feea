package org.mihub.catalog.config;

import jakarta.validation.constraints.PositiveOrZero;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How an ingest writes its materials ({@code ingest/IngestService}, {@code ingest/MaterialWriter}). */
@ConfigMapping(prefix = "mihub.catalog.ingest")
public interface IngestConfig {

    /**
     * Materials of one ingest written row by row into the shared segment before the rest go to a
     * segment of their own, whose indexes are built in bulk when the ingest commits (0: every
     * ingest gets its own segment).
     */
    @WithDefault("50000")
    @PositiveOrZero
    long segmentAfterRows();
}
