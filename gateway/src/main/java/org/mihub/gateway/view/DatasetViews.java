package org.mihub.gateway.view;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** JSON shapes of the dataset endpoints. */
public final class DatasetViews {

    private DatasetViews() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EmbargoView(Instant until, String liftsTo) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DatasetView(String id, String ownerOrg, String title, String description, String licence,
            String visibility, List<String> sharedWith, EmbargoView embargo, String citation, String doi, int version,
            long rowCount, String createdBy, Instant createdAt, Instant updatedAt) {
    }

    /** Body of {@code POST /api/v1/datasets}. */
    public record DatasetInput(String ownerOrg, String title, String description, String licence, String visibility,
            List<String> sharedWith, EmbargoView embargo, String citation, String doi) {
    }

    /** Body of {@code PUT /api/v1/datasets/{id}/sharing}. */
    public record SharingInput(String visibility, List<String> sharedWith, EmbargoView embargo) {
    }

    public record DatasetPage(List<DatasetView> datasets, String nextCursor) {
    }

    public record DeletionView(String id, Instant deletedAt, String deletedBy) {
    }

    public record IngestResultView(String ingestId, String datasetId, String outcome, long rowsReceived,
            long rowsWritten, long measurementsWritten, int datasetVersion, String contentSha256,
            Instant completedAt) {
    }

    public record PropertyView(String name, String displayName, String canonicalUnit, String quantityKind,
            String description) {
    }

    /**
     * How a record upload is to be read: its media type (text/csv, application/json or
     * application/x-ndjson), the idempotency key, whether it is a dry run, the source's name.
     */
    public record RecordUpload(String datasetId, String mediaType, String idempotencyKey, boolean dryRun,
            String sourceName) {
    }
}
