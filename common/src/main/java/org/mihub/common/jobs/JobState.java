package org.mihub.common.jobs;

/** Where a job is: waiting, running, or ended one of three ways (the names stored and sent over gRPC). */
public enum JobState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    /** An ended job moves no more: a cancelled job stays cancelled, a failed one failed. */
    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
