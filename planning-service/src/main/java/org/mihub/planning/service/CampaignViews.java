package org.mihub.planning.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.mihub.planning.mapping.Documents;
import org.mihub.planning.repository.CampaignRepository;
import org.mihub.planning.repository.CampaignRepository.CampaignRecord;
import org.mihub.planning.repository.CampaignRepository.PriorRecord;
import org.mihub.planning.repository.CampaignRepository.ProposalRecord;

/** A campaign's view from its rows: counters, the budget left, the best result or the Pareto front, history. */
final class CampaignViews {

    /** Proposals listed in a full view at most. */
    static final int HISTORY_LIMIT = 10_000;

    private CampaignViews() {
    }

    /** Inside a transaction. */
    static CampaignView view(CampaignRepository repository, CampaignRecord record, boolean full) {
        List<ProposalRecord> all = repository.proposals(record.id(), "", null, 0, Integer.MAX_VALUE);
        // the summary view only counts the prior observations; the full view lists them
        List<PriorRecord> priors = full ? repository.priors(record.id()) : List.of();
        int priorCount = full ? priors.size() : repository.priorCount(record.id());
        return view(record, all, priors, priorCount, full);
    }

    /**
     * The summary views of a list's page, inside a transaction: two queries for the whole page (every
     * proposal, the prior counts), not two per campaign.
     */
    static List<CampaignView> summaries(CampaignRepository repository, List<CampaignRecord> records) {
        List<UUID> ids = records.stream().map(CampaignRecord::id).toList();
        Map<UUID, List<ProposalRecord>> proposals = repository.proposalsOf(ids);
        Map<UUID, Integer> priorCounts = repository.priorCounts(ids);
        List<CampaignView> views = new ArrayList<>(records.size());
        for (CampaignRecord record : records) {
            views.add(view(record, proposals.get(record.id()), List.of(), priorCounts.get(record.id()), false));
        }
        return views;
    }

    private static CampaignView view(CampaignRecord record, List<ProposalRecord> all, List<PriorRecord> priors,
            int priorCount, boolean full) {
        Plan plan = Documents.plan(record.spec());
        Progress progress = progress(plan, record, all, priorCount);
        List<ProposalRecord> completed = all.stream().filter(p -> p.state().equals("COMPLETED")).toList();
        ProposalRecord best = null;
        List<ProposalRecord> front = new ArrayList<>();
        if (plan.objectives().size() == 1) {
            Plan.Objective objective = plan.objectives().get(0);
            for (ProposalRecord p : completed) {
                if (best == null || objective.oriented(p.objectiveValues()[0])
                        > objective.oriented(best.objectiveValues()[0])) {
                    best = p;
                }
            }
        } else {
            for (ProposalRecord p : completed) {
                boolean dominated = false;
                for (ProposalRecord q : completed) {
                    if (q != p && dominates(plan.objectives(), q.objectiveValues(), p.objectiveValues())) {
                        dominated = true;
                        break;
                    }
                }
                if (!dominated) {
                    front.add(p);
                }
            }
        }
        List<ProposalRecord> history = full ? all.subList(0, Math.min(all.size(), HISTORY_LIMIT)) : List.of();
        return new CampaignView(record, plan, progress, best, front, history, full && all.size() > HISTORY_LIMIT,
                priors);
    }

    private static boolean dominates(List<Plan.Objective> objectives, double[] a, double[] b) {
        boolean better = false;
        for (int o = 0; o < objectives.size(); o++) {
            double x = objectives.get(o).oriented(a[o]);
            double y = objectives.get(o).oriented(b[o]);
            if (x < y) {
                return false;
            }
            better |= x > y;
        }
        return better;
    }

    static Progress progress(Plan plan, CampaignRecord record, List<ProposalRecord> all, int priors) {
        int pending = 0;
        int completed = 0;
        int failed = 0;
        int cancelled = 0;
        double cost = 0;
        for (ProposalRecord p : all) {
            switch (p.state()) {
                case "PENDING" -> pending++;
                case "COMPLETED" -> completed++;
                case "FAILED" -> failed++;
                default -> cancelled++;
            }
            if (!p.state().equals("CANCELLED")) {
                cost += p.cost();
            }
        }
        int used = all.size() - cancelled;
        Integer experimentsLeft = plan.maxExperiments() == null ? null : Math.max(0, plan.maxExperiments() - used);
        Double costLeft = plan.maxCost() == null ? null : Math.max(0, plan.maxCost() - cost);
        return new Progress(all.size(), pending, completed, failed, cancelled, record.batches(), completed + priors, cost,
                experimentsLeft, costLeft);
    }
}
