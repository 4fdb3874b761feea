package org.mihub.catalog.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.catalog.service.Ingest;

/** The {@code ingest} table read back: a dataset's ingests, newest first, in keyset pages. */
@ApplicationScoped
public class IngestRepository {

    @Inject
    DataSource dataSource;

    /** Up to {@code limit} ingests of the dataset after the page token's position (null: from the newest). */
    public List<Ingest> list(UUID datasetId, String pageToken, int limit) throws SQLException {
        Cursor after = Cursor.decode(pageToken);
        String sql = "SELECT id, mode, format, source_name, rows_written, measurements_written, rows_skipped, skipped, "
                + "dataset_version, created_by, completed_at, content_sha256 FROM ingest WHERE dataset_id = ?"
                + (after == null ? "" : " AND (completed_at, id) < (?, ?)") + " ORDER BY completed_at DESC, id DESC LIMIT ?";
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            int i = 1;
            select.setObject(i++, datasetId);
            if (after != null) {
                select.setTimestamp(i++, Timestamp.from(after.createdAt()));
                select.setObject(i++, after.id());
            }
            select.setInt(i, limit);
            List<Ingest> entries = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    entries.add(new Ingest(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3),
                            rows.getString(4), rows.getLong(5), rows.getLong(6), rows.getLong(7), rows.getString(8),
                            rows.getInt(9), rows.getString(10), rows.getTimestamp(11).toInstant(), rows.getString(12)));
                }
            }
            return entries;
        }
    }

    /** The page token that continues after this entry. */
    public static String tokenAfter(Ingest entry) {
        return new Cursor(entry.completedAt(), entry.id()).encode();
    }
}
