package org.mihub.gateway.client;

import static org.mihub.gateway.client.CommonMapper.instant;
import static org.mihub.gateway.client.CommonMapper.text;

import java.util.List;
import java.util.Locale;

import org.mihub.api.catalog.v1.AccessLogEntry;
import org.mihub.api.catalog.v1.CreateDatasetRequest;
import org.mihub.api.catalog.v1.Dataset;
import org.mihub.api.catalog.v1.DeleteDatasetResponse;
import org.mihub.api.catalog.v1.Embargo;
import org.mihub.api.catalog.v1.IngestFormat;
import org.mihub.api.catalog.v1.IngestHeader;
import org.mihub.api.catalog.v1.IngestMode;
import org.mihub.api.catalog.v1.IngestRecordsResponse;
import org.mihub.api.catalog.v1.CreatePropertyRequest;
import org.mihub.api.catalog.v1.PropertyDefinition;
import org.mihub.api.catalog.v1.PropertyValueType;
import org.mihub.api.catalog.v1.UpdatePropertyRequest;
import org.mihub.api.catalog.v1.IngestRecord;
import org.mihub.api.catalog.v1.RowRejection;
import org.mihub.api.catalog.v1.UpdateDatasetSharingRequest;
import org.mihub.api.catalog.v1.UsageEntry;
import org.mihub.api.catalog.v1.UsageSummary;
import org.mihub.api.common.v1.Visibility;
import org.mihub.gateway.error.InvalidInput;
import org.mihub.gateway.view.DatasetViews.DatasetInput;
import org.mihub.gateway.view.DatasetViews.DatasetView;
import org.mihub.gateway.view.DatasetViews.DeletionView;
import org.mihub.gateway.view.DatasetViews.EmbargoView;
import org.mihub.gateway.view.DatasetViews.IngestProblemView;
import org.mihub.gateway.view.DatasetViews.IngestResultView;
import org.mihub.gateway.view.DatasetViews.PropertyInput;
import org.mihub.gateway.view.DatasetViews.PropertyPatch;
import org.mihub.gateway.view.DatasetViews.PropertyUseView;
import org.mihub.gateway.view.DatasetViews.PropertyView;
import org.mihub.gateway.view.DatasetViews.RecordUpload;
import org.mihub.gateway.view.DatasetViews.SharingInput;
import org.mihub.gateway.view.UsageViews;
import org.mihub.gateway.view.UsageViews.AccessView;
import org.mihub.gateway.view.UsageViews.UsageSummaryView;
import org.mihub.gateway.view.UsageViews.UsageView;

/** Catalog views to protobuf requests and back. Bad enum values are refused here, with the field. */
final class CatalogMapper {

    private CatalogMapper() {
    }

