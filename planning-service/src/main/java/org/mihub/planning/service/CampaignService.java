package org.mihub.planning.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.common.access.AccessRule;
import org.mihub.common.error.ApiException;
import org.mihub.common.identity.Caller;
import org.mihub.common.sql.EntityTransactions;
import org.mihub.common.units.Units;
import org.mihub.planning.client.CatalogReader;
import org.mihub.planning.client.CatalogWriter;
import org.mihub.planning.mapping.Documents;
import org.mihub.planning.mapping.PriorMapper;
import org.mihub.planning.repository.CampaignRepository;
import org.mihub.planning.repository.CampaignRepository.CampaignRecord;
import org.mihub.planning.repository.CampaignRepository.PriorRecord;
import org.mihub.planning.repository.CampaignRepository.ProposalRecord;

/**
 * Campaigns: create, read, list, change status, list proposals. Reading follows visibility (a
 * hidden campaign is NOT_FOUND); creating and changing status need the role {@code member} in the
 * owning organisation, or {@code admin}, as do ask ({@link CampaignProposer}) and tell
 * ({@link ResultRecorder}). Each write runs in one transaction, so a refused request changes nothing.
 */
@ApplicationScoped
public class CampaignService {

    @Inject
    CampaignRepository repository;

    @Inject
    CatalogReader catalogReader;

    @Inject
    CatalogWriter catalogWriter;

    /** Checks that the caller may create a campaign for {@code ownerOrg} (empty: the caller's); returns the owner. */
    public String requireCreator(Caller caller, String ownerOrg) {
        String owner = ownerOrg.isEmpty() ? caller.org() : ownerOrg;
        requireMember(caller, owner);
        return owner;
    }

    /**
     * A campaign that names where its results go is checked when it is created, not when the first
     * result is reported after the experiment was done: the creator must see the dataset and be
     * able to write to it (the catalog is asked as the creator).
     */
    public void requireWritableResults(Caller caller, String datasetId) {
        if (datasetId.isBlank()) {
            return;
        }
        String field = "spec.results_dataset_id";
        String owner = catalogWriter.visibleDatasetOwner(datasetId).orElseThrow(() -> ApiException.invalid(field,
                "no dataset '" + datasetId + "' that you can see; name one of yours, or leave it empty and the "
                        + "campaign creates its own"));
        if (!AccessRule.canWrite(caller, owner)) {
            throw new ApiException(ApiException.Kind.PERMISSION_DENIED, field + ": results are written to dataset '"
                    + datasetId + "' of '" + owner + "', which needs the role 'contributor' in '" + owner + "'",
                    List.of(new ApiException.FieldViolation(field, "not writable by you")));
        }
    }

    /**
     * An objective that is a property of the catalog's vocabulary is reported in a unit of that
     * property's kind (a hardness in kelvin is refused now, not when its first result is stored);
     * an outcome constraint names a property of the vocabulary and bounds it in a unit of its kind.
     *
     * @return the vocabulary (property → canonical unit) when it was read, else empty
     */
    public Map<String, String> requireObjectiveUnits(Plan plan) {
        if (plan.objectives().stream().allMatch(objective -> objective.unit() == null || objective.unit().isBlank())
                && plan.outcomeConstraints().isEmpty()) {
            return Map.of();
        }
        Map<String, String> vocabulary = catalogReader.propertyUnits();
        List<ApiException.FieldViolation> problems = new ArrayList<>();
        // an outcome constraint names a property of the vocabulary, bounded in a unit of its kind
        for (Plan.OutcomeConstraint constraint : plan.outcomeConstraints()) {
            String canonical = vocabulary.get(constraint.property());
            if (canonical == null) {
                problems.add(new ApiException.FieldViolation(constraint.field().replaceAll("\\.(upper|lower)$", "")
                        + ".property", "no property '" + constraint.property() + "' in the catalog's vocabulary"));
                continue;
            }
            if (constraint.unit().isEmpty()) {
                continue;
            }
            try {
                Units.converter(constraint.unit(), canonical.isEmpty() ? "1" : canonical);
            } catch (Units.UnitException e) {
                problems.add(new ApiException.FieldViolation(constraint.field() + ".unit", "'" + constraint.unit()
                        + "' is not a unit of " + constraint.property() + ", which is measured in "
                        + (canonical.isEmpty() ? "no unit (dimensionless)" : canonical)));
            }
        }
        for (int i = 0; i < plan.objectives().size(); i++) {
            Plan.Objective objective = plan.objectives().get(i);
            String canonical = vocabulary.get(objective.property());
            if (objective.unit() == null || objective.unit().isBlank() || canonical == null) {
                continue;
            }
            try {
                Units.converter(objective.unit(), canonical.isEmpty() ? "1" : canonical);
            } catch (Units.UnitException e) {
                problems.add(new ApiException.FieldViolation("spec.objectives[" + i + "].unit", "'" + objective.unit()
                        + "' is not a unit of " + objective.property() + ", which is measured in "
                        + (canonical.isEmpty() ? "no unit (dimensionless)" : canonical)));
            }
        }
        problems = problems.stream().distinct().collect(Collectors.toList());
        if (!problems.isEmpty()) {
            throw new ApiException(ApiException.Kind.INVALID_ARGUMENT, problems.stream()
                    .map(p -> p.field() + ": " + p.reason()).collect(Collectors.joining("; ")), problems);
        }
        return vocabulary;
    }

