package org.mihub.planning.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.mihub.planning.repository.CampaignRepository.CampaignRecord;

/**
 * A row of {@code campaign} (migrations V1, V2, V5). {@code version} is the JPA version: every
 * flushed change to the row moves it and is checked against the value read, so an ask that
 * planned from an older version does not commit. Only changed columns are written
 * ({@link DynamicUpdate}), so a change never writes back a column it did not touch.
 */
@Entity
@Table(name = "campaign")
@DynamicUpdate
public class CampaignEntity {

    @Id
    @Column(name = "id", nullable = false, updatable = false)
    private UUID id;

    @Column(name = "owner_org", nullable = false, updatable = false)
    private String ownerOrg;

    @Column(name = "name", nullable = false)
    private String name;

    @Column(name = "description", nullable = false)
    private String description;

    @Column(name = "visibility", nullable = false)
    private String visibility;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "shared_with", nullable = false)
    private String[] sharedWith;

    @Column(name = "status", nullable = false)
    private String status;

    @Column(name = "status_reason", nullable = false)
    private String statusReason;

    /** The stored CampaignSpec document. */
    @Column(name = "spec", nullable = false, updatable = false)
    private byte[] spec;

    @Column(name = "batches", nullable = false)
    private int batches;

    @Column(name = "created_by", nullable = false, updatable = false)
    private String createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "results_dataset_id", nullable = false)
    private String resultsDatasetId;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    protected CampaignEntity() {
    }

    /** A new campaign as {@code record} describes it (its version starts at 0). */
    static CampaignEntity of(CampaignRecord record) {
        CampaignEntity campaign = new CampaignEntity();
        campaign.id = record.id();
        campaign.ownerOrg = record.ownerOrg();
        campaign.name = record.name();
        campaign.description = record.description();
        campaign.visibility = record.visibility();
        campaign.sharedWith = record.sharedWith().toArray(String[]::new);
        campaign.status = record.status();
        campaign.statusReason = record.statusReason();
        campaign.spec = record.spec();
        campaign.batches = record.batches();
        campaign.createdBy = record.createdBy();
        campaign.createdAt = record.createdAt();
        campaign.updatedAt = record.updatedAt();
        campaign.resultsDatasetId = record.resultsDatasetId();
        return campaign;
    }

    CampaignRecord record() {
        return new CampaignRecord(id, ownerOrg, name, description, visibility, List.of(sharedWith), status,
                statusReason, spec, batches, createdBy, createdAt, updatedAt, resultsDatasetId, version);
    }

    /** Counts batch {@code number} as proposed. */
    void countBatch(int number, Instant now) {
        batches = number;
        updatedAt = now;
    }

    void status(String status, String reason, Instant now) {
        this.status = status;
        this.statusReason = reason;
        updatedAt = now;
    }

    /** Marks a change to what the campaign's planner reads. */
    void touch(Instant now) {
        updatedAt = now;
    }

    /** Records the results dataset unless one is recorded already; false then. */
    boolean resultsDataset(String datasetId) {
        if (!resultsDatasetId.isEmpty()) {
            return false;
        }
        resultsDatasetId = datasetId;
        return true;
    }
}
