package org.mihub.planning.acquisition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.mihub.common.gp.GaussianProcess;

class AcquisitionTest {

    @Test
    void logExpectedImprovementMatchesTheClosedFormAndStaysFiniteInTheTail() {
        for (double z = -4.9; z < 5; z += 0.3) {
            double direct = Math.log(Math.exp(NormalMath.logPdf(z)) + z * NormalMath.cdf(z));
            assertEquals(direct, NormalMath.logH(z), 1e-9 * Math.max(1, Math.abs(direct)), "z=" + z);
        }
        // both branches agree at the switch
        assertEquals(NormalMath.logH(-5 + 1e-9), NormalMath.logH(-5 - 1e-9), 1e-6);
        assertEquals(NormalMath.logCdf(-5 + 1e-9), NormalMath.logCdf(-5 - 1e-9), 1e-6);
        // far in the tail plain EI is 0; log EI keeps ranking candidates: h(z) ~ φ(z)/z²
        double previous = Double.NEGATIVE_INFINITY;
        for (double z = -60; z <= 3; z += 0.5) {
            double value = NormalMath.logH(z);
            assertTrue(Double.isFinite(value), "finite at " + z);
            assertTrue(value > previous, "increasing at " + z);
            previous = value;
        }
        double z = -40;
        assertEquals(NormalMath.logPdf(z) - 2 * Math.log(40), NormalMath.logH(z), 1e-2);
        assertEquals(NormalMath.logPdf(z) - Math.log(40), NormalMath.logCdf(z), 1e-3);
    }

    @Test
    void scoresPreferWhatEachFunctionPromises() {
        Acquisition ei = Acquisition.logExpectedImprovement();
        // same mean below the incumbent: the more uncertain candidate has more expected improvement
        assertTrue(ei.score(0, 2, 1, 1, 1) > ei.score(0, 0.5, 1, 1, 1));
        Acquisition ucb = new Acquisition(Acquisition.Function.UPPER_CONFIDENCE_BOUND, 2, 0, false);
        assertEquals(3.0, ucb.score(1, 1, 0, 1, 1), 1e-12);
        Acquisition pi = new Acquisition(Acquisition.Function.PROBABILITY_OF_IMPROVEMENT, 2, 0, false);
        assertEquals(Math.log(0.5), pi.score(1, 1, 1, 1, 1), 1e-12);
        Acquisition costly = new Acquisition(Acquisition.Function.LOG_EXPECTED_IMPROVEMENT, 2, 0, true);
        assertEquals(costly.score(1, 1, 0, 1, 1) - Math.log(4), costly.score(1, 1, 0, 1, 4), 1e-12);
    }

