package org.mihub.gateway.client;

import java.time.Instant;

import org.mihub.api.common.v1.Job;
import org.mihub.api.common.v1.JobAttempt;
import org.mihub.api.common.v1.PageInfo;
import org.mihub.api.common.v1.PageRequest;
import org.mihub.gateway.view.ModelViews.AttemptView;
import org.mihub.gateway.view.ModelViews.JobView;

import com.google.protobuf.ProtocolMessageEnum;
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

    /**
     * An enum value as the REST dialect writes it: without its type's prefix, in lower case
     * ({@code PRIVATE} is {@code private}, {@code MODEL_STATUS_READY} is {@code ready}); null for the
     * unset value (0) and for a value this gateway's contract does not know, so a view leaves it out.
     */
    static String name(ProtocolMessageEnum value) {
        if (value instanceof Enum<?> constant && constant.name().equals("UNRECOGNIZED")) {
            return null;
        }
        return value.getNumber() == 0 ? null : ProtoJson.shortName(value.getValueDescriptor());
    }

    /** A job as {@code GET /api/v1/jobs/{id}} writes it and as it is embedded in a simulation (see ProtoJson). */
    static JobView job(Job job) {
        return new JobView(job.getId(), job.getKind(), name(job.getState()), job.getProgress(), job.getMessage(),
                job.getResultId().isEmpty() ? null : job.getResultId(), instant(job.getCreatedAt()),
                instant(job.getUpdatedAt()), job.getAttemptsList().stream().map(CommonMapper::attempt).toList());
    }

    private static AttemptView attempt(JobAttempt attempt) {
        return new AttemptView(attempt.getNumber(), attempt.getWorker(), instant(attempt.getStartedAt()),
                attempt.hasEndedAt() ? instant(attempt.getEndedAt()) : null,
                attempt.getOutcome().isEmpty() ? null : attempt.getOutcome());
    }
}
