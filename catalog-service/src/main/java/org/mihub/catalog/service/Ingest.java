package org.mihub.catalog.service;

import java.time.Instant;
import java.util.UUID;

/**
 * One ingest of a dataset as its history keeps it; {@code skippedJson} holds its skipped rows'
 * problems (row, line, column, code, reason, position).
 */
public record Ingest(UUID id, String mode, String format, String sourceName, long rowsWritten, long measurementsWritten,
        long rowsSkipped, String skippedJson, int datasetVersion, String createdBy, Instant completedAt,
        String contentSha256) {
}
