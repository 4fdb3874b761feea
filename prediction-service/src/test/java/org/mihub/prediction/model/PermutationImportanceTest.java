package org.mihub.prediction.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class PermutationImportanceTest {

    /** y = 3 x2 + noise: only feature 2 of 6 matters. */
    private static double[][] data(int n, long seed, double[] y) {
        Random random = new Random(seed);
        double[][] x = new double[n][6];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < 6; f++) {
                x[i][f] = random.nextDouble();
            }
            y[i] = 3 * x[i][2] + 0.05 * random.nextGaussian();
        }
        return x;
    }

    private static PermutationImportance.Result crossValidated(ModelParams params, double[][] x, double[] y, long seed) {
        PermutationImportance.Collector collector = new PermutationImportance.Collector(6, 3, seed);
        CrossValidation.run(x, y, null, 4, params, 2, fold -> { }, (fold, model, heldOutX, heldOutY) ->
                collector.fold(model, heldOutX, heldOutY, 2));
        return collector.result();
    }

    @Test
    void findsTheOneFeatureThatMattersWithEveryAlgorithm() {
        double[] y = new double[240];
        double[][] x = data(240, 1, y);
        List<ModelParams> algorithms = new ArrayList<>(List.of(new RandomForest.Params(60, 0, 1, 1.0 / 3, 3),
                new GradientBoosting.Params(60, 0.1, 3, 0.8, 5, 3, GradientBoosting.Loss.SQUARED_ERROR, 3),
                GaussianProcessModel.Params.defaults(3)));
        for (ModelParams params : algorithms) {
            PermutationImportance.Result result = crossValidated(params, x, y, 17);
            assertEquals(4, result.folds());
            assertEquals(3, result.repeats());
            PermutationImportance.Importance informative = result.features().get(2);
            assertEquals(12, informative.count(), "4 folds x 3 repeats");
            // shuffling x2 costs about the MAE of predicting the mean of 3 x2: 0.75
            assertTrue(informative.mean() > 0.5, params.algorithm() + ": " + informative);
            for (PermutationImportance.Importance other : result.features()) {
                if (other.feature() != 2) {
                    assertTrue(Math.abs(other.mean()) < 0.1 * informative.mean(), params.algorithm() + ": " + other);
                }
            }
            assertTrue(informative.std() > 0, "a spread over folds and repeats");
        }
    }

    @Test
    void theSameSeedGivesTheSameFiguresAndAnotherSeedOthers() {
        double[] y = new double[200];
        double[][] x = data(200, 2, y);
        ModelParams params = new RandomForest.Params(30, 0, 1, 1, 5);
        PermutationImportance.Result one = crossValidated(params, x, y, 5);
        PermutationImportance.Result two = crossValidated(params, x, y, 5);
        PermutationImportance.Result other = crossValidated(params, x, y, 6);
        assertEquals(one, two);
        assertTrue(one.features().get(2).mean() != other.features().get(2).mean());
    }

    @Test
    void aFeatureNoSplitTestsScoresExactlyZero() {
        double[] y = new double[200];
        double[][] x = data(200, 3, y);
        for (double[] row : x) {
            row[4] = 0.5; // constant: no split can use it
        }
        PermutationImportance.Result result = crossValidated(new RandomForest.Params(30, 0, 1, 1, 5), x, y, 5);
        assertEquals(0, result.features().get(4).mean());
        assertEquals(0, result.features().get(4).std());
    }

    @Test
    void refusesNoRepeats() {
        assertThrows(IllegalArgumentException.class, () -> new PermutationImportance.Collector(3, 0, 1));
    }
}
