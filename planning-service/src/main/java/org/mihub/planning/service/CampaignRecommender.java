package org.mihub.planning.service;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.common.identity.Caller;
import org.mihub.common.error.ApiException;
import org.mihub.common.sql.EntityTransactions;
import org.mihub.planning.mapping.Documents;
import org.mihub.planning.repository.CampaignRepository;
import org.mihub.planning.repository.CampaignRepository.CampaignRecord;
import org.mihub.planning.repository.CampaignRepository.PriorRecord;
import org.mihub.planning.repository.CampaignRepository.ProposalRecord;

/**
 * A campaign's recommendation: the design its model believes best now, and whether the
 * improvement left is worth another experiment. Read under the same rule as the campaign itself
 * (a campaign the caller may not see is NOT_FOUND); it changes nothing.
 */
@ApplicationScoped
public class CampaignRecommender {

    /** The recommendation with the campaign's plan (units) and the stop hint. */
    public record Recommendation(UUID campaignId, Plan plan, CampaignPlanner.Recommended recommended,
            Double stopThreshold, boolean stop) {
    }

    @Inject
    CampaignRepository repository;

    @Inject
    CampaignPlanner planner;

    private record State(Plan plan, List<ProposalRecord> all, List<PriorRecord> priors, Progress progress) {
    }

    public Recommendation recommend(Optional<Caller> caller, UUID campaignId, Double stopThreshold) {
        if (stopThreshold != null && !(stopThreshold >= 0 && Double.isFinite(stopThreshold))) {
            throw ApiException.invalid("stop_threshold", "must be a finite number, not negative");
        }
        State state = EntityTransactions.joiningExisting(() -> {
            CampaignRecord record = repository.find(campaignId, caller, false)
                    .orElseThrow(() -> ApiException.notFound("campaign", campaignId.toString()));
            Plan plan = Documents.plan(record.spec());
            List<ProposalRecord> all = repository.proposals(campaignId, "", null, 0, Integer.MAX_VALUE);
            List<PriorRecord> priors = repository.priors(campaignId);
            return new State(plan, all, priors, CampaignViews.progress(plan, record, all, priors.size()));
        });
        Plan plan = state.plan();
        if (plan.objectives().size() != 1) {
            throw new ApiException(ApiException.Kind.FAILED_PRECONDITION, "campaign " + campaignId + " has "
                    + plan.objectives().size() + " objectives: its answer is the Pareto front (GetCampaign), "
                    + "a recommendation is made for one objective", List.of());
        }
        if (plan.modelSurrogate()) {
            throw new ApiException(ApiException.Kind.FAILED_PRECONDITION, "campaign " + campaignId + " plans with "
                    + "prediction models: a recommendation is made with the Gaussian-process surrogate only (not yet "
                    + "with models)", List.of());
        }
        long observations = state.all().stream().filter(p -> p.state().equals("COMPLETED")).count()
                + state.priors().size();
        if (observations == 0) {
            throw new ApiException(ApiException.Kind.FAILED_PRECONDITION, "campaign " + campaignId + " has no "
                    + "result yet: report results of its proposals first", List.of());
        }
        CampaignPlanner.Recommended recommended = planner.recommend(plan, state.all(), state.priors(),
                state.progress());
        boolean stop = stopThreshold != null
                && recommended.recommendation().maxExpectedImprovement() < stopThreshold;
        return new Recommendation(campaignId, plan, recommended, stopThreshold, stop);
    }
}
