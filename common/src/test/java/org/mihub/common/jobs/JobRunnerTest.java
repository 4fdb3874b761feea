package org.mihub.common.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mihub.common.error.ApiException;

/**
 * The job runner against an in-memory store: a job whose work throws (an Error included) is FAILED
 * at once with a message the user can act on, not left running until its heartbeat goes stale;
 * success, cancellation and the next job after a failure.
 */
class JobRunnerTest {

    /** A job as the in-memory store holds it. */
    record Row(JobState state, double progress, String message, String result) {
    }

    /** The job table's rules in memory: an ended job moves no more. */
    static final class MemoryStore implements JobStore<String> {
        final Map<UUID, Row> rows = new ConcurrentHashMap<>();
        final List<UUID> abandoned = new CopyOnWriteArrayList<>();

        void queue(UUID id) {
            rows.put(id, new Row(JobState.QUEUED, 0, "", null));
        }

        @Override
        public void move(UUID id, JobState state, double progress, String message, String result) {
            rows.computeIfPresent(id, (key, row) -> row.state().finished() ? row
                    : new Row(state, progress, message, result == null ? row.result() : result));
        }

        @Override
        public void heartbeat(Collection<UUID> ids) {
        }

        @Override
        public void failAbandoned(UUID id, long seconds) {
            abandoned.add(id);
        }
    }

    private final MemoryStore store = new MemoryStore();
    private final JobRunner<String> runner = new JobRunner<>("training", "prediction-service", store,
            failure -> failure instanceof ApiException ? failure.getMessage()
                    : "training failed: " + failure.getClass().getSimpleName(),
            "Train on fewer rows or fewer trees, or give prediction-service a larger heap (-Xmx).");

    @AfterEach
    void close() {
        runner.close();
    }

    private UUID submit(JobRunner.Work<String> work) {
        UUID id = UUID.randomUUID();
        store.queue(id);
        runner.submit(id, work);
        return id;
    }

    /** The job once it ended; it must end well within a second, not after the heartbeat timeout. */
    private Row ended(UUID id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            Row row = store.rows.get(id);
            if (row.state().finished() && !runner.holds(id)) {
                return row;
            }
            Thread.sleep(5);
        }
        return fail("job " + id + " did not end: " + store.rows.get(id));
    }

    @Test
    void aJobThatRunsOutOfMemoryFailsAtOnceSayingWhatItAskedForWhatTheServiceHasAndWhatToDo() throws Exception {
        long started = System.nanoTime();
        UUID id = submit(job -> {
            job.progress(0.2, "cross-validating on 16000 rows");
            job.size("16000 rows × 132 features, a random forest of 500 trees, 5-fold cross-validation");
            throw new OutOfMemoryError("Java heap space");
        });
        Row row = ended(id);
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(JobRunner.HEARTBEAT_SECONDS),
                "failed at once, not after a heartbeat period");
        assertEquals(JobState.FAILED, row.state());
        long heap = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        assertEquals("training ran out of memory (Java heap space): the job asked for 16000 rows × 132 features, "
                + "a random forest of 500 trees, 5-fold cross-validation, and prediction-service has its heap of "
                + heap + " MiB (Runtime.maxMemory). Train on fewer rows or fewer trees, or give prediction-service "
                + "a larger heap (-Xmx).", row.message());
        assertEquals(List.of(), store.abandoned, "nobody waits for the heartbeat to go stale");
        assertTrue(!runner.failIfAbandoned(id, row.state().finished(), java.time.Instant.EPOCH),
                "an ended job is never failed as abandoned");
    }

    @Test
    void runningOutOfMemoryBeforeTheSizeWasSaidStillFailsWithAdvice() throws Exception {
        UUID id = submit(job -> {
            throw new OutOfMemoryError();
        });
        Row row = ended(id);
        assertEquals(JobState.FAILED, row.state());
        assertTrue(row.message().startsWith("training ran out of memory: the job asked for more than "
                + "prediction-service could hold before it said its size"), row.message());
        assertTrue(row.message().endsWith("give prediction-service a larger heap (-Xmx)."), row.message());
    }

    @Test
    void otherErrorsAndExceptionsFailWithTheServicesMessageAndTheNextJobStillRuns() throws Exception {
        UUID overflow = submit(job -> {
            throw new StackOverflowError();
        });
        UUID invalid = submit(job -> {
            throw ApiException.invalid("datasets", "only 4 usable rows");
        });
        UUID next = submit(job -> new JobRunner.Outcome<>("model gap version 1 is ready", "model-id"));
        assertEquals(new Row(JobState.FAILED, 0, "training failed: StackOverflowError", null), ended(overflow));
        assertEquals(JobState.FAILED, ended(invalid).state());
        assertEquals("datasets: only 4 usable rows", ended(invalid).message());
        assertEquals(new Row(JobState.SUCCEEDED, 1, "model gap version 1 is ready", "model-id"), ended(next));
    }

    @Test
    void progressIsRecordedAndACancelledJobStaysCancelled() throws Exception {
        CountDownLatch reported = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        UUID id = submit(job -> {
            job.progress(0.5, "fold 1 of 2 done");
            reported.countDown();
            assertTrue(cancelled.await(5, TimeUnit.SECONDS));
            job.progress(0.9, "never recorded: the job was cancelled");
            return new JobRunner.Outcome<>("never", "never");
        });
        assertTrue(reported.await(5, TimeUnit.SECONDS));
        assertEquals(new Row(JobState.RUNNING, 0.5, "fold 1 of 2 done", null), store.rows.get(id));
        runner.cancel(id, 0.5, "cancelled by alice");
        cancelled.countDown();
        assertEquals(new Row(JobState.CANCELLED, 0.5, "cancelled by alice", null), ended(id));
    }

    @Test
    void aJobCancelledWhileQueuedNeverRuns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        UUID first = submit(job -> {
            assertTrue(release.await(5, TimeUnit.SECONDS));
            return new JobRunner.Outcome<>("done", null);
        });
        boolean[] ran = {false};
        UUID queued = submit(job -> {
            ran[0] = true;
            return new JobRunner.Outcome<>("done", null);
        });
        runner.cancel(queued, 0, "cancelled by alice");
        release.countDown();
        assertEquals(JobState.SUCCEEDED, ended(first).state());
        assertEquals(new Row(JobState.CANCELLED, 0, "cancelled by alice", null), ended(queued));
        assertTrue(!ran[0], "the cancelled job's work never started");
        assertNull(store.rows.get(first).result());
    }

    @Test
    void onlyAStaleJobThatNoProcessHoldsIsFailedAsAbandoned() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        UUID held = submit(job -> {
            assertTrue(release.await(5, TimeUnit.SECONDS));
            return new JobRunner.Outcome<>("done", null);
        });
        UUID elsewhere = UUID.randomUUID();
        java.time.Instant stale = java.time.Instant.now().minusSeconds(JobRunner.ABANDONED_AFTER_SECONDS + 1);
        assertTrue(!runner.failIfAbandoned(held, false, stale), "a job this process runs is alive");
        assertTrue(!runner.failIfAbandoned(elsewhere, false, java.time.Instant.now()), "a fresh heartbeat");
        assertTrue(runner.failIfAbandoned(elsewhere, false, stale));
        assertEquals(List.of(elsewhere), store.abandoned);
        release.countDown();
        ended(held);
    }
}
