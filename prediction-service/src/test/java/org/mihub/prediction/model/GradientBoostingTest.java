package org.mihub.prediction.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

import org.junit.jupiter.api.Test;
import org.mihub.prediction.model.GradientBoosting.Loss;

class GradientBoostingTest {

    private static final GradientBoosting.Params SMALL = params(150, 0.1, 4, 4, Loss.SQUARED_ERROR, 42);

    private static GradientBoosting.Params params(int rounds, double rate, int depth, int members, Loss loss, long seed) {
        return new GradientBoosting.Params(rounds, rate, depth, 0.8, 5, members, loss, seed);
    }

    @Test
    void theSameSeedGivesTheSameModelBitForBitWhateverTheThreads() {
        double[] y = new double[300];
        double[][] x = ModelTesting.data(300, 5, 1, y);
        GradientBoosting one = GradientBoosting.fit(x, y, SMALL, 1);
        GradientBoosting two = GradientBoosting.fit(x, y, SMALL, 2);
        assertArrayEquals(ModelTesting.bytes(one), ModelTesting.bytes(two));
        GradientBoosting other = GradientBoosting.fit(x, y, params(150, 0.1, 4, 4, Loss.SQUARED_ERROR, 43), 2);
        assertFalse(java.util.Arrays.equals(ModelTesting.bytes(one), ModelTesting.bytes(other)),
                "another seed, another model");
    }

    @Test
    void learnsASmoothFunctionWithIntervalsThatCover() {
        double[] y = new double[1500];
        double[][] x = ModelTesting.data(1500, 5, 2, y);
        double[] testY = new double[1000];
        double[][] testX = ModelTesting.data(1000, 5, 3, testY);
        GradientBoosting model = GradientBoosting.fit(x, y, params(300, 0.1, 4, 6, Loss.SQUARED_ERROR, 7), 2);
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

    /**
     * One training value in eight is pushed up by 5: least squares follows the outliers, while
     * absolute and Huber loss stay nearer the clean function, so they are closer on clean test data.
     */
    @Test
    void absoluteAndHuberLossResistOutliersThatPullLeastSquares() {
        double[] y = new double[1200];
        double[][] x = ModelTesting.data(1200, 4, 11, y);
        Random random = new Random(12);
        for (int i = 0; i < y.length; i++) {
            if (random.nextInt(8) == 0) {
                y[i] += 5;
            }
        }
        double[] testY = new double[600];
        double[][] testX = ModelTesting.data(600, 4, 13, testY);
        double squared = ModelTesting.score(fit(x, y, Loss.SQUARED_ERROR), testX, testY).mae();
        double absolute = ModelTesting.score(fit(x, y, Loss.ABSOLUTE_ERROR), testX, testY).mae();
        double huber = ModelTesting.score(fit(x, y, Loss.HUBER), testX, testY).mae();
        // least squares is off by about the outliers' mean shift, 5/8
        assertTrue(squared > 0.45, "squared-error MAE " + squared);
        assertTrue(absolute < 0.6 * squared, "absolute-error MAE " + absolute + " against " + squared);
        // Huber clips at the 0.9 quantile of the residuals, so with one outlier in eight it is partly pulled
        assertTrue(huber < 0.8 * squared, "Huber MAE " + huber + " against " + squared);
    }

    private static GradientBoosting fit(double[][] x, double[] y, Loss loss) {
        return GradientBoosting.fit(x, y, params(200, 0.1, 4, 4, loss, 5), 2);
    }

    /** Ten rows and a small subsample: many rounds fit no row at all, and every loss copes. */
    @Test
    void roundsWithAnEmptySubsampleGrowNothingForEveryLoss() {
        double[] y = new double[10];
        double[][] x = ModelTesting.data(10, 3, 21, y);
        for (Loss loss : Loss.values()) {
            GradientBoosting model = GradientBoosting.fit(x, y, new GradientBoosting.Params(200, 0.1, 3, 0.05, 1, 3,
                    loss, 4), 2);
            ModelTesting.Score score = ModelTesting.score(model, x, y);
            assertTrue(Double.isFinite(score.mae()), loss + " MAE " + score.mae());
        }
    }

    @Test
    void theLossIsStoredWithTheModel() {
        double[] y = new double[200];
        double[][] x = ModelTesting.data(200, 4, 5, y);
        for (Loss loss : new Loss[] {Loss.ABSOLUTE_ERROR, Loss.HUBER}) {
            GradientBoosting model = GradientBoosting.fit(x, y, params(80, 0.1, 3, 3, loss, 9), 2);
            Regressor read = ModelTesting.roundTrip(model, x);
            assertEquals(loss, ((GradientBoosting.Params) read.params()).loss());
            assertEquals(loss.apiName, read.params().recorded().get("loss"));
            ModelTesting.assertSamePredictions(model, read, x);
        }
    }

    /** A format-2 artifact (before the loss was stored) reads as squared error and predicts the same. */
    @Test
    void aFormatTwoArtifactReadsAsSquaredError() throws IOException {
        double[] y = new double[200];
        double[][] x = ModelTesting.data(200, 4, 5, y);
        GradientBoosting model = GradientBoosting.fit(x, y, SMALL, 2);
        ApplicabilityDomain domain = ApplicabilityDomain.fit(x, 5, 0.95, 1);
        byte[] plain = inflate(new TrainedModel("magpie", "2", 4, model, domain).toBytes());
        // magic, format, featuriser "magpie" and version "2" (UTF: length + bytes), feature count, tag,
        // then rounds, learning rate, depth, subsample, min leaf, ensemble: the loss byte follows
        int loss = 4 + 4 + (2 + 6) + (2 + 1) + 4 + 1 + 4 + 8 + 4 + 8 + 4 + 4;
        assertEquals(Loss.SQUARED_ERROR.tag, plain[loss]);
        ByteArrayOutputStream old = new ByteArrayOutputStream();
        old.write(plain, 0, loss);
        old.write(plain, loss + 1, plain.length - loss - 1);
        byte[] formatTwo = old.toByteArray();
        ByteBuffer.wrap(formatTwo).putInt(4, 2);
        TrainedModel read = TrainedModel.fromBytes(deflate(formatTwo));
        assertEquals(model.params(), read.regressor().params());
        ModelTesting.assertSamePredictions(model, read.regressor(), x);
    }

    @Test
    void weightedQuantilesCountEachRowByItsBootstrapCount() {
        double[] values = {5, 1, 3, 100, 2};
        int[] counts = {1, 3, 0, 1, 1};
        int[] rows = {0, 1, 2, 3, 4};
        // the values repeated by count: 1 1 1 2 5 100
        assertEquals(1, GradientBoosting.weightedQuantile(rows, values, counts, 0.5));
        assertEquals(2, GradientBoosting.weightedQuantile(rows, values, counts, 0.6));
        assertEquals(100, GradientBoosting.weightedQuantile(rows, values, counts, 0.9));
        assertEquals(5, GradientBoosting.weightedQuantile(new int[] {0, 4}, values, counts, 0.9));
        assertEquals(0, GradientBoosting.weightedQuantile(new int[] {2}, values, counts, 0.5), "no weight");
        assertEquals(0, GradientBoosting.weightedQuantile(new int[0], values, counts, 0.5), "no rows");
    }

    private static byte[] inflate(byte[] compressed) throws IOException {
        try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        }
    }

    private static byte[] deflate(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new DeflaterOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }
}
