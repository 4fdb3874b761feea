package org.mihub.planning.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Query;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

import org.mihub.common.access.AccessRule;
import org.mihub.common.access.SharingColumns;
import org.mihub.common.access.SqlCondition;
import org.mihub.common.identity.Caller;

/**
 * Campaigns, their batches, proposals and prior observations, through Hibernate ORM with Panache.
 * Reads of campaigns apply the suite's access rule in SQL ({@link AccessRule#readCondition}: PRIVATE
 * to the owner org, SHARED also to the named orgs, CONSORTIUM to members, PUBLIC to anyone; admins
 * see all) in a native query that Hibernate maps onto {@link CampaignEntity}, so a hidden campaign
 * is never read and the rule is written once. Every method runs in the caller's transaction
 * (common {@code EntityTransactions}); records are returned as values, so nothing outside this package holds an
 * entity. A campaign's version moves with every change to what its planner reads: a batch, a
 * status, results ({@link #touch}).
 */
@ApplicationScoped
public class CampaignRepository implements PanacheRepositoryBase<CampaignEntity, UUID> {

    /** A campaign row; {@code spec} is the stored CampaignSpec document. */
    public record CampaignRecord(UUID id, String ownerOrg, String name, String description, String visibility,
            List<String> sharedWith, String status, String statusReason, byte[] spec, int batches, String createdBy,
            Instant createdAt, Instant updatedAt, String resultsDatasetId, long version) {
    }

    /** A proposal row; {@code candidate} and {@code result} are stored Candidate / ProposalResult documents. */
    public record ProposalRecord(UUID id, UUID campaignId, UUID batchId, int batchNumber, int position,
            String candidateId, byte[] candidate, double[] predictedMean, double[] predictedStd,
            double acquisitionValue, String acquisitionFunction, double cost, String state, boolean retryAllowed,
            Instant proposedAt, Instant resolvedAt, byte[] result, double[] objectiveValues, String assignedTo,
            String materialId, List<String> measurementIds, Double successProbability,
            Double constraintProbability) {
    }

    /** A prior observation: a stored Candidate document and a value per objective (objective units). */
    public record PriorRecord(int position, String datasetId, String materialId, byte[] candidate,
            double[] objectiveValues) {
    }

    @Inject
    ProposalRepository proposals;

    @Inject
    ProposalBatchRepository batches;

    @Inject
    PriorObservationRepository priors;

    /** Where the {@code campaign} table (alias {@code c}) keeps its sharing. */
    private static final SharingColumns SHARING = SharingColumns.of("c");

    /** The access rule as SQL over alias {@code c}, with its parameters appended to {@code parameters}. */
    static String visible(Optional<Caller> caller, List<Object> parameters) {
        SqlCondition readable = AccessRule.readCondition(caller, SHARING);
        parameters.addAll(readable.parameters());
        return readable.sql();
    }

    public void insert(CampaignRecord campaign) {
        persist(CampaignEntity.of(campaign));
        // the campaign's row first: its prior observations and batches refer to it
        flush();
    }

    /** The campaign if the caller may see it; {@code lock} holds its row until the transaction ends. */
    public Optional<CampaignRecord> find(UUID id, Optional<Caller> caller, boolean lock) {
        List<Object> parameters = new ArrayList<>();
        parameters.add(id);
        String condition = visible(caller, parameters);
        return campaigns("SELECT c.* FROM campaign c WHERE c.id = ? AND " + condition + (lock ? " FOR UPDATE" : ""),
                parameters).stream().findFirst().map(CampaignEntity::record);
    }

