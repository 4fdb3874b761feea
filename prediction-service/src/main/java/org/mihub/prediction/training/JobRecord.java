package org.mihub.prediction.training;

import java.time.Instant;
import java.util.UUID;

import org.mihub.common.jobs.JobState;

/** A background job as stored: its state, progress (0..1), last message and what it produced. */
public record JobRecord(UUID id, String kind, String state, double progress, String message, String ownerOrg,
        String createdBy, UUID resultId, Instant createdAt, Instant updatedAt) {

    public boolean finished() {
        return JobState.valueOf(state).finished();
    }
}
