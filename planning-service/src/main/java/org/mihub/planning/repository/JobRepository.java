package org.mihub.planning.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.common.access.Sharing;
import org.mihub.common.access.Visibility;
import org.mihub.common.jobs.JobHeartbeat;

/** Simulation jobs in PostgreSQL, so their state and report outlive the request that started them. */
@ApplicationScoped
public class JobRepository {

    /**
     * A job row; {@code request} and {@code report} are the stored SimulationSpec / SimulationReport
     * documents, {@code sharedWith} the organisations a SHARED job is readable by.
     */
    public record JobRecord(UUID id, String kind, String state, double progress, String message, String ownerOrg,
            String visibility, List<String> sharedWith, String createdBy, byte[] request, byte[] report,
            Instant createdAt, Instant updatedAt) {

        public boolean finished() {
            return state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED");
        }

        /** The job's sharing, for the access rule. */
        public Sharing sharing() {
            return new Sharing(ownerOrg, Visibility.valueOf(visibility), sharedWith);
        }
    }

    @Inject
    DataSource dataSource;

    public void insert(UUID id, String kind, String ownerOrg, String visibility, String createdBy, byte[] request)
            throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO job (id, kind, state, owner_org, visibility, created_by, request) "
                        + "VALUES (?, ?, 'QUEUED', ?, ?, ?, ?)")) {
            insert.setObject(1, id);
            insert.setString(2, kind);
            insert.setString(3, ownerOrg);
            insert.setString(4, visibility);
            insert.setString(5, createdBy);
            insert.setBytes(6, request);
            insert.executeUpdate();
        }
    }

    /** Moves a job on, unless it already ended (a cancelled job stays cancelled). */
    public void update(UUID id, String state, double progress, String message, byte[] report) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE job SET state = ?, progress = ?, message = ?, report = coalesce(?, report), updated_at = now() "
                        + "WHERE id = ? AND state IN ('QUEUED', 'RUNNING')")) {
            update.setString(1, state);
            update.setDouble(2, progress);
            update.setString(3, message);
            update.setBytes(4, report);
            update.setObject(5, id);
            update.executeUpdate();
        }
    }

    public Optional<JobRecord> find(UUID id) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT id, kind, state, progress, message, owner_org, visibility, shared_with, created_by, request, "
                        + "report, created_at, updated_at FROM job WHERE id = ?")) {
            select.setObject(1, id);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new JobRecord(row.getObject(1, UUID.class), row.getString(2), row.getString(3),
                        row.getDouble(4), row.getString(5), row.getString(6), row.getString(7),
                        List.of((String[]) row.getArray(8).getArray()), row.getString(9), row.getBytes(10),
                        row.getBytes(11), row.getTimestamp(12).toInstant(), row.getTimestamp(13).toInstant()));
            }
        }
    }

    /** Marks the jobs this process is running as alive. */
    public void heartbeat(java.util.Collection<UUID> ids) throws SQLException {
        JobHeartbeat.touch(dataSource, ids);
    }

    /** A job whose process stopped (no heartbeat for {@code seconds}) cannot finish: it is marked failed. */
    public void failAbandoned(UUID id, long seconds) throws SQLException {
        JobHeartbeat.failAbandoned(dataSource, id, seconds);
    }
}
