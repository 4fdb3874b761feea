package org.mihub.common.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.UUID;

import javax.sql.DataSource;

/**
 * Liveness of long jobs in a service's own {@code job} table (columns {@code id}, {@code state},
 * {@code message}, {@code updated_at}): the process running a job touches it regularly, and a job
 * whose process stopped is failed by whichever replica reads it next. Shared by every service that
 * runs jobs (training, simulations).
 */
public final class JobHeartbeat {

    private JobHeartbeat() {
    }

    /** Marks the jobs this process is running as alive. */
    public static void touch(DataSource dataSource, Collection<UUID> ids) throws SQLException {
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
    public static void failAbandoned(DataSource dataSource, UUID id, long seconds) throws SQLException {
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
