package org.mihub.common.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import org.mihub.common.sql.Transactions;

/**
 * The job tables every service shares, over plain JDBC: the columns of {@code job} that the runner
 * moves ({@code state, progress, message, updated_at}, the lease {@code lease_owner, lease_until},
 * the count of {@code attempts}) and the one that holds what a succeeded job produced
 * ({@code result_id} for a model, {@code report} for a simulation report); {@code job_attempt}, one
 * row per attempt; {@code job_input}, what a job needs to be taken up again by another process,
 * kept only while it is unfinished. Each service keeps its own columns (what was asked, who may
 * see it): its insert and its read.
 *
 * <p>Claims take the oldest claimable job with {@code FOR UPDATE SKIP LOCKED}, so replicas never
 * take the same job; every time is the database's, so the replicas' clocks do not matter.
 */
public final class JobTable<R> implements JobStore<R> {

    private static final String UNFINISHED = "state IN ('QUEUED', 'RUNNING')";
    private static final int OUTCOME_LENGTH = 1000;

    private final DataSource dataSource;
    private final String resultColumn;
    private final int maxAttempts;

    /**
     * @param resultColumn a fixed column name of the service's job table, never user input
     * @param maxAttempts  how many attempts a job gets before it fails for good
     */
    public JobTable(DataSource dataSource, String resultColumn, int maxAttempts) {
        if (!resultColumn.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a column name: " + resultColumn);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("a job needs at least one attempt");
        }
        this.dataSource = dataSource;
        this.resultColumn = resultColumn;
        this.maxAttempts = maxAttempts;
    }

