package org.mihub.prediction.model;

import java.util.Random;

/** Synthetic regression data and held-out scores shared by the model tests. */
final class ModelTesting {

    /** MAE and the shares of errors inside the 68 % and 95 % intervals. */
    record Score(double mae, double coverage68, double coverage95) {
    }

    private ModelTesting() {
    }

    /** y = sin(3 x0) + x1^2 + noise(0.1); the other features are irrelevant. */
    static double[][] data(int n, int features, long seed, double[] y) {
        Random random = new Random(seed);
        double[][] x = new double[n][features];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < features; f++) {
                x[i][f] = random.nextDouble() * 2 - 1;
            }
            y[i] = Math.sin(3 * x[i][0]) + x[i][1] * x[i][1] + 0.1 * random.nextGaussian();
        }
        return x;
    }

    static Score score(Regressor model, double[][] x, double[] y) {
        double[] means = new double[x.length];
        double[] stds = new double[x.length];
        model.predict(x, means, stds, 2);
        double absolute = 0;
        int within68 = 0;
        int within95 = 0;
        for (int i = 0; i < x.length; i++) {
            double error = Math.abs(y[i] - means[i]);
            absolute += error;
            within68 += error <= stds[i] ? 1 : 0;
            within95 += error <= 1.96 * stds[i] ? 1 : 0;
        }
        return new Score(absolute / x.length, within68 / (double) x.length, within95 / (double) x.length);
    }

    /** The model written and read back through the registry's artifact format. */
    static Regressor roundTrip(Regressor model, double[][] x) {
        ApplicabilityDomain domain = ApplicabilityDomain.fit(x, 5, 0.95, 1);
        byte[] bytes = new TrainedModel("magpie", "2", model.features(), model, domain).toBytes();
        return TrainedModel.fromBytes(bytes).regressor();
    }

    /** Both models give the same means and standard deviations, bit for bit, on the rows. */
    static void assertSamePredictions(Regressor expected, Regressor actual, double[][] x) {
        double[][] first = predictions(expected, x, 2);
        double[][] second = predictions(actual, x, 1);
        org.junit.jupiter.api.Assertions.assertArrayEquals(first[0], second[0], "means");
        org.junit.jupiter.api.Assertions.assertArrayEquals(first[1], second[1], "standard deviations");
    }

    private static double[][] predictions(Regressor model, double[][] x, int threads) {
        double[][] out = new double[2][x.length];
        model.predict(x, out[0], out[1], threads);
        return out;
    }

    static byte[] bytes(Regressor model) {
        var out = new java.io.ByteArrayOutputStream();
        try (var data = new java.io.DataOutputStream(out)) {
            model.write(data);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
