package org.mihub.planning.repository;

import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.mihub.planning.repository.CampaignRepository.PriorRecord;

/**
 * A row of {@code prior_observation} (migration V3), keyed by campaign and position: a stored
 * Candidate document and a value per objective. Written once with its campaign, never changed.
 */
@Entity
@Table(name = "prior_observation")
@IdClass(PriorObservationEntity.Key.class)
public class PriorObservationEntity {

    /** The primary key (campaign_id, position). */
    public static class Key implements Serializable {

        private static final long serialVersionUID = 1L;

        UUID campaignId;
        int position;

        public Key() {
        }

        public Key(UUID campaignId, int position) {
            this.campaignId = campaignId;
            this.position = position;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.position == position && Objects.equals(key.campaignId, campaignId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(campaignId, position);
        }
    }

    @Id
    @Column(name = "campaign_id", nullable = false, updatable = false)
    private UUID campaignId;

    @Id
    @Column(name = "position", nullable = false, updatable = false)
    private int position;

    @Column(name = "dataset_id", nullable = false, updatable = false)
    private String datasetId;

    @Column(name = "material_id", nullable = false, updatable = false)
    private String materialId;

    @Column(name = "candidate", nullable = false, updatable = false)
    private byte[] candidate;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "objective_values", nullable = false, updatable = false)
    private double[] objectiveValues;

    protected PriorObservationEntity() {
    }

    PriorObservationEntity(UUID campaignId, PriorRecord prior) {
        this.campaignId = campaignId;
        this.position = prior.position();
        this.datasetId = prior.datasetId();
        this.materialId = prior.materialId();
        this.candidate = prior.candidate();
        this.objectiveValues = prior.objectiveValues();
    }

    PriorRecord record() {
        return new PriorRecord(position, datasetId, materialId, candidate, objectiveValues);
    }
}
