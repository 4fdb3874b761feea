package org.mihub.catalog.config;

import java.time.Duration;

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

    /**
     * How long an ingest waits for the client's next message before it gives up, rolls back and
     * frees its connection and the dataset's lock.
     */
    @WithDefault("60s")
    Duration idleTimeout();

    /**
     * The statement timeout inside an ingest's transaction ({@code SET LOCAL statement_timeout}),
     * instead of the pool's {@code mihub.database.statement-timeout}: attaching a large segment
     * builds its indexes in one statement. 0 disables it.
     */
    @WithDefault("30m")
    Duration statementTimeout();
}
