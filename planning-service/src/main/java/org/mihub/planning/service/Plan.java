package org.mihub.planning.service;

import java.util.List;
import java.util.Map;

import org.mihub.planning.acquisition.Acquisition;
import org.mihub.planning.acquisition.BatchSelector;
import org.mihub.common.gp.GaussianProcess;
import org.mihub.planning.space.DesignSpace;
import org.mihub.planning.space.Point;

/**
 * A campaign's strategy in domain terms, read from its validated spec: what to optimise, where,
 * at what cost, within which budget, and how to choose.
 *
 * @param initialPoints  random proposals while fewer observations exist
 * @param maxScored      candidates sampled and scored per proposal in large or continuous spaces
 * @param models         objective property → prediction-service model id when models are the
 *                       surrogate (corrected by a Gaussian process on their standardised residuals);
 *                       empty for the Gaussian process alone
 */
public record Plan(List<Objective> objectives, DesignSpace space, Cost cost, Integer maxExperiments, Double maxCost,
        GaussianProcess.Options surrogate, Acquisition acquisition,
        BatchSelector.Strategy batchStrategy, int batchSize, int initialPoints, int maxScored, long seed,
        Map<String, String> models) {

    /** True when prediction-service models (objective property → model id) are the surrogate. */
    public boolean modelSurrogate() {
        return !models.isEmpty();
    }

    /** What to do with an objective property. */
    public enum Direction {
        MAXIMISE, MINIMISE, TARGET
    }

    /**
     * One objective: a property, a direction (and target), its unit, its ParEGO weight, and the
     * reference value for hypervolumes (in the unit; null: derived from the observations).
     */
    public record Objective(String property, Direction direction, Double target, String unit, double weight,
            Double reference) {

        /** The value turned into "larger is better", the orientation the surrogate maximises. */
        public double oriented(double value) {
            return switch (direction) {
                case MAXIMISE -> value;
                case MINIMISE -> -value;
                case TARGET -> -Math.abs(value - target);
            };
        }
    }

    /** Cost of one experiment: fixed + Σ coefficient × variable, or the candidate's own cost. */
    public record Cost(double fixed, Map<String, Double> terms, String unit) {

        public double of(Point point) {
            if (point.cost() != null) {
                return point.cost();
            }
            double total = fixed;
            for (Map.Entry<String, Double> term : terms.entrySet()) {
                Double fraction = point.composition().get(term.getKey());
                Object parameter = point.parameters().get(term.getKey());
                double value = fraction != null ? fraction : parameter instanceof Number n ? n.doubleValue() : 0;
                total += term.getValue() * value;
            }
            return total;
        }
    }
}
