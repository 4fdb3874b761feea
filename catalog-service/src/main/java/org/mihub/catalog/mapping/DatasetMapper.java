package org.mihub.catalog.mapping;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.mihub.api.catalog.v1.CreateDatasetRequest;
import org.mihub.api.catalog.v1.Embargo;
import org.mihub.catalog.service.Dataset;
import org.mihub.catalog.service.DatasetService;
import org.mihub.common.error.ApiException;
import org.mihub.common.access.Visibility;

import com.google.protobuf.Timestamp;

/** Catalog protobuf messages to domain types and back. */
public final class DatasetMapper {

    private DatasetMapper() {
    }

    public static org.mihub.api.catalog.v1.Dataset toProto(Dataset dataset) {
        var proto = org.mihub.api.catalog.v1.Dataset.newBuilder().setId(dataset.id().toString())
                .setOwnerOrg(dataset.ownerOrg()).setTitle(dataset.title()).setDescription(dataset.description())
                .setLicence(dataset.licence()).setVisibility(toProto(dataset.visibility()))
                .addAllSharedWith(dataset.sharedWith()).setCitation(dataset.citation())
                .setVersion(dataset.version()).setRowCount(dataset.rowCount()).setCreatedBy(dataset.createdBy())
                .setCreatedAt(timestamp(dataset.createdAt())).setUpdatedAt(timestamp(dataset.updatedAt()));
        if (dataset.doi() != null) {
            proto.setDoi(dataset.doi());
        }
        if (dataset.embargo() != null) {
            proto.setEmbargo(Embargo.newBuilder().setUntil(timestamp(dataset.embargo().until()))
                    .setLiftsTo(toProto(dataset.embargo().liftsTo())));
        }
        return proto.build();
    }

    public static DatasetService.Draft toDraft(CreateDatasetRequest request) {
        return new DatasetService.Draft(request.getOwnerOrg(), request.getTitle(), request.getDescription(),
                request.getLicence(), visibilityOrNull("visibility", request.getVisibility()), request.getSharedWithList(),
                embargo(request.hasEmbargo() ? request.getEmbargo() : null), request.getCitation(),
                request.hasDoi() ? request.getDoi() : null);
    }

    public static Dataset.Embargo embargo(Embargo embargo) {
        if (embargo == null) {
            return null;
        }
        return new Dataset.Embargo(embargo.hasUntil() ? instant(embargo.getUntil()) : null,
                visibilityOrNull("embargo.lifts_to", embargo.getLiftsTo()));
    }

    /**
     * VISIBILITY_UNSPECIFIED becomes null, for the service to default or refuse; a number the
     * contract does not name (a client on another version, or a typo such as 77) is refused.
     */
    public static Visibility visibilityOrNull(String field, org.mihub.api.common.v1.Visibility visibility) {
        return switch (visibility) {
            case PRIVATE -> Visibility.PRIVATE;
            case SHARED -> Visibility.SHARED;
            case CONSORTIUM -> Visibility.CONSORTIUM;
            case PUBLIC -> Visibility.PUBLIC;
            case VISIBILITY_UNSPECIFIED -> null;
            case UNRECOGNIZED -> throw ApiException.invalid(field, "not a visibility: use PRIVATE, SHARED, CONSORTIUM "
                    + "or PUBLIC");
        };
    }

    public static org.mihub.api.common.v1.Visibility toProto(Visibility visibility) {
        return org.mihub.api.common.v1.Visibility.valueOf(visibility.name());
    }

    public static UUID id(String field, String value) {
        return ApiException.id(field, value);
    }

    /** The ids a dataset list is restricted to: at most {@link #MAX_IDS}, each a UUID, named by position. */
    public static List<UUID> ids(List<String> given) {
        if (given.size() > MAX_IDS) {
            throw ApiException.invalid("ids", given.size() + " ids; at most " + MAX_IDS + " in one request");
        }
        List<UUID> ids = new ArrayList<>(given.size());
        for (int k = 0; k < given.size(); k++) {
            ids.add(id("ids[" + k + "]", given.get(k)));
        }
        return ids;
    }

    public static final int MAX_IDS = 500;

    public static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    public static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
