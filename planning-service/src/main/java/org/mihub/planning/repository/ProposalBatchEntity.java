package org.mihub.planning.repository;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row of {@code proposal_batch} (migration V2): batch {@code number} of a campaign and the request
 * id that makes a retried ask idempotent (unique per campaign; null without one).
 */
@Entity
@Table(name = "proposal_batch")
public class ProposalBatchEntity {

    @Id
    @Column(name = "id", nullable = false, updatable = false)
    private UUID id;

    @Column(name = "campaign_id", nullable = false, updatable = false)
    private UUID campaignId;

    @Column(name = "number", nullable = false, updatable = false)
    private int number;

    @Column(name = "request_id", updatable = false)
    private String requestId;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected ProposalBatchEntity() {
    }

    /** {@code requestId} empty: none. */
    ProposalBatchEntity(UUID id, UUID campaignId, int number, String requestId, Instant now) {
        this.id = id;
        this.campaignId = campaignId;
        this.number = number;
        this.requestId = requestId.isEmpty() ? null : requestId;
        this.createdAt = now;
    }

    UUID id() {
        return id;
    }
}
