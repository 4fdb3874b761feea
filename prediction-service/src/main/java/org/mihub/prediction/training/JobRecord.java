package org.mihub.prediction.training;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.mihub.common.jobs.JobAttempt;
import org.mihub.common.jobs.JobState;

/**
 * A background job as stored: its state, progress (0..1), last message, what it produced, and each
 * attempt at it (which process, when, how it ended).
 */
public record JobRecord(UUID id, String kind, String state, double progress, String message, String ownerOrg,
        String createdBy, UUID resultId, Instant createdAt, Instant updatedAt, List<JobAttempt> attempts) {

    public JobRecord {
        attempts = List.copyOf(attempts);
    }

    public boolean finished() {
        return JobState.valueOf(state).finished();
    }

    public JobRecord withAttempts(List<JobAttempt> attempts) {
        return new JobRecord(id, kind, state, progress, message, ownerOrg, createdBy, resultId, createdAt, updatedAt,
                attempts);
    }
}
