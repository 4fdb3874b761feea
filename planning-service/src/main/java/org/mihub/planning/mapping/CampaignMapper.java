package org.mihub.planning.mapping;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.mihub.api.common.v1.Quantity;
import org.mihub.api.common.v1.Visibility;
import org.mihub.api.planning.v1.AcquisitionFunction;
import org.mihub.api.planning.v1.Campaign;
import org.mihub.api.planning.v1.CampaignProgress;
import org.mihub.api.planning.v1.CampaignSpec;
import org.mihub.api.planning.v1.CampaignStatus;
import org.mihub.api.planning.v1.LabFinishReason;
import org.mihub.api.planning.v1.LabFinished;
import org.mihub.api.planning.v1.LabRejection;
import org.mihub.api.planning.v1.LabServerMessage;
import org.mihub.api.planning.v1.LabSessionStarted;
import org.mihub.api.planning.v1.Observation;
import org.mihub.api.planning.v1.ObjectivePrediction;
import org.mihub.api.planning.v1.ObjectiveValue;
import org.mihub.api.planning.v1.Proposal;
import org.mihub.api.planning.v1.ProposalResult;
import org.mihub.api.planning.v1.ProposalState;
import org.mihub.api.planning.v1.ProposeBatchResponse;
import org.mihub.api.planning.v1.ResultAck;
import org.mihub.api.planning.v1.SurrogateFit;
import org.mihub.planning.repository.CampaignRepository;
import org.mihub.planning.repository.CampaignRepository.ProposalRecord;
import org.mihub.planning.planner.BatchPlanner;
import org.mihub.planning.service.Batch;
import org.mihub.planning.service.CampaignView;
import org.mihub.planning.service.Progress;
import org.mihub.planning.service.Results;
import org.mihub.planning.service.LabSessions;
import org.mihub.planning.service.Plan;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;

/** Campaigns, proposals and batches from the domain to the wire. */
public final class CampaignMapper {

    private CampaignMapper() {
    }

    /** The stored spec with the defaults filled in: the results dataset, once the planner created it. */
    private static CampaignSpec spec(CampaignRepository.CampaignRecord record) {
        CampaignSpec spec = Documents.spec(record.spec());
        return record.resultsDatasetId().isEmpty() || record.resultsDatasetId().equals(spec.getResultsDatasetId())
                ? spec : spec.toBuilder().setResultsDatasetId(record.resultsDatasetId()).build();
    }

    public static Campaign campaign(CampaignView view) {
        var record = view.record();
        Campaign.Builder campaign = Campaign.newBuilder().setId(record.id().toString())
                .setSpec(spec(record)).setOwnerOrg(record.ownerOrg())
                .setVisibility(Visibility.valueOf(record.visibility())).addAllSharedWith(record.sharedWith())
                .setStatus(status(record.status())).setStatusReason(record.statusReason())
                .setProgress(progress(view.progress())).setCreatedBy(record.createdBy())
                .setCreatedAt(timestamp(record.createdAt())).setUpdatedAt(timestamp(record.updatedAt()))
                .setHistoryTruncated(view.historyTruncated());
        if (view.best() != null) {
            campaign.setBest(observation(view.plan(), view.best()));
        }
        view.paretoFront().forEach(p -> campaign.addParetoFront(observation(view.plan(), p)));
        view.history().forEach(p -> campaign.addHistory(proposal(view.plan(), p)));
        view.priors().forEach(p -> campaign.addPriorObservations(prior(view.plan(), p)));
        return campaign.build();
    }

    /** A prior observation: the catalog material, the candidate it maps to, its values. */
    public static Observation prior(Plan plan, CampaignRepository.PriorRecord prior) {
        Observation.Builder observation = Observation.newBuilder().setMaterialId(prior.materialId())
                .setCandidate(Documents.candidateMessage(prior.candidate()));
        for (int o = 0; o < plan.objectives().size(); o++) {
            Plan.Objective objective = plan.objectives().get(o);
            observation.addValues(ObjectiveValue.newBuilder().setProperty(objective.property())
                    .setValue(Quantity.newBuilder().setValue(prior.objectiveValues()[o]).setUnit(objective.unit())));
        }
        return observation.build();
    }

    public static CampaignStatus status(String status) {
        return CampaignStatus.valueOf("CAMPAIGN_STATUS_" + status);
    }

