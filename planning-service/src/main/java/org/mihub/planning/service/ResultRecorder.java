package org.mihub.planning.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.common.error.ApiException;
import org.mihub.common.identity.Caller;
import org.mihub.common.units.Units;
import org.mihub.planning.client.CatalogReader;
import org.mihub.planning.client.CatalogWriter;
import org.mihub.planning.mapping.Documents;
import org.mihub.planning.repository.CampaignRepository;
import org.mihub.planning.repository.CampaignRepository.CampaignRecord;
import org.mihub.planning.repository.CampaignRepository.ProposalRecord;
import org.mihub.common.sql.EntityTransactions;
import org.mihub.planning.space.DesignSpace;

/**
 * Tell: the lab's results for a campaign's proposals, validated all at once, written to the
 * campaign's results dataset in the catalog, and recorded in one transaction under the campaign's
 * row lock (so concurrent tells never resolve a proposal twice). Recording moves the campaign's
 * version: an ask planning meanwhile plans again with these results.
 */
@ApplicationScoped
public class ResultRecorder {

    @Inject
    CampaignRepository repository;

    @Inject
    CatalogWriter catalog;

    @Inject
    CatalogReader reader;

    /**
     * Tell: validates every result first, writes the measured ones to the campaign's catalog dataset
     * (as the caller, who needs {@code contributor} there; the dataset is created on first use),
     * then records them all in one transaction. A catalog refusal records nothing.
     */
    public Results.Told report(Caller caller, UUID campaignId, List<Results.ReportedResult> results) {
        String[] createdDataset = {null};
        try {
            return record(caller, campaignId, results, createdDataset);
        } catch (RuntimeException e) {
            if (createdDataset[0] != null) {
                // the catalog refused the results after the dataset was made: keep the dataset for next time
                try {
                    EntityTransactions.requiringNew(() -> repository.setResultsDatasetOnce(campaignId, createdDataset[0]));
                } catch (RuntimeException notRecorded) {
                    // a later report creates another one
                    e.addSuppressed(notRecorded);
                }
            }
            throw e;
        }
    }

