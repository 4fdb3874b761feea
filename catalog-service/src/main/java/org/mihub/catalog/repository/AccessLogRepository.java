package org.mihub.catalog.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Reads of an organisation's data by others: who, which org, which dataset, how much, when. */
@ApplicationScoped
public class AccessLogRepository {

    @Inject
    DataSource dataSource;

    public void record(String readerSubject, String readerOrg, UUID datasetId, String ownerOrg, String operation,
            long records) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO access_log (reader_subject, "
                        + "reader_org, dataset_id, owner_org, operation, records) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, readerSubject);
            insert.setString(2, readerOrg);
            insert.setObject(3, datasetId);
            insert.setString(4, ownerOrg);
            insert.setString(5, operation);
            insert.setLong(6, records);
            insert.executeUpdate();
        }
    }
}
