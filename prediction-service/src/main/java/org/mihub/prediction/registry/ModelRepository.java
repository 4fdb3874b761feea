package org.mihub.prediction.registry;

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

import org.mihub.common.access.SharingColumns;
import org.mihub.common.access.SqlCondition;

/** The model registry in PostgreSQL: models, their artifacts and out-of-fold predictions. */
@ApplicationScoped
public class ModelRepository {

    /** Where the {@code model} table (alias {@code m}) keeps its sharing, for the access rule in SQL. */
    public static final SharingColumns SHARING = SharingColumns.of("m");

    private static final String COLUMNS = "m.id, m.name, m.version, m.description, m.owner_org, m.visibility, "
            + "m.shared_with, m.status, m.target_property, m.target_unit, m.featuriser, m.featuriser_version, "
            + "m.feature_count, m.algorithm, m.hyper_parameters::text AS hyper_parameters, m.seed, "
            + "m.lineage::text AS lineage, m.sources, m.duplicates, m.training_rows, m.metrics::text AS metrics, "
            + "m.domain_neighbours, m.domain_quantile, m.domain_threshold, m.job_id, m.artifact_sha256, "
            + "m.artifact_size, m.created_by, m.created_at, m.archived_at";

    @Inject
    DataSource dataSource;

    public record Filter(String name, String targetProperty, String algorithm, String status, String ownerOrg,
            boolean latestOnly) {
    }

