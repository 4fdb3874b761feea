package org.mihub.prediction.training;

import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.common.jobs.JobTable;
import org.mihub.common.sql.EntityTransactions;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/**
 * Training jobs in PostgreSQL, so their state survives the request that started them. A job is
 * inserted and read as a {@link JobEntity} through Hibernate ORM; its moves are {@link JobTable}'s
 * (common's, in JDBC: compare-and-set updates, the heartbeat and the abandoned-job rule, run from the
 * runner's threads outside any request). This class holds what training adds: the request as JSON
 * and the id of the model a job produced.
 */
@ApplicationScoped
public class JobRepository implements PanacheRepositoryBase<JobEntity, UUID> {

    @Inject
    DataSource dataSource;

    /** The shared part of the job table; a succeeded job's result is the model's id. */
    public JobTable<UUID> table() {
        return new JobTable<>(dataSource, "result_id");
    }

    /** Queues a job; its creation and update times are the database's. */
    public void insert(UUID id, String kind, String ownerOrg, String createdBy, String requestJson) {
        EntityTransactions.joiningExisting(() -> {
            persist(JobEntity.queued(id, kind, ownerOrg, createdBy, requestJson));
            flush();
        });
    }

    /** The job as stored now. */
    public Optional<JobRecord> find(UUID id) {
        return EntityTransactions.joiningExisting(() -> findByIdOptional(id).map(JobEntity::toRecord));
    }
}
