package org.mihub.planning.service;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.mihub.planning.acquisition.Acquisition;
import org.mihub.planning.acquisition.ModelPrior;
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
 * @param outcomeConstraints bounds on measured outcomes ("density below 8 g/cm3"), each with its own
 *                       surrogate; empty: none
 */
public record Plan(List<Objective> objectives, DesignSpace space, Cost cost, Integer maxExperiments, Double maxCost,
        GaussianProcess.Options surrogate, Acquisition acquisition,
        BatchSelector.Strategy batchStrategy, int batchSize, int initialPoints, int maxScored, long seed,
        Map<String, String> models, List<OutcomeConstraint> outcomeConstraints) {

    /** True when prediction-service models (objective property → model id) are the surrogate. */
    public boolean modelSurrogate() {
        return !models.isEmpty();
    }

    /**
     * A bound on a measured outcome: the property's value must stay below ({@code upper}) or above
     * {@code bound}, in {@code unit} (the property's values are converted into it; empty: the
     * property's canonical unit). {@code field} is where the spec gave it, for messages.
     */
    public record OutcomeConstraint(String property, boolean upper, double bound, String unit, String field) {

        public boolean holds(double value) {
            return upper ? value < bound : value > bound;
        }
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

    /** A prediction model's means and standard deviations of an objective's property as a surrogate prior. */
    public static ModelPrior prior(Objective objective, double[] mean, double[] std) {
        return objective.direction() == Direction.TARGET ? ModelPrior.towards(mean, std, objective.target())
                : ModelPrior.of(mean, std, objective.direction() == Direction.MINIMISE);
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

    /**
     * The values the acquisition maximises: one objective in "larger is better" orientation, or for
     * several objectives a ParEGO augmented Chebyshev scalarisation of the normalised objectives with
     * random weights (Knowles 2006), drawn anew for every batch from the campaign's seed.
     */
    public static double[] scalarise(List<Plan.Objective> objectives, List<double[]> values, SplittableRandom random) {
        int n = values.size();
        int m = objectives.size();
        double[][] oriented = new double[m][n];
        for (int o = 0; o < m; o++) {
            for (int i = 0; i < n; i++) {
                oriented[o][i] = objectives.get(o).oriented(values.get(i)[o]);
            }
        }
        if (m == 1) {
            return oriented[0];
        }
        double[] weights = new double[m];
        double total = 0;
        for (int o = 0; o < m; o++) {
            weights[o] = -Math.log(1 - random.nextDouble()) * objectives.get(o).weight();
            total += weights[o];
        }
        double[] scalar = new double[n];
        for (int o = 0; o < m; o++) {
            double low = java.util.Arrays.stream(oriented[o]).min().orElse(0);
            double high = java.util.Arrays.stream(oriented[o]).max().orElse(1);
            double range = high > low ? high - low : 1;
            for (int i = 0; i < n; i++) {
                oriented[o][i] = (oriented[o][i] - low) / range;
            }
        }
        for (int i = 0; i < n; i++) {
            double worst = Double.POSITIVE_INFINITY;
            double sum = 0;
            for (int o = 0; o < m; o++) {
                double term = weights[o] / total * oriented[o][i];
                worst = Math.min(worst, term);
                sum += term;
            }
            scalar[i] = worst + 0.05 * sum;
        }
        return scalar;
    }
}
