package org.mihub.common.gp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class GaussianProcessTest {

    private static double[][] points(int n, int d, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int k = 0; k < d; k++) {
                row[k] = random.nextDouble();
            }
        }
        return x;
    }

    /** Smooth in x0, nearly flat in x1, ignores x2. */
    private static double function(double[] x) {
        return Math.sin(6 * x[0]) + 0.2 * x[1];
    }

    @Test
    void likelihoodGradientMatchesFiniteDifferences() {
        double[][] x = points(25, 3, 1);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = function(x[i]);
        }
        double[] flat = new double[x.length * 3];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, flat, i * 3, 3);
        }
        GaussianProcess.Likelihood likelihood = new GaussianProcess.Likelihood(x.length, 3, flat, y, null);
        double[] theta = {Math.log(0.3), Math.log(0.7), Math.log(2), Math.log(1.3), Math.log(0.01)};
        double[] gradient = new double[theta.length];
        likelihood.negative(theta, gradient);
        for (int k = 0; k < theta.length; k++) {
            double h = 1e-6;
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[k] += h;
            minus[k] -= h;
            double numeric = (likelihood.negative(plus, new double[theta.length])
                    - likelihood.negative(minus, new double[theta.length])) / (2 * h);
            assertEquals(numeric, gradient[k], 1e-4 * Math.max(1, Math.abs(numeric)), "parameter " + k);
        }
    }

    @Test
    void fitLearnsRelevanceAndPredictsHeldOutPoints() {
        double[][] x = points(60, 3, 2);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = function(x[i]);
        }
        GaussianProcess gp = GaussianProcess.fit(x, y, GaussianProcess.Options.defaults(), new SplittableRandom(3),
                null, null);
        double[] lengths = gp.hyperparameters().lengthScales();
        assertTrue(lengths[0] < lengths[1] && lengths[0] < lengths[2], "x0 matters most: " + lengths[0] + " "
                + lengths[1] + " " + lengths[2]);
        double[][] test = points(200, 3, 4);
        double[] flat = new double[test.length * 3];
        for (int i = 0; i < test.length; i++) {
            System.arraycopy(test[i], 0, flat, i * 3, 3);
        }
        double[] mean = new double[test.length];
        double[] std = new double[test.length];
        gp.predict(flat, 0, test.length, mean, std);
        double error = 0;
        int inside = 0;
        for (int i = 0; i < test.length; i++) {
            double truth = function(test[i]);
            error += Math.abs(mean[i] - truth);
            inside += Math.abs(mean[i] - truth) <= 2 * std[i] + 1e-3 ? 1 : 0;
        }
        assertTrue(error / test.length < 0.02, "mean absolute error " + error / test.length);
        assertTrue(inside >= 180, "2-sigma coverage " + inside + "/200");
    }

    @Test
    void conditioningEqualsRefittingWithTheSameHyperparameters() {
        double[][] x = points(20, 2, 5);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.cos(4 * x[i][0]) * x[i][1];
        }
        GaussianProcess gp = GaussianProcess.fit(x, y, GaussianProcess.Options.defaults(), new SplittableRandom(6),
                null, null);
        double[] extra = {0.37, 0.81};
        GaussianProcess conditioned = gp.condition(extra, 0.25);
        // the same process built from scratch: fix every hyper-parameter through a zero-iteration fit
        double[][] x2 = new double[x.length + 1][];
        double[] y2 = new double[y.length + 1];
        System.arraycopy(x, 0, x2, 0, x.length);
        System.arraycopy(y, 0, y2, 0, y.length);
        x2[x.length] = extra;
        y2[y.length] = 0.25;
        double[] probe = {0.1, 0.2, 0.37, 0.81, 0.9, 0.5};
        double[] m1 = new double[3];
        double[] s1 = new double[3];
        conditioned.predict(probe, 0, 3, m1, s1);
        // direct: posterior of the original process at the probe given the extra point, by the block formula
        double[] mx = new double[1];
        double[] sx = new double[1];
        gp.predict(extra, 0, 1, mx, sx);
        assertEquals(0.25, m1[1], 0.05, "the mean moves to the fantasised value at its point");
        assertTrue(s1[1] < sx[0], "the standard deviation shrinks where a point was added");
        double[] m0 = new double[3];
        double[] s0 = new double[3];
        gp.predict(probe, 0, 3, m0, s0);
        for (int i = 0; i < 3; i++) {
            assertTrue(s1[i] <= s0[i] + 1e-12, "conditioning never raises the standard deviation");
        }
        // conditioning on the predicted mean leaves the mean unchanged everywhere (kriging believer)
        GaussianProcess believer = gp.condition(extra, mx[0]);
        double[] mb = new double[3];
        believer.predict(probe, 0, 3, mb, new double[3]);
        assertArrayEquals(m0, mb, 1e-9);
    }

    @Test
    void theCheapBoundNeverUndercutsTheExactStandardDeviation() {
        double[][] x = points(40, 3, 8);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.sin(5 * x[i][0]) + x[i][1] * x[i][2];
        }
        GaussianProcess gp = GaussianProcess.fit(x, y, GaussianProcess.Options.defaults(), new SplittableRandom(2),
                null, null).condition(new double[] {0.5, 0.5, 0.5}, 0.3);
        double[] probe = new double[500 * 3];
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < probe.length; i++) {
            probe[i] = random.nextDouble();
        }
        // the observed points themselves are where the bound is tightest
        System.arraycopy(x[0], 0, probe, 0, 3);
        System.arraycopy(new double[] {0.5, 0.5, 0.5}, 0, probe, 3, 3);
        double[] mean = new double[500];
        double[] std = new double[500];
        double[] boundMean = new double[500];
        double[] bound = new double[500];
        gp.predict(probe, 0, 500, mean, std);
        gp.predictMeanAndStdBound(probe, 0, 500, boundMean, bound);
        boolean tighter = false;
        for (int i = 0; i < 500; i++) {
            assertEquals(mean[i], boundMean[i], 1e-9 * (1 + Math.abs(mean[i])), "the mean is exact");
            assertTrue(bound[i] >= std[i], "bound " + bound[i] + " below the exact " + std[i] + " at row " + i);
            tighter |= bound[i] > 1.01 * std[i];
            // one row alone takes the unblocked path and agrees with the blocked one
            double[] m = new double[500];
            double[] s = new double[500];
            gp.predict(probe, i, i + 1, m, s);
            assertEquals(mean[i], m[i], 1e-9 * (1 + Math.abs(mean[i])));
            assertEquals(std[i], s[i], 1e-9 * std[i]);
        }
        assertTrue(tighter, "the exact deviation is smaller than the single-point bound somewhere");
    }

    @Test
    void sameSeedSameFitAndRestartsNeverWorsenTheLikelihood() {
        double[][] x = points(30, 4, 7);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i][0] * x[i][0] - x[i][3];
        }
        GaussianProcess a = GaussianProcess.fit(x, y, GaussianProcess.Options.defaults(), new SplittableRandom(9),
                null, null);
        GaussianProcess b = GaussianProcess.fit(x, y, GaussianProcess.Options.defaults(), new SplittableRandom(9),
                null, java.util.concurrent.Executors.newFixedThreadPool(2));
        assertArrayEquals(a.hyperparameters().lengthScales(), b.hyperparameters().lengthScales(), 0);
        GaussianProcess single = GaussianProcess.fit(x, y, new GaussianProcess.Options(0, null, 100),
                new SplittableRandom(9), null, null);
        assertTrue(a.logMarginalLikelihood() >= single.logMarginalLikelihood() - 1e-9);
    }

    @Test
    void constantOrSingleObservationsStillFit() {
        double[][] x = {{0.2, 0.4}};
        GaussianProcess one = GaussianProcess.fit(x, new double[] {3.0}, GaussianProcess.Options.defaults(),
                new SplittableRandom(1), null, null);
        double[] mean = new double[1];
        double[] std = new double[1];
        one.predict(new double[] {0.2, 0.4}, 0, 1, mean, std);
        assertEquals(3.0, mean[0], 1e-6);
        double[][] same = {{0.1, 0.1}, {0.1, 0.1}, {0.5, 0.5}};
        GaussianProcess duplicates = GaussianProcess.fit(same, new double[] {1, 1, 1},
                GaussianProcess.Options.defaults(), new SplittableRandom(1), null, null);
        assertTrue(Double.isFinite(duplicates.logMarginalLikelihood()));
        assertThrows(IllegalArgumentException.class, () -> GaussianProcess.fit(new double[0][], new double[0],
                GaussianProcess.Options.defaults(), new SplittableRandom(1), null, null));
    }

    @Test
    void theIncumbentIsTheBestFittedMeanNotTheLuckiestMeasurement() {
        // a smooth function measured once without noise and once with noise of spread 0.3
        double[][] x = points(40, 2, 5);
        double[] exact = new double[x.length];
        double[] noisy = new double[x.length];
        SplittableRandom noise = new SplittableRandom(6);
        for (int i = 0; i < x.length; i++) {
            exact[i] = function(new double[] {x[i][0], x[i][1], 0});
            noisy[i] = exact[i] + 0.3 * noise.nextGaussian();
        }
        GaussianProcess interpolating = GaussianProcess.fit(x, exact, new GaussianProcess.Options(2, 1e-6, 100),
                new SplittableRandom(7), null, null);
        double[] fitted = interpolating.fittedMeans();
        for (int i = 0; i < x.length; i++) {
            assertEquals(exact[i], fitted[i], 1e-3, "observation " + i);
        }
        GaussianProcess smoothing = GaussianProcess.fit(x, noisy, GaussianProcess.Options.defaults(),
                new SplittableRandom(7), null, null);
        assertTrue(smoothing.hyperparameters().noiseVariance() > 0.01, "the fit finds the noise");
        double best = java.util.Arrays.stream(noisy).max().orElseThrow();
        double truth = java.util.Arrays.stream(exact).max().orElseThrow();
        // the largest measurement overstates the best value; the best fitted mean is shrunk towards it
        assertTrue(best > truth + 0.2, "the luckiest measurement " + best + " is above the truth " + truth);
        assertTrue(smoothing.bestFittedMean() < best, "fitted " + smoothing.bestFittedMean() + " vs measured " + best);
        assertTrue(Math.abs(smoothing.bestFittedMean() - truth) < Math.abs(best - truth),
                "fitted " + smoothing.bestFittedMean() + " is nearer the truth " + truth + " than " + best);
        double[] mean = new double[x.length];
        double[] std = new double[x.length];
        double[] flat = new double[x.length * 2];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, flat, i * 2, 2);
        }
        smoothing.predict(flat, 0, x.length, mean, std);
        assertArrayEquals(mean, smoothing.fittedMeans(), 1e-12);
    }
}
