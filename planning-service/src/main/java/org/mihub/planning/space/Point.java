package org.mihub.planning.space;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A candidate: atomic fractions by element and process parameter values (Double, Long or String)
 * by name. Generated points get a stable id derived from their content, so the same point always
 * has the same id; explicit candidates keep the client's id.
 *
 * @param cost the candidate's own cost, overriding the cost model (explicit candidates), or null
 */
public record Point(String id, Map<String, Double> composition, Map<String, Object> parameters, Double cost,
        String materialId) {

    public Point {
        composition = Map.copyOf(new TreeMap<>(composition));
        parameters = Map.copyOf(parameters);
    }

    /** A generated point, its id derived from its content. */
    public static Point of(Map<String, Double> composition, Map<String, Object> parameters) {
        String text = DesignSpace.describe(composition, parameters);
        String id = "p-" + UUID.nameUUIDFromBytes(text.getBytes(StandardCharsets.UTF_8)).toString().substring(0, 13);
        return new Point(id, composition, parameters, null, "");
    }

    /** The reduced formula of the composition, e.g. "Fe0.5Ni0.5" (empty without a composition). */
    public String formula() {
        return DesignSpace.describe(composition, Map.of());
    }
}
