package org.mihub.planning.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.api.catalog.v1.CatalogServiceGrpc;
import org.mihub.api.catalog.v1.ExportDatasetRequest;
import org.mihub.api.catalog.v1.ExportDatasetResponse;
import org.mihub.api.catalog.v1.ExportFormat;
import org.mihub.api.catalog.v1.ListPropertiesRequest;
import org.mihub.api.catalog.v1.Material;
import org.mihub.api.catalog.v1.MaterialQuery;
import org.mihub.api.catalog.v1.MaterialView;
import org.mihub.api.catalog.v1.SearchMaterialsRequest;
import org.mihub.api.catalog.v1.SearchMaterialsResponse;
import org.mihub.api.common.v1.PageRequest;
import org.mihub.api.common.v1.Quantity;
import org.mihub.api.planning.v1.Candidate;
import org.mihub.api.planning.v1.CandidatePoolOracle;
import org.mihub.api.planning.v1.LabelledCandidate;
import org.mihub.api.planning.v1.ObjectiveValue;
import org.mihub.common.catalog.MeasuredValue;
import org.mihub.common.error.ApiException;
import org.mihub.planning.config.ClientsConfig;

import io.quarkus.grpc.GrpcClient;

/**
 * What the planner reads from the catalog, always as the caller (the catalog hands out only what
 * the caller may see, and logs reads of other organisations' data): a recorded dataset as the oracle
 * of a simulation or as a campaign's prior data, and the materials of a search as a campaign's
 * candidates.
 */
@ApplicationScoped
public class CatalogReader {

    /** Page size of the catalog's material search (its largest). */
    private static final int SEARCH_PAGE = 500;

    @GrpcClient("catalog")
    CatalogServiceGrpc.CatalogServiceBlockingStub catalog;

    @Inject
    ClientsConfig config;

    /** The catalog's property vocabulary: each property's name and canonical unit ("" when dimensionless). */
    public Map<String, String> propertyUnits() {
        Map<String, String> units = new HashMap<>();
        catalog.withDeadlineAfter(config.catalogDeadline().toMillis(), TimeUnit.MILLISECONDS)
                .listProperties(ListPropertiesRequest.getDefaultInstance()).getPropertiesList()
                .forEach(property -> units.put(property.getName(), property.getCanonicalUnit()));
        return units;
    }

    /** The catalog material and measurements one proposal's measured result was written to. */
    public record Written(String materialId, List<String> measurementIds) {
    }

    /**
     * Where the measured results of these proposals of a campaign were written: the dataset (as of
     * {@code version}, the version the write produced) is read back and every material whose
     * measurements name the campaign and one of the proposals is taken (the last one when a proposal
     * was written more than once). The catalog's ingest answers counts, not ids; the measurements
     * carry campaign and proposal ids, so reading them back is exact.
     */
    public Map<String, Written> written(String datasetId, int version, String campaignId,
            java.util.Set<String> proposalIds) {
        Map<String, Written> written = new HashMap<>();
        forEachMaterial(datasetId, version, List.of(), material -> {
            String proposal = null;
            List<String> measurements = new java.util.ArrayList<>();
            for (var measurement : material.getMeasurementsList()) {
                if (measurement.getCampaignId().equals(campaignId)
                        && proposalIds.contains(measurement.getProposalId())) {
                    proposal = measurement.getProposalId();
                    measurements.add(measurement.getId());
                }
            }
            if (proposal != null) {
                written.put(proposal, new Written(material.getId(), List.copyOf(measurements)));
            }
        });
        return written;
    }

    /**
     * Streams the dataset's materials (as of {@code version} when given) with their measurements of
     * these properties to {@code each}, one at a time, as the export arrives.
     */
    public void forEachMaterial(String datasetId, Integer version, List<String> properties,
            Consumer<Material> each) {
        var request = ExportDatasetRequest.newBuilder().setDatasetId(datasetId)
                .setFormat(ExportFormat.EXPORT_FORMAT_RECORDS).addAllProperties(properties);
        if (version != null) {
            request.setAsOfVersion(version);
        }
        Iterator<ExportDatasetResponse> stream = catalog
                .withDeadlineAfter(config.catalogReadDeadline().toMillis(), TimeUnit.MILLISECONDS)
                .exportDataset(request.build());
        while (stream.hasNext()) {
            ExportDatasetResponse message = stream.next();
            if (message.hasMaterial()) {
                each.accept(message.getMaterial());
            }
        }
    }

    /**
     * A dataset as the oracle of a simulation: every material with a measurement of the objective
     * becomes a labelled candidate — its composition, its material id, the mean of its measurements
     * in the property's canonical unit.
     */
    public CandidatePoolOracle oracle(String datasetId, Integer version, List<String> properties) {
        CandidatePoolOracle.Builder pool = CandidatePoolOracle.newBuilder();
        forEachMaterial(datasetId, version, properties, material -> {
            // a material joins the pool only with a value of every objective
            List<ObjectiveValue> values = new ArrayList<>();
            for (String property : properties) {
                MeasuredValue.of(material, property).ifPresent(value -> values.add(ObjectiveValue.newBuilder()
                        .setProperty(property).setValue(Quantity.newBuilder().setValue(value.mean())
                                .setUnit(value.unit())).build()));
            }
            if (values.size() == properties.size()) {
                pool.addRows(LabelledCandidate.newBuilder().setCandidate(Candidate.newBuilder().setId(material.getId())
                        .setFormula(material.getFormula()).setMaterialId(material.getId())).addAllValues(values));
            }
        });
        return pool.build();
    }

    /**
     * The materials of a catalog search as candidates (id and material id: the material's id;
     * composition: its atomic fractions), in the catalog's stable order, at most {@code max};
     * more matches are FAILED_PRECONDITION. With {@code distinct}, the first material of each
     * reduced formula only.
     */
    public List<Candidate> candidates(MaterialQuery query, int max, boolean distinct) {
        List<Candidate> candidates = new ArrayList<>();
        Set<String> formulas = new HashSet<>();
        String token = "";
        do {
            SearchMaterialsResponse page = catalog
                    .withDeadlineAfter(config.catalogReadDeadline().toMillis(), TimeUnit.MILLISECONDS)
                    .searchMaterials(SearchMaterialsRequest.newBuilder().setQuery(query)
                            .setView(MaterialView.MATERIAL_VIEW_SUMMARY)
                            .setPage(PageRequest.newBuilder().setPageSize(SEARCH_PAGE).setPageToken(token)).build());
            for (Material material : page.getMaterialsList()) {
                if (material.getAtomicFractionsCount() == 0 || distinct && !formulas.add(material.getReducedFormula())) {
                    continue;
                }
                if (candidates.size() == max) {
                    throw new ApiException(ApiException.Kind.FAILED_PRECONDITION, "the catalog search "
                            + "spec.design_space.catalog.query matches more than " + max + " candidates "
                            + "(max_candidates); narrow the query or raise the limit", List.of());
                }
                candidates.add(Candidate.newBuilder().setId(material.getId()).setMaterialId(material.getId())
                        .setFormula(material.getReducedFormula()).putAllComposition(material.getAtomicFractionsMap())
                        .build());
            }
            token = page.getPageInfo().getNextPageToken();
        } while (!token.isEmpty());
        return candidates;
    }
}
