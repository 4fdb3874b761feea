package org.mihub.gateway.client;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.mihub.api.catalog.v1.CrystalStructure;
import org.mihub.api.catalog.v1.Dataset;
import org.mihub.api.catalog.v1.Material;
import org.mihub.api.catalog.v1.Measurement;
import org.mihub.api.catalog.v1.Site;
import org.mihub.api.catalog.v1.StructureField;
import org.mihub.api.catalog.v1.Vector3;
import org.mihub.common.chemistry.Composition;
import org.mihub.common.optimade.ProviderPrefix;
import org.mihub.gateway.view.OptimadeViews;
import org.mihub.gateway.view.OptimadeViews.Entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Catalog materials as OPTIMADE {@code structures} entries and datasets as {@code references}
 * entries (their attributes by OPTIMADE name), and the catalog's description of their fields. The formula forms come from
 * mihub-common's {@link Composition}, the same code that fills the catalog columns the filters run
 * on, so what a filter matches and what an entry shows agree.
 */
final class OptimadeMapper {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String OWN = "_" + ProviderPrefix.MIHUB + "_";

    private OptimadeMapper() {
    }

    /** The entry of a material: its id and every attribute, by OPTIMADE name. */
    static Entry entry(Material material) {
        return new Entry("structures", material.getId(), attributes(material));
    }

