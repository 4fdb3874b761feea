package org.mihub.planning.repository;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.mihub.planning.repository.CampaignRepository.ProposalRecord;

/**
 * A row of {@code proposal} (migration V2): one candidate of a batch, with what the planner
 * predicted for it and, once resolved, its result. {@code candidate} and {@code result} are stored
 * Candidate / ProposalResult documents; the double arrays are PostgreSQL {@code double precision[]}.
 */
@Entity
@Table(name = "proposal")
public class ProposalEntity {

    @Id
    @Column(name = "id", nullable = false, updatable = false)
    private UUID id;

    @Column(name = "campaign_id", nullable = false, updatable = false)
    private UUID campaignId;

    @Column(name = "batch_id", nullable = false, updatable = false)
    private UUID batchId;

    @Column(name = "batch_number", nullable = false, updatable = false)
    private int batchNumber;

    @Column(name = "position", nullable = false, updatable = false)
    private int position;

    @Column(name = "candidate_id", nullable = false, updatable = false)
    private String candidateId;

    @Column(name = "candidate", nullable = false, updatable = false)
    private byte[] candidate;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "predicted_mean", nullable = false, updatable = false)
    private double[] predictedMean;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "predicted_std", nullable = false, updatable = false)
    private double[] predictedStd;

    @Column(name = "acquisition_value", nullable = false, updatable = false)
    private double acquisitionValue;

    @Column(name = "acquisition_function", nullable = false, updatable = false)
    private String acquisitionFunction;

    @Column(name = "cost", nullable = false, updatable = false)
    private double cost;

    @Column(name = "state", nullable = false)
    private String state;

    @Column(name = "retry_allowed", nullable = false)
    private boolean retryAllowed;

    @Column(name = "proposed_at", nullable = false, updatable = false)
    private Instant proposedAt;

    @Column(name = "resolved_at")
    private Instant resolvedAt;

    @Column(name = "result")
    private byte[] result;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "objective_values")
    private double[] objectiveValues;

    @Column(name = "assigned_to")
    private String assignedTo;

    /** The catalog material a measured result was written to (null: none). */
    @Column(name = "material_id")
    private String materialId;

    /** The catalog measurements written for it, one per reported value. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "measurement_ids")
    private String[] measurementIds;

    /** The probability of success when proposed (V8; null: not modelled). */
    @Column(name = "success_probability", updatable = false)
    private Double successProbability;

    /** The probability that the outcome constraints hold when proposed (V8; null: not modelled). */
    @Column(name = "constraint_probability", updatable = false)
    private Double constraintProbability;

    protected ProposalEntity() {
    }

    /** A new PENDING proposal of batch {@code number}; an infinite acquisition value is stored as the largest double. */
    static ProposalEntity pending(ProposalRecord p, UUID campaignId, UUID batchId, int number, Instant now) {
        ProposalEntity proposal = new ProposalEntity();
        proposal.id = p.id();
        proposal.campaignId = campaignId;
        proposal.batchId = batchId;
        proposal.batchNumber = number;
        proposal.position = p.position();
        proposal.candidateId = p.candidateId();
        proposal.candidate = p.candidate();
        proposal.predictedMean = p.predictedMean();
        proposal.predictedStd = p.predictedStd();
        proposal.acquisitionValue = finite(p.acquisitionValue());
        proposal.acquisitionFunction = p.acquisitionFunction();
        proposal.cost = p.cost();
        proposal.successProbability = p.successProbability();
        proposal.constraintProbability = p.constraintProbability();
        proposal.state = "PENDING";
        proposal.retryAllowed = false;
        proposal.proposedAt = now;
        return proposal;
    }

    ProposalRecord record() {
        return new ProposalRecord(id, campaignId, batchId, batchNumber, position, candidateId, candidate,
                predictedMean, predictedStd, acquisitionValue, acquisitionFunction, cost, state, retryAllowed,
                proposedAt, resolvedAt, result, objectiveValues, assignedTo, materialId,
                measurementIds == null ? java.util.List.of() : java.util.List.of(measurementIds), successProbability,
                constraintProbability);
    }

    /**
     * Records a result or failure, with the catalog material and measurements a measured result was
     * written to (null and empty when none); false when the proposal is no longer pending.
     */
    boolean resolve(String state, boolean retryAllowed, byte[] result, double[] values, String materialId,
            java.util.List<String> measurementIds, Instant now) {
        if (!this.state.equals("PENDING")) {
            return false;
        }
        this.state = state;
        this.retryAllowed = retryAllowed;
        this.result = result;
        this.objectiveValues = values;
        this.materialId = materialId;
        this.measurementIds = measurementIds.isEmpty() ? null : measurementIds.toArray(String[]::new);
        this.resolvedAt = now;
        return true;
    }

    void cancel(Instant now) {
        state = "CANCELLED";
        resolvedAt = now;
    }

    private static double finite(double value) {
        return Double.isFinite(value) ? value : value > 0 ? Double.MAX_VALUE : -Double.MAX_VALUE;
    }
}
