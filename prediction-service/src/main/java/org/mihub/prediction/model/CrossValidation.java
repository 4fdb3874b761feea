package org.mihub.prediction.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * k-fold cross-validation of a model: rows are shuffled with the seed and dealt into k folds; each
 * fold is predicted by a model trained on the others (same algorithm, parameters and seed).
 * Gives the out-of-fold mean and standard deviation of every row and the metrics per fold and
 * overall.
 */
public final class CrossValidation {

    /** MAE, RMSE, R^2 and the share of observations inside the 68 % (mean +- std) and 95 % (+- 1.96 std) intervals. */
    public record Metrics(double mae, double rmse, double r2, double coverage68, double coverage95, long count) {

        static Metrics of(double[] observed, double[] mean, double[] std, List<Integer> rows) {
            double absolute = 0;
            double squared = 0;
            double average = 0;
            int within68 = 0;
            int within95 = 0;
            for (int row : rows) {
                average += observed[row] / rows.size();
            }
            double total = 0;
            for (int row : rows) {
                double error = observed[row] - mean[row];
                absolute += Math.abs(error);
                squared += error * error;
                total += (observed[row] - average) * (observed[row] - average);
                within68 += Math.abs(error) <= std[row] ? 1 : 0;
                within95 += Math.abs(error) <= 1.96 * std[row] ? 1 : 0;
            }
            int n = rows.size();
            return new Metrics(absolute / n, Math.sqrt(squared / n), total == 0 ? 0 : 1 - squared / total,
                    within68 / (double) n, within95 / (double) n, n);
        }
    }

    public record Result(int[] fold, double[] mean, double[] std, List<Metrics> folds, Metrics overall) {
    }

    private CrossValidation() {
    }

    /** Fold of each row: a seeded shuffle dealt round-robin, so fold sizes differ by at most one. */
    public static int[] folds(int n, int k, long seed) {
        int[] group = new int[n];
        for (int i = 0; i < n; i++) {
            group[i] = i;
        }
        return folds(group, k, seed);
    }

    /**
     * Fold of each row when rows come in groups (e.g. repeated measurements of one composition):
     * the groups are shuffled with the seed and dealt round-robin, so a group never sits on both
     * sides of a split. {@code group[i]} numbers row i's group from 0.
     */
    public static int[] folds(int[] group, int k, long seed) {
        int groups = 0;
        for (int g : group) {
            groups = Math.max(groups, g + 1);
        }
        int[] order = new int[groups];
        for (int i = 0; i < groups; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = groups - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        int[] foldOfGroup = new int[groups];
        for (int position = 0; position < groups; position++) {
            foldOfGroup[order[position]] = position % k;
        }
        int[] fold = new int[group.length];
        for (int i = 0; i < group.length; i++) {
            fold[i] = foldOfGroup[group[i]];
        }
        return fold;
    }

    /**
     * Runs the k folds; {@code afterFold} hears the index of each finished fold.
     *
     * @param group each row's group (rows of one group share a fold), or null for one row per group
     */
    public static Result run(double[][] x, double[] y, int[] group, int k, ModelParams params, int threads,
            IntConsumer afterFold) {
        return run(x, y, group, k, params, threads, afterFold, null);
    }

    /** What else a caller measures on each fold: the fold's model and its held-out rows and targets. */
    public interface FoldModel {
        void fitted(int fold, Regressor model, double[][] heldOutX, double[] heldOutY);
    }

    /** {@link #run}, and {@code onModel} (if not null) hears each fold's model before {@code afterFold}. */
    public static Result run(double[][] x, double[] y, int[] group, int k, ModelParams params, int threads,
            IntConsumer afterFold, FoldModel onModel) {
        int n = x.length;
        int[] fold = group == null ? folds(n, k, params.seed()) : folds(group, k, params.seed());
        double[] mean = new double[n];
        double[] std = new double[n];
        List<Metrics> metrics = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            List<Integer> train = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                (fold[i] == f ? test : train).add(i);
            }
            double[][] trainX = train.stream().map(i -> x[i]).toArray(double[][]::new);
            double[] trainY = train.stream().mapToDouble(i -> y[i]).toArray();
            Regressor model = params.fit(trainX, trainY, threads);
            double[][] testX = test.stream().map(i -> x[i]).toArray(double[][]::new);
            double[] foldMean = new double[testX.length];
            double[] foldStd = new double[testX.length];
            model.predict(testX, foldMean, foldStd, threads);
            for (int j = 0; j < test.size(); j++) {
                mean[test.get(j)] = foldMean[j];
                std[test.get(j)] = foldStd[j];
            }
            metrics.add(Metrics.of(y, mean, std, test));
            if (onModel != null) {
                onModel.fitted(f, model, testX, test.stream().mapToDouble(i -> y[i]).toArray());
            }
            afterFold.accept(f);
        }
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        return new Result(fold, mean, std, metrics, Metrics.of(y, mean, std, all));
    }
}
