package org.mihub.gateway.view;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonIgnore;
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

        /** Whether a visibility is spelled the old way, in upper case ({@code PRIVATE}); see {@link #oldSpelling(String)}. */
        @JsonIgnore
        public boolean oldSpelling() {
            return DatasetViews.oldSpelling(visibility) || embargo != null && DatasetViews.oldSpelling(embargo.liftsTo());
        }
    }

    /** Body of {@code PUT /api/v1/datasets/{id}/sharing}. */
    public record SharingInput(String visibility, List<String> sharedWith, EmbargoView embargo) {

        /** Whether a visibility is spelled the old way, in upper case ({@code SHARED}); see {@link #oldSpelling(String)}. */
        @JsonIgnore
        public boolean oldSpelling() {
            return DatasetViews.oldSpelling(visibility) || embargo != null && DatasetViews.oldSpelling(embargo.liftsTo());
        }
    }

    /**
     * Whether an enum value is spelled as the API wrote it before its one dialect: with an upper-case
     * letter ({@code PRIVATE} rather than {@code private}). Still read, for one release; the answer
     * then carries {@code Deprecation: true}.
     */
    public static boolean oldSpelling(String value) {
        return value != null && !value.equals(value.toLowerCase(Locale.ROOT));
    }

    public record DatasetPage(List<DatasetView> datasets, String nextCursor) {
    }

    public record DeletionView(String id, Instant deletedAt, String deletedBy) {
    }

    public record IngestResultView(String ingestId, String datasetId, String outcome, long rowsReceived,
            long rowsWritten, long measurementsWritten, int datasetVersion, String contentSha256,
            Instant completedAt) {
    }

    /** A property of the vocabulary; {@code minimum} and {@code maximum} (canonical unit) only when it is bounded. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PropertyView(String name, String displayName, String canonicalUnit, String quantityKind,
            String description, Double minimum, Double maximum) {
    }

    /**
     * How a record upload is to be read: its media type (text/csv, application/json or
     * application/x-ndjson), the idempotency key, whether it is a dry run, the source's name.
     */
    public record RecordUpload(String datasetId, String mediaType, String idempotencyKey, boolean dryRun,
            String sourceName) {
    }
}
