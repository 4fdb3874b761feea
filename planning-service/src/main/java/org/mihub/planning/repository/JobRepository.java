package org.mihub.planning.repository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

import org.mihub.common.access.Sharing;
import org.mihub.common.access.Visibility;
import org.mihub.common.jobs.JobAttempt;
import org.mihub.common.jobs.JobState;
import org.mihub.common.jobs.JobTable;

/**
 * Simulation jobs in PostgreSQL, so their state and report outlive the request that started them.
 * A job is inserted and read through Hibernate ORM ({@link JobEntity}); the moves of a job (state,
 * progress, leases, attempts) are mihub-common's {@link JobTable}, over JDBC from the job
 * runner's threads, outside any request's transaction. This class holds what simulations add: who
 * may see a job, the stored request and the report.
 */
@ApplicationScoped
public class JobRepository implements PanacheRepositoryBase<JobEntity, UUID> {

    /**
     * A job row; {@code request} and {@code report} are the stored SimulationSpec / SimulationReport
     * documents, {@code sharedWith} the organisations a SHARED job is readable by.
     */
    public record JobRecord(UUID id, String kind, String state, double progress, String message, String ownerOrg,
            String visibility, List<String> sharedWith, String createdBy, byte[] request, byte[] report,
            Instant createdAt, Instant updatedAt, List<JobAttempt> attempts) {

        public JobRecord {
            attempts = List.copyOf(attempts);
        }

        public JobRecord withAttempts(List<JobAttempt> attempts) {
            return new JobRecord(id, kind, state, progress, message, ownerOrg, visibility, sharedWith, createdBy,
                    request, report, createdAt, updatedAt, attempts);
        }

        public boolean finished() {
            return JobState.valueOf(state).finished();
        }

        /** The job's sharing, for the access rule. */
        public Sharing sharing() {
            return new Sharing(ownerOrg, Visibility.valueOf(visibility), sharedWith);
        }
    }

    @Inject
    DataSource dataSource;

    /** The shared job tables; a succeeded job's result is its report document. */
    public JobTable<byte[]> table(int maxAttempts) {
        return new JobTable<>(dataSource, "report", maxAttempts);
    }

    /** Stores a new QUEUED job held by {@code worker} (in the caller's transaction). */
    public void insert(UUID id, String kind, String ownerOrg, String visibility, String createdBy, byte[] request,
            String worker) {
        persist(JobEntity.queued(id, kind, ownerOrg, visibility, createdBy, request, worker));
    }

    /** The job as stored now (in the caller's transaction); whether the caller may see it is the service's rule. */
    public Optional<JobRecord> find(UUID id) {
        return findByIdOptional(id).map(JobEntity::record);
    }
}