    /** One page of the campaigns the caller may see, newest first. */
    public List<CampaignRecord> list(Optional<Caller> caller, String ownerOrg, String status, String text, int offset,
            int limit) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT c.* FROM campaign c WHERE ").append(visible(caller, parameters));
        if (!ownerOrg.isEmpty()) {
            sql.append(" AND c.owner_org = ?");
            parameters.add(ownerOrg);
        }
        if (!status.isEmpty()) {
            sql.append(" AND c.status = ?");
            parameters.add(status);
        }
        if (!text.isBlank()) {
            sql.append(" AND (c.name ILIKE ? OR c.description ILIKE ?)");
            String pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            parameters.add(pattern);
            parameters.add(pattern);
        }
        sql.append(" ORDER BY c.created_at DESC, c.id LIMIT ? OFFSET ?");
        parameters.add(limit);
        parameters.add(offset);
        return campaigns(sql.toString(), parameters).stream().map(CampaignEntity::record).toList();
    }

    /** Campaigns selected by native SQL (columns {@code c.*}), as managed entities. */
    @SuppressWarnings("unchecked")
    private List<CampaignEntity> campaigns(String sql, List<Object> parameters) {
        // what this transaction changed is in the rows the query reads
        flush();
        Query query = getEntityManager().createNativeQuery(sql, CampaignEntity.class);
        for (int i = 0; i < parameters.size(); i++) {
            query.setParameter(i + 1, parameters.get(i));
        }
        return query.getResultList();
    }

    /** Sets the status (and its reason) of a campaign read in this transaction. */
    public void updateStatus(UUID id, String status, String reason) {
        campaign(id).status(status, reason, Instant.now());
    }

    /** Records the results dataset once, in a transaction of its own; false when another request recorded one first. */
    public boolean setResultsDatasetOnce(UUID campaignId, String datasetId) {
        return update("resultsDatasetId = ?1 where id = ?2 and resultsDatasetId = ''", datasetId, campaignId) == 1;
    }

    /** Records the results dataset of a campaign locked in this transaction; false when one is recorded already. */
    public boolean setResultsDataset(UUID campaignId, String datasetId) {
        return campaign(campaignId).resultsDataset(datasetId);
    }

    /** Hands a batch's proposals to a lab robot. */
    public void assign(UUID batchId, String robot) {
        proposals.update("assignedTo = ?1 where batchId = ?2", robot, batchId);
    }

    /** Cancels every pending proposal of a campaign. */
    public void cancelPending(UUID campaignId) {
        Instant now = Instant.now();
        proposals.list("campaignId = ?1 and state = 'PENDING'", campaignId).forEach(p -> p.cancel(now));
    }

    /** The batch a retried request created, if any. */
    public Optional<UUID> batchForRequest(UUID campaignId, String requestId) {
        return batches.find("campaignId = ?1 and requestId = ?2", campaignId, requestId).firstResultOptional()
                .map(ProposalBatchEntity::id);
    }

    public void insertPriors(UUID campaignId, List<PriorRecord> rows) {
        for (PriorRecord prior : rows) {
            priors.persist(new PriorObservationEntity(campaignId, prior));
        }
    }

    /** How many prior observations the campaign has. */
    public int priorCount(UUID campaignId) {
        return Math.toIntExact(priors.count("campaignId", campaignId));
    }

    /** How many prior observations each of these campaigns has (a list's page, in one query). */
    public Map<UUID, Integer> priorCounts(Collection<UUID> campaignIds) {
        Map<UUID, Integer> counts = new HashMap<>();
        campaignIds.forEach(id -> counts.put(id, 0));
        if (!campaignIds.isEmpty()) {
            priors.getEntityManager().createQuery("select p.campaignId, count(p) from PriorObservationEntity p "
                    + "where p.campaignId in ?1 group by p.campaignId", Object[].class).setParameter(1, campaignIds)
                    .getResultList().forEach(row -> counts.put((UUID) row[0], Math.toIntExact((Long) row[1])));
        }
        return counts;
    }

    /** The campaign's prior observations in the order they were taken. */
    public List<PriorRecord> priors(UUID campaignId) {
        return priors.list("campaignId", Sort.by("position"), campaignId).stream().map(PriorObservationEntity::record)
                .toList();
    }

    /** Stores a batch and its proposals and counts the batch on the campaign (read in this transaction). */
    public void insertBatch(UUID campaignId, UUID batchId, int number, String requestId,
            List<ProposalRecord> rows) {
        Instant now = Instant.now();
        batches.persist(new ProposalBatchEntity(batchId, campaignId, number, requestId, now));
        // the batch's row first: its proposals refer to it
        batches.flush();
        for (ProposalRecord p : rows) {
            proposals.persist(ProposalEntity.pending(p, campaignId, batchId, number, now));
        }
        campaign(campaignId).countBatch(number, now);
    }

    /**
     * Counts a change to what the campaign's planner reads (results recorded): the version moves at
     * the commit even when nothing else of the campaign's row changed.
     */
    public void touch(UUID campaignId) {
        CampaignEntity campaign = campaign(campaignId);
        campaign.touch(Instant.now());
        getEntityManager().lock(campaign, LockModeType.OPTIMISTIC_FORCE_INCREMENT);
    }

    /** Records a result or failure of a pending proposal. */
    public void resolve(UUID proposalId, String state, boolean retryAllowed, byte[] result, double[] values,
            String materialId, List<String> measurementIds) {
        ProposalEntity proposal = proposals.findById(proposalId);
        if (proposal == null || !proposal.resolve(state, retryAllowed, result, values, materialId, measurementIds,
                Instant.now())) {
            throw new IllegalStateException("proposal " + proposalId + " was resolved concurrently");
        }
    }

    /** A campaign's proposals in order of proposal, optionally one state and one batch, paged. */
    public List<ProposalRecord> proposals(UUID campaignId, String state, UUID batchId, int offset, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        StringBuilder query = new StringBuilder("campaignId = ?1");
        List<Object> parameters = new ArrayList<>(List.of(campaignId));
        if (!state.isEmpty()) {
            parameters.add(state);
            query.append(" and state = ?").append(parameters.size());
        }
        if (batchId != null) {
            parameters.add(batchId);
            query.append(" and batchId = ?").append(parameters.size());
        }
        PanacheQuery<ProposalEntity> page = proposals.find(query.toString(), Sort.by("batchNumber").and("position"),
                parameters.toArray());
        if (offset > 0 || limit < Integer.MAX_VALUE) {
            page = page.range(offset, (int) Math.min((long) offset + limit - 1, Integer.MAX_VALUE - 1L));
        }
        return page.stream().map(ProposalEntity::record).toList();
    }

    /**
     * Every proposal of these campaigns (a list's page) in one query, each campaign's in batch and
     * position order; read-only, so the entities are not kept for dirty checking.
     */
    public Map<UUID, List<ProposalRecord>> proposalsOf(Collection<UUID> campaignIds) {
        Map<UUID, List<ProposalRecord>> byCampaign = new HashMap<>();
        campaignIds.forEach(id -> byCampaign.put(id, new ArrayList<>()));
        if (!campaignIds.isEmpty()) {
            proposals.find("campaignId in ?1", Sort.by("campaignId").and("batchNumber").and("position"), campaignIds)
                    .withHint(org.hibernate.jpa.HibernateHints.HINT_READ_ONLY, true).stream()
                    .map(ProposalEntity::record).forEach(p -> byCampaign.get(p.campaignId()).add(p));
        }
        return byCampaign;
    }

    /** The campaign's entity in this transaction's persistence context. */
    private CampaignEntity campaign(UUID id) {
        CampaignEntity campaign = findById(id);
        if (campaign == null) {
            throw new IllegalStateException("campaign " + id + " is not there");
        }
        return campaign;
    }
}
