package org.mihub.common.jobs;

/** Thrown inside a job's work when its cancellation was asked for; the runner ends the work quietly. */
public final class JobCancelledException extends RuntimeException {

    public JobCancelledException() {
        super("cancelled", null, false, false);
    }
}
