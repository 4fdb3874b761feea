package org.mihub.catalog.repository;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.catalog.service.Dataset;
import org.mihub.common.access.SharingColumns;
import org.mihub.common.access.SqlCondition;
import org.mihub.common.access.Visibility;

/**
 * The dataset table over plain JDBC, where SQL does the work: lists and search scopes with the read
 * rule applied in SQL ({@code AccessRule.readCondition} over {@link #SHARING}), and the ingest's row
 * lock and version bump, which run on the ingest's own connection and transaction, the one its COPY
 * writes go through (a second connection would wait on the lock or commit apart). Deleted datasets
 * are never returned. Single datasets are read and changed through {@link DatasetRepository}.
 */
@ApplicationScoped
public class DatasetSql {

    /**
     * Where the {@code dataset} table (alias {@code d}) keeps its sharing; the visibility in effect
     * (an embargo that has passed applied) is computed on every read, so nobody has to act.
     */
    public static final SharingColumns SHARING = SharingColumns.of("d")
            .withEmbargo("d.embargo_until", "d.embargo_visibility");

    private static final String COLUMNS = "d.id, d.owner_org, d.title, d.description, d.licence, "
            + SHARING.effectiveVisibility() + " AS effective_visibility, d.shared_with, "
            + "CASE WHEN d.embargo_until > now() THEN d.embargo_until END AS pending_until, d.embargo_visibility, "
            + "d.citation, d.doi, d.version, d.row_count, d.created_by, d.created_at, d.updated_at";

    @Inject
    DataSource dataSource;

    /** A filter of the dataset list. Empty strings and null mean "any". */
    /** @param ids only these datasets; empty for any */
    public record ListFilter(String ownerOrg, Visibility visibility, String text, List<UUID> ids) {
    }

    /** A page of datasets and the cursor of the next one (null on the last page). */
    public record Page(List<Dataset> datasets, String nextCursor) {
    }

    /**
     * Locks the dataset's row on {@code connection} until its transaction ends and reads it (not
     * deleted, whoever may see it: callers check access): the ingest's first statement.
     */
    public Optional<Dataset> lockForIngest(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM dataset d WHERE d.id = ? AND d.deleted_at IS NULL FOR UPDATE")) {
            select.setObject(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(map(rows)) : Optional.empty();
            }
        }
    }

    /**
     * Ids of the datasets in the read scope that are not deleted, narrowed to {@code only} and to
     * the {@code owners} when those are given: the scope of a material search.
     */
    public List<UUID> visibleIds(SqlCondition scope, List<UUID> only, List<String> owners) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT d.id FROM dataset d WHERE d.deleted_at IS NULL AND ")
                .append(scope.sql());
        List<Object> parameters = new ArrayList<>(scope.parameters());
        if (!only.isEmpty()) {
            sql.append(" AND d.id = ANY(?)");
            parameters.add(only.toArray(UUID[]::new));
        }
        if (!owners.isEmpty()) {
            sql.append(" AND d.owner_org = ANY(?)");
            parameters.add(owners.toArray(String[]::new));
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql.toString())) {
            MaterialRepository.bind(connection, select, parameters);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

    /** Visible datasets, newest first, {@code limit} per page from {@code cursor}. */
    public Page list(SqlCondition scope, ListFilter filter, String cursor, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM dataset d WHERE d.deleted_at IS NULL AND ")
                .append(scope.sql());
        List<Object> parameters = new ArrayList<>(scope.parameters());
        if (filter.ownerOrg() != null && !filter.ownerOrg().isEmpty()) {
            sql.append(" AND d.owner_org = ?");
            parameters.add(filter.ownerOrg());
        }
        if (filter.visibility() != null) {
            sql.append(" AND ").append(SHARING.effectiveVisibility()).append(" = ?");
            parameters.add(filter.visibility().name());
        }
        if (filter.text() != null && !filter.text().isBlank()) {
            sql.append(" AND (d.title ILIKE ? OR d.description ILIKE ? OR d.citation ILIKE ?)");
            String pattern = "%" + filter.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            parameters.addAll(List.of(pattern, pattern, pattern));
        }
        if (!filter.ids().isEmpty()) {
            sql.append(" AND d.id = ANY(?)");
            parameters.add(filter.ids().toArray(new UUID[0]));
        }
        Cursor after = Cursor.decode(cursor);
        if (after != null) {
            sql.append(" AND (d.created_at, d.id) < (?, ?)");
            parameters.add(Timestamp.from(after.createdAt()));
            parameters.add(after.id());
        }
        sql.append(" ORDER BY d.created_at DESC, d.id DESC LIMIT ?");
        parameters.add(limit + 1);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql.toString())) {
            MaterialRepository.bind(connection, select, parameters);
            List<Dataset> datasets = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    datasets.add(map(rows));
                }
            }
            if (datasets.size() <= limit) {
                return new Page(datasets, null);
            }
            Dataset last = datasets.get(limit - 1);
            return new Page(datasets.subList(0, limit), new Cursor(last.createdAt(), last.id()).encode());
        }
    }

    /** A new data version after an ingest of {@code rows} materials, on the ingest's connection. */
    public void addVersion(Connection connection, UUID id, int version, long rows) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE dataset SET version = ?, row_count = row_count + ?, updated_at = now() WHERE id = ?")) {
            update.setInt(1, version);
            update.setLong(2, rows);
            update.setObject(3, id);
            update.executeUpdate();
        }
    }

    private static Dataset map(ResultSet row) throws SQLException {
        Timestamp pendingUntil = row.getTimestamp("pending_until");
        Array shared = row.getArray("shared_with");
        return new Dataset(row.getObject("id", UUID.class), row.getString("owner_org"), row.getString("title"),
                row.getString("description"), row.getString("licence"),
                Visibility.valueOf(row.getString("effective_visibility")),
                Arrays.asList((String[]) shared.getArray()),
                pendingUntil == null ? null
                        : new Dataset.Embargo(pendingUntil.toInstant(),
                                Visibility.valueOf(row.getString("embargo_visibility"))),
                row.getString("citation"), row.getString("doi"), row.getInt("version"), row.getLong("row_count"),
                row.getString("created_by"), row.getTimestamp("created_at").toInstant(),
                row.getTimestamp("updated_at").toInstant());
    }
}
