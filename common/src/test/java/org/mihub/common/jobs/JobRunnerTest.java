package org.mihub.common.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jboss.logging.MDC;
import org.mihub.common.error.ApiException;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The job runner on its real table in a real PostgreSQL: a job whose work throws (an Error
 * included) is FAILED at once with a message the user can act on; success, cancellation, the next
 * job after a failure; and jobs outliving their process: a crashed worker's job is taken up by
 * another once its lease ran out (at once by a restart on the same host), two workers share the
 * queue without ever running one job twice, a stopping worker hands its job back uncounted, a job
 * that cannot be resumed fails at once with the reason, and the attempts are bounded and recorded;
 * and the figures an operator watches (jobs ended by outcome, starts new or resumed).
 */
class JobRunnerTest {

    private static final Duration LEASE = Duration.ofMillis(600);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final String ADVICE = "Train on fewer rows or fewer trees, or give prediction-service a larger "
            + "heap (-Xmx).";

    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    /** The columns of a job row the tests look at. */
    record Row(JobState state, double progress, String message, String result) {
    }

    /** Work per job id for the resumer of the runners under test (absent: not resumable). */
    private final Map<UUID, JobRunner.Work<String>> resumable = new ConcurrentHashMap<>();
    private final List<JobRunner<String>> runners = new ArrayList<>();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private JobTable<String> table;
    private JobRunner<String> runner;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        dataSource = postgres.getPostgresDatabase();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void createTables() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS job_input, job_attempt, job");
            // the shared columns as the services' migrations create them
            statement.execute("""
                    CREATE TABLE job (id UUID PRIMARY KEY, kind TEXT NOT NULL, state TEXT NOT NULL,
                    progress DOUBLE PRECISION NOT NULL DEFAULT 0, message TEXT NOT NULL DEFAULT '',
                    result_id TEXT, created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(), lease_owner TEXT,
                    lease_until TIMESTAMPTZ DEFAULT now() + interval '2 minutes',
                    attempts INTEGER NOT NULL DEFAULT 0);
                    CREATE TABLE job_attempt (job_id UUID NOT NULL REFERENCES job (id) ON DELETE CASCADE,
                    number INTEGER NOT NULL, worker TEXT NOT NULL, started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    ended_at TIMESTAMPTZ, outcome TEXT, PRIMARY KEY (job_id, number));
                    CREATE TABLE job_input (job_id UUID NOT NULL REFERENCES job (id) ON DELETE CASCADE,
                    position INTEGER NOT NULL, data BYTEA NOT NULL, PRIMARY KEY (job_id, position));
                    """);
        }
        table = new JobTable<>(dataSource, "result_id", 3);
        runner = runner("node-a");
    }

    @AfterEach
    void close() {
        runners.forEach(JobRunner::close);
    }

    private JobRunner<String> runner(String host) {
        JobRunner<String> made = new JobRunner<>("training", "prediction-service", table,
                failure -> failure instanceof ApiException ? failure.getMessage()
                        : "training failed: " + failure.getClass().getSimpleName(),
                ADVICE, JobRunner.Leases.on(host, LEASE, POLL), id -> {
                    JobRunner.Work<String> work = resumable.get(id);
                    if (work == null) {
                        throw new JobRunner.NotResumableException("its data were read as its caller and are gone; "
                                + "submit it again");
                    }
                    return work;
                }, metrics);
        runners.add(made);
        return made;
    }

    /** Inserts a job as a service does: queued, held by {@code owner} (null: by nobody). */
    private static UUID insert(String owner) throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO job (id, kind, state, lease_owner) VALUES (?, 'train-model', 'QUEUED', ?)")) {
            insert.setObject(1, id);
            insert.setString(2, owner);
            insert.executeUpdate();
        }
        if (owner == null) {
            execute("UPDATE job SET lease_until = NULL WHERE id = '" + id + "'");
        }
        return id;
    }

    private static void execute(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private UUID submit(JobRunner.Work<String> work) throws Exception {
        UUID id = insert(runner.worker());
        runner.submit(id, work);
        return id;
    }

    private static Row row(UUID id) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT state, progress, message, result_id FROM job WHERE id = ?")) {
            select.setObject(1, id);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next(), "job " + id + " exists");
                return new Row(JobState.valueOf(row.getString(1)), row.getDouble(2), row.getString(3),
                        row.getString(4));
            }
        }
    }

    /** The job once it ended; within {@code seconds}. */
    private Row ended(UUID id, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            Row row = row(id);
            if (row.state().finished() && runners.stream().noneMatch(r -> r.holds(id))) {
                return row;
            }
            Thread.sleep(10);
        }
        return fail("job " + id + " did not end: " + row(id));
    }

    private double count(String name, String tag, String value) {
        return metrics.get(name).tags("kind", "training", tag, value).counter().count();
    }

    private Row ended(UUID id) throws Exception {
        return ended(id, 5);
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
        assertTrue(System.nanoTime() - started < LEASE.toNanos() * 3, "failed at once, not once a lease ran out");
        assertEquals(JobState.FAILED, row.state());
        long heap = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        assertEquals("training ran out of memory (Java heap space): the job asked for 16000 rows × 132 features, "
                + "a random forest of 500 trees, 5-fold cross-validation, and prediction-service has its heap of "
                + heap + " MiB (Runtime.maxMemory). " + ADVICE, row.message());
        List<JobAttempt> attempts = table.attempts(id);
        assertEquals(1, attempts.size());
        assertEquals(runner.worker(), attempts.get(0).worker());
        assertEquals("failed: " + row.message(), attempts.get(0).outcome());
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
        assertTrue(row.message().endsWith(ADVICE), row.message());
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
        assertEquals(new Row(JobState.FAILED, 0, "datasets: only 4 usable rows", null), ended(invalid));
        assertEquals(new Row(JobState.SUCCEEDED, 1, "model gap version 1 is ready", "model-id"), ended(next));
        assertEquals(2, count("mihub.jobs.ended", "outcome", "failed"), "what an operator's alert counts");
        assertEquals(1, count("mihub.jobs.ended", "outcome", "succeeded"));
        assertEquals(1, metrics.get("mihub.jobs.run").tags("kind", "training", "outcome", "succeeded").timer().count());
        assertEquals(3, count("mihub.jobs.started", "start", "new"));
        assertEquals(0, metrics.get("mihub.jobs.held").tag("kind", "training").gauge().value());
    }

    @Test
    void everyLineAJobLogsNamesItAndTheWorkerForgetsItAfterwards() throws Exception {
        UUID id = submit(job -> new JobRunner.Outcome<>("done", MDC.get("jobKind") + " " + MDC.get("jobId")));
        assertEquals("training " + id, ended(id).result());
        UUID next = submit(job -> new JobRunner.Outcome<>("done", String.valueOf(MDC.get("jobId"))));
        assertEquals(next.toString(), ended(next).result(), "the next job's lines name the next job");
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
        assertEquals(new Row(JobState.RUNNING, 0.5, "fold 1 of 2 done", null), row(id));
        runner.cancel(id, 0.5, "cancelled by alice");
        cancelled.countDown();
        assertEquals(new Row(JobState.CANCELLED, 0.5, "cancelled by alice", null), ended(id));
        assertEquals("cancelled: cancelled by alice", table.attempts(id).get(0).outcome());
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
        assertNull(row(first).result());
        assertEquals(List.of(), table.attempts(queued), "a job cancelled before it started had no attempt");
    }

    @Test
    void aJobWhoseProcessDiedIsTakenUpByAnotherOnceItsLeaseRanOutAndItsInputsGoWhenItEnds() throws Exception {
        // held by a worker of another host that never renews: a process that was killed
        UUID id = insert("node-z/dead");
        table.storeInputs(id, List.of(new byte[] {1, 2}, new byte[] {3}));
        execute("UPDATE job SET lease_until = now() + interval '300 milliseconds', state = 'RUNNING', "
                + "progress = 0.4, attempts = 1 WHERE id = '" + id + "'");
        execute("INSERT INTO job_attempt (job_id, number, worker) VALUES ('" + id + "', 1, 'node-z/dead')");
        resumable.put(id, job -> {
            assertEquals(2, table.inputs(id).size(), "the resumed work reads what was stored");
            return new JobRunner.Outcome<>("resumed and done", "model-2");
        });
        assertEquals(new Row(JobState.SUCCEEDED, 1, "resumed and done", "model-2"), ended(id));
        List<JobAttempt> attempts = table.attempts(id);
        assertEquals(2, attempts.size());
        assertTrue(attempts.get(0).outcome().startsWith("its process (node-z/dead) stopped: no heartbeat after "),
                attempts.get(0).outcome());
        assertEquals(runner.worker(), attempts.get(1).worker());
        assertEquals("succeeded: resumed and done", attempts.get(1).outcome());
        assertEquals(1, count("mihub.jobs.started", "start", "resumed"), "a resumed start is counted as such");
        assertEquals(List.of(), table.inputs(id), "a finished job keeps no copy of its inputs");
    }

    @Test
    void aRestartOnTheSameHostTakesUpTheJobsOfTheEarlierProcessAtOnce() throws Exception {
        UUID id = insert("node-b/before-restart");
        execute("UPDATE job SET lease_until = now() + interval '1 hour' WHERE id = '" + id + "'");
        resumable.put(id, job -> new JobRunner.Outcome<>("done after the restart", "model"));
        runner("node-b");
        assertEquals(JobState.SUCCEEDED, ended(id, 3).state(), "not an hour later");
        UUID elsewhere = insert("node-c/alive");
        execute("UPDATE job SET lease_until = now() + interval '1 hour' WHERE id = '" + elsewhere + "'");
        resumable.put(elsewhere, job -> new JobRunner.Outcome<>("stolen", "model"));
        runner("node-b");
        Thread.sleep(LEASE.toMillis());
        assertEquals(JobState.QUEUED, row(elsewhere).state(), "another host's live lease is left alone");
    }

    @Test
    void aJobThatCannotBeResumedFailsAtOnceWithTheReason() throws Exception {
        UUID id = insert("node-z/dead");
        execute("UPDATE job SET lease_until = now() - interval '1 second' WHERE id = '" + id + "'");
        Row row = ended(id);
        assertEquals(JobState.FAILED, row.state());
        assertEquals("its data were read as its caller and are gone; submit it again", row.message());
    }

    @Test
    void aJobIsStartedAtMostTheMaximumNumberOfTimes() throws Exception {
        UUID id = insert("node-z/dead");
        execute("UPDATE job SET lease_until = now() - interval '1 second', attempts = 3, state = 'RUNNING' "
                + "WHERE id = '" + id + "'");
        execute("INSERT INTO job_attempt (job_id, number, worker) VALUES ('" + id + "', 3, 'node-z/dead')");
        resumable.put(id, job -> fail("a fourth attempt must not start"));
        Row row = ended(id);
        assertEquals(JobState.FAILED, row.state());
        assertTrue(row.message().startsWith("the job was started 3 times and each time the process running it "
                + "stopped before it ended (the last: its process (node-z/dead) stopped"), row.message());
        assertEquals(1, table.attempts(id).size());
    }

    @Test
    void aStoppingProcessHandsItsJobBackUncountedAndAnotherTakesItUpAtOnce() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        UUID id = submit(job -> {
            started.countDown();
            while (!job.cancelled()) {
                Thread.sleep(5);
            }
            throw new JobCancelledException();
        });
        resumable.put(id, job -> new JobRunner.Outcome<>("finished by the other process", "model"));
        assertTrue(started.await(5, TimeUnit.SECONDS));
        runner.close();
        Row handedBack = row(id);
        assertEquals(JobState.QUEUED, handedBack.state());
        assertTrue(handedBack.message().startsWith("waiting to be taken up again: prediction-service stopped on "
                + "node-a"), handedBack.message());
        JobRunner<String> other = runner("node-d");
        assertEquals(new Row(JobState.SUCCEEDED, 1, "finished by the other process", "model"), ended(id, 2));
        List<JobAttempt> attempts = table.attempts(id);
        assertEquals(1, attempts.size(), "the hand-back was not counted: the other process's attempt is 1 again");
        assertEquals(other.worker(), attempts.get(0).worker());
    }

    @Test
    void twoWorkersShareTheQueueAndNoJobRunsTwice() throws Exception {
        JobRunner<String> second = runner("node-e");
        Map<UUID, String> ranBy = new ConcurrentHashMap<>();
        Set<String> workers = ConcurrentHashMap.newKeySet();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            UUID id = insert(null);
            ids.add(id);
            resumable.put(id, job -> {
                String previous = ranBy.putIfAbsent(job.id(), Thread.currentThread().getName() + job.hashCode());
                assertNull(previous, "ran once");
                Thread.sleep(40);
                return new JobRunner.Outcome<>("done", null);
            });
        }
        for (UUID id : ids) {
            assertEquals(JobState.SUCCEEDED, ended(id, 10).state());
            List<JobAttempt> attempts = table.attempts(id);
            assertEquals(1, attempts.size());
            workers.add(attempts.get(0).worker());
        }
        assertEquals(Set.of(runner.worker(), second.worker()), workers, "both workers took jobs");
        assertNotEquals(runner.worker(), second.worker());
    }
}
