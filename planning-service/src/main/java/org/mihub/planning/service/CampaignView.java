package org.mihub.planning.service;

import java.util.List;

import org.mihub.planning.repository.CampaignRepository.CampaignRecord;
import org.mihub.planning.repository.CampaignRepository.PriorRecord;
import org.mihub.planning.repository.CampaignRepository.ProposalRecord;

/** A campaign as read: its record, plan, counters, best so far, Pareto front and (full view) history. */
public record CampaignView(CampaignRecord record, Plan plan, Progress progress, ProposalRecord best,
        List<ProposalRecord> paretoFront, List<ProposalRecord> history, boolean historyTruncated,
        List<PriorRecord> priors) {
}
