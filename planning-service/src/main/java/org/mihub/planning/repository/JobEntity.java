package org.mihub.planning.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Generated;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.mihub.planning.repository.JobRepository.JobRecord;

/**
 * A row of {@code job} (migrations V2, V4): a simulation job as inserted and read here. Its moves
 * (state, progress, message, report, lease) are written by mihub-common's {@code JobTable} over
 * JDBC from the job runner's threads, so no column of the entity is updatable: Hibernate inserts it
 * and never writes it again. Its timestamps are the database's ({@code now()}, read back after the insert),
 * the clock the runner's abandoned-job rule compares with.
 */
@Entity
@Table(name = "job")
public class JobEntity {

    @Id
    @Column(name = "id", nullable = false, updatable = false)
    private UUID id;

    @Column(name = "kind", nullable = false, updatable = false)
    private String kind;

    @Column(name = "state", nullable = false, updatable = false)
    private String state;

    @Column(name = "progress", nullable = false, updatable = false)
    private double progress;

    @Column(name = "message", nullable = false, updatable = false)
    private String message;

    @Column(name = "owner_org", nullable = false, updatable = false)
    private String ownerOrg;

    @Column(name = "visibility", nullable = false, updatable = false)
    private String visibility;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "shared_with", nullable = false, updatable = false)
    private String[] sharedWith;

    @Column(name = "created_by", nullable = false, updatable = false)
    private String createdBy;

    /** The stored SimulationSpec document. */
    @Column(name = "request", nullable = false, updatable = false)
    private byte[] request;

    /** The stored SimulationReport document of a succeeded job. */
    /** The worker holding the job: the process that inserted it, until it frees it. */
    @Column(name = "lease_owner", updatable = false)
    private String leaseOwner;

    @Column(name = "report", updatable = false)
    private byte[] report;

    @Generated
    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    private Instant createdAt;

    @Generated
    @Column(name = "updated_at", nullable = false, insertable = false, updatable = false)
    private Instant updatedAt;

    protected JobEntity() {
    }

    /** A new QUEUED job shared with nobody. */
    static JobEntity queued(UUID id, String kind, String ownerOrg, String visibility, String createdBy,
            byte[] request, String worker) {
        JobEntity job = new JobEntity();
        job.id = id;
        job.kind = kind;
        job.state = "QUEUED";
        job.progress = 0;
        job.message = "";
        job.ownerOrg = ownerOrg;
        job.visibility = visibility;
        job.sharedWith = new String[0];
        job.createdBy = createdBy;
        job.request = request;
        job.leaseOwner = worker;
        return job;
    }

    JobRecord record() {
        return new JobRecord(id, kind, state, progress, message, ownerOrg, visibility, List.of(sharedWith),
                createdBy, request, report, createdAt, updatedAt, List.of());
    }
}
