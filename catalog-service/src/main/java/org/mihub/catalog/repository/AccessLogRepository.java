package org.mihub.catalog.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.catalog.service.Usage;

/** Reads of an organisation's data by others: who, which org, which dataset, how much, when. */
@ApplicationScoped
public class AccessLogRepository {

    @Inject
    DataSource dataSource;

    public void record(String readerSubject, String readerOrg, UUID datasetId, String ownerOrg, String operation,
            long records, String requestingNode) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            record(connection, readerSubject, readerOrg, datasetId, ownerOrg, operation, records, requestingNode);
        }
    }

    /** As {@link #record(String, String, UUID, String, String, long, String)} without a requesting node. */
    public void record(Connection connection, String readerSubject, String readerOrg, UUID datasetId,
            String ownerOrg, String operation, long records) throws SQLException {
        record(connection, readerSubject, readerOrg, datasetId, ownerOrg, operation, records, null);
    }

    /**
     * A read, on the caller's connection (and transaction); {@code requestingNode}: the federation node
     * that asked on the reader's behalf, or null.
     */
    public void record(Connection connection, String readerSubject, String readerOrg, UUID datasetId,
            String ownerOrg, String operation, long records, String requestingNode) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO access_log (reader_subject, "
                + "reader_org, dataset_id, owner_org, operation, records, requesting_node) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, readerSubject);
            insert.setString(2, readerOrg);
            insert.setObject(3, datasetId);
            insert.setString(4, ownerOrg);
            insert.setString(5, operation);
            insert.setLong(6, records);
            insert.setString(7, requestingNode);
            insert.executeUpdate();
        }
    }

    /**
     * Entries newest first: of one dataset, or of every dataset owned by {@code ownerOrg} (null:
     * all owners), optionally only by one reader organisation and within [since, until).
     */
    public List<Usage.Entry> list(UUID datasetId, String ownerOrg, String readerOrg, Instant since, Instant until,
            Long beforeId, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT id, dataset_id, owner_org, reader_subject, reader_org, "
                + "operation, records, at, requesting_node FROM access_log WHERE TRUE");
        List<Object> parameters = new ArrayList<>();
        if (datasetId != null) {
            sql.append(" AND dataset_id = ?");
            parameters.add(datasetId);
        }
        if (ownerOrg != null) {
            sql.append(" AND owner_org = ?");
            parameters.add(ownerOrg);
        }
        if (readerOrg != null && !readerOrg.isEmpty()) {
            sql.append(" AND reader_org = ?");
            parameters.add(readerOrg);
        }
        period(sql, parameters, since, until);
        if (beforeId != null) {
            sql.append(" AND id < ?");
            parameters.add(beforeId);
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        parameters.add(limit);
        List<Usage.Entry> entries = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql.toString())) {
            MaterialRepository.bind(connection, select, parameters);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    entries.add(new Usage.Entry(rows.getLong(1), rows.getObject(2, UUID.class), rows.getString(3),
                            rows.getString(4), rows.getString(5), rows.getString(6), rows.getLong(7),
                            rows.getTimestamp(8).toInstant(), rows.getString(9)));
                }
            }
        }
        return entries;
    }

    /** Reads aggregated per dataset and reader organisation; {@code provided}: org is the owner, else the reader. */
    public List<Usage.Aggregate> aggregate(String org, boolean provided, Instant since, Instant until)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT a.dataset_id, d.title, a.owner_org, a.reader_org, count(*), "
                + "sum(a.records), min(a.at), max(a.at) FROM access_log a JOIN dataset d ON d.id = a.dataset_id WHERE ")
                .append(provided ? "a.owner_org = ?" : "a.reader_org = ?");
        List<Object> parameters = new ArrayList<>(List.of(org));
        period(sql, parameters, since, until);
        sql.append(" GROUP BY a.dataset_id, d.title, a.owner_org, a.reader_org ORDER BY sum(a.records) DESC");
        List<Usage.Aggregate> aggregates = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql.toString())) {
            MaterialRepository.bind(connection, select, parameters);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    aggregates.add(new Usage.Aggregate(rows.getObject(1, UUID.class), rows.getString(2),
                            rows.getString(3), rows.getString(4), rows.getLong(5), rows.getLong(6),
                            rows.getTimestamp(7).toInstant(), rows.getTimestamp(8).toInstant()));
                }
            }
        }
        return aggregates;
    }

    private static void period(StringBuilder sql, List<Object> parameters, Instant since, Instant until) {
        if (since != null) {
            sql.append(" AND at >= ?");
            parameters.add(Timestamp.from(since));
        }
        if (until != null) {
            sql.append(" AND at < ?");
            parameters.add(Timestamp.from(until));
        }
    }
}
