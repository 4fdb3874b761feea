package org.mihub.catalog.mapping;

import java.time.Instant;

import org.mihub.api.catalog.v1.AccessLogEntry;
import org.mihub.api.catalog.v1.AccessOperation;
import org.mihub.api.catalog.v1.ListAccessLogResponse;
import org.mihub.api.catalog.v1.UsageEntry;
import org.mihub.api.catalog.v1.UsageSummary;
import org.mihub.api.common.v1.Caller;
import org.mihub.api.common.v1.PageInfo;
import org.mihub.catalog.service.Usage;
import org.mihub.catalog.service.UsageService;

import com.google.protobuf.Timestamp;

/** Access log and usage between the domain and protobuf. */
public final class UsageMapper {

    private UsageMapper() {
    }

    public static Instant instantOrNull(boolean present, Timestamp timestamp) {
        return present ? DatasetMapper.instant(timestamp) : null;
    }

    public static ListAccessLogResponse toProto(UsageService.Page page) {
        var response = ListAccessLogResponse.newBuilder();
        for (Usage.Entry entry : page.entries()) {
            response.addEntries(AccessLogEntry.newBuilder().setId(Long.toString(entry.id()))
                    .setDatasetId(entry.datasetId().toString()).setOwnerOrg(entry.ownerOrg())
                    .setReader(Caller.newBuilder().setSubject(entry.readerSubject()).setOrg(entry.readerOrg()))
                    .setOperation(AccessOperation.valueOf("ACCESS_OPERATION_"
                            + entry.operation().toUpperCase(java.util.Locale.ROOT)))
                    .setRecordCount(entry.records()).setOccurredAt(DatasetMapper.timestamp(entry.at())));
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