    public static String status(CampaignStatus status) {
        return status.name().substring("CAMPAIGN_STATUS_".length());
    }

    public static CampaignProgress progress(Progress p) {
        CampaignProgress.Builder progress = CampaignProgress.newBuilder().setProposed(p.proposed())
                .setPending(p.pending()).setCompleted(p.completed()).setFailed(p.failed()).setCancelled(p.cancelled())
                .setBatches(p.batches()).setObservations(p.observations()).setCostSpent(p.costSpent());
        if (p.experimentsRemaining() != null) {
            progress.setExperimentsRemaining(p.experimentsRemaining());
        }
        if (p.costRemaining() != null) {
            progress.setCostRemaining(p.costRemaining());
        }
        return progress.build();
    }

    public static Observation observation(Plan plan, ProposalRecord proposal) {
        Observation.Builder observation = Observation.newBuilder().setProposalId(proposal.id().toString())
                .setCandidate(Documents.candidateMessage(proposal.candidate()));
        if (proposal.resolvedAt() != null) {
            observation.setObservedAt(timestamp(proposal.resolvedAt()));
        }
        for (int o = 0; o < plan.objectives().size(); o++) {
            Plan.Objective objective = plan.objectives().get(o);
            observation.addValues(ObjectiveValue.newBuilder().setProperty(objective.property())
                    .setValue(Quantity.newBuilder().setValue(proposal.objectiveValues()[o]).setUnit(objective.unit())));
        }
        return observation.build();
    }

    /** A recommendation as the contract's message; the interval is mean ± 1.96 standard deviations. */
    public static org.mihub.api.planning.v1.Recommendation recommendation(
            org.mihub.planning.service.CampaignRecommender.Recommendation r) {
        var recommended = r.recommended();
        var model = recommended.recommendation();
        Plan.Objective objective = r.plan().objectives().get(0);
        var message = org.mihub.api.planning.v1.Recommendation.newBuilder().setCampaignId(r.campaignId().toString())
                .setCandidate(Documents.candidateMessage(recommended.point()))
                .setPrediction(ObjectivePrediction.newBuilder().setProperty(objective.property()).setMean(model.mean())
                        .setStd(model.std()).setUnit(objective.unit()))
                .setIntervalLower(model.mean() - 1.96 * model.std()).setIntervalUpper(model.mean() + 1.96 * model.std())
                .setObserved(recommended.observed()).setMaxExpectedImprovement(model.maxExpectedImprovement())
                .setStop(r.stop()).setObservations(recommended.observations()).setCandidatesScored(model.scored());
        if (!Double.isNaN(model.success())) {
            message.setSuccessProbability(model.success());
        }
        if (!Double.isNaN(model.meets())) {
            message.setConstraintProbability(model.meets());
        }
        if (r.stopThreshold() != null) {
            message.setStopThreshold(r.stopThreshold());
        }
        return message.build();
    }

    public static Proposal proposal(Plan plan, ProposalRecord p) {
        Proposal.Builder proposal = Proposal.newBuilder().setId(p.id().toString())
                .setCampaignId(p.campaignId().toString()).setBatchId(p.batchId().toString())
                .setBatchNumber(p.batchNumber()).setPosition(p.position())
                .setCandidate(Documents.candidateMessage(p.candidate())).setAcquisitionValue(p.acquisitionValue())
                .setAcquisitionFunction(AcquisitionFunction.valueOf("ACQUISITION_FUNCTION_" + p.acquisitionFunction()))
                .setCost(p.cost()).setState(ProposalState.valueOf("PROPOSAL_STATE_" + p.state()))
                .setProposedAt(timestamp(p.proposedAt()));
        for (int o = 0; o < plan.objectives().size() && o < p.predictedMean().length; o++) {
            if (!Double.isNaN(p.predictedMean()[o])) {
                proposal.addPredictions(ObjectivePrediction.newBuilder().setProperty(plan.objectives().get(o).property())
                        .setMean(p.predictedMean()[o]).setStd(p.predictedStd()[o])
                        .setUnit(plan.objectives().get(o).unit()));
            }
        }
        if (p.successProbability() != null) {
            proposal.setSuccessProbability(p.successProbability());
        }
        if (p.constraintProbability() != null) {
            proposal.setConstraintProbability(p.constraintProbability());
        }
        if (p.resolvedAt() != null) {
            proposal.setResolvedAt(timestamp(p.resolvedAt()));
        }
        if (p.assignedTo() != null) {
            proposal.setAssignedTo(p.assignedTo());
        }
        if (p.materialId() != null) {
            proposal.setMaterialId(p.materialId());
        }
        proposal.addAllMeasurementIds(p.measurementIds());
        if (p.result() != null) {
            try {
                proposal.setResult(ProposalResult.parseFrom(p.result()));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("a stored result is unreadable", e);
            }
        }
        return proposal.build();
    }

