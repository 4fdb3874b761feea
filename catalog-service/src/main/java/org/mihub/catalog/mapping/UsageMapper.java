package org.mihub.catalog.mapping;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.mihub.api.catalog.v1.AccessLogEntry;
import org.mihub.api.catalog.v1.AccessOperation;
import org.mihub.api.catalog.v1.DerivedRead;
import org.mihub.api.catalog.v1.RecordDerivedReadsRequest;
import org.mihub.api.catalog.v1.ListAccessLogResponse;
import org.mihub.api.catalog.v1.UsageEntry;
import org.mihub.api.catalog.v1.UsageSummary;
import org.mihub.api.common.v1.Caller;
import org.mihub.api.common.v1.PageInfo;
import org.mihub.catalog.service.Usage;
import org.mihub.common.error.ApiException;
import org.mihub.catalog.service.UsageService;

import com.google.protobuf.Timestamp;

/** Access log and usage between the domain and protobuf. */
public final class UsageMapper {

    private UsageMapper() {
    }

    public static Instant instantOrNull(boolean present, Timestamp timestamp) {
        return present ? DatasetMapper.instant(timestamp) : null;
    }

    /** Most datasets one derived read may name. */
    public static final int MAX_DERIVED_READS = 500;

    /**
     * Dataset id to records read, summed over repeated ids; every id a UUID and every count at
     * least 1, each problem named by its position.
     */
    public static Map<UUID, Long> derivedReads(RecordDerivedReadsRequest request) {
        if (request.getReadsCount() == 0 || request.getReadsCount() > MAX_DERIVED_READS) {
            throw ApiException.invalid("reads", "1 to " + MAX_DERIVED_READS + " datasets; " + request.getReadsCount()
                    + " given");
        }
        List<ApiException.FieldViolation> problems = new ArrayList<>();
        Map<UUID, Long> records = new LinkedHashMap<>();
        for (int k = 0; k < request.getReadsCount(); k++) {
            DerivedRead read = request.getReads(k);
            UUID id = null;
            try {
                id = UUID.fromString(read.getDatasetId());
            } catch (IllegalArgumentException e) {
                problems.add(new ApiException.FieldViolation("reads[" + k + "].dataset_id",
                        "'" + read.getDatasetId() + "' is not an id"));
            }
            if (read.getRecords() < 1) {
                problems.add(new ApiException.FieldViolation("reads[" + k + "].records", "at least 1"));
            }
            if (id != null && read.getRecords() >= 1) {
                records.merge(id, read.getRecords(), (a, b) -> a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b);
            }
        }
        if (!problems.isEmpty()) {
            throw new ApiException(ApiException.Kind.INVALID_ARGUMENT, problems.get(0).field() + ": "
                    + problems.get(0).reason(), problems);
        }
        return records;
    }

    public static ListAccessLogResponse toProto(UsageService.Page page) {
        var response = ListAccessLogResponse.newBuilder();
        for (Usage.Entry entry : page.entries()) {
            response.addEntries(AccessLogEntry.newBuilder().setId(Long.toString(entry.id()))
                    .setDatasetId(entry.datasetId().toString()).setOwnerOrg(entry.ownerOrg())
                    .setReader(Caller.newBuilder().setSubject(entry.readerSubject()).setOrg(entry.readerOrg()))
                    .setOperation(AccessOperation.valueOf("ACCESS_OPERATION_"
                            + entry.operation().toUpperCase(java.util.Locale.ROOT)))
                    .setRecordCount(entry.records()).setOccurredAt(DatasetMapper.timestamp(entry.at()))
                    .setRequestingNode(entry.requestingNode() == null ? "" : entry.requestingNode()));
        }
        return response.setPageInfo(PageInfo.newBuilder().setTotalSize(-1)
                .setNextPageToken(page.nextCursor() == null ? "" : page.nextCursor())).build();
    }

    public static UsageSummary toProto(Usage.Summary summary) {
        var proto = UsageSummary.newBuilder().setOrg(summary.org());
        if (summary.since() != null) {
            proto.setSince(DatasetMapper.timestamp(summary.since()));
        }
        if (summary.until() != null) {
            proto.setUntil(DatasetMapper.timestamp(summary.until()));
        }
        summary.provided().forEach(aggregate -> proto.addProvided(toProto(aggregate)));
        summary.consumed().forEach(aggregate -> proto.addConsumed(toProto(aggregate)));
        return proto.setProvidedRecordCount(summary.provided().stream().mapToLong(Usage.Aggregate::records).sum())
                .setConsumedRecordCount(summary.consumed().stream().mapToLong(Usage.Aggregate::records).sum()).build();
    }

    private static UsageEntry toProto(Usage.Aggregate aggregate) {
        return UsageEntry.newBuilder().setDatasetId(aggregate.datasetId().toString())
                .setDatasetTitle(aggregate.datasetTitle()).setOwnerOrg(aggregate.ownerOrg())
                .setReaderOrg(aggregate.readerOrg()).setAccessCount(aggregate.accesses())
                .setRecordCount(aggregate.records()).setFirstAccessAt(DatasetMapper.timestamp(aggregate.first()))
                .setLastAccessAt(DatasetMapper.timestamp(aggregate.last())).build();
    }
}
