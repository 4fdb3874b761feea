package org.mihub.common.grpc;

import java.time.Instant;

import org.mihub.common.jobs.JobAttempt;

import com.google.protobuf.Timestamp;

/** The parts of a {@code Job} message every service with jobs writes the same way. */
public final class JobMessages {

    private JobMessages() {
    }

    /** One attempt at a job as the API sends it. */
    public static org.mihub.api.common.v1.JobAttempt attempt(JobAttempt attempt) {
        var message = org.mihub.api.common.v1.JobAttempt.newBuilder().setNumber(attempt.number())
                .setWorker(attempt.worker()).setStartedAt(timestamp(attempt.startedAt()));
        if (attempt.endedAt() != null) {
            message.setEndedAt(timestamp(attempt.endedAt()));
        }
        if (attempt.outcome() != null) {
            message.setOutcome(attempt.outcome());
        }
        return message.build();
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
