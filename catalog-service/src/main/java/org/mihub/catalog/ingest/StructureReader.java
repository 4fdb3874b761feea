package org.mihub.catalog.ingest;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.mihub.catalog.ingest.Rejection.Code;
import org.mihub.common.chemistry.Composition;
import org.mihub.common.chemistry.Elements;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Validates the crystal structure and external ids of a material object (the JSON form of
 * {@code CrystalStructure} and {@code ExternalId}) and returns them as the JSON the catalog stores.
 * A structure needs three lattice vectors in ångström spanning a non-zero volume, at least one
 * site, known element symbols that all occur in the formula, finite fractional coordinates and
 * occupancies in (0, 1].
 */
final class StructureReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SITES = 10_000;

    private StructureReader() {
    }

    /** The stored structure, or null when the object has none or it is invalid (then problems say why). */
    static String structure(JsonNode node, Composition composition, long row, long line, List<Rejection> problems) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        int before = problems.size();
        ObjectNode stored = JSON.createObjectNode();
        ObjectNode lattice = stored.putObject("lattice");
        double[][] vectors = new double[3][];
        String[] axes = {"a", "b", "c"};
        for (int i = 0; i < 3; i++) {
            vectors[i] = vector(node.path("lattice").path(axes[i]), "structure.lattice." + axes[i], row, line,
                    problems);
            if (vectors[i] != null) {
                lattice.set(axes[i], vectorNode(vectors[i]));
            }
        }
        if (problems.size() == before && Math.abs(volume(vectors)) < 1e-6) {
            problems.add(new Rejection(row, line, "structure.lattice", Code.INVALID_VALUE,
                    "the lattice vectors span no volume", "", null));
        }
        JsonNode sites = node.path("sites");
        if (!sites.isArray() || sites.isEmpty()) {
            problems.add(new Rejection(row, line, "structure.sites", Code.MISSING_VALUE,
                    "a structure needs at least one site", "", null));
        } else if (sites.size() > MAX_SITES) {
            problems.add(new Rejection(row, line, "structure.sites", Code.VALUE_TOO_LARGE,
                    "at most " + MAX_SITES + " sites", String.valueOf(sites.size()), null));
        } else {
            ArrayNode storedSites = stored.putArray("sites");
            Set<String> formulaElements = composition == null ? null : new HashSet<>(composition.elements());
            for (int i = 0; i < sites.size(); i++) {
                site(sites.get(i), "structure.sites[" + i + "]", formulaElements, storedSites, row, line, problems);
            }
        }
        JsonNode symbol = node.path("space_group_symbol");
        if (symbol.isTextual() && !symbol.asText().isBlank()) {
            stored.put("space_group_symbol", symbol.asText().trim());
        }
        JsonNode number = node.path("space_group_number");
        if (!number.isMissingNode() && !number.isNull()) {
            if (!number.canConvertToInt() || number.asInt() < 1 || number.asInt() > 230 || !number.isIntegralNumber()) {
                problems.add(new Rejection(row, line, "structure.space_group_number", Code.INVALID_VALUE,
                        "a space-group number is an integer from 1 to 230", number.toString(), null));
            } else {
                stored.put("space_group_number", number.asInt());
            }
        }
        return problems.size() == before ? stored.toString() : null;
    }

    private static void site(JsonNode site, String path, Set<String> formulaElements, ArrayNode stored, long row,
            long line, List<Rejection> problems) {
        String species = site.path("species").asText("");
        if (Elements.find(species).isEmpty()) {
            problems.add(new Rejection(row, line, path + ".species", Code.UNKNOWN_ELEMENT,
                    "'" + species + "' is not an element symbol", species, null));
            return;
        }
        if (formulaElements != null && !formulaElements.contains(species)) {
            problems.add(new Rejection(row, line, path + ".species", Code.INVALID_VALUE,
                    species + " is not in the formula", species, null));
            return;
        }
        double[] fractional = vector(site.path("fractional"), path + ".fractional", row, line, problems);
        if (fractional == null) {
            return;
        }
        ObjectNode out = stored.addObject().put("species", species);
        out.set("fractional", vectorNode(fractional));
        JsonNode occupancy = site.path("occupancy");
        if (!occupancy.isMissingNode() && !occupancy.isNull()) {
            double value = occupancy.asDouble(Double.NaN);
            if (!occupancy.isNumber() || !(value > 0 && value <= 1)) {
                problems.add(new Rejection(row, line, path + ".occupancy", Code.INVALID_VALUE,
                        "an occupancy is a number in (0, 1]", occupancy.toString(), null));
                return;
            }
            out.put("occupancy", value);
        }
        String label = site.path("label").asText("");
        if (!label.isEmpty()) {
            out.put("label", label);
        }
    }

    private static double[] vector(JsonNode node, String path, long row, long line, List<Rejection> problems) {
        double[] vector = new double[3];
        String[] components = {"x", "y", "z"};
        for (int i = 0; i < 3; i++) {
            JsonNode component = node.path(components[i]);
            // proto3 JSON leaves out zero components
            if (component.isMissingNode() && node.isObject()) {
                continue;
            }
            if (!component.isNumber() || !Double.isFinite(component.asDouble())) {
                problems.add(new Rejection(row, line, path + "." + components[i], Code.BAD_NUMBER,
                        "a finite number is required", component.toString(), null));
                return null;
            }
            vector[i] = component.asDouble();
        }
        return vector;
    }

    private static ObjectNode vectorNode(double[] vector) {
        return JSON.createObjectNode().put("x", vector[0]).put("y", vector[1]).put("z", vector[2]);
    }

    private static double volume(double[][] v) {
        if (v[0] == null || v[1] == null || v[2] == null) {
            return 0;
        }
        return v[0][0] * (v[1][1] * v[2][2] - v[1][2] * v[2][1]) - v[0][1] * (v[1][0] * v[2][2] - v[1][2] * v[2][0])
                + v[0][2] * (v[1][0] * v[2][1] - v[1][1] * v[2][0]);
    }

    /** External ids as stored: a list of {system, id}, systems lower case. */
    static String externalIds(JsonNode node, long row, long line, List<Rejection> problems) {
        ArrayNode stored = JSON.createArrayNode();
        if (node.isMissingNode() || node.isNull()) {
            return stored.toString();
        }
        if (!node.isArray()) {
            problems.add(new Rejection(row, line, "external_ids", Code.INVALID_VALUE,
                    "a list of {system, id} objects is required", node.toString(), null));
            return null;
        }
        for (int i = 0; i < node.size(); i++) {
            String system = node.get(i).path("system").asText("").trim().toLowerCase(java.util.Locale.ROOT);
            String id = node.get(i).path("id").asText("").trim();
            if (system.isEmpty() || id.isEmpty()) {
                problems.add(new Rejection(row, line, "external_ids[" + i + "]", Code.MISSING_VALUE,
                        "an external id needs its system and id, e.g. {\"system\": \"mp\", \"id\": \"mp-19770\"}",
                        node.get(i).toString(), null));
                continue;
            }
            stored.addObject().put("system", system).put("id", id);
        }
        return stored.toString();
    }
}
