package org.mihub.gateway.view;

import java.util.List;
import java.util.Map;

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
            int datasetVersion) {
    }

    public record MaterialPage(List<MaterialView> materials, String nextCursor) {
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
    }
}
