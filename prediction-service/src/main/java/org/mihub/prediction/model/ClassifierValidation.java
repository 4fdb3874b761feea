package org.mihub.prediction.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * k-fold cross-validation of a classifier. Folds are stratified: the rows (or groups of rows) of each
 * class are shuffled with the seed and dealt round-robin, continuing from class to class, so every
 * fold holds about its share of every class. Each fold is predicted by a classifier fitted on the
 * others (same algorithm, parameters and seed). The out-of-fold probabilities are then calibrated
 * ({@link Calibration#choose}: isotonic or Platt, by nested out-of-fold log-loss), and the metrics per
 * fold and overall are those of the calibrated out-of-fold probabilities, each from a map that never
 * saw its row.
 */
public final class ClassifierValidation {

    /**
     * @param fold        each row's fold
     * @param raw         each row's out-of-fold probabilities, as the fold's classifier gave them
     * @param calibrated  the same, calibrated by a map fitted on the other folds' rows
     * @param calibration the chosen method, fitted on every row's raw out-of-fold probabilities (the map
     *                    the final model is given), with the nested log-losses of both methods
     */
    public record Result(int[] fold, double[][] raw, double[][] calibrated, List<ClassificationMetrics> folds,
            ClassificationMetrics overall, Calibration.Choice calibration) {
    }

    private ClassifierValidation() {
    }

    /**
     * Stratified folds: {@code group[i]} numbers row i's group from 0 (rows of a group share a fold; null
     * for one row per group), and a group is dealt with the class of its first row.
     */
    public static int[] folds(int[] y, int[] group, int k, long seed) {
        int n = y.length;
        int[] groupOf = group;
        if (groupOf == null) {
            groupOf = new int[n];
            for (int i = 0; i < n; i++) {
                groupOf[i] = i;
            }
        }
        int groups = 0;
        for (int g : groupOf) {
            groups = Math.max(groups, g + 1);
        }
        int classes = 0;
        for (int label : y) {
            classes = Math.max(classes, label + 1);
        }
        int[] classOfGroup = new int[groups];
        java.util.Arrays.fill(classOfGroup, -1);
        for (int i = 0; i < n; i++) {
            if (classOfGroup[groupOf[i]] < 0) {
                classOfGroup[groupOf[i]] = y[i];
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] foldOfGroup = new int[groups];
        int dealt = 0;
        for (int c = 0; c < classes; c++) {
            List<Integer> members = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                if (classOfGroup[g] == c) {
                    members.add(g);
                }
            }
            for (int i = members.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                Integer swap = members.get(i);
                members.set(i, members.get(j));
                members.set(j, swap);
            }
            for (int g : members) {
                foldOfGroup[g] = dealt++ % k;
            }
        }
        int[] fold = new int[n];
        for (int i = 0; i < n; i++) {
            fold[i] = foldOfGroup[groupOf[i]];
        }
        return fold;
    }

    /**
     * Runs the k folds on rows {@code x} with classes {@code y} (0..classes-1); {@code afterFold} hears the
     * index of each finished fold.
     */
    public static Result run(double[][] x, int[] y, int classes, int[] group, int k, ClassifierParams params,
            int threads, IntConsumer afterFold) {
        int n = x.length;
        int[] fold = folds(y, group, k, params.seed());
        double[][] raw = new double[n][];
        for (int f = 0; f < k; f++) {
            List<Integer> train = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                (fold[i] == f ? test : train).add(i);
            }
            double[][] trainX = train.stream().map(i -> x[i]).toArray(double[][]::new);
            int[] trainY = train.stream().mapToInt(i -> y[i]).toArray();
            Classifier model = params.fit(trainX, trainY, classes, threads);
            double[][] testX = test.stream().map(i -> x[i]).toArray(double[][]::new);
            double[][] out = new double[testX.length][];
            model.probabilities(testX, out, threads);
            for (int j = 0; j < test.size(); j++) {
                raw[test.get(j)] = out[j];
            }
            afterFold.accept(f);
        }
        Calibration.Choice choice = Calibration.choose(raw, y, fold, k, classes);
        double[][] calibrated = choice.crossFitted();
        List<ClassificationMetrics> metrics = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            List<Integer> test = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (fold[i] == f) {
                    test.add(i);
                }
            }
            metrics.add(ClassificationMetrics.of(y, calibrated, test.stream().mapToInt(Integer::intValue).toArray(),
                    classes));
        }
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return new Result(fold, raw, calibrated, metrics, ClassificationMetrics.of(y, calibrated, all, classes),
                choice);
    }
}