    /** Stores a finished model, its artifact and its out-of-fold predictions in one transaction. */
    public ModelRecord insert(ModelRecord model, byte[] artifact, List<OutOfFold> outOfFold) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                int version = nextVersion(connection, model.ownerOrg(), model.name());
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO model (id, name, version, "
                        + "description, owner_org, visibility, shared_with, status, target_property, target_unit, "
                        + "featuriser, featuriser_version, feature_count, algorithm, hyper_parameters, seed, lineage, "
                        + "sources, duplicates, training_rows, metrics, domain_neighbours, domain_quantile, "
                        + "domain_threshold, job_id, artifact_sha256, artifact_size, created_by, created_at) VALUES "
                        + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?, ?::jsonb, ?, ?, ?, "
                        + "?, ?, ?, ?, ?)")) {
                    int i = 1;
                    insert.setObject(i++, model.id());
                    insert.setString(i++, model.name());
                    insert.setInt(i++, version);
                    insert.setString(i++, model.description());
                    insert.setString(i++, model.ownerOrg());
                    insert.setString(i++, model.visibility());
                    insert.setArray(i++, connection.createArrayOf("text", model.sharedWith().toArray()));
                    insert.setString(i++, model.status());
                    insert.setString(i++, model.targetProperty());
                    insert.setString(i++, model.targetUnit());
                    insert.setString(i++, model.featuriser());
                    insert.setString(i++, model.featuriserVersion());
                    insert.setInt(i++, model.featureCount());
                    insert.setString(i++, model.algorithm());
                    insert.setString(i++, model.hyperParametersJson());
                    insert.setLong(i++, model.seed());
                    insert.setString(i++, model.lineageJson());
                    insert.setArray(i++, connection.createArrayOf("text", model.sources().toArray()));
                    insert.setString(i++, model.duplicates());
                    insert.setLong(i++, model.trainingRows());
                    insert.setString(i++, model.metricsJson());
                    insert.setInt(i++, model.domainNeighbours());
                    insert.setDouble(i++, model.domainQuantile());
                    insert.setDouble(i++, model.domainThreshold());
                    insert.setObject(i++, model.jobId());
                    insert.setString(i++, model.artifactSha256());
                    insert.setLong(i++, model.artifactSize());
                    insert.setString(i++, model.createdBy());
                    insert.setTimestamp(i, Timestamp.from(model.createdAt()));
                    insert.executeUpdate();
                }
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO model_artifact (model_id, content) VALUES (?, ?)")) {
                    insert.setObject(1, model.id());
                    insert.setBytes(2, artifact);
                    insert.executeUpdate();
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO model_out_of_fold (model_id, "
                        + "position, material_ids, dataset_id, reduced_formula, fold, observed, mean, std) VALUES "
                        + "(?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (OutOfFold row : outOfFold) {
                        insert.setObject(1, model.id());
                        insert.setInt(2, row.position());
                        insert.setString(3, row.materialIds());
                        insert.setObject(4, row.datasetId());
                        insert.setString(5, row.reducedFormula());
                        insert.setInt(6, row.fold());
                        insert.setDouble(7, row.observed());
                        insert.setDouble(8, row.mean());
                        insert.setDouble(9, row.std());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        return find(model.id()).orElseThrow();
    }

    private static int nextVersion(Connection connection, String owner, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT coalesce(max(version), 0) + 1 FROM model WHERE owner_org = ? AND name = ?")) {
            select.setString(1, owner);
            select.setString(2, name);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    public Optional<ModelRecord> find(UUID id) throws SQLException {
        List<ModelRecord> found = query("SELECT " + COLUMNS + " FROM model m WHERE m.id = ?", List.of(id));
        return found.stream().findFirst();
    }

    /** Visible models, newest first, {@code limit + 1} from {@code offset}. */
    public List<ModelRecord> list(SqlCondition scope, Filter filter, long offset, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM model m WHERE ").append(scope.sql());
        List<Object> parameters = new ArrayList<>(scope.parameters());
        if (filter.name() != null && !filter.name().isEmpty()) {
            sql.append(" AND m.name = ?");
            parameters.add(filter.name());
        }
        if (filter.targetProperty() != null && !filter.targetProperty().isEmpty()) {
            sql.append(" AND m.target_property = ?");
            parameters.add(filter.targetProperty());
        }
        if (filter.algorithm() != null) {
            sql.append(" AND m.algorithm = ?");
            parameters.add(filter.algorithm());
        }
        if (filter.status() != null) {
            sql.append(" AND m.status = ?");
            parameters.add(filter.status());
        }
        if (filter.ownerOrg() != null && !filter.ownerOrg().isEmpty()) {
            sql.append(" AND m.owner_org = ?");
            parameters.add(filter.ownerOrg());
        }
        if (filter.latestOnly()) {
            sql.append(" AND m.version = (SELECT max(l.version) FROM model l WHERE l.owner_org = m.owner_org "
                    + "AND l.name = m.name)");
        }
        sql.append(" ORDER BY m.created_at DESC, m.id LIMIT ? OFFSET ?");
        parameters.add(limit + 1);
        parameters.add(offset);
        return query(sql.toString(), parameters);
    }

    public byte[] artifact(UUID id) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection
                .prepareStatement("SELECT content FROM model_artifact WHERE model_id = ?")) {
            select.setObject(1, id);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    throw new SQLException("model " + id + " has no artifact");
                }
                return rows.getBytes(1);
            }
        }
    }

    public List<OutOfFold> outOfFold(UUID id, long offset, int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection
                .prepareStatement("SELECT position, material_ids, dataset_id, reduced_formula, fold, observed, mean, "
                        + "std FROM model_out_of_fold WHERE model_id = ? ORDER BY position LIMIT ? OFFSET ?")) {
            select.setObject(1, id);
            select.setInt(2, limit + 1);
            select.setLong(3, offset);
            List<OutOfFold> rows = new ArrayList<>();
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(new OutOfFold(result.getInt(1), result.getString(2), result.getObject(3, UUID.class),
                            result.getString(4), result.getInt(5), result.getDouble(6), result.getDouble(7),
                            result.getDouble(8)));
                }
            }
            return rows;
        }
    }

    public void archive(UUID id, String reason) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection
                .prepareStatement("UPDATE model SET status = 'ARCHIVED', archived_at = now(), archive_reason = ? "
                        + "WHERE id = ? AND status <> 'ARCHIVED'")) {
            update.setString(1, reason);
            update.setObject(2, id);
            update.executeUpdate();
        }
    }

    private List<ModelRecord> query(String sql, List<Object> parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                select.setObject(i + 1, parameters.get(i));
            }
            List<ModelRecord> models = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    models.add(map(rows));
                }
            }
            return models;
        }
    }

    private static ModelRecord map(ResultSet row) throws SQLException {
        Timestamp archived = row.getTimestamp("archived_at");
        return new ModelRecord(row.getObject("id", UUID.class), row.getString("name"), row.getInt("version"),
                row.getString("description"), row.getString("owner_org"), row.getString("visibility"),
                texts(row.getArray("shared_with")), row.getString("status"), row.getString("target_property"),
                row.getString("target_unit"), row.getString("featuriser"), row.getString("featuriser_version"),
                row.getInt("feature_count"), row.getString("algorithm"), row.getString("hyper_parameters"),
                row.getLong("seed"), row.getString("lineage"), texts(row.getArray("sources")),
                row.getString("duplicates"), row.getLong("training_rows"), row.getString("metrics"),
                row.getInt("domain_neighbours"), row.getDouble("domain_quantile"), row.getDouble("domain_threshold"),
                row.getObject("job_id", UUID.class), row.getString("artifact_sha256"), row.getLong("artifact_size"),
                row.getString("created_by"), row.getTimestamp("created_at").toInstant(),
                archived == null ? null : archived.toInstant());
    }

    private static List<String> texts(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
