package org.mihub.common.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.UUID;

import javax.sql.DataSource;

/**
 * The columns every service's {@code job} table shares ({@code id, kind, state, progress, message,
 * owner_org, created_by, created_at, updated_at}) and the one column that holds what a succeeded job
 * produced ({@code result_id} for a model, {@code report} for a simulation report). Each service
 * keeps only its own columns (what was asked, who may see it): its insert and its read.
 */
public final class JobTable<R> implements JobStore<R> {

    private final DataSource dataSource;
    private final String update;

    /** {@code resultColumn}: a fixed column name of the service's job table, never user input. */
    public JobTable(DataSource dataSource, String resultColumn) {
        if (!resultColumn.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a column name: " + resultColumn);
        }
        this.dataSource = dataSource;
        this.update = "UPDATE job SET state = ?, progress = ?, message = ?, " + resultColumn + " = coalesce(?, "
                + resultColumn + "), updated_at = now() WHERE id = ? AND state IN ('QUEUED', 'RUNNING')";
    }

    @Override
    public void move(UUID id, JobState state, double progress, String message, R result) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(update)) {
            statement.setString(1, state.name());
            statement.setDouble(2, progress);
            statement.setString(3, message);
            statement.setObject(4, result);
            statement.setObject(5, id);
            statement.executeUpdate();
        }
    }

    /** Marks the jobs this process is running as alive. */
    @Override
    public void heartbeat(Collection<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE job SET updated_at = now() WHERE id = ANY(?) AND state IN ('QUEUED', 'RUNNING')")) {
            update.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            update.executeUpdate();
        }
    }

    /** A job without a heartbeat for {@code seconds} cannot finish: it is marked failed. */
    @Override
    public void failAbandoned(UUID id, long seconds) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE job SET state = 'FAILED', message = 'the process running the job stopped; submit it again', "
                        + "updated_at = now() WHERE id = ? AND state IN ('QUEUED', 'RUNNING') "
                        + "AND updated_at < now() - make_interval(secs => ?)")) {
            update.setObject(1, id);
            update.setDouble(2, seconds);
            update.executeUpdate();
        }
    }
}
