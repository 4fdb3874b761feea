package org.mihub.planning.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.IntConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.mihub.common.error.ApiException;
import org.mihub.common.identity.Caller;
import org.mihub.planning.acquisition.BatchSelector;
import org.mihub.planning.mapping.Documents;
import org.mihub.planning.repository.CampaignRepository;
import org.mihub.planning.repository.CampaignRepository.CampaignRecord;
import org.mihub.planning.repository.CampaignRepository.PriorRecord;
import org.mihub.planning.repository.CampaignRepository.ProposalRecord;
import org.mihub.common.sql.EntityTransactions;
import org.mihub.planning.space.Point;

/**
 * Ask: the next batch of a campaign. The campaign is read without a lock, the planner runs
 * (fitting, scoring and any call to the prediction service hold no database connection), and the
 * batch is committed in a short transaction only if the campaign's version is still the one that
 * was read. A concurrent tell, status change or batch moves the version: the proposer then reads
 * and plans again, so every observation is seen and the budget is never spent twice. A request id
 * makes the ask idempotent: its batch is returned again, also when two retries race.
 */
@ApplicationScoped
public class CampaignProposer {

    /** Plans tried before a campaign that changes faster than it can be planned is reported. */
    static final int ATTEMPTS = 5;

    private static final Logger LOG = Logger.getLogger(CampaignProposer.class);

    @Inject
    CampaignRepository repository;

    @Inject
    CampaignPlanner planner;

    /** Hears each attempt's number after planning, before the commit (a test changes the campaign there). */
    private volatile IntConsumer afterPlanning = attempt -> {
    };

    void afterPlanning(IntConsumer listener) {
        afterPlanning = listener;
    }

    /** What the planner read: the campaign at one version (or the batch an earlier request with the id made). */
    private record Snapshot(CampaignRecord record, Plan plan, List<ProposalRecord> all, List<PriorRecord> priors,
            Progress progress, int size, Batch earlier) {
    }

