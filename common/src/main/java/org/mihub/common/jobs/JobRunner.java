package org.mihub.common.jobs;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.mihub.common.error.ApiException;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

/**
 * Runs a service's long jobs (training, simulations) one at a time per process and owns what every
 * job has: its state in a {@link JobStore}, progress with a message, cancellation, the terminal
 * transition, and the lease that makes a job outlive its process. This process holds a lease on each
 * job it runs and renews it; a job whose process stopped (killed, crashed, restarted) is claimed by
 * whichever worker of the service asks next once its lease ran out, at once by a restart on the same
 * host, and its work is rebuilt from what was stored by the service's {@link Resumer}. Each start is
 * an attempt, recorded with how it ended; after the store's maximum a job fails for good. When the
 * service stops, its jobs are handed back for another process to take up, not counted as attempts.
 *
 * <p>Whatever the work throws, {@link Error}s included, ends the job FAILED at once with a message
 * the user can act on, logged at ERROR with the job id. A job that cannot be resumed fails at once
 * with the reason. Plain Java: a service creates one when it starts and closes it when it stops.
 * Its figures (jobs ended by outcome, run time, starts, held and queued) are {@link JobMetrics}.
 */
public final class JobRunner<R> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);
    private static final long MIB = 1024 * 1024;
    private static final long STOP_WAIT_SECONDS = 10;

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

    /**
     * Rebuilds a claimed job's work from what the service stored (its request, its inputs); throws
     * {@link NotResumableException} with the reason when it cannot.
     */
    @FunctionalInterface
    public interface Resumer<R> {
        Work<R> resume(UUID id) throws Exception;
    }

    /** A job that cannot be taken up again: it fails at once with this message. */
    public static final class NotResumableException extends RuntimeException {
        public NotResumableException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Who this process is and how it holds jobs.
     *
     * @param host   the host or pod name: a process that starts on it takes over at once the jobs
     *               earlier processes on it held
     * @param worker {@code host/random}, unique to this process
     * @param lease  how long a held job stays held without a renewal (renewed every third of it)
     * @param poll   how often an idle worker looks for a job to claim
     */
    public record Leases(String host, String worker, Duration lease, Duration poll) {

        public Leases {
            if (host.isBlank() || host.contains("/")) {
                throw new IllegalArgumentException("a host name without '/': " + host);
            }
            if (lease.toMillis() < 300 || poll.toMillis() < 10) {
                throw new IllegalArgumentException("a lease of at least 300 ms and a poll of at least 10 ms");
            }
        }

        /** A new worker name on {@code host}. */
        public static Leases on(String host, Duration lease, Duration poll) {
            return new Leases(host, host + "/" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16),
                    lease, poll);
        }
    }

    /** A job this process holds: its cancellation flag, and whether it lost the lease or is handed back. */
    private static final class Held {
        final AtomicBoolean cancelled = new AtomicBoolean();
        volatile boolean lost;
    }

    /** A job for the worker: local work (held since its creation), or only a wake-up (null work). */
    private record Local<R>(UUID id, Work<R> work) {
    }

    /** The log fields a job's lines carry while its work runs. */
    static final String MDC_JOB_ID = "jobId";
    static final String MDC_JOB_KIND = "jobKind";

    private final String kind;
    private final String service;
    private final JobStore<R> store;
    private final Failures failures;
    private final String outOfMemoryAdvice;
    private final Leases leases;
    private final Resumer<R> resumer;
    private final JobMetrics metrics;
    private final Map<UUID, Held> held = new ConcurrentHashMap<>();
    private final BlockingQueue<Local<R>> local = new LinkedBlockingQueue<>();
    private final Thread worker;
    private final ScheduledExecutorService heartbeat;
    private volatile boolean stopping;

    /**
     * @param kind              what the jobs are, for thread names and logs ("training", "simulation")
     * @param service           the service running them, named in out-of-memory messages
     * @param failures          the message of any other failure
     * @param outOfMemoryAdvice what to do when a job ran out of memory (smaller jobs, a larger heap
     *                          and where it is set)
     */
    public JobRunner(String kind, String service, JobStore<R> store, Failures failures, String outOfMemoryAdvice,
            Leases leases, Resumer<R> resumer) {
        this(kind, service, store, failures, outOfMemoryAdvice, leases, resumer, Metrics.globalRegistry);
    }

    /** As the public constructor, its figures in {@code registry} ({@link JobMetrics}). */
    JobRunner(String kind, String service, JobStore<R> store, Failures failures, String outOfMemoryAdvice,
            Leases leases, Resumer<R> resumer, MeterRegistry registry) {
        this.kind = kind;
        this.service = service;
        this.store = store;
        this.failures = failures;
        this.outOfMemoryAdvice = outOfMemoryAdvice;
        this.leases = leases;
        this.resumer = resumer;
        this.metrics = new JobMetrics(registry, kind, held::size, local::size);
        try {
            int taken = store.expireHost(leases.host(), leases.worker());
            if (taken > 0) {
                LOG.infof("%s: %d job(s) held by an earlier process on %s are taken up again", kind, taken,
                        leases.host());
            }
        } catch (Exception e) {
            LOG.warnf("%s: the jobs of earlier processes on %s are taken up once their leases run out (%s)", kind,
                    leases.host(), e.toString());
        }
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(daemon(kind + "-lease"));
        long renewal = Math.max(100, leases.lease().toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(this::renew, renewal, renewal, TimeUnit.MILLISECONDS);
        this.worker = daemon(kind).newThread(this::loop);
        worker.start();
    }

    private static ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** This process's worker name, the lease owner of the jobs it creates. */
    public String worker() {
        return leases.worker();
    }

    /**
     * Keeps the lease of a job this process created (stored with this worker as its lease owner)
     * renewed, while the service prepares it; then {@link #submit}, {@link #offer} or {@link #fail}.
     */
    public void hold(UUID id) {
        held.putIfAbsent(id, new Held());
    }

    /** Runs here the work of a job this process created, after the jobs queued before it. */
    public void submit(UUID id, Work<R> work) {
        hold(id);
        local.add(new Local<>(id, work));
    }

    /**
     * Frees a held job, its inputs stored, for whichever worker of the service claims it first
     * (this one is woken); its work is then the {@link Resumer}'s.
     */
    public void offer(UUID id) throws java.sql.SQLException {
        try {
            store.release(id, leases.worker(), null);
        } finally {
            held.remove(id);
        }
        local.add(new Local<>(id, null));
    }

    /** Fails a held job that could not be prepared, as a failure of its work would. */
    public void fail(UUID id, Throwable failure) {
        try {
            fail(id, null, failure);
            metrics.ended(JobState.FAILED, Duration.ZERO);
        } finally {
            held.remove(id);
        }
    }

    /** True while this process holds the job (preparing, queued or running). */
    public boolean holds(UUID id) {
        return held.containsKey(id);
    }

    /** Asks the work to stop (when this process holds it) and records the job CANCELLED unless it ended. */
    public void cancel(UUID id, double progress, String message) throws java.sql.SQLException {
        Held job = held.get(id);
        if (job != null) {
            job.cancelled.set(true);
        }
        store.cancel(id, progress, message);
    }

    private void renew() {
        try {
            Set<UUID> ids = Set.copyOf(held.keySet());
            Set<UUID> renewed = store.renew(leases.worker(), ids, leases.lease());
            for (UUID id : ids) {
                Held job = held.get(id);
                if (!renewed.contains(id) && job != null) {
                    // ended elsewhere (cancelled), or the lease ran out and another worker took it
                    job.lost = true;
                    job.cancelled.set(true);
                }
            }
        } catch (Throwable e) {
            // a scheduled task that throws is never run again; a missed renewal is retried next time
            LOG.warnf("%s lease renewal failed: %s", kind, e.toString());
        }
    }

    private void loop() {
        while (!stopping) {
            try {
                Local<R> next = local.poll();
                if (next == null || next.work() == null) {
                    Optional<JobStore.Claim> claim = store.claim(leases.worker(), leases.lease());
                    if (claim.isPresent()) {
                        logAs(claim.get().id());
                        try {
                            resume(claim.get());
                        } finally {
                            logAs(null);
                        }
                        continue;
                    }
                    next = local.poll(leases.poll().toMillis(), TimeUnit.MILLISECONDS);
                    if (next == null || next.work() == null) {
                        continue;
                    }
                }
                Held job = held.get(next.id());
                if (job == null || job.cancelled.get()) {
                    held.remove(next.id());
                    continue;
                }
                if (store.start(next.id(), leases.worker()) == 0) {
                    // cancelled or taken over meanwhile
                    held.remove(next.id());
                    continue;
                }
                metrics.started(false);
                logAs(next.id());
                try {
                    execute(next.id(), job, next.work());
                } finally {
                    logAs(null);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Throwable e) {
                if (stopping) {
                    return;
                }
                LOG.warnf("%s worker: %s; trying again in %s", kind, e.toString(), leases.poll());
                try {
                    Thread.sleep(leases.poll().toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /**
     * Every line logged on the worker while it takes up or runs a job names it: {@code jobId} and
     * {@code jobKind} among the JSON log's {@code mdc} fields (null: the worker is idle again).
     */
    private void logAs(UUID id) {
        if (id == null) {
            MDC.remove(MDC_JOB_ID);
            MDC.remove(MDC_JOB_KIND);
        } else {
            MDC.put(MDC_JOB_ID, id.toString());
            MDC.put(MDC_JOB_KIND, kind);
        }
    }

    private void resume(JobStore.Claim claim) {
        UUID id = claim.id();
        Held job = new Held();
        held.put(id, job);
        LOG.infof("%s job %s: attempt %d by %s", kind, id, claim.attempt(), leases.worker());
        metrics.started(claim.attempt() > 1);
        Work<R> work;
        try {
            work = resumer.resume(id);
        } catch (Throwable failure) {
            fail(id, failure);
            return;
        }
        execute(id, job, work);
    }

    private void execute(UUID id, Held held, Work<R> work) {
        JobContext job = new JobContext(id, held.cancelled, (share, message) -> {
            try {
                store.move(id, leases.worker(), JobState.RUNNING, share, message, null);
            } catch (Exception e) {
                LOG.warnf("progress of %s job %s not recorded: %s", kind, id, e.toString());
            }
        });
        long start = System.nanoTime();
        try {
            Outcome<R> outcome = work.run(job);
            if (!held.lost) {
                store.move(id, leases.worker(), JobState.SUCCEEDED, 1, outcome.message(), outcome.result());
                metrics.ended(JobState.SUCCEEDED, Duration.ofNanos(System.nanoTime() - start));
            }
        } catch (Throwable failure) {
            if (held.lost || stopping) {
                LOG.infof("%s job %s stopped here: %s", kind, id, held.lost ? "its lease went to another worker "
                        + "or it ended elsewhere" : "the service is stopping; it is handed back");
            } else if (held.cancelled.get()) {
                if (failure instanceof JobCancelledException || failure instanceof CancellationException
                        || failure instanceof InterruptedException) {
                    LOG.infof("%s job %s cancelled", kind, id);
                } else {
                    LOG.warnf(failure, "%s job %s failed after it was cancelled", kind, id);
                }
                metrics.ended(JobState.CANCELLED, Duration.ofNanos(System.nanoTime() - start));
            } else {
                fail(id, job, failure);
                metrics.ended(JobState.FAILED, Duration.ofNanos(System.nanoTime() - start));
            }
        } finally {
            if (!stopping) {
                this.held.remove(id);
            }
        }
    }

    private void fail(UUID id, JobContext job, Throwable failure) {
        String message = null;
        try {
            message = failure instanceof NotResumableException ? failure.getMessage()
                    : failure instanceof OutOfMemoryError
                            ? outOfMemory((OutOfMemoryError) failure, job == null ? null : job.size())
                            : failures.message(failure);
        } catch (Throwable e) {
            failure.addSuppressed(e);
        }
        if (message == null || message.isBlank()) {
            message = kind + " failed: " + failure.getClass().getSimpleName();
        }
        if (failure instanceof ApiException || failure instanceof NotResumableException) {
            LOG.errorf("%s job %s failed: %s", kind, id, message);
        } else {
            LOG.errorf(failure, "%s job %s failed: %s", kind, id, message);
        }
        try {
            store.move(id, leases.worker(), JobState.FAILED, 0, message, null);
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

    /**
     * Stops the work and hands the jobs this process holds back (not counted as attempts), so that
     * a restarted or another process takes them up at once; a job whose hand-back fails (the
     * database is gone) is taken up when its lease runs out.
     */
    @Override
    public void close() {
        stopping = true;
        held.values().forEach(job -> job.cancelled.set(true));
        worker.interrupt();
        try {
            worker.join(TimeUnit.SECONDS.toMillis(STOP_WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        heartbeat.shutdownNow();
        for (UUID id : Set.copyOf(held.keySet())) {
            try {
                store.release(id, leases.worker(), service + " stopped on " + leases.host());
                LOG.infof("%s job %s handed back: %s is stopping", kind, id, service);
            } catch (Throwable e) {
                LOG.warnf("%s job %s is taken up once its lease runs out (%s)", kind, id, e.toString());
            }
        }
        held.clear();
    }
}
