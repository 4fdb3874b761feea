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

    /** What a stored job was asked: who for, and the request as the caller sent it. */
    public record Stored(String ownerOrg, String createdBy, byte[] requestMessage) {
    }

    /** The shared job tables; a succeeded job's result is the model's id. */
    public JobTable<UUID> table(int maxAttempts) {
        return new JobTable<>(dataSource, "result_id", maxAttempts);
    }

    /** Queues a job held by {@code worker}; its creation and update times are the database's. */
    public void insert(UUID id, String kind, String ownerOrg, String createdBy, String requestJson,
            byte[] requestMessage, String worker) {
        EntityTransactions.joiningExisting(() -> {
            persist(JobEntity.queued(id, kind, ownerOrg, createdBy, requestJson, requestMessage, worker));
            flush();
        });
    }

    /** What the job was asked, for resuming it. */
    public Optional<Stored> stored(UUID id) {
        return EntityTransactions.joiningExisting(() -> findByIdOptional(id)
                .map(job -> new Stored(job.ownerOrg, job.createdBy, job.requestMessage)));
    }

    /** The job as stored now. */
    public Optional<JobRecord> find(UUID id) {
        return EntityTransactions.joiningExisting(() -> findByIdOptional(id).map(JobEntity::toRecord));
    }
}