    static CreateDatasetRequest create(DatasetInput input) {
        if (input == null) {
            throw new InvalidInput("body", "a JSON object is required");
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

    static UpdateDatasetSharingRequest sharing(String id, SharingInput input) {
        if (input == null) {
            throw new InvalidInput("body", "a JSON object is required");
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
            embargo.setUntil(CommonMapper.timestamp(view.until()));
        }
        return embargo.build();
    }

    /**
     * "private", "shared"... to the enum, in any case (the upper-case "PRIVATE" the API used to write is
     * still read); null or empty is UNSPECIFIED (the backend's default applies).
     */
    static Visibility visibility(String field, String value) {
        if (value == null || value.isBlank()) {
            return Visibility.VISIBILITY_UNSPECIFIED;
        }
        return Visibility.valueOf(ProtoJson.choice(Visibility.getDescriptor(), value, field));
    }

    /** The ingest header of an upload; its media type picks the format (CSV unless JSON or NDJSON). */
    static IngestHeader ingestHeader(RecordUpload upload) {
        String contentType = upload.mediaType();
        String media = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        IngestFormat format = switch (media) {
            case "application/json" -> IngestFormat.INGEST_FORMAT_JSON;
            case "application/x-ndjson" -> IngestFormat.INGEST_FORMAT_NDJSON;
            default -> IngestFormat.INGEST_FORMAT_CSV;
        };
        return IngestHeader.newBuilder().setDatasetId(upload.datasetId()).setIdempotencyKey(text(upload.idempotencyKey()))
                .setFormat(format).setDryRun(upload.dryRun()).setSourceName(text(upload.sourceName()))
                .setMode(upload.skipInvalid() ? IngestMode.INGEST_MODE_SKIP_INVALID : IngestMode.INGEST_MODE_STRICT)
                .build();
    }

    static DatasetView view(Dataset dataset) {
        return new DatasetView(dataset.getId(), dataset.getOwnerOrg(), dataset.getTitle(), dataset.getDescription(),
                dataset.getLicence(), CommonMapper.name(dataset.getVisibility()), dataset.getSharedWithList(),
                dataset.hasEmbargo() ? new EmbargoView(instant(dataset.getEmbargo().getUntil()),
                        CommonMapper.name(dataset.getEmbargo().getLiftsTo())) : null,
                dataset.getCitation(), dataset.hasDoi() ? dataset.getDoi() : null, dataset.getVersion(),
                dataset.getRowCount(), dataset.getCreatedBy(), instant(dataset.getCreatedAt()),
                instant(dataset.getUpdatedAt()));
    }

    static DeletionView view(DeleteDatasetResponse deletion) {
        return new DeletionView(deletion.getId(), instant(deletion.getDeletedAt()), deletion.getDeletedBy());
    }

    static IngestResultView view(IngestRecordsResponse result) {
        boolean skip = result.getMode() == IngestMode.INGEST_MODE_SKIP_INVALID;
        return new IngestResultView(result.getIngestId(), result.getDatasetId(),
                CommonMapper.name(result.getOutcome()), result.getRowsReceived(),
                result.getRowsWritten(), result.getMeasurementsWritten(), result.getDatasetVersion(),
                result.getContentSha256(), instant(result.getCompletedAt()), skip ? "skip-invalid" : "strict",
                result.getRowsSkipped(), skip ? result.getSkippedList().stream().map(CatalogMapper::problem).toList()
                        : null, skip ? result.getSkippedTruncated() : null,
                result.getWarningsList().stream().map(CatalogMapper::problem).toList(),
                result.getPropertiesList().stream().map(use -> new PropertyUseView(use.getProperty(),
                        use.getValueType() == PropertyValueType.PROPERTY_VALUE_TYPE_UNSPECIFIED ? "numeric"
                                : CommonMapper.name(use.getValueType()), emptyToNull(use.getCanonicalUnit()),
                        use.getUnitsList(), use.getMeasurements())).toList());
    }

    static UsageViews.IngestHistoryView view(IngestRecord ingest) {
        return new UsageViews.IngestHistoryView(ingest.getIngestId(),
                ingest.getMode() == IngestMode.INGEST_MODE_SKIP_INVALID ? "skip-invalid" : "strict", ingest.getFormat(),
                ingest.getSourceName(), ingest.getRowsWritten(), ingest.getMeasurementsWritten(), ingest.getRowsSkipped(),
                ingest.getSkippedList().stream().map(CatalogMapper::problem).toList(), ingest.getDatasetVersion(),
                ingest.getCreatedBy(), instant(ingest.getCompletedAt()), ingest.getContentSha256());
    }

    private static IngestProblemView problem(RowRejection row) {
        return new IngestProblemView(row.getRow(), row.getLine(), row.getColumn(), CommonMapper.name(row.getCode()),
                row.getReason(), row.getValue(), row.hasPosition() ? row.getPosition() : null);
    }

    static PropertyView view(PropertyDefinition property) {
        boolean numeric = property.getValueType() == PropertyValueType.PROPERTY_VALUE_TYPE_NUMERIC
                || property.getValueType() == PropertyValueType.PROPERTY_VALUE_TYPE_UNSPECIFIED;
        return new PropertyView(property.getName(), property.getDisplayName(),
                numeric ? property.getCanonicalUnit() : null, numeric ? property.getQuantityKind() : null,
                property.getDescription(), property.hasMinimum() ? property.getMinimum() : null,
                property.hasMaximum() ? property.getMaximum() : null, emptyToNull(property.getDisplayNameJa()),
                numeric ? "numeric" : CommonMapper.name(property.getValueType()),
                property.getValueType() == PropertyValueType.PROPERTY_VALUE_TYPE_CATEGORICAL ? property.getLabelsList()
                        : null, emptyToNull(property.getAddedBy()), emptyToNull(property.getAddedByOrg()),
                property.hasAddedAt() ? instant(property.getAddedAt()) : null,
                property.hasUpdatedAt() ? instant(property.getUpdatedAt()) : null, property.getVersion(),
                property.getDeprecated(), emptyToNull(property.getDeprecationReason()));
    }

    private static String emptyToNull(String text) {
        return text.isEmpty() ? null : text;
    }

    static CreatePropertyRequest createProperty(PropertyInput input) {
        if (input == null) {
            throw new InvalidInput("body", "a property definition is required");
        }
        var property = PropertyDefinition.newBuilder().setName(text(input.name()))
                .setDisplayName(text(input.displayName())).setDisplayNameJa(text(input.displayNameJa()))
                .setDescription(text(input.description())).setValueType(valueType("valueType", input.valueType()))
                .setCanonicalUnit(text(input.canonicalUnit())).setQuantityKind(text(input.quantityKind()));
        if (input.minimum() != null) {
            property.setMinimum(input.minimum());
        }
        if (input.maximum() != null) {
            property.setMaximum(input.maximum());
        }
        if (input.labels() != null) {
            property.addAllLabels(input.labels());
        }
        return CreatePropertyRequest.newBuilder().setProperty(property).build();
    }

    /** The change a PATCH asks for; a field that never changes is refused by name. */
    static UpdatePropertyRequest updateProperty(String name, PropertyPatch patch) {
        if (patch == null) {
            throw new InvalidInput("body", "a change is required, e.g. {\"addLabels\": [\"hcp\"]}");
        }
        String fixed = patch.name() != null ? "name" : patch.valueType() != null ? "valueType"
                : patch.canonicalUnit() != null ? "canonicalUnit" : patch.quantityKind() != null ? "quantityKind"
                : patch.minimum() != null ? "minimum" : patch.maximum() != null ? "maximum"
                : patch.labels() != null ? "labels" : null;
        if (fixed != null) {
            throw new InvalidInput(fixed, fixed.equals("labels") ? "labels are only added: send addLabels"
                    : "never changes once a property exists (its values would change meaning); add a new property "
                            + "and deprecate this one");
        }
        if (Boolean.FALSE.equals(patch.deprecated())) {
            throw new InvalidInput("deprecated", "only true: a deprecation is never undone");
        }
        if (patch.deprecationReason() != null && !Boolean.TRUE.equals(patch.deprecated())) {
            throw new InvalidInput("deprecationReason", "goes with \"deprecated\": true");
        }
        var update = UpdatePropertyRequest.newBuilder().setName(name);
        if (patch.displayName() != null) {
            update.setDisplayName(patch.displayName());
        }
        if (patch.displayNameJa() != null) {
            update.setDisplayNameJa(patch.displayNameJa());
        }
        if (patch.description() != null) {
            update.setDescription(patch.description());
        }
        if (patch.addLabels() != null) {
            update.addAllAddLabels(patch.addLabels());
        }
        return update.build();
    }

    static PropertyValueType valueType(String field, String type) {
        if (type == null || type.isEmpty()) {
            return PropertyValueType.PROPERTY_VALUE_TYPE_UNSPECIFIED;
        }
        return switch (type) {
            case "numeric" -> PropertyValueType.PROPERTY_VALUE_TYPE_NUMERIC;
            case "categorical" -> PropertyValueType.PROPERTY_VALUE_TYPE_CATEGORICAL;
            case "boolean" -> PropertyValueType.PROPERTY_VALUE_TYPE_BOOLEAN;
            case "text" -> PropertyValueType.PROPERTY_VALUE_TYPE_TEXT;
            default -> throw new InvalidInput(field, "'" + type + "' is not numeric, categorical, boolean or text");
        };
    }

    static AccessView view(AccessLogEntry entry) {
        return new AccessView(entry.getId(), entry.getDatasetId(), entry.getOwnerOrg(), entry.getReader().getSubject(),
                entry.getReader().getOrg(),
                CommonMapper.name(entry.getOperation()),
                entry.getRecordCount(), instant(entry.getOccurredAt()),
                entry.getRequestingNode().isEmpty() ? null : entry.getRequestingNode());
    }

    static UsageSummaryView view(UsageSummary summary) {
        return new UsageSummaryView(summary.getOrg(), summary.getProvidedList().stream().map(CatalogMapper::view)
                .toList(), summary.getConsumedList().stream().map(CatalogMapper::view).toList(),
                summary.getProvidedRecordCount(), summary.getConsumedRecordCount());
    }

    private static UsageView view(UsageEntry entry) {
        return new UsageView(entry.getDatasetId(), entry.getDatasetTitle(), entry.getOwnerOrg(), entry.getReaderOrg(),
                entry.getAccessCount(), entry.getRecordCount(), instant(entry.getFirstAccessAt()),
                instant(entry.getLastAccessAt()));
    }
}
