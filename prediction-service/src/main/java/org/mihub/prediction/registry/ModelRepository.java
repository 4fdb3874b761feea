package org.mihub.prediction.registry;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.Query;

import org.hibernate.Session;
import org.mihub.common.access.SharingColumns;
import org.mihub.common.access.SqlCondition;
import org.mihub.common.sql.EntityTransactions;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

/**
 * The model registry in PostgreSQL: models and their out-of-fold predictions through Hibernate ORM
 * ({@link ModelEntity}, {@link OutOfFoldEntity}), the serialized model ({@code model_artifact.content},
 * a large {@code bytea}) through JDBC on the same connection and in the same transaction (see the
 * module README, "Persistence"). Every method is one transaction; a database failure is reported
 * through common's {@code SqlErrors} ({@link Database}).
 */
@ApplicationScoped
public class ModelRepository implements PanacheRepositoryBase<ModelEntity, UUID> {

    /** Where the {@code model} table (alias {@code m}) keeps its sharing, for the access rule in SQL. */
    public static final SharingColumns SHARING = SharingColumns.of("m");
    /** Out-of-fold rows written between two flushes (JDBC batches, statement-batch-size, within them). */
    static final int OUT_OF_FOLD_FLUSH = 1000;

    @Inject
    OutOfFoldRepository outOfFoldRows;

    public record Filter(String name, String targetProperty, String algorithm, String status, String ownerOrg,
            boolean latestOnly) {
    }

    /**
     * Stores a finished model as the next version of its name in its organisation, its artifact and its
     * out-of-fold predictions in one transaction, and returns it as stored.
     */
    public ModelRecord insert(ModelRecord model, byte[] artifact, List<OutOfFold> outOfFold) {
        EntityTransactions.joiningExisting(() -> {
            Integer version = getEntityManager().createQuery("select coalesce(max(m.version), 0) + 1 from "
                    + "ModelEntity m where m.ownerOrg = :owner and m.name = :name", Integer.class)
                    .setParameter("owner", model.ownerOrg()).setParameter("name", model.name()).getSingleResult();
            persist(ModelEntity.of(model, version));
            // the row the artifact refers to is written first (and a version taken meanwhile fails here)
            flush();
            session().doWork(connection -> {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO model_artifact (model_id, content) VALUES (?, ?)")) {
                    insert.setObject(1, model.id());
                    insert.setBytes(2, artifact);
                    insert.executeUpdate();
                }
            });
            int written = 0;
            for (OutOfFold row : outOfFold) {
                outOfFoldRows.persist(OutOfFoldEntity.of(model.id(), row));
                if (++written % OUT_OF_FOLD_FLUSH == 0) {
                    flush();
                    getEntityManager().clear();
                }
            }
            flush();
        });
        return find(model.id()).orElseThrow();
    }

    /** The model a training job produced, if it stored one. */
    public Optional<ModelRecord> findByJob(UUID jobId) {
        return EntityTransactions.joiningExisting(() -> find("jobId", jobId).firstResultOptional()
                .map(ModelEntity::toRecord));
    }

    public Optional<ModelRecord> find(UUID id) {
        return EntityTransactions.joiningExisting(() -> findByIdOptional(id).map(ModelEntity::toRecord));
    }

    /**
     * Visible models, newest first, {@code limit + 1} from {@code offset}. {@code scope} is the suite's
     * access rule as SQL over {@link #SHARING} (common's {@code AccessRule.readCondition}), so the list
     * is a native query whose rows Hibernate maps to {@link ModelEntity}.
     */
    public List<ModelRecord> list(SqlCondition scope, Filter filter, long offset, int limit) {
        StringBuilder sql = new StringBuilder("SELECT m.* FROM model m WHERE ").append(scope.sql());
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
        return EntityTransactions.joiningExisting(() -> {
            Query query = getEntityManager().createNativeQuery(sql.toString(), ModelEntity.class);
            for (int i = 0; i < parameters.size(); i++) {
                query.setParameter(i + 1, parameters.get(i));
            }
            @SuppressWarnings("unchecked")
            List<ModelEntity> rows = query.getResultList();
            return rows.stream().map(ModelEntity::toRecord).toList();
        });
    }

    /** The serialized model, read whole on the transaction's connection. */
    public byte[] artifact(UUID id) {
        return EntityTransactions.joiningExisting(() -> session().doReturningWork(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT content FROM model_artifact WHERE model_id = ?")) {
                select.setObject(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        throw new SQLException("model " + id + " has no artifact");
                    }
                    return rows.getBytes(1);
                }
            }
        }));
    }

    /** The model's out-of-fold predictions in training order, {@code limit + 1} from {@code offset}. */
    public List<OutOfFold> outOfFold(UUID id, long offset, int limit) {
        if (offset > Integer.MAX_VALUE - (long) limit) {
            // beyond any model's training rows
            return List.of();
        }
        return EntityTransactions.joiningExisting(() -> outOfFoldRows.find("modelId", Sort.by("position"), id)
                .range((int) offset, (int) offset + limit).list().stream().map(OutOfFoldEntity::toRecord).toList());
    }

    /** Archives the model unless it is archived already. */
    public void archive(UUID id, String reason) {
        EntityTransactions.joiningExisting(() -> update("status = 'ARCHIVED', archivedAt = ?1, archiveReason = ?2 "
                + "where id = ?3 and status <> 'ARCHIVED'", Instant.now(), reason, id));
    }

    private Session session() {
        return getEntityManager().unwrap(Session.class);
    }
}
