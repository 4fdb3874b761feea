package org.mihub.gateway.view;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/** JSON shapes of the material endpoints. */
public final class MaterialViews {

    private MaterialViews() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record QuantityView(double value, String unit) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ParameterView(String name, QuantityView quantity, String text) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MeasurementView(String id, String property, QuantityView value, Double uncertainty,
            QuantityView reported, String method, String instrument, List<ParameterView> conditions, String source,
            String sourceRef, String campaignId, String proposalId, String label) {
    }

    public record ProcessStepView(int index, String kind, List<ParameterView> parameters) {
    }

    public record ExternalIdView(String system, String id) {
    }

    /** A site: species, fractional coordinates [x, y, z], occupancy when below one, label. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record SiteView(String species, List<Double> fractional, Double occupancy, String label) {
    }

    /** A crystal structure: lattice vectors a, b, c in ångström (Cartesian), sites, space group when known. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record StructureView(List<List<Double>> lattice, List<SiteView> sites, String spaceGroupSymbol,
            Integer spaceGroupNumber) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record MaterialView(String id, String datasetId, String ownerOrg, String sampleKey, String formula,
            String reducedFormula, Map<String, Double> composition, Map<String, Double> atomicFractions,
            List<String> elements, int nelements, List<String> tags, List<ExternalIdView> externalIds,
            StructureView structure, List<MeasurementView> measurements, List<ProcessStepView> processSteps,
            int datasetVersion,
            @Schema(description = "scope=federation only: the node that holds the material") String node,
            @Schema(description = "scope=federation only: the material at its home gateway, "
                    + "{gatewayUrl}/api/v1/materials/{id}") String homeUrl) {

        /** A material of this installation (no federation fields). */
        public MaterialView(String id, String datasetId, String ownerOrg, String sampleKey, String formula,
                String reducedFormula, Map<String, Double> composition, Map<String, Double> atomicFractions,
                List<String> elements, int nelements, List<String> tags, List<ExternalIdView> externalIds,
                StructureView structure, List<MeasurementView> measurements, List<ProcessStepView> processSteps,
                int datasetVersion) {
            this(id, datasetId, ownerOrg, sampleKey, formula, reducedFormula, composition, atomicFractions, elements,
                    nelements, tags, externalIds, structure, measurements, processSteps, datasetVersion, null, null);
        }

        /** The material as a federated search lists it: with the node that holds it and its home URL. */
        public MaterialView at(String atNode, String atHomeUrl) {
            return new MaterialView(id, datasetId, ownerOrg, sampleKey, formula, reducedFormula, composition,
                    atomicFractions, elements, nelements, tags, externalIds, structure, measurements, processSteps,
                    datasetVersion, atNode, atHomeUrl);
        }
    }

    /** A page of materials; {@code nodes} only with {@code scope=federation}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MaterialPage(List<MaterialView> materials, String nextCursor,
            @Schema(description = "scope=federation only: how each node answered") List<NodeStatus> nodes) {

        public MaterialPage(List<MaterialView> materials, String nextCursor) {
            this(materials, nextCursor, null);
        }
    }

    /**
     * How one node answered a federated search: {@code ok}, {@code timeout}, {@code unavailable} (refused
     * connection, 5xx, open circuit breaker, malformed answer) or {@code refused} (401/403); {@code count}:
     * the items of this page from it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NodeStatus(String node,
            @Schema(enumeration = {"ok", "timeout", "unavailable", "refused"}) String status, String message,
            int count) {
    }

    /** For each element (by symbol, in alphabetical order), how many visible materials contain it. */
    public record ElementCountsView(Map<String, Long> counts) {
    }

    /**
     * A search as the query string of {@code GET /api/v1/materials} gives it: the filters as written
     * (checked where they become a catalog query; {@code labels} from {@code value=} and {@code in=}, for a
     * categorical, boolean or text property), the sort keys, the page and whether the full view
     * (with process steps) is asked for.
     */
    public record MaterialSearch(String elements, String match, String nelements, String formula, String property,
            Double min, Double max, String unit, List<String> datasets, List<String> owners, List<String> sources,
            String text, String sort, int limit, String cursor, boolean full, List<String> labels) {

        /** The same search, another page. */
        public MaterialSearch page(int pageLimit, String pageCursor) {
            return new MaterialSearch(elements, match, nelements, formula, property, min, max, unit, datasets, owners,
                    sources, text, sort, pageLimit, pageCursor, full, labels);
        }
    }
}
