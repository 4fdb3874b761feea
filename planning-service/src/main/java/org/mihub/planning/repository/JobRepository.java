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
import org.mihub.common.jobs.JobState;
import org.mihub.common.jobs.JobTable;

/**
 * Simulation jobs in PostgreSQL, so their state and report outlive the request that started them.
 * The columns every job table has, and the moves of a job, are {@link JobTable}'s; this class holds
 * only what simulations add: who may see a job, the stored request and the report.
 */
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
            return JobState.valueOf(state).finished();
        }

        /** The job's sharing, for the access rule. */
        public Sharing sharing() {
            return new Sharing(ownerOrg, Visibility.valueOf(visibility), sharedWith);
        }
    }

    @Inject
    DataSource dataSource;

    /** The shared part of the job table; a succeeded job's result is its report document. */
    public JobTable<byte[]> table() {
        return new JobTable<>(dataSource, "report");
    }

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
}
