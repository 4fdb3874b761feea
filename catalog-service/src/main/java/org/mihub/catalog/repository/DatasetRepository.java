package org.mihub.catalog.repository;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
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

/** Datasets in PostgreSQL, with the read rule applied in SQL. Deleted datasets are never returned. */
@ApplicationScoped
public class DatasetRepository {

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

    public void insert(Connection connection, Dataset dataset) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO dataset (id, owner_org, title, "
                + "description, licence, visibility, shared_with, embargo_until, embargo_visibility, citation, doi, "
                + "version, row_count, created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            insert.setObject(1, dataset.id());
            insert.setString(2, dataset.ownerOrg());
            insert.setString(3, dataset.title());
            insert.setString(4, dataset.description());
            insert.setString(5, dataset.licence());
            insert.setString(6, dataset.visibility().name());
            insert.setArray(7, connection.createArrayOf("text", dataset.sharedWith().toArray()));
            insert.setTimestamp(8, dataset.embargo() == null ? null : Timestamp.from(dataset.embargo().until()));
            insert.setString(9, dataset.embargo() == null ? null : dataset.embargo().liftsTo().name());
            insert.setString(10, dataset.citation());
            insert.setString(11, dataset.doi());
            insert.setInt(12, dataset.version());
            insert.setLong(13, dataset.rowCount());
            insert.setString(14, dataset.createdBy());
            insert.setTimestamp(15, Timestamp.from(dataset.createdAt()));
            insert.setTimestamp(16, Timestamp.from(dataset.updatedAt()));
            insert.executeUpdate();
        }
    }

    /** The dataset if it exists and is not deleted, whoever may see it (callers check access). */
    public Optional<Dataset> find(Connection connection, UUID id, boolean forUpdate) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM dataset d WHERE d.id = ? AND d.deleted_at IS NULL" + (forUpdate ? " FOR UPDATE" : ""))) {
            select.setObject(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(map(rows)) : Optional.empty();
            }
        }
    }

    public Optional<Dataset> find(UUID id) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return find(connection, id, false);
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

    public void updateSharing(Connection connection, UUID id, Visibility visibility, List<String> sharedWith,
            Dataset.Embargo embargo) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE dataset SET visibility = ?, "
                + "shared_with = ?, embargo_until = ?, embargo_visibility = ?, updated_at = now() WHERE id = ?")) {
            update.setString(1, visibility.name());
            update.setArray(2, connection.createArrayOf("text", sharedWith.toArray()));
            update.setTimestamp(3, embargo == null ? null : Timestamp.from(embargo.until()));
            update.setString(4, embargo == null ? null : embargo.liftsTo().name());
            update.setObject(5, id);
            update.executeUpdate();
        }
    }

    public Instant softDelete(Connection connection, UUID id, String subject, String reason) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE dataset SET deleted_at = now(), "
                + "deleted_by = ?, delete_reason = ?, updated_at = now() WHERE id = ? RETURNING deleted_at")) {
            update.setString(1, subject);
            update.setString(2, reason);
            update.setObject(3, id);
            try (ResultSet rows = update.executeQuery()) {
                rows.next();
                return rows.getTimestamp(1).toInstant();
            }
        }
    }

    /** A new data version after an ingest of {@code rows} materials. */
    public void addVersion(Connection connection, UUID id, int version, long rows) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE dataset SET version = ?, row_count = row_count + ?, updated_at = now() WHERE id = ?")) {
            update.setInt(1, version);
            update.setLong(2, rows);
            update.setObject(3, id);
            update.executeUpdate();
        }
    }

    public void audit(Connection connection, UUID id, String subject, String org, String action, String detailJson)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO dataset_audit (dataset_id, "
                + "actor_subject, actor_org, action, detail) VALUES (?, ?, ?, ?, ?::jsonb)")) {
            insert.setObject(1, id);
            insert.setString(2, subject);
            insert.setString(3, org);
            insert.setString(4, action);
            insert.setString(5, detailJson);
            insert.executeUpdate();
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
