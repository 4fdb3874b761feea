package org.mihub.prediction.training;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of the {@code job} table (Flyway's V2), inserted and read through Hibernate ORM. It is
 * immutable to Hibernate: a job's moves (state, progress, message, result, heartbeat) are common's
 * {@code jobs.JobTable}, compare-and-set updates in JDBC from the runner's threads. The creation and
 * update times are the database's ({@code now()} by default, and each move's).
 */
@Entity
@Table(name = "job")
@Immutable
public class JobEntity {

    @Id
    @Column(name = "id", nullable = false)
    UUID id;

    @Column(name = "kind", nullable = false)
    String kind;

    @Column(name = "state", nullable = false)
    String state;

    @Column(name = "progress", nullable = false)
    double progress;

    @Column(name = "message", nullable = false)
    String message;

    @Column(name = "owner_org", nullable = false)
    String ownerOrg;

    @Column(name = "created_by", nullable = false)
    String createdBy;

    /** What was asked, as JSON ({@code jsonb}). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "request", nullable = false)
    String request;

    /** The request as the caller sent it (protobuf), from which another process resumes the job. */
    @Column(name = "request_message")
    byte[] requestMessage;

    /** The worker holding the job: the process that inserted it, until it frees it. */
    @Column(name = "lease_owner")
    String leaseOwner;

    @Column(name = "attempts", insertable = false, updatable = false)
    int attempts;

    /** The model a succeeded job produced. */
    @Column(name = "result_id")
    UUID resultId;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    Instant createdAt;

    @Column(name = "updated_at", nullable = false, insertable = false, updatable = false)
    Instant updatedAt;

    protected JobEntity() {
    }

    /**
     * A job as it is queued, held by {@code worker}: no progress, no message, no result yet; the
     * lease's expiry is the database's default.
     */
    static JobEntity queued(UUID id, String kind, String ownerOrg, String createdBy, String requestJson,
            byte[] requestMessage, String worker) {
        JobEntity job = new JobEntity();
        job.id = id;
        job.kind = kind;
        job.state = "QUEUED";
        job.progress = 0;
        job.message = "";
        job.ownerOrg = ownerOrg;
        job.createdBy = createdBy;
        job.request = requestJson;
        job.requestMessage = requestMessage;
        job.leaseOwner = worker;
        return job;
    }

    JobRecord toRecord() {
        return new JobRecord(id, kind, state, progress, message, ownerOrg, createdBy, resultId, createdAt, updatedAt,
                List.of());
    }
}
