package org.mihub.common.jobs;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;
import org.mihub.common.error.ApiException;

/**
 * Runs a service's long jobs (training, simulations) one at a time, in the order they were
 * submitted, and owns what every job has: its state in a {@link JobStore}, progress with a
 * message, the heartbeat that tells other replicas it is alive, cancellation, and the terminal
 * transition. Whatever the work throws, {@link Error}s included, ends the job FAILED at once with a
 * message the user can act on, logged at ERROR with the job id: no job is left running until its
 * heartbeat goes stale. Plain Java: a service creates one when it starts and closes it when it stops.
 */
public final class JobRunner<R> implements AutoCloseable {

    /** A job whose heartbeat is older than this cannot finish: whoever reads it next fails it. */
    public static final long ABANDONED_AFTER_SECONDS = 120;
    static final long HEARTBEAT_SECONDS = 15;

    private static final Logger LOG = Logger.getLogger(JobRunner.class);
    private static final long MIB = 1024 * 1024;

    /** A job's work: it reports progress and its size through the context and returns what it produced. */
    @FunctionalInterface
    public interface Work<R> {
        Outcome<R> run(JobContext job) throws Exception;
    }

    /** How a job succeeded: the message the user reads and what it produced (stored with the job). */
    public record Outcome<R>(String message, R result) {
    }

    /** The user-facing message of a failure other than running out of memory, per service. */
    @FunctionalInterface
    public interface Failures {
        String message(Throwable failure);
    }

    private final String kind;
    private final String service;
    private final JobStore<R> store;
    private final Failures failures;
    private final String outOfMemoryAdvice;
    private final Map<UUID, AtomicBoolean> running = new ConcurrentHashMap<>();
    private final ExecutorService queue;
    private final ScheduledExecutorService heartbeat;

    /**
     * @param kind              what the jobs are, for thread names and logs ("training", "simulation")
     * @param service           the service running them, named in out-of-memory messages
     * @param failures          the message of any other failure
     * @param outOfMemoryAdvice what to do when a job ran out of memory (smaller jobs, a larger heap
     *                          and where it is set)
     */
    public JobRunner(String kind, String service, JobStore<R> store, Failures failures, String outOfMemoryAdvice) {
        this.kind = kind;
        this.service = service;
        this.store = store;
        this.failures = failures;
        this.outOfMemoryAdvice = outOfMemoryAdvice;
        this.queue = Executors.newSingleThreadExecutor(daemon(kind));
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(daemon(kind + "-heartbeat"));
        heartbeat.scheduleWithFixedDelay(this::beat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    private static ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Queues the work of a job already stored as QUEUED. */
    public void submit(UUID id, Work<R> work) {
        AtomicBoolean cancelled = new AtomicBoolean();
        running.put(id, cancelled);
        try {
            queue.execute(() -> execute(id, cancelled, work));
        } catch (RuntimeException e) {
            running.remove(id);
            throw e;
        }
    }

    /** True while this process holds the job (queued or running). */
    public boolean holds(UUID id) {
        return running.containsKey(id);
    }

    /** Asks the work to stop (when this process holds it) and records the job CANCELLED unless it ended. */
    public void cancel(UUID id, double progress, String message) throws java.sql.SQLException {
        AtomicBoolean flag = running.get(id);
        if (flag != null) {
            flag.set(true);
        }
        store.move(id, JobState.CANCELLED, progress, message, null);
    }

    /**
     * Fails a job that is not finished, not held here and whose heartbeat is stale (its process
     * stopped); true when it did, and the caller reads the job again.
     */
    public boolean failIfAbandoned(UUID id, boolean finished, Instant updatedAt) throws java.sql.SQLException {
        if (finished || running.containsKey(id)
                || !updatedAt.isBefore(Instant.now().minusSeconds(ABANDONED_AFTER_SECONDS))) {
            return false;
        }
        store.failAbandoned(id, ABANDONED_AFTER_SECONDS);
        return true;
    }

    private void beat() {
        try {
            store.heartbeat(running.keySet());
        } catch (Throwable e) {
            // a scheduled task that throws is never run again: every job would then look abandoned
            LOG.warnf("%s heartbeat failed: %s", kind, e.toString());
        }
    }

    private void execute(UUID id, AtomicBoolean cancelled, Work<R> work) {
        JobContext job = new JobContext(id, cancelled, (share, message) -> {
            try {
                store.move(id, JobState.RUNNING, share, message, null);
            } catch (Exception e) {
                LOG.warnf("progress of %s job %s not recorded: %s", kind, id, e.toString());
            }
        });
        try {
            if (cancelled.get()) {
                return;
            }
            Outcome<R> outcome = work.run(job);
            store.move(id, JobState.SUCCEEDED, 1, outcome.message(), outcome.result());
        } catch (Throwable failure) {
            if (cancelled.get()) {
                if (failure instanceof JobCancelledException || failure instanceof CancellationException
                        || failure instanceof InterruptedException) {
                    LOG.infof("%s job %s cancelled", kind, id);
                } else {
                    LOG.warnf(failure, "%s job %s failed after it was cancelled", kind, id);
                }
            } else {
                fail(id, job, failure);
            }
        } finally {
            running.remove(id);
        }
    }

    private void fail(UUID id, JobContext job, Throwable failure) {
        String message = null;
        try {
            message = failure instanceof OutOfMemoryError ? outOfMemory((OutOfMemoryError) failure, job.size())
                    : failures.message(failure);
        } catch (Throwable e) {
            failure.addSuppressed(e);
        }
        if (message == null || message.isBlank()) {
            message = kind + " failed: " + failure.getClass().getSimpleName();
        }
        if (failure instanceof ApiException) {
            LOG.errorf("%s job %s failed: %s", kind, id, message);
        } else {
            LOG.errorf(failure, "%s job %s failed: %s", kind, id, message);
        }
        try {
            store.move(id, JobState.FAILED, 0, message, null);
        } catch (Throwable e) {
            LOG.errorf(e, "the failure of %s job %s was not recorded", kind, id);
        }
    }

    /** What was asked for, what the service has and what to do about it. */
    String outOfMemory(OutOfMemoryError error, String size) {
        long max = Runtime.getRuntime().maxMemory();
        String heap = max == Long.MAX_VALUE ? "its heap" : "its heap of " + max / MIB + " MiB (Runtime.maxMemory)";
        String detail = error.getMessage() == null || error.getMessage().isBlank() ? "" : " (" + error.getMessage() + ")";
        return kind + " ran out of memory" + detail + ": the job asked for "
                + (size == null ? "more than " + service + " could hold before it said its size" : size)
                + ", and " + service + " has " + heap + ". " + outOfMemoryAdvice;
    }

    /** Stops the heartbeat and the work; jobs still running are failed by the next reader once stale. */
    @Override
    public void close() {
        running.values().forEach(flag -> flag.set(true));
        heartbeat.shutdownNow();
        queue.shutdownNow();
    }
}
