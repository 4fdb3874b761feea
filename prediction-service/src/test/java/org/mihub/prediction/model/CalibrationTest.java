package org.mihub.prediction.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Calibration on synthetic sets whose true probabilities are known: a classifier's distorted
 * probabilities, once calibrated, must be close to the truth.
 */
class CalibrationTest {

    private static final int N = 20_000;
    private static final int FOLDS = 5;

    private record Set(double[] truth, int[] observed, double[][] raw, int[] fold) {
    }

    /** True p uniform in (0.02, 0.98), the class drawn from it, the classifier's p distorted by {@code distort}. */
    private static Set binary(long seed, java.util.function.DoubleUnaryOperator distort) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] truth = new double[N];
        int[] observed = new int[N];
        double[][] raw = new double[N][];
        int[] fold = new int[N];
        for (int i = 0; i < N; i++) {
            truth[i] = 0.02 + 0.96 * random.nextDouble();
            observed[i] = random.nextDouble() < truth[i] ? 1 : 0;
            double q = distort.applyAsDouble(truth[i]);
            raw[i] = new double[] {1 - q, q};
            fold[i] = i % FOLDS;
        }
        return new Set(truth, observed, raw, fold);
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    /** Mean absolute difference between calibrated and true probabilities of the second class. */
    private static double error(double[][] calibrated, double[] truth) {
        double sum = 0;
        for (int i = 0; i < truth.length; i++) {
            sum += Math.abs(calibrated[i][1] - truth[i]);
        }
        return sum / truth.length;
    }

    private static double rawError(Set set) {
        double sum = 0;
        for (int i = 0; i < N; i++) {
            sum += Math.abs(set.raw()[i][1] - set.truth()[i]);
        }
        return sum / N;
    }

    @Test
    void anOverconfidentLogisticDistortionIsUndoneToWithinTwoPointsOfProbability() {
        // the classifier says sigmoid(3 logit(p) + 0.5): far too sure, and biased
        Set set = binary(1, p -> 1 / (1 + Math.exp(-(3 * logit(p) + 0.5))));
        Calibration.Choice choice = Calibration.choose(set.raw(), set.observed(), set.fold(), FOLDS, 2);
        double before = rawError(set);
        double after = error(choice.crossFitted(), set.truth());
        assertTrue(before > 0.1, "the distortion is large: " + before);
        assertTrue(after < 0.02, "calibrated within 0.02 of the truth on average: " + after + " (method "
                + choice.calibration().method() + ")");
        assertTrue(choice.plattLogLoss() < choice.uncalibratedLogLoss());
        // the map fitted on every row, applied to new rows from the same source
        Set fresh = binary(2, p -> 1 / (1 + Math.exp(-(3 * logit(p) + 0.5))));
        double[][] mapped = new double[N][];
        for (int i = 0; i < N; i++) {
            mapped[i] = choice.calibration().apply(fresh.raw()[i]);
            assertEquals(1.0, mapped[i][0] + mapped[i][1], 1e-12);
        }
        assertTrue(error(mapped, fresh.truth()) < 0.02, "on fresh rows: " + error(mapped, fresh.truth()));
    }

    @Test
    void aDistortionNoLogisticCurveFollowsIsLeftToIsotonicRegression() {
        // a step-like distortion: p below 0.5 squeezed towards 0.45, above towards 0.55
        Set set = binary(3, p -> p < 0.5 ? 0.45 + 0.1 * p * p : 0.55 + 0.4 * Math.pow(p - 0.5, 3));
        Calibration.Choice choice = Calibration.choose(set.raw(), set.observed(), set.fold(), FOLDS, 2);
        assertEquals(Calibration.Method.ISOTONIC, choice.calibration().method(), "isotonic " + choice.isotonicLogLoss()
                + ", platt " + choice.plattLogLoss());
        assertTrue(choice.isotonicLogLoss() < choice.plattLogLoss());
        double after = error(choice.crossFitted(), set.truth());
        assertTrue(after < 0.03, "calibrated within 0.03 of the truth on average: " + after);
        // stated probabilities mean what they say: in every well-filled bin the share observed matches
        int[] rows = new int[N];
        for (int i = 0; i < N; i++) {
            rows[i] = i;
        }
        ClassificationMetrics metrics = ClassificationMetrics.of(set.observed(), choice.crossFitted(), rows, 2);
        for (ClassificationMetrics.Bin bin : metrics.reliability()) {
            if (bin.count() > 500) {
                assertEquals(bin.meanPredicted(), bin.observedFraction(), 0.04, "bin " + bin);
            }
        }
    }

    @Test
    void threeClassesAreCalibratedOneVsRestAndSumToOne() {
        SplittableRandom random = new SplittableRandom(5);
        int n = 15_000;
        double[][] truth = new double[n][];
        double[][] raw = new double[n][];
        int[] observed = new int[n];
        int[] fold = new int[n];
        for (int i = 0; i < n; i++) {
            double[] w = {random.nextDouble(), random.nextDouble(), random.nextDouble()};
            double sum = w[0] + w[1] + w[2];
            truth[i] = new double[] {w[0] / sum, w[1] / sum, w[2] / sum};
            double u = random.nextDouble();
            observed[i] = u < truth[i][0] ? 0 : u < truth[i][0] + truth[i][1] ? 1 : 2;
            // overconfident: squared and renormalised
            double[] q = {truth[i][0] * truth[i][0], truth[i][1] * truth[i][1], truth[i][2] * truth[i][2]};
            double total = q[0] + q[1] + q[2];
            raw[i] = new double[] {q[0] / total, q[1] / total, q[2] / total};
            fold[i] = i % FOLDS;
        }
        Calibration.Choice choice = Calibration.choose(raw, observed, fold, FOLDS, 3);
        double before = 0;
        double after = 0;
        for (int i = 0; i < n; i++) {
            double[] p = choice.crossFitted()[i];
            assertEquals(1.0, p[0] + p[1] + p[2], 1e-9);
            for (int c = 0; c < 3; c++) {
                before += Math.abs(raw[i][c] - truth[i][c]) / (3.0 * n);
                after += Math.abs(p[c] - truth[i][c]) / (3.0 * n);
            }
        }
        assertTrue(after < 0.035 && after < before / 2, "mean error " + before + " -> " + after);
        assertTrue(Math.min(choice.isotonicLogLoss(), choice.plattLogLoss()) < choice.uncalibratedLogLoss());
    }

    @Test
    void aCalibrationIsWrittenAndReadBackExactly() throws IOException {
        Set set = binary(7, p -> p * p);
        for (Calibration.Method method : Calibration.Method.values()) {
            int[] rows = new int[N];
            for (int i = 0; i < N; i++) {
                rows[i] = i;
            }
            Calibration calibration = Calibration.fit(method, set.raw(), set.observed(), rows, 2);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            calibration.write(new DataOutputStream(bytes));
            Calibration read = Calibration.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertEquals(method, read.method());
            for (double q = 0; q <= 1; q += 0.01) {
                double[] raw = {1 - q, q};
                assertEquals(calibration.apply(raw)[1], read.apply(raw)[1], 0.0);
            }
        }
    }
}