    /**
     * Ask: fits the surrogate to every result, takes pending proposals into account and proposes a
     * batch. A commit that collides with a concurrent change (ABORTED: a version or serialization
     * conflict) is planned again like a moved version; the last attempt's collision is reported.
     */
    public Batch propose(Caller caller, UUID campaignId, Integer requestedSize, String requestId) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Snapshot snapshot = read(caller, campaignId, requestedSize, requestId);
            if (snapshot.earlier() != null) {
                return snapshot.earlier();
            }
            int number = snapshot.record().batches() + 1;
            CampaignPlanner.Chosen chosen = planner.choose(snapshot.plan(), snapshot.all(), snapshot.priors(),
                    snapshot.size(), snapshot.progress(), random(snapshot.plan(), number));
            if (chosen.points().isEmpty()) {
                throw new ApiException(ApiException.Kind.FAILED_PRECONDITION,
                        "every feasible candidate of campaign " + campaignId + " has been proposed", List.of());
            }
            afterPlanning.accept(attempt);
            Optional<Batch> committed;
            try {
                committed = commit(caller, snapshot, chosen, requestId);
            } catch (ApiException e) {
                if (e.kind() != ApiException.Kind.ABORTED || attempt == ATTEMPTS) {
                    throw e;
                }
                committed = Optional.empty();
            }
            if (committed.isPresent()) {
                return committed.get();
            }
            LOG.debugf("campaign %s changed while its batch was planned (attempt %d): planning again", campaignId,
                    attempt);
        }
        throw new ApiException(ApiException.Kind.FAILED_PRECONDITION, "campaign " + campaignId + " changed "
                + ATTEMPTS + " times while its next batch was planned; ask again", List.of());
    }

    /** The batch {@code number}'s stream: the campaign's seed split once per batch, so a batch is reproducible. */
    private static SplittableRandom random(Plan plan, int number) {
        SplittableRandom random = new SplittableRandom(plan.seed()).split();
        for (int i = 1; i < number; i++) {
            random = random.split();
        }
        return random;
    }

    /** The campaign's state to plan from, or the batch an earlier request with the same id made. */
    private Snapshot read(Caller caller, UUID campaignId, Integer requestedSize, String requestId) {
        return EntityTransactions.joiningExisting(() -> {
            CampaignRecord record = repository.find(campaignId, Optional.of(caller), false)
                    .orElseThrow(() -> ApiException.notFound("campaign", campaignId.toString()));
            CampaignService.requireMember(caller, record.ownerOrg());
            Optional<Batch> earlier = earlier(record, requestId);
            if (earlier.isPresent()) {
                return new Snapshot(record, null, List.of(), List.of(), null, 0, earlier.get());
            }
            if (!record.status().equals("ACTIVE")) {
                throw new ApiException(ApiException.Kind.FAILED_PRECONDITION,
                        "campaign " + campaignId + " is " + record.status() + ": no new proposals", List.of());
            }
            Plan plan = Documents.plan(record.spec());
            List<ProposalRecord> all = repository.proposals(campaignId, "", null, 0, Integer.MAX_VALUE);
            List<PriorRecord> priors = repository.priors(campaignId);
            Progress progress = CampaignViews.progress(plan, record, all, priors.size());
            int size = requestedSize != null ? requestedSize : plan.batchSize();
            if (size < 1 || size > 1000) {
                throw ApiException.invalid("batch_size", "must be 1 to 1000");
            }
            if (progress.experimentsRemaining() != null) {
                size = Math.min(size, progress.experimentsRemaining());
            }
            if (size == 0 || progress.costRemaining() != null && progress.costRemaining() <= 0) {
                throw new ApiException(ApiException.Kind.FAILED_PRECONDITION,
                        "the budget of campaign " + campaignId + " is spent", List.of());
            }
            return new Snapshot(record, plan, all, priors, progress, size, null);
        });
    }

    /** Inside a transaction. */
    private Optional<Batch> earlier(CampaignRecord record, String requestId) {
        if (requestId.isEmpty()) {
            return Optional.empty();
        }
        Optional<UUID> batch = repository.batchForRequest(record.id(), requestId);
        if (batch.isEmpty()) {
            return Optional.empty();
        }
        List<ProposalRecord> proposals = repository.proposals(record.id(), "", batch.get(), 0,
                CampaignViews.HISTORY_LIMIT);
        CampaignView view = CampaignViews.view(repository, record, false);
        return Optional.of(new Batch(record.id(), batch.get(), view.plan(), proposals, List.of(), 0, 0, 0,
                view.progress()));
    }

    /** Stores the batch if the campaign is still at the snapshot's version; empty when it moved on. */
    private Optional<Batch> commit(Caller caller, Snapshot snapshot, CampaignPlanner.Chosen chosen, String requestId) {
        UUID campaignId = snapshot.record().id();
        return EntityTransactions.requiringNew(() -> {
            CampaignRecord record = repository.find(campaignId, Optional.of(caller), true)
                    .orElseThrow(() -> ApiException.notFound("campaign", campaignId.toString()));
            Optional<Batch> earlier = earlier(record, requestId);
            if (earlier.isPresent()) {
                return earlier;
            }
            if (record.version() != snapshot.record().version()) {
                return Optional.empty();
            }
            int number = record.batches() + 1;
            UUID batchId = UUID.randomUUID();
            List<ProposalRecord> proposals = new ArrayList<>();
            Plan plan = snapshot.plan();
            for (int i = 0; i < chosen.points().size(); i++) {
                Point point = chosen.points().get(i);
                BatchSelector.Pick pick = chosen.picks().get(i);
                proposals.add(new ProposalRecord(UUID.randomUUID(), campaignId, batchId, number, i, point.id(),
                        Documents.candidate(point), chosen.means().get(i), chosen.stds().get(i), pick.score(),
                        chosen.function().name(), plan.cost().of(point), "PENDING", false, null, null, null, null,
                        null, null, List.of(), probability(chosen.success().get(i)),
                        probability(chosen.meets().get(i))));
            }
            repository.insertBatch(campaignId, batchId, number, requestId, proposals);
            List<ProposalRecord> stored = repository.proposals(campaignId, "", batchId, 0,
                    CampaignViews.HISTORY_LIMIT);
            // the version is the snapshot's, so its proposals are still all there are, with this batch added
            List<ProposalRecord> all = new ArrayList<>(snapshot.all());
            all.addAll(proposals);
            Progress after = CampaignViews.progress(plan, record, all, snapshot.priors().size());
            if (after.spent()) {
                repository.updateStatus(campaignId, "COMPLETED", "budget reached");
            }
            return Optional.of(new Batch(campaignId, batchId, plan, stored, chosen.fits(), chosen.scored(),
                    chosen.fitSeconds(), chosen.selectSeconds(), after));
        });
    }

    /** A probability to keep with a proposal, null when it was not modelled (NaN). */
    private static Double probability(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
