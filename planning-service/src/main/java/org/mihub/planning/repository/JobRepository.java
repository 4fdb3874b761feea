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
import org.mihub.common.jobs.JobState;
import org.mihub.common.jobs.JobTable;

/**
 * Simulation jobs in PostgreSQL, so their state and report outlive the request that started them.
 * A job is inserted and read through Hibernate ORM ({@link JobEntity}); the moves of a job (state,
 * progress, heartbeat, abandoned jobs) are mihub-common's {@link JobTable}, over JDBC from the job
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
            Instant createdAt, Instant updatedAt) {

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

    /** The shared part of the job table; a succeeded job's result is its report document. */
    public JobTable<byte[]> table() {
        return new JobTable<>(dataSource, "report");
    }

    /** Stores a new QUEUED job (in the caller's transaction). */
    public void insert(UUID id, String kind, String ownerOrg, String visibility, String createdBy, byte[] request) {
        persist(JobEntity.queued(id, kind, ownerOrg, visibility, createdBy, request));
    }

    /** The job as stored now (in the caller's transaction); whether the caller may see it is the service's rule. */
    public Optional<JobRecord> find(UUID id) {
        return findByIdOptional(id).map(JobEntity::record);
    }
}