    /**
     * The entry of a dataset: title, DOI (also as a URL) and citation; the bibliographic fields a
     * dataset does not record are left out (null when asked for).
     */
    static Entry reference(Dataset dataset) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        out.put("immutable_id", JSON.textNode(dataset.getId()));
        out.put("last_modified", JSON.textNode(CommonMapper.instant(dataset.getUpdatedAt()).toString()));
        out.put("title", JSON.textNode(dataset.getTitle()));
        out.put("doi", text(dataset.hasDoi() ? dataset.getDoi() : null));
        out.put("url", text(dataset.hasDoi() ? "https://doi.org/" + dataset.getDoi() : null));
        out.put("note", text(dataset.getCitation().isEmpty() ? null : dataset.getCitation()));
        out.put(OWN + "owner_org", JSON.textNode(dataset.getOwnerOrg()));
        out.put(OWN + "licence", JSON.textNode(dataset.getLicence()));
        out.put(OWN + "description", JSON.textNode(dataset.getDescription()));
        out.put(OWN + "nmaterials", JSON.numberNode(dataset.getRowCount()));
        return new Entry("references", dataset.getId(), out);
    }

    static OptimadeViews.EntryField field(StructureField field) {
        return new OptimadeViews.EntryField(field.getName(), field.getDescription(), field.getType(),
                field.getUnit(), field.getSortable(), field.getFilterable(), field.getServed());
    }

    static Map<String, JsonNode> attributes(Material material) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        out.put("immutable_id", JSON.textNode(material.getId()));
        out.put("last_modified", JSON.textNode(CommonMapper.instant(material.getCreatedAt()).toString()));
        Composition composition = Composition.of(material.getCompositionMap());
        Composition.OptimadeForms forms = composition.optimadeForms();
        out.put("elements", strings(composition.elements()));
        out.put("nelements", JSON.numberNode(material.getNelements()));
        ArrayNode ratios = JSON.arrayNode();
        for (double ratio : forms.ratios()) {
            ratios.add(ratio);
        }
        out.put("elements_ratios", ratios);
        out.put("chemical_formula_descriptive", JSON.textNode(material.getFormula()));
        out.put("chemical_formula_reduced", text(forms.reduced()));
        out.put("chemical_formula_anonymous", text(forms.anonymous()));
        structure(material, out);
        out.put(OWN + "dataset_id", JSON.textNode(material.getDatasetId()));
        out.put(OWN + "owner_org", JSON.textNode(material.getOwnerOrg()));
        out.put(OWN + "sample_key", text(material.getSampleKey().isEmpty() ? null : material.getSampleKey()));
        out.put(OWN + "formula_pymatgen", JSON.textNode(material.getReducedFormula()));
        out.put(OWN + "tags", strings(material.getTagsList()));
        Map<String, double[]> sums = new TreeMap<>();
        Map<String, String> labels = new TreeMap<>();
        for (Measurement measurement : material.getMeasurementsList()) {
            if (!measurement.getLabel().isEmpty()) {
                labels.putIfAbsent(measurement.getProperty(), measurement.getLabel());
                continue;
            }
            double[] sum = sums.computeIfAbsent(measurement.getProperty(), property -> new double[2]);
            sum[0] += measurement.getValue().getValue();
            sum[1]++;
        }
        sums.forEach((property, sum) -> out.put(OWN + property, JSON.numberNode(sum[0] / sum[1])));
        // a categorical or text property's first label; a boolean one's as true or false
        labels.forEach((property, label) -> out.put(OWN + property, label.equals("true") || label.equals("false")
                ? JSON.booleanNode(Boolean.parseBoolean(label)) : JSON.textNode(label)));
        return out;
    }

    private static void structure(Material material, Map<String, JsonNode> out) {
        if (!material.hasStructure()) {
            for (String field : List.of("dimension_types", "nperiodic_dimensions", "lattice_vectors",
                    "cartesian_site_positions", "nsites", "species_at_sites", "species",
                    "space_group_symbol_hermann_mauguin", "space_group_it_number")) {
                out.put(field, JSON.nullNode());
            }
            out.put("structure_features", JSON.arrayNode());
            return;
        }
        CrystalStructure structure = material.getStructure();
        out.put("dimension_types", JSON.arrayNode().add(1).add(1).add(1));
        out.put("nperiodic_dimensions", JSON.numberNode(3));
        Vector3 a = structure.getLattice().getA();
        Vector3 b = structure.getLattice().getB();
        Vector3 c = structure.getLattice().getC();
        out.put("lattice_vectors", JSON.arrayNode().add(vector(a.getX(), a.getY(), a.getZ()))
                .add(vector(b.getX(), b.getY(), b.getZ())).add(vector(c.getX(), c.getY(), c.getZ())));
        ArrayNode positions = JSON.arrayNode();
        ArrayNode names = JSON.arrayNode();
        Map<String, ObjectNode> species = new LinkedHashMap<>();
        boolean disorder = false;
        for (Site site : structure.getSitesList()) {
            Vector3 f = site.getFractional();
            positions.add(vector(f.getX() * a.getX() + f.getY() * b.getX() + f.getZ() * c.getX(),
                    f.getX() * a.getY() + f.getY() * b.getY() + f.getZ() * c.getY(),
                    f.getX() * a.getZ() + f.getY() * b.getZ() + f.getZ() * c.getZ()));
            double occupancy = site.hasOccupancy() ? site.getOccupancy() : 1;
            String name = occupancy < 1 ? site.getSpecies() + "_" + plain(occupancy) : site.getSpecies();
            names.add(name);
            if (!species.containsKey(name)) {
                ObjectNode one = JSON.objectNode().put("name", name);
                ArrayNode symbols = one.putArray("chemical_symbols").add(site.getSpecies());
                ArrayNode concentration = one.putArray("concentration").add(occupancy);
                if (occupancy < 1) {
                    symbols.add("vacancy");
                    concentration.add(1 - occupancy);
                    disorder = true;
                }
                species.put(name, one);
            }
        }
        out.put("cartesian_site_positions", positions);
        out.put("nsites", JSON.numberNode(structure.getSitesCount()));
        out.put("species_at_sites", names);
        out.put("species", JSON.arrayNode().addAll(species.values()));
        out.put("structure_features", disorder ? JSON.arrayNode().add("disorder") : JSON.arrayNode());
        out.put("space_group_symbol_hermann_mauguin",
                text(structure.hasSpaceGroupSymbol() ? structure.getSpaceGroupSymbol() : null));
        out.put("space_group_it_number", structure.hasSpaceGroupNumber()
                ? JSON.numberNode(structure.getSpaceGroupNumber()) : JSON.nullNode());
    }

    private static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static ArrayNode vector(double x, double y, double z) {
        return JSON.arrayNode().add(x).add(y).add(z);
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = JSON.arrayNode();
        values.forEach(array::add);
        return array;
    }

    private static JsonNode text(String value) {
        return value == null ? JSON.nullNode() : JSON.textNode(value);
    }
}
