package org.mihub.prediction.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Permutation importance (Breiman 2001; Fisher, Rudin and Dominici 2019) on held-out rows: the
 * increase in mean absolute error when one feature's column is shuffled, which breaks its link to
 * the target and keeps its distribution. Measured on each cross-validation fold's held-out rows with
 * the model trained without them, {@code repeats} shuffles per feature and fold, each from a seeded
 * generator: the same seed gives the same figures. A feature that no split of a tree model tests, or
 * whose held-out values are all equal, cannot change the output and scores exactly 0 without being
 * shuffled.
 */
public final class PermutationImportance {

    /** Shuffles per feature and fold unless a caller asks for another number. */
    public static final int REPEATS = 3;

    /** The mean and sample standard deviation of one feature's MAE increases over folds and repeats. */
    public record Importance(int feature, double mean, double std, int count) {
    }

    /** The importances of all features, in feature order, with how they were measured. */
    public record Result(List<Importance> features, int repeats, long seed, int folds) {
    }

    /** Predicts the mean of many rows. */
    public interface Predictor {
        void predict(double[][] rows, double[] means);
    }

    /**
     * Collects the increases fold by fold ({@link #fold}), then {@link #result}. Each fold's
     * generator is split from the seed in fold order, so the figures do not depend on the threads.
     */
    public static final class Collector {

        private final int features;
        private final int repeats;
        private final long seed;
        private final SplittableRandom root;
        private final List<double[][]> folds = new ArrayList<>();

        public Collector(int features, int repeats, long seed) {
            if (repeats < 1) {
                throw new IllegalArgumentException("repeats must be at least 1");
            }
            this.features = features;
            this.repeats = repeats;
            this.seed = seed;
            this.root = new SplittableRandom(seed);
        }

        /** Measures one fold: its model, its held-out rows and their targets. */
        public void fold(Regressor model, double[][] x, double[] y, int threads) {
            var ensemble = model.treeEnsemble();
            Predictor predictor = ensemble.isPresent() ? (rows, means) -> ensemble.get().means(rows, means, threads)
                    : predictor(model, threads);
            folds.add(increases(predictor, ensemble.map(TreeEnsemble::usedFeatures).orElse(null), x, y, repeats,
                    root.split(), features));
        }

        public Result result() {
            List<Importance> out = new ArrayList<>(features);
            for (int f = 0; f < features; f++) {
                double sum = 0;
                int count = 0;
                for (double[][] fold : folds) {
                    for (double increase : fold[f]) {
                        sum += increase;
                        count++;
                    }
                }
                double mean = count == 0 ? 0 : sum / count;
                double squares = 0;
                for (double[][] fold : folds) {
                    for (double increase : fold[f]) {
                        squares += (increase - mean) * (increase - mean);
                    }
                }
                out.add(new Importance(f, mean, count > 1 ? Math.sqrt(squares / (count - 1)) : 0, count));
            }
            return new Result(out, repeats, seed, folds.size());
        }
    }

    private PermutationImportance() {
    }

    /** The model's means: a tree model's without computing its uncertainty, any other through its predict. */
    public static Predictor predictor(Regressor model, int threads) {
        var ensemble = model.treeEnsemble();
        if (ensemble.isPresent()) {
            return (rows, means) -> ensemble.get().means(rows, means, threads);
        }
        return (rows, means) -> model.predict(rows, means, new double[rows.length], threads);
    }

    /**
     * increases[f][r]: the MAE on the rows with feature f shuffled (repeat r) minus the MAE on the
     * rows as they are. Features marked unused score 0 unshuffled.
     *
     * @param used which features the model can react to, or null for all
     */
    static double[][] increases(Predictor predictor, boolean[] used, double[][] x, double[] y, int repeats,
            SplittableRandom random, int features) {
        int n = x.length;
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = x[i].clone();
        }
        double[] means = new double[n];
        predictor.predict(rows, means);
        double baseline = mae(y, means);
        double[][] increases = new double[features][repeats];
        int[] order = new int[n];
        for (int f = 0; f < features; f++) {
            // every feature draws its shuffles, used or not, so one feature's figures do not depend on another's use
            SplittableRandom generator = random.split();
            if (used != null && !used[f] || constant(x, f)) {
                continue; // no shuffle can change the predictions: exactly 0
            }
            for (int r = 0; r < repeats; r++) {
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                for (int i = n - 1; i > 0; i--) {
                    int j = generator.nextInt(i + 1);
                    int swap = order[i];
                    order[i] = order[j];
                    order[j] = swap;
                }
                for (int i = 0; i < n; i++) {
                    rows[i][f] = x[order[i]][f];
                }
                predictor.predict(rows, means);
                increases[f][r] = mae(y, means) - baseline;
            }
            for (int i = 0; i < n; i++) {
                rows[i][f] = x[i][f];
            }
        }
        return increases;
    }

    /** Whether every row holds the same value of feature f (so every shuffle leaves the rows as they are). */
    private static boolean constant(double[][] x, int f) {
        for (double[] row : x) {
            if (Double.compare(row[f], x[0][f]) != 0) {
                return false;
            }
        }
        return true;
    }

    private static double mae(double[] y, double[] means) {
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += Math.abs(y[i] - means[i]);
        }
        return sum / y.length;
    }
}