    @Override
    public void move(UUID id, String worker, JobState state, double progress, String message, R result)
            throws SQLException {
        if (state.finished()) {
            finish(id, worker, state, progress, message, result);
            return;
        }
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE job SET state = ?, progress = ?, message = ?, updated_at = now() WHERE id = ? AND "
                        + UNFINISHED + " AND lease_owner = ?")) {
            update.setString(1, state.name());
            update.setDouble(2, progress);
            update.setString(3, message);
            update.setObject(4, id);
            update.setString(5, worker);
            update.executeUpdate();
        }
    }

    @Override
    public void cancel(UUID id, double progress, String message) throws SQLException {
        finish(id, null, JobState.CANCELLED, progress, message, null);
    }

    /** Ends a job: its state, the current attempt, its lease and its stored inputs, in one transaction. */
    private void finish(UUID id, String worker, JobState state, double progress, String message, R result)
            throws SQLException {
        inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE job SET state = ?, progress = ?, "
                    + "message = ?, " + resultColumn + " = coalesce(?, " + resultColumn + "), lease_owner = NULL, "
                    + "lease_until = NULL, updated_at = now() WHERE id = ? AND " + UNFINISHED
                    + (worker == null ? "" : " AND lease_owner = ?"))) {
                update.setString(1, state.name());
                update.setDouble(2, progress);
                update.setString(3, message);
                update.setObject(4, result);
                update.setObject(5, id);
                if (worker != null) {
                    update.setString(6, worker);
                }
                if (update.executeUpdate() == 0) {
                    return null;
                }
            }
            endAttempt(connection, id, null, state.name().toLowerCase(java.util.Locale.ROOT) + ": " + message);
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM job_input WHERE job_id = ?")) {
                delete.setObject(1, id);
                delete.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public int start(UUID id, String worker) throws SQLException {
        return inTransaction(connection -> {
            try (PreparedStatement held = connection.prepareStatement(
                    "SELECT 1 FROM job WHERE id = ? AND lease_owner = ? AND " + UNFINISHED + " FOR UPDATE")) {
                held.setObject(1, id);
                held.setString(2, worker);
                try (ResultSet row = held.executeQuery()) {
                    if (!row.next()) {
                        return 0;
                    }
                }
            }
            return startAttempt(connection, id, worker);
        });
    }

    @Override
    public Optional<Claim> claim(String worker, Duration lease) throws SQLException {
        while (true) {
            Optional<Optional<Claim>> next = inTransaction(connection -> claimOne(connection, worker, lease));
            // an outer empty: a job was found with its attempts spent and failed; look again
            if (next.isPresent()) {
                return next.get();
            }
        }
    }

    private Optional<Optional<Claim>> claimOne(Connection connection, String worker, Duration lease)
            throws SQLException {
        UUID id;
        String previous;
        Timestamp expired;
        int attempts;
        try (PreparedStatement select = connection.prepareStatement("SELECT id, lease_owner, lease_until, attempts "
                + "FROM job WHERE " + UNFINISHED + " AND (lease_until IS NULL OR lease_until < now()) "
                + "ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED")) {
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.of(Optional.empty());
                }
                id = row.getObject(1, UUID.class);
                previous = row.getString(2);
                expired = row.getTimestamp(3);
                attempts = row.getInt(4);
            }
        }
        String stopped = previous == null ? "its process stopped before the job ended"
                : "its process (" + previous + ") stopped: no heartbeat after " + expired.toInstant();
        endAttempt(connection, id, expired, stopped);
        if (attempts >= maxAttempts) {
            try (PreparedStatement fail = connection.prepareStatement("UPDATE job SET state = 'FAILED', progress = 0, "
                    + "message = ?, lease_owner = NULL, lease_until = NULL, updated_at = now() WHERE id = ?")) {
                fail.setString(1, "the job was started " + attempts + " times and each time the process running "
                        + "it stopped before it ended (the last: " + stopped + "); it is not tried again. If the "
                        + "service was killed for its memory, submit a smaller job or give the service more memory");
                fail.setObject(2, id);
                fail.executeUpdate();
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM job_input WHERE job_id = ?")) {
                delete.setObject(1, id);
                delete.executeUpdate();
            }
            return Optional.empty();
        }
        try (PreparedStatement take = connection.prepareStatement(
                "UPDATE job SET lease_owner = ?, lease_until = now() + make_interval(secs => ?) WHERE id = ?")) {
            take.setString(1, worker);
            take.setDouble(2, seconds(lease));
            take.setObject(3, id);
            take.executeUpdate();
        }
        return Optional.of(Optional.of(new Claim(id, startAttempt(connection, id, worker))));
    }

    /** Counts and records a new attempt by {@code worker}, ending any attempt still open. */
    private static int startAttempt(Connection connection, UUID id, String worker) throws SQLException {
        endAttempt(connection, id, null, "its process stopped before the job ended");
        int number;
        try (PreparedStatement count = connection.prepareStatement("UPDATE job SET attempts = attempts + 1, "
                + "updated_at = now() WHERE id = ? RETURNING attempts")) {
            count.setObject(1, id);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                number = row.getInt(1);
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO job_attempt (job_id, number, worker) VALUES (?, ?, ?) "
                        + "ON CONFLICT (job_id, number) DO UPDATE SET worker = excluded.worker, started_at = now(), "
                        + "ended_at = NULL, outcome = NULL")) {
            insert.setObject(1, id);
            insert.setInt(2, number);
            insert.setString(3, worker);
            insert.executeUpdate();
        }
        return number;
    }

    /** Ends the open attempt of a job, at {@code at} (null: now). */
    private static void endAttempt(Connection connection, UUID id, Timestamp at, String outcome) throws SQLException {
        try (PreparedStatement end = connection.prepareStatement("UPDATE job_attempt SET ended_at = coalesce(?, now()), "
                + "outcome = ? WHERE job_id = ? AND ended_at IS NULL")) {
            end.setTimestamp(1, at);
            end.setString(2, outcome.length() > OUTCOME_LENGTH ? outcome.substring(0, OUTCOME_LENGTH) : outcome);
            end.setObject(3, id);
            end.executeUpdate();
        }
    }

    @Override
    public Set<UUID> renew(String worker, Collection<UUID> ids, Duration lease) throws SQLException {
        Set<UUID> held = new HashSet<>();
        if (ids.isEmpty()) {
            return held;
        }
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE job SET lease_until = now() + make_interval(secs => ?), updated_at = now() "
                        + "WHERE id = ANY(?) AND lease_owner = ? AND " + UNFINISHED + " RETURNING id")) {
            update.setDouble(1, seconds(lease));
            update.setArray(2, connection.createArrayOf("uuid", ids.toArray()));
            update.setString(3, worker);
            try (ResultSet rows = update.executeQuery()) {
                while (rows.next()) {
                    held.add(rows.getObject(1, UUID.class));
                }
            }
        }
        return held;
    }

    @Override
    public void release(UUID id, String worker, String why) throws SQLException {
        inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(why == null
                    ? "UPDATE job SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ? AND "
                            + UNFINISHED
                    : "UPDATE job SET lease_owner = NULL, lease_until = NULL, state = 'QUEUED', progress = 0, "
                            + "message = ?, attempts = greatest(attempts - 1, 0), updated_at = now() "
                            + "WHERE id = ? AND lease_owner = ? AND " + UNFINISHED)) {
                int next = 1;
                if (why != null) {
                    update.setString(next++, "waiting to be taken up again: " + why);
                }
                update.setObject(next++, id);
                update.setString(next, worker);
                if (update.executeUpdate() > 0 && why != null) {
                    endAttempt(connection, id, null, "handed back (not counted): " + why);
                }
            }
            return null;
        });
    }

    @Override
    public int expireHost(String host, String worker) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE job SET lease_until = now() - interval '1 millisecond' WHERE " + UNFINISHED
                        + " AND lease_owner IS NOT NULL AND split_part(lease_owner, '/', 1) = ? AND lease_owner <> ?")) {
            update.setString(1, host);
            update.setString(2, worker);
            return update.executeUpdate();
        }
    }

    /**
     * Keeps what a job needs to be taken up again by any process, in order (e.g. the data it read
     * as its caller); nothing when the job already ended. Dropped when the job ends.
     */
    public void storeInputs(UUID id, List<byte[]> inputs) throws SQLException {
        inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO job_input (job_id, position, "
                    + "data) SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM job WHERE id = ? AND " + UNFINISHED + ")")) {
                for (int i = 0; i < inputs.size(); i++) {
                    insert.setObject(1, id);
                    insert.setInt(2, i);
                    insert.setBytes(3, inputs.get(i));
                    insert.setObject(4, id);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    /** The inputs stored for a job, in order; empty when none were (or it ended). */
    public List<byte[]> inputs(UUID id) throws SQLException {
        List<byte[]> inputs = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT data FROM job_input WHERE job_id = ? ORDER BY position")) {
            select.setObject(1, id);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    inputs.add(rows.getBytes(1));
                }
            }
        }
        return inputs;
    }

    /** Every attempt of a job, in order. */
    public List<JobAttempt> attempts(UUID id) throws SQLException {
        List<JobAttempt> attempts = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT number, worker, started_at, ended_at, outcome FROM job_attempt WHERE job_id = ? "
                        + "ORDER BY number")) {
            select.setObject(1, id);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Timestamp ended = rows.getTimestamp(4);
                    attempts.add(new JobAttempt(rows.getInt(1), rows.getString(2), rows.getTimestamp(3).toInstant(),
                            ended == null ? null : ended.toInstant(), rows.getString(5)));
                }
            }
        }
        return attempts;
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private <T> T inTransaction(Transactions.Work<T> work) {
        return Transactions.inTransaction(dataSource::getConnection, work);
    }
}
