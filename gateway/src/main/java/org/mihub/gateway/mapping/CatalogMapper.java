package org.mihub.gateway.mapping;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.mihub.api.catalog.v1.CreateDatasetRequest;
import org.mihub.api.catalog.v1.Dataset;
import org.mihub.api.catalog.v1.Embargo;
import org.mihub.api.catalog.v1.IngestRecordsResponse;
import org.mihub.api.catalog.v1.PropertyDefinition;
import org.mihub.api.catalog.v1.UpdateDatasetSharingRequest;
import org.mihub.api.common.v1.Visibility;
import org.mihub.gateway.error.InvalidInput;
import org.mihub.gateway.rest.DatasetViews.DatasetInput;
import org.mihub.gateway.rest.DatasetViews.DatasetView;
import org.mihub.gateway.rest.DatasetViews.EmbargoView;
import org.mihub.gateway.rest.DatasetViews.IngestResultView;
import org.mihub.gateway.rest.DatasetViews.PropertyView;
import org.mihub.gateway.rest.DatasetViews.SharingInput;

import com.google.protobuf.Timestamp;


/** Catalog JSON views to protobuf requests and back. Bad enum values are refused here, with the field. */
public final class CatalogMapper {

    private CatalogMapper() {
    }

    public static CreateDatasetRequest create(DatasetInput input) {
        if (input == null) {
            throw invalid("body", "a JSON object is required");
        }
        var request = CreateDatasetRequest.newBuilder().setOwnerOrg(text(input.ownerOrg())).setTitle(text(input.title()))
                .setDescription(text(input.description())).setLicence(text(input.licence()))
                .setVisibility(visibility("visibility", input.visibility()))
                .addAllSharedWith(input.sharedWith() == null ? List.of() : input.sharedWith())
                .setCitation(text(input.citation()));
        if (input.doi() != null) {
            request.setDoi(input.doi());
        }
        if (input.embargo() != null) {
            request.setEmbargo(embargo(input.embargo()));
        }
        return request.build();
    }

    public static UpdateDatasetSharingRequest sharing(String id, SharingInput input) {
        if (input == null) {
            throw invalid("body", "a JSON object is required");
        }
        var request = UpdateDatasetSharingRequest.newBuilder().setDatasetId(id)
                .setVisibility(visibility("visibility", input.visibility()))
                .addAllSharedWith(input.sharedWith() == null ? List.of() : input.sharedWith());
        if (input.embargo() != null) {
            request.setEmbargo(embargo(input.embargo()));
        }
        return request.build();
    }

    private static Embargo embargo(EmbargoView view) {
        var embargo = Embargo.newBuilder().setLiftsTo(visibility("embargo.liftsTo", view.liftsTo()));
        if (view.until() != null) {
            embargo.setUntil(Timestamp.newBuilder().setSeconds(view.until().getEpochSecond())
                    .setNanos(view.until().getNano()));
        }
        return embargo.build();
    }

    /** "private", "SHARED"... to the enum; null or empty is UNSPECIFIED (the backend's default applies). */
    public static Visibility visibility(String field, String value) {
        if (value == null || value.isBlank()) {
            return Visibility.VISIBILITY_UNSPECIFIED;
        }
        try {
            Visibility visibility = Visibility.valueOf(value.trim().toUpperCase(Locale.ROOT));
            if (visibility != Visibility.UNRECOGNIZED && visibility != Visibility.VISIBILITY_UNSPECIFIED) {
                return visibility;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw invalid(field, "'" + value + "' is not one of PRIVATE, SHARED, CONSORTIUM, PUBLIC");
    }

    public static DatasetView view(Dataset dataset) {
        return new DatasetView(dataset.getId(), dataset.getOwnerOrg(), dataset.getTitle(), dataset.getDescription(),
                dataset.getLicence(), dataset.getVisibility().name(), dataset.getSharedWithList(),
                dataset.hasEmbargo() ? new EmbargoView(instant(dataset.getEmbargo().getUntil()),
                        dataset.getEmbargo().getLiftsTo().name()) : null,
                dataset.getCitation(), dataset.hasDoi() ? dataset.getDoi() : null, dataset.getVersion(),
                dataset.getRowCount(), dataset.getCreatedBy(), instant(dataset.getCreatedAt()),
                instant(dataset.getUpdatedAt()));
    }

    public static IngestResultView view(IngestRecordsResponse result) {
        return new IngestResultView(result.getIngestId(), result.getDatasetId(),
                result.getOutcome().name().replace("INGEST_OUTCOME_", ""), result.getRowsReceived(),
                result.getRowsWritten(), result.getMeasurementsWritten(), result.getDatasetVersion(),
                result.getContentSha256(), instant(result.getCompletedAt()));
    }

    public static PropertyView view(PropertyDefinition property) {
        return new PropertyView(property.getName(), property.getDisplayName(), property.getCanonicalUnit(),
                property.getQuantityKind(), property.getDescription());
    }

    public static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    /** Values of a repeatable query parameter, each of which may also be comma-separated. */
    public static java.util.List<String> split(java.util.List<String> values) {
        return values == null ? java.util.List.of() : values.stream().flatMap(value -> java.util.Arrays.stream(
                value.split(","))).map(String::trim).filter(value -> !value.isEmpty()).toList();
    }

    /** The same shape as a backend's INVALID_ARGUMENT, so it maps to the same problem+json. */
    public static InvalidInput invalid(String field, String reason) {
        return new InvalidInput(field, reason);
    }
}
