package org.mihub.prediction.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class RandomForestTest {

    /** y = sin(3 x0) + x1^2 + noise(0.1); x2..x4 are irrelevant. */
    private static double[][] data(int n, long seed, double[] y) {
        Random random = new Random(seed);
        double[][] x = new double[n][5];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < 5; f++) {
                x[i][f] = random.nextDouble() * 2 - 1;
            }
            y[i] = Math.sin(3 * x[i][0]) + x[i][1] * x[i][1] + 0.1 * random.nextGaussian();
        }
        return x;
    }

    @Test
    void theSameSeedGivesTheSameForestWhateverTheThreads() {
        double[] y = new double[300];
        double[][] x = data(300, 1, y);
        var params = new RandomForest.Params(50, 0, 1, 0.6, 42);
        RandomForest one = RandomForest.fit(x, y, params, 1);
        RandomForest two = RandomForest.fit(x, y, params, 2);
        double[] probe = {0.1, -0.3, 0.5, 0.2, -0.9};
        assertEquals(one.predict(probe), two.predict(probe));
        var other = RandomForest.fit(x, y, new RandomForest.Params(50, 0, 1, 0.6, 43), 2);
        assertTrue(other.predict(probe).mean() != one.predict(probe).mean(), "another seed, another forest");
    }

    @Test
    void withoutAFeatureFractionTheForestChoosesOneByOutOfBagErrorAndIsThatForestExactly() {
        // two features decide, thirty are noise: trying every feature at each split finds the two
        Random random = new Random(17);
        double[][] x = new double[300][32];
        double[] y = new double[300];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < 32; j++) {
                x[i][j] = random.nextDouble();
            }
            y[i] = 4 * x[i][0] - 3 * x[i][1] * x[i][1] + 0.05 * random.nextGaussian();
        }
        var auto = new RandomForest.Params(120, 0, 1, RandomForest.Params.CHOOSE, 9);
        assertTrue(auto.choosesFeatures());
        RandomForest chosen = RandomForest.fit(x, y, auto, 2);
        assertEquals(1.0, chosen.params().maxFeatures(), "the fraction that finds the two features");
        RandomForest explicit = RandomForest.fit(x, y, auto.withMaxFeatures(1.0), 2);
        ModelTesting.assertSamePredictions(explicit, chosen, x);
        assertEquals(1.0, ModelTesting.roundTrip(chosen, x).params() instanceof RandomForest.Params stored
                ? stored.maxFeatures() : -1, "the artifact keeps the chosen fraction");
        // fewer trees than the choice grows: the chosen candidate is the whole forest
        var small = new RandomForest.Params(40, 0, 1, RandomForest.Params.CHOOSE, 9);
        ModelTesting.assertSamePredictions(RandomForest.fit(x, y, small.withMaxFeatures(1.0), 2),
                RandomForest.fit(x, y, small, 1), x);
    }

    @Test
    void learnsASmoothFunctionWithCalibratedIntervals() {
        double[] y = new double[1500];
        double[][] x = data(1500, 2, y);
        double[] testY = new double[1000];
        double[][] testX = data(1000, 3, testY);
        RandomForest forest = RandomForest.fit(x, y, new RandomForest.Params(200, 0, 1, 0.6, 7), 2);
        ModelTesting.Score score = ModelTesting.score(forest, testX, testY);
        assertTrue(score.mae() < 0.15, "MAE " + score.mae());
        assertTrue(forest.noiseVariance() > 0.005 && forest.noiseVariance() < 0.03,
                "noise variance " + forest.noiseVariance() + " for a noise of 0.1^2");
        assertTrue(score.coverage68() > 0.6 && score.coverage68() < 0.8, "68 % interval covers " + score.coverage68());
        assertTrue(score.coverage95() > 0.9 && score.coverage95() < 0.99, "95 % interval covers " + score.coverage95());
    }

    @Test
    void aBlockOfRowsIsPredictedAsEachRowAlone() {
        double[] y = new double[400];
        double[][] x = data(400, 8, y);
        RandomForest forest = RandomForest.fit(x, y, new RandomForest.Params(60, 0, 1, 0.6, 5), 2);
        // more than a block, and not a multiple of the eight rows walked together
        double[] probeY = new double[RandomForest.BLOCK + 13];
        double[][] probes = data(probeY.length, 9, probeY);
        double[] means = new double[probes.length];
        double[] stds = new double[probes.length];
        forest.predict(probes, means, stds, 2);
        for (int r = 0; r < probes.length; r++) {
            RandomForest.Prediction alone = forest.predict(probes[r]);
            assertEquals(alone.mean(), means[r], "mean of row " + r);
            assertEquals(alone.std(), stds[r], "standard deviation of row " + r);
        }
    }

    @Test
    void theSinglePrecisionJackknifeMatchesDoublePrecision() {
        double[] y = new double[800];
        double[][] x = data(800, 5, y);
        RandomForest forest = RandomForest.fit(x, y, new RandomForest.Params(300, 0, 1, 0.6, 3), 2);
        double[] probeY = new double[50];
        for (double[] row : data(50, 6, probeY)) {
            double exact = forest.exactVariance(row);
            double fast = forest.fastVariance(row);
            assertEquals(exact, fast, 1e-3 * Math.abs(exact) + 1e-12, "variance in single precision");
            // what a caller sees: the standard deviation changes by less than 1e-5 of itself
            double std = Math.sqrt(Math.max(exact, 0) + forest.noiseVariance());
            double fastStd = Math.sqrt(Math.max(fast, 0) + forest.noiseVariance());
            assertEquals(std, fastStd, 1e-5 * std, "standard deviation with the single-precision variance");
        }
    }

    @Test
    void theStoredForestPredictsExactlyAsTheFittedOne() {
        double[] y = new double[300];
        double[][] x = data(300, 10, y);
        RandomForest forest = RandomForest.fit(x, y, new RandomForest.Params(40, 0, 1, 0.6, 11), 2);
        ApplicabilityDomain domain = ApplicabilityDomain.fit(x, 5, 0.95, 1);
        TrainedModel read = TrainedModel.fromBytes(new TrainedModel("magpie", "2", 5, forest, domain).toBytes());
        assertEquals("magpie", read.featuriser());
        assertEquals("2", read.featuriserVersion());
        assertEquals(5, read.featureCount());
        assertEquals(forest.params(), read.regressor().params());
        double[] testY = new double[RandomForest.BLOCK + 7];
        double[][] testX = data(testY.length, 11, testY);
        ModelTesting.assertSamePredictions(forest, read.regressor(), testX);
        // and a second write of what was read gives the same bytes: nothing is lost on the way
        org.junit.jupiter.api.Assertions.assertArrayEquals(ModelTesting.bytes(forest),
                ModelTesting.bytes(read.regressor()));
    }

    /** Models stored before boosted trees and processes existed (format 1, no algorithm tag) still load. */
    @Test
    void aFormatOneArtifactStillLoadsAndPredictsTheSame() throws Exception {
        double[] y = new double[200];
        double[][] x = data(200, 8, y);
        RandomForest forest = RandomForest.fit(x, y, new RandomForest.Params(30, 0, 1, 0.6, 5), 2);
        ApplicabilityDomain domain = ApplicabilityDomain.fit(x, 5, 0.95, 1);
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.DataOutputStream(new java.util.zip.DeflaterOutputStream(bytes))) {
            out.writeInt(0x4d485246);
            out.writeInt(1);
            out.writeUTF("magpie");
            out.writeUTF("2");
            out.writeInt(5);
            forest.write(out);
            domain.write(out);
        }
        TrainedModel read = TrainedModel.fromBytes(bytes.toByteArray());
        assertEquals(ModelParams.Algorithm.RANDOM_FOREST, read.regressor().params().algorithm());
        double[] probe = {0.1, -0.3, 0.5, 0.2, -0.9};
        double[] mean = new double[1];
        double[] std = new double[1];
        read.regressor().predict(new double[][] {probe}, mean, std, 1);
        assertEquals(forest.predict(probe).mean(), mean[0]);
        assertEquals(forest.predict(probe).std(), std[0]);
    }
}
