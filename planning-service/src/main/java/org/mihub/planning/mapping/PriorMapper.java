package org.mihub.planning.mapping;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.mihub.api.catalog.v1.Material;
import org.mihub.api.catalog.v1.Measurement;
import org.mihub.api.catalog.v1.Parameter;
import org.mihub.api.catalog.v1.ProcessStep;
import org.mihub.api.planning.v1.CampaignSpec;
import org.mihub.api.planning.v1.ProcessParameter;
import org.mihub.common.units.Units;
import org.mihub.planning.service.Plan;
import org.mihub.planning.space.DesignSpace;
import org.mihub.planning.space.Point;

/**
 * Catalog materials as a campaign's prior observations (CampaignSpec.prior_data): a material is
 * taken when it has a measurement of every objective and maps onto the design space — its elements
 * are the space's (for explicit or catalog candidates, its composition is a candidate's, and the
 * observation takes that candidate's id so the candidate is not proposed again), and every process
 * parameter has a value in a process step of the parameter's step kind ("process" when none is
 * named, as the planner writes results). Values are averaged per objective and converted to the
 * objective's unit.
 */
public final class PriorMapper {

    /** One prior observation: where it comes from, the point it maps to, a value per objective. */
    public record Prior(String datasetId, String materialId, Point point, double[] values) {
    }

    private static final double MATCH = 1e-6;

    /**
     * Explicit candidates indexed by their composition (fractions rounded to 1e-6), so that each
     * material is compared with the few candidates of its own composition only.
     */
    public static final class Candidates {

        private final Map<String, List<Point>> byComposition = new HashMap<>();

        public Candidates(List<Point> points) {
            for (Point point : points) {
                byComposition.computeIfAbsent(key(point.composition()), k -> new java.util.ArrayList<>()).add(point);
            }
        }

        List<Point> near(Map<String, Double> composition) {
            return byComposition.getOrDefault(key(composition), List.of());
        }

        private static String key(Map<String, Double> composition) {
            StringBuilder key = new StringBuilder();
            new TreeMap<>(composition).forEach((element, fraction) -> {
                long micro = Math.round(fraction / MATCH);
                if (micro != 0) {
                    key.append(element).append(micro).append(' ');
                }
            });
            return key.toString();
        }
    }

    private PriorMapper() {
    }

    /** The observation a material gives, if it maps onto the design space and measures every objective. */
    public static Optional<Prior> prior(CampaignSpec spec, Plan plan, String datasetId, Material material,
            Candidates candidates) {
        List<Plan.Objective> objectives = plan.objectives();
        double[] values = new double[objectives.size()];
        for (int o = 0; o < objectives.size(); o++) {
            Plan.Objective objective = objectives.get(o);
            double sum = 0;
            int count = 0;
            for (Measurement measurement : material.getMeasurementsList()) {
                if (!measurement.getProperty().equals(objective.property()) || !measurement.getLabel().isEmpty()) {
                    continue; // a labelled (categorical, boolean, text) measurement has no value to optimise
                }
                double value = measurement.getValue().getValue();
                String unit = measurement.getValue().getUnit();
                if (!objective.unit().isEmpty() && !unit.isEmpty() && !unit.equals(objective.unit())) {
                    try {
                        value = Units.converter(unit, objective.unit()).convert(value);
                    } catch (Units.UnitException e) {
                        continue;
                    }
                }
                if (Double.isFinite(value)) {
                    sum += value;
                    count++;
                }
            }
            if (count == 0) {
                return Optional.empty();
            }
            values[o] = sum / count;
        }
        DesignSpace space = plan.space();
        Map<String, Double> composition = new TreeMap<>();
        if (space.hasComposition()) {
            if (material.getAtomicFractionsCount() == 0) {
                return Optional.empty();
            }
            composition.putAll(material.getAtomicFractionsMap());
        }
        Map<String, Object> parameters = new HashMap<>();
        for (ProcessParameter declared : spec.getDesignSpace().getParametersList()) {
            Optional<Object> value = parameter(material, declared, space);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            parameters.put(declared.getName(), value.get());
        }
        Point point;
        if (space.isExplicit()) {
            Optional<Point> match = candidates.near(composition).stream().filter(c -> same(c, composition, parameters))
                    .findFirst();
            if (match.isEmpty()) {
                return Optional.empty();
            }
            point = match.get();
        } else {
            if (!space.containsElements(composition.keySet())) {
                return Optional.empty();
            }
            point = Point.of(composition, parameters);
        }
        return Optional.of(new Prior(datasetId, material.getId(), point, values));
    }

    private static Optional<Object> parameter(Material material, ProcessParameter declared, DesignSpace space) {
        String kind = declared.getStepKind().isEmpty() ? "process" : declared.getStepKind();
        String name = declared.getStepParameter().isEmpty() ? declared.getName() : declared.getStepParameter();
        DesignSpace.Parameter parameter = space.parameters().stream().filter(p -> p.name().equals(declared.getName()))
                .findFirst().orElseThrow();
        for (ProcessStep step : material.getProcessStepsList()) {
            if (!step.getKind().equals(kind)) {
                continue;
            }
            for (Parameter recorded : step.getParametersList()) {
                if (!recorded.getName().equals(name)) {
                    continue;
                }
                if (parameter instanceof DesignSpace.Categorical categorical) {
                    return recorded.hasText() && categorical.values().contains(recorded.getText())
                            ? Optional.of(recorded.getText()) : Optional.empty();
                }
                if (!recorded.hasQuantity()) {
                    return Optional.empty();
                }
                String unit = parameter instanceof DesignSpace.Continuous c ? c.unit()
                        : ((DesignSpace.IntegerRange) parameter).unit();
                double value = recorded.getQuantity().getValue();
                String from = recorded.getQuantity().getUnit();
                if (unit != null && !unit.isEmpty() && !from.isEmpty() && !from.equals(unit)) {
                    try {
                        value = Units.converter(from, unit).convert(value);
                    } catch (Units.UnitException e) {
                        return Optional.empty();
                    }
                }
                if (!Double.isFinite(value)) {
                    return Optional.empty();
                }
                if (parameter instanceof DesignSpace.Continuous c) {
                    return c.logScale() && value <= 0 ? Optional.empty() : Optional.of(value);
                }
                long whole = Math.round(value);
                return Math.abs(value - whole) <= MATCH ? Optional.of(whole) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static boolean same(Point candidate, Map<String, Double> composition, Map<String, Object> parameters) {
        java.util.Set<String> elements = new java.util.HashSet<>(candidate.composition().keySet());
        elements.addAll(composition.keySet());
        for (String element : elements) {
            if (Math.abs(candidate.composition().getOrDefault(element, 0.0) - composition.getOrDefault(element, 0.0))
                    > MATCH) {
                return false;
            }
        }
        for (Map.Entry<String, Object> entry : parameters.entrySet()) {
            Object theirs = candidate.parameters().get(entry.getKey());
            if (entry.getValue() instanceof Number number) {
                if (!(theirs instanceof Number other) || Math.abs(number.doubleValue() - other.doubleValue())
                        > MATCH * Math.max(1, Math.abs(other.doubleValue()))) {
                    return false;
                }
            } else if (!entry.getValue().equals(theirs)) {
                return false;
            }
        }
        return true;
    }
}
