package org.mihub.common.jobs;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * What a job's work sees of its job: its id, a way to report progress, whether it was cancelled,
 * and a place to say how large it is before the heavy part, so that running out of memory can be
 * reported with what was asked for.
 */
public final class JobContext {

    /** Records progress; a failure to record it is the runner's to log, not the work's to handle. */
    interface Progress {
        void record(double share, String message);
    }

    private final UUID id;
    private final AtomicBoolean cancelled;
    private final Progress progress;
    private volatile String size;

    JobContext(UUID id, AtomicBoolean cancelled, Progress progress) {
        this.id = id;
        this.cancelled = cancelled;
        this.progress = progress;
    }

    public UUID id() {
        return id;
    }

    /** Records the job as running at {@code share} (0..1) with {@code message}; throws when it was cancelled. */
    public void progress(double share, String message) {
        checkCancelled();
        progress.record(share, message);
    }

    /**
     * Records progress without checking cancellation: for the callbacks of a computation that polls
     * {@link #cancellation()} itself (a throw from inside it would not end it cleanly).
     */
    public void record(double share, String message) {
        progress.record(share, message);
    }

    /** True once cancellation was asked for (or the service is stopping). */
    public boolean cancelled() {
        return cancelled.get();
    }

    /** The cancellation as a supplier, for computations that poll it themselves. */
    public BooleanSupplier cancellation() {
        return cancelled::get;
    }

    /** Throws {@link JobCancelledException} when cancellation was asked for. */
    public void checkCancelled() {
        if (cancelled.get()) {
            throw new JobCancelledException();
        }
    }

    /**
     * How much the job asked for, in the user's terms (e.g. "16000 rows × 132 features, a random
     * forest of 500 trees, 5-fold cross-validation"); said again when it becomes more precise.
     */
    public void size(String description) {
        this.size = description;
    }

    /** The last size said, null before any. */
    public String size() {
        return size;
    }
}
