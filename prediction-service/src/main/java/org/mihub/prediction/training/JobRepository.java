package org.mihub.prediction.training;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.common.jobs.JobTable;

/**
 * Training jobs in PostgreSQL, so their state survives the request that started them. The columns
 * every job table has, and the moves of a job, are {@link JobTable}'s; this class holds only what
 * training adds: the request as JSON and the id of the model a job produced.
 */
@ApplicationScoped
public class JobRepository {

    @Inject
    DataSource dataSource;

    /** The shared part of the job table; a succeeded job's result is the model's id. */
    public JobTable<UUID> table() {
        return new JobTable<>(dataSource, "result_id");
    }

    public void insert(UUID id, String kind, String ownerOrg, String createdBy, String requestJson)
            throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO job (id, kind, state, owner_org, created_by, request) VALUES (?, ?, 'QUEUED', ?, ?, "
                        + "?::jsonb)")) {
            insert.setObject(1, id);
            insert.setString(2, kind);
            insert.setString(3, ownerOrg);
            insert.setString(4, createdBy);
            insert.setString(5, requestJson);
            insert.executeUpdate();
        }
    }

    public Optional<JobRecord> find(UUID id) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT id, kind, state, progress, message, owner_org, created_by, result_id, created_at, updated_at "
                        + "FROM job WHERE id = ?")) {
            select.setObject(1, id);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new JobRecord(row.getObject(1, UUID.class), row.getString(2), row.getString(3),
                        row.getDouble(4), row.getString(5), row.getString(6), row.getString(7),
                        row.getObject(8, UUID.class), row.getTimestamp(9).toInstant(),
                        row.getTimestamp(10).toInstant()));
            }
        }
    }
}