    public static ProposeBatchResponse batch(Batch batch) {
        Plan plan = batch.plan();
        ProposeBatchResponse.Builder response = ProposeBatchResponse.newBuilder()
                .setCampaignId(batch.campaignId().toString()).setBatchId(batch.batchId().toString())
                .setCandidatesScored(batch.scored()).setFitSeconds(batch.fitSeconds())
                .setSelectSeconds(batch.selectSeconds()).setProgress(progress(batch.progress()));
        batch.proposals().forEach(p -> response.addProposals(proposal(plan, p)));
        for (BatchPlanner.Fit fit : batch.fits()) {
            SurrogateFit.Builder f = SurrogateFit.newBuilder().setProperty(fit.property())
                    .setObservations(fit.observations()).setSignalVariance(fit.signalVariance())
                    .setNoiseVariance(fit.noiseVariance()).setLogMarginalLikelihood(fit.logMarginalLikelihood());
            for (double l : fit.lengthScales()) {
                f.addLengthScales(l);
            }
            response.addFits(f);
        }
        return response.build();
    }

    public static ResultAck ack(Results.Ack ack) {
        ResultAck.Builder message = ResultAck.newBuilder().setProposalId(ack.proposalId().toString())
                .setState(ProposalState.valueOf("PROPOSAL_STATE_" + ack.state())).setDuplicate(ack.duplicate())
                .addAllMeasurementIds(ack.measurementIds());
        if (ack.materialId() != null) {
            message.setMaterialId(ack.materialId());
        }
        return message.build();
    }

    /** The domain form of reported results; the wire message is kept as the stored document. */
    public static List<Results.ReportedResult> results(List<ProposalResult> results) {
        List<Results.ReportedResult> out = new ArrayList<>();
        for (ProposalResult result : results) {
            List<Results.ReportedValue> values = null;
            String failure = null;
            boolean retry = false;
            switch (result.getOutcomeCase()) {
                case MEASURED -> {
                    values = new ArrayList<>();
                    for (ObjectiveValue value : result.getMeasured().getValuesList()) {
                        values.add(new Results.ReportedValue(value.getProperty(), value.getValue().getValue(),
                                value.getValue().getUnit()));
                    }
                }
                case FAILED -> {
                    failure = result.getFailed().getReason();
                    retry = result.getFailed().getRetryAllowed();
                }
                default -> {
                }
            }
            Map<String, Object> actual = new java.util.LinkedHashMap<>();
            result.getActualParametersMap().forEach((name, value) -> actual.put(name, SpecMapper.value(value)));
            out.add(new Results.ReportedResult(result.getProposalId(), values, failure, retry, actual,
                    result.toByteArray()));
        }
        return out;
    }

    /** A lab session event as the message the robot receives. */
    public static LabServerMessage lab(LabSessions.Event event) {
        LabServerMessage.Builder message = LabServerMessage.newBuilder();
        if (event instanceof LabSessions.Started started) {
            message.setStarted(LabSessionStarted.newBuilder().setSessionId(started.sessionId())
                    .setCampaign(campaign(started.campaign())));
        } else if (event instanceof LabSessions.Proposed proposed) {
            message.setProposal(proposal(proposed.plan(), proposed.proposal()));
        } else if (event instanceof LabSessions.Acknowledged acknowledged) {
            message.setAck(ack(acknowledged.ack()));
        } else if (event instanceof LabSessions.Rejected rejected) {
            message.setRejection(LabRejection.newBuilder().setProposalId(rejected.proposalId())
                    .setCode(rejected.code()).setReason(rejected.reason()));
        } else if (event instanceof LabSessions.Finished finished) {
            message.setFinished(LabFinished.newBuilder()
                    .setReason(LabFinishReason.valueOf("LAB_FINISH_REASON_" + finished.reason().name()))
                    .setMessage(finished.message()).setProgress(progress(finished.progress())));
        }
        return message.build();
    }

    public static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
