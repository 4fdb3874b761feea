package org.mihub.prediction.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How well class probabilities fit observed classes, over some rows: accuracy, balanced accuracy,
 * ROC-AUC (two classes: of the second class's probability; more: one-vs-rest per class, macro
 * averaged over the classes that occur with rows of other classes beside them), log-loss, Brier score,
 * a reliability curve of 10 equal bins and the confusion matrix.
 *
 * <p>Definitions, as scikit-learn's {@code accuracy_score}, {@code balanced_accuracy_score},
 * {@code roc_auc_score(multi_class="ovr", average="macro")}, {@code log_loss} and, for two classes,
 * {@code brier_score_loss} give them; for more classes the Brier score is Brier's own: the mean over
 * rows of the sum over classes of the squared difference between probability and indicator. The
 * predicted class is the most probable one, the first on a tie.
 */
public record ClassificationMetrics(double accuracy, double balancedAccuracy, double rocAuc, double logLoss,
        double brier, long count, List<Bin> reliability, long[][] confusion) {

    /** Smallest probability taken in the log-loss. */
    public static final double EPSILON = 1e-15;
    public static final int BINS = 10;

    /**
     * A reliability bin: predictions with probability in [lower, upper) (the last bin includes 1),
     * their count, their mean probability and the share that came true.
     */
    public record Bin(double lower, double upper, long count, double meanPredicted, double observedFraction) {
    }

    /** The most probable class of a row of probabilities (the first on a tie). */
    public static int predicted(double[] probabilities) {
        int best = 0;
        for (int c = 1; c < probabilities.length; c++) {
            if (probabilities[c] > probabilities[best]) {
                best = c;
            }
        }
        return best;
    }

    /** The metrics of rows {@code rows} of {@code observed} classes and their {@code probabilities}. */
    public static ClassificationMetrics of(int[] observed, double[][] probabilities, int[] rows, int classes) {
        int n = rows.length;
        long[][] confusion = new long[classes][classes];
        double logLoss = 0;
        double brier = 0;
        for (int i : rows) {
            double[] p = probabilities[i];
            int y = observed[i];
            confusion[y][predicted(p)]++;
            logLoss -= Math.log(Math.min(1, Math.max(EPSILON, p[y])));
            if (classes == 2) {
                double d = p[1] - (y == 1 ? 1 : 0);
                brier += d * d;
            } else {
                for (int c = 0; c < classes; c++) {
                    double d = p[c] - (y == c ? 1 : 0);
                    brier += d * d;
                }
            }
        }
        long right = 0;
        double recall = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            right += confusion[c][c];
            long rowsOfClass = Arrays.stream(confusion[c]).sum();
            if (rowsOfClass > 0) {
                recall += confusion[c][c] / (double) rowsOfClass;
                present++;
            }
        }
        double auc;
        if (classes == 2) {
            auc = auc(observed, probabilities, rows, 1);
        } else {
            double sum = 0;
            int scored = 0;
            for (int c = 0; c < classes; c++) {
                double classAuc = auc(observed, probabilities, rows, c);
                if (!Double.isNaN(classAuc)) {
                    sum += classAuc;
                    scored++;
                }
            }
            auc = scored == 0 ? Double.NaN : sum / scored;
        }
        return new ClassificationMetrics(right / (double) n, recall / present, auc, logLoss / n, brier / n, n,
                reliability(observed, probabilities, rows, classes), confusion);
    }

    /**
     * The area under the ROC curve of class c against the rest: the probability that a row of class c
     * has a higher probability of c than a row of another class, ties counting one half (the
     * Mann-Whitney statistic, from mid-ranks). NaN when either side has no rows.
     */
    static double auc(int[] observed, double[][] probabilities, int[] rows, int c) {
        int n = rows.length;
        double[] score = new double[n];
        boolean[] positive = new boolean[n];
        Integer[] order = new Integer[n];
        long positives = 0;
        for (int j = 0; j < n; j++) {
            score[j] = probabilities[rows[j]][c];
            positive[j] = observed[rows[j]] == c;
            positives += positive[j] ? 1 : 0;
            order[j] = j;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
        double rankSum = 0;
        for (int start = 0; start < n;) {
            int end = start;
            while (end + 1 < n && score[order[end + 1]] == score[order[start]]) {
                end++;
            }
            double midRank = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++) {
                if (positive[order[k]]) {
                    rankSum += midRank;
                }
            }
            start = end + 1;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /**
     * Ten equal bins of the probability: two classes, of the second class's probability against how
     * often it was the observed class; more, of the top probability against how often the top class
     * was the observed one.
     */
    static List<Bin> reliability(int[] observed, double[][] probabilities, int[] rows, int classes) {
        long[] count = new long[BINS];
        double[] predicted = new double[BINS];
        double[] hits = new double[BINS];
        for (int i : rows) {
            double[] p = probabilities[i];
            double q;
            boolean hit;
            if (classes == 2) {
                q = p[1];
                hit = observed[i] == 1;
            } else {
                int top = predicted(p);
                q = p[top];
                hit = observed[i] == top;
            }
            int bin = Math.min(BINS - 1, Math.max(0, (int) Math.floor(q * BINS)));
            count[bin]++;
            predicted[bin] += q;
            hits[bin] += hit ? 1 : 0;
        }
        List<Bin> bins = new ArrayList<>();
        for (int b = 0; b < BINS; b++) {
            bins.add(new Bin(b / (double) BINS, (b + 1) / (double) BINS, count[b],
                    count[b] == 0 ? 0 : predicted[b] / count[b], count[b] == 0 ? 0 : hits[b] / count[b]));
        }
        return bins;
    }
}