    private Results.Told record(Caller caller, UUID campaignId, List<Results.ReportedResult> results,
            String[] createdDataset) {
        return EntityTransactions.requiringNew(() -> {
            CampaignRecord record = repository.find(campaignId, Optional.of(caller), true)
                    .orElseThrow(() -> ApiException.notFound("campaign", campaignId.toString()));
            CampaignService.requireMember(caller, record.ownerOrg());
            if (record.status().equals("CANCELLED")) {
                throw new ApiException(ApiException.Kind.FAILED_PRECONDITION,
                        "campaign " + campaignId + " is cancelled: no results are accepted", List.of());
            }
            if (results.isEmpty()) {
                throw ApiException.invalid("results", "no results");
            }
            Plan plan = Documents.plan(record.spec());
            Map<UUID, ProposalRecord> proposals = new LinkedHashMap<>();
            for (ProposalRecord p : repository.proposals(campaignId, "", null, 0, Integer.MAX_VALUE)) {
                proposals.put(p.id(), p);
            }
            List<ApiException.FieldViolation> problems = new ArrayList<>();
            List<Results.Ack> acks = new ArrayList<>();
            Set<UUID> seen = new HashSet<>();
            List<Resolution> resolutions = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                Results.ReportedResult result = results.get(i);
                String path = "results[" + i + "]";
                UUID id;
                try {
                    id = UUID.fromString(result.proposalId());
                } catch (IllegalArgumentException e) {
                    problems.add(new ApiException.FieldViolation(path + ".proposal_id", "'" + result.proposalId()
                            + "' is not an id"));
                    continue;
                }
                ProposalRecord proposal = proposals.get(id);
                if (proposal == null) {
                    problems.add(new ApiException.FieldViolation(path + ".proposal_id",
                            "no proposal " + id + " in campaign " + campaignId));
                    continue;
                }
                if (!seen.add(id)) {
                    problems.add(new ApiException.FieldViolation(path + ".proposal_id", "reported twice in one request"));
                    continue;
                }
                double[] values = null;
                if (result.values() != null) {
                    values = new double[plan.objectives().size()];
                    for (int o = 0; o < plan.objectives().size(); o++) {
                        Plan.Objective objective = plan.objectives().get(o);
                        List<Results.ReportedValue> matching = result.values().stream()
                                .filter(v -> v.property().equals(objective.property())).toList();
                        if (matching.size() != 1) {
                            problems.add(new ApiException.FieldViolation(path + ".measured.values",
                                    matching.isEmpty() ? "no value for objective " + objective.property()
                                            : "objective " + objective.property() + " given " + matching.size()
                                                    + " times"));
                            continue;
                        }
                        Results.ReportedValue value = matching.get(0);
                        int at = result.values().indexOf(value);
                        if (!Double.isFinite(value.value())) {
                            problems.add(new ApiException.FieldViolation(path + ".measured.values[" + at + "].value",
                                    "must be a finite number"));
                        }
                        values[o] = value.value();
                        if (!objective.unit().isEmpty() && !value.unit().isEmpty()
                                && !value.unit().equals(objective.unit())) {
                            try {
                                values[o] = Units.converter(value.unit(), objective.unit()).convert(value.value());
                            } catch (Units.UnitException e) {
                                problems.add(new ApiException.FieldViolation(path + ".measured.values[" + at
                                        + "].unit", e.getMessage()));
                            }
                        }
                    }
                    // a value of a constrained property is read in the constraint's unit later: refuse one that is not
                    for (Plan.OutcomeConstraint constraint : plan.outcomeConstraints()) {
                        for (int at = 0; at < result.values().size(); at++) {
                            Results.ReportedValue value = result.values().get(at);
                            if (!value.property().equals(constraint.property())) {
                                continue;
                            }
                            if (!Double.isFinite(value.value())) {
                                problems.add(new ApiException.FieldViolation(path + ".measured.values[" + at
                                        + "].value", "must be a finite number"));
                            } else if (!constraint.unit().isEmpty() && !value.unit().isEmpty()
                                    && !value.unit().equals(constraint.unit())) {
                                try {
                                    Units.converter(value.unit(), constraint.unit());
                                } catch (Units.UnitException e) {
                                    problems.add(new ApiException.FieldViolation(path + ".measured.values[" + at
                                            + "].unit", e.getMessage() + " (outcome constraint on "
                                                    + constraint.property() + ")"));
                                }
                            }
                        }
                    }
                } else if (result.failureReason() == null) {
                    problems.add(new ApiException.FieldViolation(path, "give measured values or a failure"));
                    continue;
                }
                for (Map.Entry<String, Object> actual : result.actualParameters().entrySet()) {
                    Optional<DesignSpace.Parameter> parameter = plan.space().parameters().stream()
                            .filter(p -> p.name().equals(actual.getKey())).findFirst();
                    if (parameter.isEmpty()) {
                        problems.add(new ApiException.FieldViolation(path + ".actual_parameters[" + actual.getKey()
                                + "]", "no parameter " + actual.getKey() + " is declared"));
                    } else if (!compatible(parameter.get(), actual.getValue())) {
                        problems.add(new ApiException.FieldViolation(path + ".actual_parameters[" + actual.getKey()
                                + "]", "not a valid value for " + actual.getKey()));
                    }
                }
                String state = values != null ? "COMPLETED" : "FAILED";
                if (!proposal.state().equals("PENDING")) {
                    boolean same = proposal.state().equals(state) && java.util.Arrays.equals(proposal.result(),
                            result.document());
                    if (same) {
                        acks.add(new Results.Ack(id, state, true, proposal.materialId(), proposal.measurementIds()));
                    } else {
                        problems.add(new ApiException.FieldViolation(path + ".proposal_id", "proposal " + id + " is "
                                + proposal.state() + " already; a different result is not accepted"));
                    }
                    continue;
                }
                double[] stored = values;
                boolean retry = values == null && result.retryAllowed();
                resolutions.add(new Resolution(id, state, retry, result.document(), stored));
            }
            if (!problems.isEmpty()) {
                boolean conflict = problems.stream().allMatch(p -> p.reason().contains("already;"));
                throw new ApiException(conflict ? ApiException.Kind.FAILED_PRECONDITION
                        : ApiException.Kind.INVALID_ARGUMENT, problems.get(0).field() + ": " + problems.get(0).reason()
                                + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""), problems);
            }
            List<CatalogWriter.Result> measured = new ArrayList<>();
            Map<String, CatalogReader.Written> written = new java.util.HashMap<>();
            for (Results.ReportedResult result : results) {
                ProposalRecord proposal = proposals.get(UUID.fromString(result.proposalId()));
                if (result.values() != null && proposal.state().equals("PENDING")) {
                    measured.add(new CatalogWriter.Result(result.proposalId(), Documents.point(proposal.candidate()),
                            result.document()));
                }
            }
            if (!measured.isEmpty() && plan.space().hasComposition()) {
                String dataset = record.resultsDatasetId();
                if (dataset.isEmpty()) {
                    dataset = catalog.createResultsDataset(record.ownerOrg(), campaignId.toString(), record.name());
                    createdDataset[0] = dataset;
                    repository.setResultsDataset(campaignId, dataset);
                }
                String target = dataset;
                catalog.writeResults(dataset, campaignId.toString(), plan.space().parameters(),
                        Documents.spec(record.spec()).getDesignSpace().getParametersList(), measured)
                        .ifPresent(reply -> written.putAll(reader.written(target, reply.getDatasetVersion(),
                                campaignId.toString(), measured.stream().map(CatalogWriter.Result::proposalId)
                                        .collect(java.util.stream.Collectors.toSet()))));
            }
            for (Resolution r : resolutions) {
                CatalogReader.Written link = written.get(r.id().toString());
                String materialId = link == null ? null : link.materialId();
                List<String> measurementIds = link == null ? List.of() : link.measurementIds();
                repository.resolve(r.id(), r.state(), r.retry(), r.document(), r.values(), materialId, measurementIds);
                acks.add(new Results.Ack(r.id(), r.state(), false, materialId, measurementIds));
            }
            // the planner of a concurrent ask read the campaign before these results: it plans again
            repository.touch(campaignId);
            CampaignView view = CampaignViews.view(repository, record, false);
            Progress progress = view.progress();
            if (progress.spent() && progress.pending() == 0 && record.status().equals("ACTIVE")) {
                repository.updateStatus(campaignId, "COMPLETED", "budget reached");
                view = CampaignViews.view(repository, repository.find(campaignId, Optional.of(caller), false)
                        .orElseThrow(), false);
            }
            return new Results.Told(acks, view);
        });
    }

    /** A pending proposal's new state, recorded once the catalog write (if any) succeeded. */
    private record Resolution(UUID id, String state, boolean retry, byte[] document, double[] values) {
    }

    private static boolean compatible(DesignSpace.Parameter parameter, Object value) {
        if (parameter instanceof DesignSpace.Continuous) {
            return value instanceof Double d && Double.isFinite(d);
        }
        if (parameter instanceof DesignSpace.IntegerRange) {
            return value instanceof Long;
        }
        return value instanceof String s && ((DesignSpace.Categorical) parameter).values().contains(s);
    }

}
