package org.mihub.prediction.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The metrics of tiny sets, against values worked out by hand from their definitions. */
class ClassificationMetricsTest {

    private static final double TOLERANCE = 1e-12;

    private static int[] all(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }

    @Test
    void twoClasses() {
        int[] observed = {0, 0, 1, 1};
        double[][] p = {{0.9, 0.1}, {0.4, 0.6}, {0.6, 0.4}, {0.2, 0.8}};
        ClassificationMetrics m = ClassificationMetrics.of(observed, p, all(4), 2);
        // predicted 0, 1, 0, 1: two of four right, one of two in each class
        assertEquals(0.5, m.accuracy(), TOLERANCE);
        assertEquals(0.5, m.balancedAccuracy(), TOLERANCE);
        // positives score 0.4 and 0.8, negatives 0.1 and 0.6: 3 of the 4 pairs ordered right
        assertEquals(0.75, m.rocAuc(), TOLERANCE);
        assertEquals(-(Math.log(0.9) + Math.log(0.4) + Math.log(0.4) + Math.log(0.8)) / 4, m.logLoss(), TOLERANCE);
        assertEquals((0.01 + 0.36 + 0.36 + 0.04) / 4, m.brier(), TOLERANCE);
        assertEquals(4, m.count());
        assertArrayEquals(new long[] {1, 1}, m.confusion()[0]);
        assertArrayEquals(new long[] {1, 1}, m.confusion()[1]);
        assertEquals(10, m.reliability().size());
        // the second class's probabilities 0.1, 0.6, 0.4, 0.8 fall in bins 1, 6, 4 and 8
        assertEquals(1, m.reliability().get(1).count());
        assertEquals(0.1, m.reliability().get(1).meanPredicted(), TOLERANCE);
        assertEquals(0.0, m.reliability().get(1).observedFraction(), TOLERANCE);
        assertEquals(1.0, m.reliability().get(4).observedFraction(), TOLERANCE);
        assertEquals(0.0, m.reliability().get(6).observedFraction(), TOLERANCE);
        assertEquals(1.0, m.reliability().get(8).observedFraction(), TOLERANCE);
        assertEquals(0, m.reliability().get(0).count());
        assertEquals(0.4, m.reliability().get(4).lower(), TOLERANCE);
        assertEquals(0.5, m.reliability().get(4).upper(), TOLERANCE);
    }

    @Test
    void tiesCountOneHalfInTheAreaAndAProbabilityOfOneFallsInTheLastBin() {
        int[] observed = {0, 1, 1};
        double[][] p = {{0.5, 0.5}, {0.5, 0.5}, {0.0, 1.0}};
        ClassificationMetrics m = ClassificationMetrics.of(observed, p, all(3), 2);
        // pairs (0.5 vs 0.5) = 1/2, (1.0 vs 0.5) = 1
        assertEquals(0.75, m.rocAuc(), TOLERANCE);
        assertEquals(1, m.reliability().get(9).count());
        assertEquals(2, m.reliability().get(5).count());
        // a tie predicts the first class
        assertEquals(1, m.confusion()[1][0]);
    }

    @Test
    void threeClassesOneVsRestMacro() {
        int[] observed = {0, 1, 2, 2};
        double[][] p = {{0.7, 0.2, 0.1}, {0.3, 0.4, 0.3}, {0.2, 0.5, 0.3}, {0.1, 0.1, 0.8}};
        ClassificationMetrics m = ClassificationMetrics.of(observed, p, all(4), 3);
        assertEquals(0.75, m.accuracy(), TOLERANCE);
        assertEquals((1 + 1 + 0.5) / 3, m.balancedAccuracy(), TOLERANCE);
        // class 0: 1; class 1: 0.4 beats 0.2 and 0.1, not 0.5: 2/3; class 2: (1 + 1/2 + 1 + 1) / 4
        assertEquals((1 + 2.0 / 3 + 0.875) / 3, m.rocAuc(), TOLERANCE);
        assertEquals(-(Math.log(0.7) + Math.log(0.4) + Math.log(0.3) + Math.log(0.8)) / 4, m.logLoss(), TOLERANCE);
        assertEquals((0.14 + 0.54 + 0.78 + 0.06) / 4, m.brier(), TOLERANCE);
        assertArrayEquals(new long[] {0, 1, 1}, m.confusion()[2]);
        // reliability of the top probability: 0.7 right, 0.4 right, 0.5 wrong, 0.8 right
        assertEquals(1.0, m.reliability().get(7).observedFraction(), TOLERANCE);
        assertEquals(0.0, m.reliability().get(5).observedFraction(), TOLERANCE);
        assertEquals(0.5, m.reliability().get(5).meanPredicted(), TOLERANCE);
    }

    @Test
    void aClassAbsentFromTheRowsIsLeftOutOfTheMacroAverages() {
        int[] observed = {0, 0, 1, 1};
        double[][] p = {{0.6, 0.3, 0.1}, {0.5, 0.2, 0.3}, {0.2, 0.7, 0.1}, {0.3, 0.6, 0.1}};
        ClassificationMetrics m = ClassificationMetrics.of(observed, p, all(4), 3);
        assertEquals(1.0, m.balancedAccuracy(), TOLERANCE);
        assertEquals(1.0, m.rocAuc(), TOLERANCE, "classes 0 and 1 perfectly ranked; class 2 has no rows");
        // a probability of 0 for the observed class is clipped, not infinite
        ClassificationMetrics clipped = ClassificationMetrics.of(new int[] {2}, new double[][] {{1, 0, 0}}, all(1), 3);
        assertEquals(-Math.log(ClassificationMetrics.EPSILON), clipped.logLoss(), 1e-9);
    }
}
