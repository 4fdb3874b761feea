package org.mihub.gateway.view;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

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

    /** A page of datasets; with {@code scope=federation} the hub's {@code cards} instead, and {@code nodes}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DatasetPage(List<DatasetView> datasets, String nextCursor,
            @Schema(description = "scope=federation only: the federation directory's dataset cards the caller "
                    + "may read") List<FederationViews.CardView> cards,
            @Schema(description = "scope=federation only: how the hub answered") List<MaterialViews.NodeStatus> nodes) {

        public DatasetPage(List<DatasetView> datasets, String nextCursor) {
            this(datasets, nextCursor, null, null);
        }
    }

    public record DeletionView(String id, Instant deletedAt, String deletedBy) {
    }

    /**
     * The report of an upload: in skip-invalid mode the rows skipped and each of their problems; what was
     * let pass in written rows ({@code warnings}); the properties the valid rows use, with their units.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IngestResultView(String ingestId, String datasetId, String outcome, long rowsReceived,
            long rowsWritten, long measurementsWritten, int datasetVersion, String contentSha256,
            Instant completedAt, String mode, long rowsSkipped, List<IngestProblemView> skipped,
            Boolean skippedTruncated, List<IngestProblemView> warnings, List<PropertyUseView> properties) {
    }

    /** One problem of an uploaded row: where (row, line, column or field, position in a formula), code, why. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IngestProblemView(long row, long line, String column, String code, String reason, String value,
            Integer position) {
    }

    /** A property an upload uses: its type and canonical unit, the units given, how many values. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PropertyUseView(String property, String valueType, String canonicalUnit, List<String> units,
            long measurements) {
    }

    /**
     * A property of the vocabulary. {@code valueType} is numeric, categorical, boolean or text; a numeric
     * one has {@code canonicalUnit} and {@code quantityKind}, and {@code minimum} and {@code maximum}
     * (canonical unit) only when it is bounded; a categorical one its {@code labels}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PropertyView(String name, String displayName, String canonicalUnit, String quantityKind,
            String description, Double minimum, Double maximum, String displayNameJa, String valueType,
            List<String> labels, String addedBy, String addedByOrg, Instant addedAt, Instant updatedAt, int version,
            boolean deprecated, String deprecationReason) {
    }

    /** Body of {@code POST /api/v1/properties}: {@code valueType} numeric (default), categorical, boolean or text. */
    public record PropertyInput(String name, String displayName, String displayNameJa, String description,
            String valueType, String canonicalUnit, String quantityKind, Double minimum, Double maximum,
            List<String> labels) {
    }

    /**
     * Body of {@code PATCH /api/v1/properties/{name}}: what may change (display names, description, labels
     * added with {@code addLabels}, {@code deprecated: true} with a reason). The fields that never change are
     * read only to be refused by name.
     */
    public record PropertyPatch(String displayName, String displayNameJa, String description, List<String> addLabels,
            Boolean deprecated, String deprecationReason, String name, String valueType, String canonicalUnit,
            String quantityKind, Double minimum, Double maximum, List<String> labels) {
    }

    /** A new property (created) or the identical one the vocabulary had (not created). */
    public record PropertyCreated(PropertyView property, boolean created) {
    }

    /**
     * How a record upload is to be read: its media type (text/csv, application/json or
     * application/x-ndjson), the idempotency key, whether it is a dry run, the source's name, and whether bad
     * rows are skipped ({@code mode=skip-invalid}) instead of refusing the document.
     */
    public record RecordUpload(String datasetId, String mediaType, String idempotencyKey, boolean dryRun,
            String sourceName, boolean skipInvalid) {

        public RecordUpload(String datasetId, String mediaType, String idempotencyKey, boolean dryRun,
                String sourceName) {
            this(datasetId, mediaType, idempotencyKey, dryRun, sourceName, false);
        }
    }
}
