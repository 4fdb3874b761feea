package org.mihub.gateway.client;

import java.time.Instant;

import org.mihub.api.common.v1.Job;
import org.mihub.api.common.v1.PageInfo;
import org.mihub.api.common.v1.PageRequest;
import org.mihub.gateway.view.ModelViews.JobView;

import com.google.protobuf.Timestamp;

/** The shared contract ({@code mihub.common.v1}, protobuf timestamps) to and from the gateway's views. */
final class CommonMapper {

    private CommonMapper() {
    }

    static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    static PageRequest page(int size, String cursor) {
        return PageRequest.newBuilder().setPageSize(size).setPageToken(cursor == null ? "" : cursor).build();
    }

    /** The cursor of the next page, or null on the last one. */
    static String nextCursor(PageInfo page) {
        return page.getNextPageToken().isEmpty() ? null : page.getNextPageToken();
    }

    static String text(String value) {
        return value == null ? "" : value;
    }

    static JobView job(Job job) {
        return new JobView(job.getId(), job.getKind(), job.getState().name(), job.getProgress(), job.getMessage(),
                job.getResultId().isEmpty() ? null : job.getResultId(), instant(job.getCreatedAt()),
                instant(job.getUpdatedAt()));
    }
}
