package org.mihub.catalog.repository;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

import org.hibernate.Session;

import org.mihub.catalog.service.Dataset;
import org.mihub.common.access.Embargo;
import org.mihub.common.access.Sharing;
import org.mihub.common.access.Visibility;
import org.mihub.common.sql.Transactions;

/**
 * Datasets one at a time, through Hibernate ORM with Panache: create, point reads, sharing changes
 * and soft deletion, each with its audit row. Every method runs inside the caller's JTA transaction
 * (common {@code EntityTransactions}). Deleted datasets are never returned; whether the caller may see a
 * dataset is the caller's to check ({@code AccessRule.canRead} on {@link Dataset#sharing()}).
 *
 * <p>Lists and search scopes, filtered by the read rule in SQL, and the ingest's row lock and
 * version bump, which must share the ingest's COPY connection, are in {@link DatasetSql}.
 */
@ApplicationScoped
public class DatasetRepository implements PanacheRepositoryBase<DatasetEntity, UUID> {

    /** Stores a new dataset and answers it as read back from the database. */
    public Dataset insert(Dataset dataset) {
        DatasetEntity entity = new DatasetEntity();
        entity.id = dataset.id();
        entity.ownerOrg = dataset.ownerOrg();
        entity.title = dataset.title();
        entity.description = dataset.description();
        entity.licence = dataset.licence();
        entity.citation = dataset.citation();
        entity.doi = dataset.doi();
        entity.dataVersion = dataset.version();
        entity.rowCount = dataset.rowCount();
        entity.createdBy = dataset.createdBy();
        entity.createdAt = dataset.createdAt();
        entity.updatedAt = dataset.updatedAt();
        share(entity, dataset.visibility(), dataset.sharedWith(), dataset.embargo());
        persistAndFlush(entity);
        getEntityManager().refresh(entity);
        return toDomain(entity);
    }

    /** The dataset if it exists and is not deleted, whoever may see it. */
    public Optional<Dataset> find(UUID id) {
        return findByIdOptional(id).filter(DatasetRepository::live).map(entity -> toDomain(entity));
    }

    /**
     * As {@link #find}, with the row locked until the transaction ends, so sharing changes,
     * deletions and ingests of one dataset happen one after the other.
     */
    public Optional<Dataset> findForUpdate(UUID id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE).filter(DatasetRepository::live)
                .map(entity -> toDomain(entity));
    }

    /** New sharing of a dataset read by {@link #findForUpdate} in this transaction; answers the stored result. */
    public Dataset updateSharing(UUID id, Visibility visibility, List<String> sharedWith, Dataset.Embargo embargo) {
        DatasetEntity entity = findById(id);
        share(entity, visibility, sharedWith, embargo);
        entity.updatedAt = now();
        flush();
        getEntityManager().refresh(entity);
        return toDomain(entity);
    }

    /** Marks a dataset read by {@link #findForUpdate} in this transaction deleted; answers when. */
    public Instant softDelete(UUID id, String subject, String reason) {
        DatasetEntity entity = findById(id);
        Instant at = now();
        entity.deletedAt = at;
        entity.deletedBy = subject;
        entity.deleteReason = reason;
        entity.updatedAt = at;
        flush();
        return at;
    }

    /** An audit row of a change to a dataset, in the transaction of the change. */
    public void audit(UUID id, String subject, String org, String action, String detailJson) {
        DatasetAuditEntity audit = new DatasetAuditEntity();
        audit.datasetId = id;
        audit.at = now();
        audit.actorSubject = subject;
        audit.actorOrg = org;
        audit.action = action;
        audit.detail = detailJson;
        getEntityManager().persist(audit);
    }

    /**
     * JDBC work on the connection of the current JTA transaction (Hibernate's own, after its pending
     * changes are flushed), so what it writes commits or rolls back with the entity changes.
     */
    public <T> T onConnection(Transactions.Work<T> work) {
        flush();
        return getEntityManager().unwrap(Session.class).doReturningWork(work::run);
    }

    /**
     * The domain dataset of a row as of now: the visibility in effect (an embargo that has passed
     * applied, as {@link Sharing#effectiveAt}) and the embargo only while it is pending, as
     * {@link DatasetSql}'s SQL computes them for lists.
     */
    static Dataset toDomain(DatasetEntity entity) {
        Instant now = Instant.now();
        Embargo stored = entity.embargoUntil == null || entity.embargoVisibility == null ? null
                : new Embargo(entity.embargoUntil, entity.embargoVisibility);
        Visibility effective = new Sharing(entity.ownerOrg, entity.visibility, entity.sharedWith, stored)
                .effectiveAt(now);
        Dataset.Embargo pending = stored == null || stored.liftedAt(now) ? null
                : new Dataset.Embargo(stored.until(), stored.liftsTo());
        return new Dataset(entity.id, entity.ownerOrg, entity.title, entity.description, entity.licence, effective,
                List.copyOf(entity.sharedWith), pending, entity.citation, entity.doi, entity.dataVersion,
                entity.rowCount, entity.createdBy, entity.createdAt, entity.updatedAt);
    }

    private static void share(DatasetEntity entity, Visibility visibility, List<String> sharedWith,
            Dataset.Embargo embargo) {
        entity.visibility = visibility;
        entity.sharedWith = new ArrayList<>(sharedWith);
        entity.embargoUntil = embargo == null ? null : embargo.until();
        entity.embargoVisibility = embargo == null ? null : embargo.liftsTo();
    }

    private static boolean live(DatasetEntity entity) {
        return entity.deletedAt == null;
    }

    /** Now at the database's precision (microseconds), so what is answered is what is stored. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
