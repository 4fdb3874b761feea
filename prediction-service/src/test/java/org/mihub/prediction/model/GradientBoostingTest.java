package org.mihub.prediction.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GradientBoostingTest {

    private static final GradientBoosting.Params SMALL = new GradientBoosting.Params(150, 0.1, 4, 0.8, 5, 4, 42);

    @Test
    void theSameSeedGivesTheSameModelBitForBitWhateverTheThreads() {
        double[] y = new double[300];
        double[][] x = ModelTesting.data(300, 5, 1, y);
        GradientBoosting one = GradientBoosting.fit(x, y, SMALL, 1);
        GradientBoosting two = GradientBoosting.fit(x, y, SMALL, 2);
        assertArrayEquals(ModelTesting.bytes(one), ModelTesting.bytes(two));
        GradientBoosting other = GradientBoosting.fit(x, y, new GradientBoosting.Params(150, 0.1, 4, 0.8, 5, 4, 43), 2);
        assertFalse(java.util.Arrays.equals(ModelTesting.bytes(one), ModelTesting.bytes(other)),
                "another seed, another model");
    }

    @Test
    void learnsASmoothFunctionWithIntervalsThatCover() {
        double[] y = new double[1500];
        double[][] x = ModelTesting.data(1500, 5, 2, y);
        double[] testY = new double[1000];
        double[][] testX = ModelTesting.data(1000, 5, 3, testY);
        GradientBoosting model = GradientBoosting.fit(x, y, new GradientBoosting.Params(300, 0.1, 4, 0.8, 5, 6, 7), 2);
        ModelTesting.Score score = ModelTesting.score(model, testX, testY);
        // predicting the mean would give an MAE of about 0.6
        assertTrue(score.mae() < 0.15, "MAE " + score.mae());
        assertTrue(score.coverage95() > 0.88 && score.coverage95() < 0.995, "95 % coverage " + score.coverage95());
        assertTrue(score.coverage68() > 0.55 && score.coverage68() < 0.85, "68 % coverage " + score.coverage68());
        assertTrue(model.noiseVariance() > 0.003 && model.noiseVariance() < 0.03,
                "noise variance " + model.noiseVariance() + " for a noise of 0.1^2");
    }

    @Test
    void theStoredModelPredictsExactlyAsTheFittedOne() {
        double[] y = new double[200];
        double[][] x = ModelTesting.data(200, 4, 5, y);
        GradientBoosting model = GradientBoosting.fit(x, y, SMALL, 2);
        Regressor read = ModelTesting.roundTrip(model, x);
        assertEquals(model.params(), read.params());
        double[] testY = new double[50];
        double[][] testX = ModelTesting.data(50, 4, 6, testY);
        ModelTesting.assertSamePredictions(model, read, testX);
    }

    @Test
    void binsCutMidwayBetweenDistinctValuesAndAtQuantilesWhenThereAreMany() {
        double[][] x = new double[1000][3];
        for (int i = 0; i < x.length; i++) {
            x[i][0] = i % 3;            // three values: two cuts
            x[i][1] = 5;                // constant: no cut
            x[i][2] = i;                // 1000 values: at most 255 cuts
        }
        GradientBoosting.Bins bins = GradientBoosting.Bins.of(x);
        assertArrayEquals(new double[] {0.5, 1.5}, bins.edges[0]);
        assertEquals(0, bins.edges[1].length);
        assertTrue(bins.edges[2].length <= 255 && bins.edges[2].length >= 250, bins.edges[2].length + " cuts");
        assertEquals(0, GradientBoosting.Bins.bin(bins.edges[0], 0.5), "a value on a cut goes left");
        assertEquals(1, GradientBoosting.Bins.bin(bins.edges[0], 0.6));
        assertEquals(2, GradientBoosting.Bins.bin(bins.edges[0], 7));
        for (int i = 0; i < x.length; i++) {
            int code = bins.codes[i * 3 + 2] & 0xff;
            assertTrue(code == 0 || bins.edges[2][code - 1] < x[i][2], "row " + i + " above its bin's lower cut");
            assertTrue(code == bins.edges[2].length || x[i][2] <= bins.edges[2][code], "row " + i + " below its upper cut");
        }
    }
}