    private static GaussianProcess fitted(double[] pool, int d, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[n][d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                x[i][k] = random.nextDouble();
            }
            y[i] = Math.sin(5 * x[i][0]) + Math.cos(3 * x[i][1]);
        }
        for (int i = 0; i < pool.length; i++) {
            pool[i] = random.nextDouble();
        }
        return GaussianProcess.fit(x, y, new GaussianProcess.Options(1, null, 60), new SplittableRandom(seed), null,
                null);
    }

    @Test
    void lazyKrigingBelieverEqualsFullGreedyRescoring() {
        int d = 2;
        double[] pool = new double[3000 * d];
        GaussianProcess gp = fitted(pool, d, 15, 11);
        boolean[] available = new boolean[3000];
        java.util.Arrays.fill(available, true);
        double incumbent = 1.2;
        List<BatchSelector.Pick> lazy = new BatchSelector(Acquisition.logExpectedImprovement(),
                BatchSelector.Strategy.KRIGING_BELIEVER, null, 1).select(gp, pool, available, incumbent, new int[0],
                        null, 6, new SplittableRandom(1));
        // brute force: condition and re-score every candidate after each pick
        Acquisition ei = Acquisition.logExpectedImprovement();
        GaussianProcess current = gp;
        double best = incumbent;
        boolean[] open = available.clone();
        List<Integer> expected = new ArrayList<>();
        double[] mean = new double[3000];
        double[] std = new double[3000];
        for (int slot = 0; slot < 6; slot++) {
            current.predict(pool, 0, 3000, mean, std);
            int chosen = -1;
            double top = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < 3000; i++) {
                double score = ei.score(mean[i], std[i], best, gp.outputScale(), 1);
                if (open[i] && score > top) {
                    top = score;
                    chosen = i;
                }
            }
            expected.add(chosen);
            open[chosen] = false;
            current = current.condition(new double[] {pool[chosen * d], pool[chosen * d + 1]}, mean[chosen]);
            best = Math.max(best, mean[chosen]);
        }
        assertEquals(expected, lazy.stream().map(BatchSelector.Pick::index).toList());
    }

    @Test
    void aTransformedObjectiveIsPickedAsFullGreedyRescoringWouldInItsOwnUnits() {
        int d = 2;
        int rows = 2000;
        double[] pool = new double[rows * d];
        GaussianProcess gp = fitted(pool, d, 12, 21);
        // a model's mean and spread per candidate; the process is on the standardised residuals
        SplittableRandom random = new SplittableRandom(8);
        double[] offset = new double[rows];
        double[] scale = new double[rows];
        for (int i = 0; i < rows; i++) {
            offset[i] = 3 * pool[i * d] - pool[i * d + 1];
            scale[i] = 0.2 + random.nextDouble();
        }
        boolean[] available = new boolean[rows];
        java.util.Arrays.fill(available, true);
        double incumbent = 2.5;
        BatchSelector.Transform transform = new BatchSelector.Transform(offset, scale, 1.3);
        List<BatchSelector.Pick> lazy = new BatchSelector(Acquisition.logExpectedImprovement(),
                BatchSelector.Strategy.KRIGING_BELIEVER, null, 1).select(gp, pool, available, incumbent, new int[0],
                        null, 5, new SplittableRandom(1), transform);
        Acquisition ei = Acquisition.logExpectedImprovement();
        GaussianProcess current = gp;
        double best = incumbent;
        boolean[] open = available.clone();
        double[] mean = new double[rows];
        double[] std = new double[rows];
        for (int slot = 0; slot < 5; slot++) {
            current.predict(pool, 0, rows, mean, std);
            int chosen = -1;
            double top = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < rows; i++) {
                double score = ei.score(offset[i] + scale[i] * mean[i], scale[i] * std[i], best, 1.3, 1);
                if (open[i] && score > top) {
                    top = score;
                    chosen = i;
                }
            }
            BatchSelector.Pick pick = lazy.get(slot);
            assertEquals(chosen, pick.index(), "slot " + slot);
            assertEquals(offset[chosen] + scale[chosen] * mean[chosen], pick.mean(), 1e-9, "the pick's mean is y's");
            assertEquals(scale[chosen] * std[chosen], pick.std(), 1e-9);
            open[chosen] = false;
            current = current.condition(new double[] {pool[chosen * d], pool[chosen * d + 1]}, mean[chosen]);
            best = Math.max(best, offset[chosen] + scale[chosen] * mean[chosen]);
        }
    }

    @Test
    void everyStrategyPicksDistinctAvailableCandidatesReproducibly() {
        int d = 2;
        double[] pool = new double[2000 * d];
        GaussianProcess gp = fitted(pool, d, 12, 21);
        boolean[] available = new boolean[2000];
        for (int i = 0; i < available.length; i++) {
            available[i] = i % 3 != 0;
        }
        int[] pending = {1, 2};
        for (Acquisition.Function function : Acquisition.Function.values()) {
            if (function == Acquisition.Function.EXPECTED_HYPERVOLUME_IMPROVEMENT) {
                continue; // two objectives, chosen over the front: HypervolumeImprovementTest
            }
            for (BatchSelector.Strategy strategy : BatchSelector.Strategy.values()) {
                BatchSelector selector = new BatchSelector(new Acquisition(function, 2, 0, false), strategy, null, 1);
                available[1] = false;
                available[2] = false;
                List<BatchSelector.Pick> a = selector.select(gp, pool, available, 1.0, pending, null, 5,
                        new SplittableRandom(4));
                List<BatchSelector.Pick> b = selector.select(gp, pool, available, 1.0, pending, null, 5,
                        new SplittableRandom(4));
                assertEquals(5, a.size(), function + " " + strategy);
                assertEquals(a, b, "same seed, same batch: " + function + " " + strategy);
                Set<Integer> seen = new HashSet<>();
                for (BatchSelector.Pick pick : a) {
                    assertTrue(available[pick.index()], "only available candidates");
                    assertTrue(seen.add(pick.index()), "no candidate twice");
                }
            }
        }
        // pending proposals shape the batch: a fantasy at the best candidate moves the next pick away from it
        BatchSelector selector = new BatchSelector(Acquisition.logExpectedImprovement(),
                BatchSelector.Strategy.KRIGING_BELIEVER, null, 1);
        int first = selector.select(gp, pool, available, 1.0, new int[0], null, 1, new SplittableRandom(1)).get(0)
                .index();
        available[first] = false;
        int withPending = selector.select(gp, pool, available, 1.0, new int[] {first}, null, 1,
                new SplittableRandom(1)).get(0).index();
        int without = selector.select(gp, pool, available, 1.0, new int[0], null, 1, new SplittableRandom(1)).get(0)
                .index();
        assertFalse(withPending == first);
        assertNotEquals(-1, without);
    }

    @Test
    void aBatchLargerThanThePoolIsCutToWhatIsLeft() {
        int d = 2;
        double[] pool = new double[4 * d];
        GaussianProcess gp = fitted(pool, d, 5, 31);
        boolean[] available = {true, false, true, true};
        List<BatchSelector.Pick> picks = new BatchSelector(Acquisition.logExpectedImprovement(),
                BatchSelector.Strategy.KRIGING_BELIEVER, null, 1).select(gp, pool, available, 0, new int[0], null, 10,
                        new SplittableRandom(1));
        assertEquals(3, picks.size());
    }
}
