package org.mihub.gateway.view;

import java.time.Instant;
import java.util.List;

/** JSON shapes of the access log and the usage summary. */
public final class UsageViews {

    private UsageViews() {
    }

    /** One read; {@code requestingNode}: the federation node that asked on the reader's behalf (absent: this node). */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record AccessView(String id, String datasetId, String ownerOrg, String readerSubject, String readerOrg,
            String operation, long records, Instant at, String requestingNode) {
    }

    public record AccessPage(List<AccessView> entries, String nextCursor) {
    }

    public record UsageView(String datasetId, String datasetTitle, String ownerOrg, String readerOrg, long accesses,
            long records, Instant firstAccessAt, Instant lastAccessAt) {
    }

    public record UsageSummaryView(String org, List<UsageView> provided, List<UsageView> consumed,
            long providedRecords, long consumedRecords) {
    }

    /** One ingest of a dataset's history: what it wrote and, in skip-invalid mode, what it skipped and why. */
    public record IngestHistoryView(String ingestId, String mode, String format, String sourceName, long rowsWritten,
            long measurementsWritten, long rowsSkipped, List<DatasetViews.IngestProblemView> skipped, int datasetVersion,
            String createdBy, Instant completedAt, String contentSha256) {
    }

    public record IngestHistoryPage(List<IngestHistoryView> ingests, String nextCursor) {
    }
}