    /** Stores a new campaign with its prior observations, in one transaction. */
    public CampaignView create(Caller caller, String ownerOrg, byte[] specDocument, Plan plan, String name,
            String description, String resultsDatasetId, List<PriorMapper.Prior> priors) {
        String owner = requireCreator(caller, ownerOrg);
        CampaignRecord record = new CampaignRecord(UUID.randomUUID(), owner, name, description, "PRIVATE", List.of(),
                "ACTIVE", "", specDocument, 0, caller.subject(), Instant.now(), Instant.now(), resultsDatasetId, 0);
        return EntityTransactions.requiringNew(() -> {
            repository.insert(record);
            List<PriorRecord> rows = new ArrayList<>();
            for (PriorMapper.Prior prior : priors) {
                rows.add(new PriorRecord(rows.size(), prior.datasetId(), prior.materialId(),
                        Documents.candidate(prior.point()), prior.values()));
            }
            repository.insertPriors(record.id(), rows);
            CampaignRecord stored = repository.find(record.id(), Optional.of(caller), false).orElseThrow();
            return CampaignViews.view(repository, stored, true); // full: the answer shows the prior observations it counts
        });
    }

    public CampaignView get(Optional<Caller> caller, UUID id, boolean full) {
        return EntityTransactions.joiningExisting(() -> {
            CampaignRecord record = repository.find(id, caller, false)
                    .orElseThrow(() -> ApiException.notFound("campaign", id.toString()));
            return CampaignViews.view(repository, record, full);
        });
    }

    public List<CampaignView> list(Optional<Caller> caller, String ownerOrg, String status, String text, int offset,
            int limit) {
        return EntityTransactions.joiningExisting(() -> {
            return CampaignViews.summaries(repository, repository.list(caller, ownerOrg, status, text, offset, limit));
        });
    }

    public CampaignView updateStatus(Caller caller, UUID id, String status, String reason) {
        return EntityTransactions.requiringNew(() -> {
            CampaignRecord record = repository.find(id, Optional.of(caller), true)
                    .orElseThrow(() -> ApiException.notFound("campaign", id.toString()));
            requireMember(caller, record.ownerOrg());
            if (record.status().equals("COMPLETED") || record.status().equals("CANCELLED")) {
                if (!record.status().equals(status)) {
                    throw new ApiException(ApiException.Kind.FAILED_PRECONDITION, "campaign " + id + " is "
                            + record.status() + " and cannot become " + status, List.of());
                }
                return CampaignViews.view(repository, record, false);
            }
            if (status.equals("CANCELLED")) {
                repository.cancelPending(id);
            }
            repository.updateStatus(id, status, reason.isBlank() ? "set by " + caller.subject() : reason);
            CampaignRecord updated = repository.find(id, Optional.of(caller), false).orElseThrow();
            return CampaignViews.view(repository, updated, false);
        });
    }

    public List<ProposalRecord> proposals(Optional<Caller> caller, UUID campaignId, String state, int offset,
            int limit) {
        return EntityTransactions.joiningExisting(() -> {
            repository.find(campaignId, caller, false)
                    .orElseThrow(() -> ApiException.notFound("campaign", campaignId.toString()));
            return repository.proposals(campaignId, state, null, offset, limit);
        });
    }

    /** Campaigns and simulations are run by members of their organisation (or an admin). */
    static void requireMember(Caller caller, String ownerOrg) {
        if (!AccessRule.canOperate(caller, ownerOrg)) {
            throw ApiException.denied("the role 'member' in organisation " + ownerOrg + " is required");
        }
    }
}
