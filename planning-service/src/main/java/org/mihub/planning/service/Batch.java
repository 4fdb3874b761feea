package org.mihub.planning.service;

import java.util.List;
import java.util.UUID;

import org.mihub.planning.planner.BatchPlanner;
import org.mihub.planning.repository.CampaignRepository.ProposalRecord;

/**
 * A proposed batch as stored, with the campaign's plan it was chosen under, the surrogates' fits and
 * how long fitting and choosing took.
 */
public record Batch(UUID campaignId, UUID batchId, Plan plan, List<ProposalRecord> proposals,
        List<BatchPlanner.Fit> fits, long scored, double fitSeconds, double selectSeconds, Progress progress) {
}
