package org.mihub.planning.simulation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.mihub.planning.acquisition.Acquisition;
import org.mihub.planning.acquisition.BatchSelector;
import org.mihub.planning.acquisition.ModelPrior;
import org.mihub.common.gp.GaussianProcess;

class PoolSimulationTest {

    private static PoolSimulation.Pool pool() {
        SplittableRandom random = new SplittableRandom(3);
        double[][] rows = new double[160][2];
        double[] values = new double[160];
        for (int i = 0; i < rows.length; i++) {
            rows[i][0] = Math.round(random.nextDouble() * 40) / 40.0;
            rows[i][1] = Math.round(random.nextDouble() * 40) / 40.0;
            double dx = rows[i][0] - 0.7;
            double dy = rows[i][1] - 0.3;
            values[i] = -(dx * dx + dy * dy);
        }
        return PoolSimulation.averageDuplicates(rows, values, true);
    }

    private static PoolSimulation.Strategy strategy(Acquisition.Function function) {
        return new PoolSimulation.Strategy(new Acquisition(function, 2, 0, false),
                BatchSelector.Strategy.KRIGING_BELIEVER, 1, new GaussianProcess.Options(1, null, 60), 2);
    }

    /**
     * A prediction model as the surrogate: a faithful model (its mean near the truth, honest about a
     * small error) proposes its best design first and finds the top set far sooner than the Gaussian
     * process alone; a misleading one (its mean the truth negated) is corrected by the process on its
     * residuals and still beats random selection.
     */
    @Test
    void aPredictionModelSurrogateProposesFromTheStartAndIsCorrectedByItsResiduals() {
        PoolSimulation.Pool pool = pool();
        int n = pool.points().length;
        SplittableRandom noise = new SplittableRandom(8);
        double range = java.util.Arrays.stream(pool.score()).max().orElseThrow()
                - java.util.Arrays.stream(pool.score()).min().orElseThrow();
        double[] faithful = new double[n];
        double[] misleading = new double[n];
        double[] std = new double[n];
        for (int i = 0; i < n; i++) {
            faithful[i] = pool.score()[i] + 0.02 * range * noise.nextGaussian();
            misleading[i] = -pool.score()[i];
            std[i] = 0.03 * range;
        }
        long[] seeds = {1, 2, 3, 4, 5, 6};
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            PoolSimulation.Report gp = PoolSimulation.run(pool, strategy(Acquisition.Function.LOG_EXPECTED_IMPROVEMENT),
                    seeds, n, 0.05, new double[] {0.8}, executor, p -> {
                    }, () -> false);
            PoolSimulation.Report good = PoolSimulation.run(pool, withPrior(ModelPrior.of(faithful, std, false)),
                    seeds, n, 0.05, new double[] {0.8}, executor, p -> {
                    }, () -> false);
            PoolSimulation.Report bad = PoolSimulation.run(pool, withPrior(ModelPrior.of(misleading, std, false)),
                    seeds, n, 0.05, new double[] {0.8}, executor, p -> {
                    }, () -> false);
            int modelsBest = 0;
            for (int i = 1; i < n; i++) {
                modelsBest = faithful[i] > faithful[modelsBest] ? i : modelsBest;
            }
            for (PoolSimulation.Run run : good.runs()) {
                assertEquals(modelsBest, run.chosen()[0], "no random designs: the model's best comes first");
            }
            int gpAt80 = gp.acceleration().get(0).strategyEvaluations();
            int goodAt80 = good.acceleration().get(0).strategyEvaluations();
            assertTrue(goodAt80 * 2 <= gpAt80, "faithful model " + goodAt80 + " against the process " + gpAt80);
            PoolSimulation.Acceleration badAt80 = bad.acceleration().get(0);
            assertTrue(badAt80.factor() != null && badAt80.factor() > 3, "misleading model: " + badAt80);
        } finally {
            executor.shutdownNow();
        }
    }

    private static PoolSimulation.Strategy withPrior(ModelPrior prior) {
        return new PoolSimulation.Strategy(new Acquisition(Acquisition.Function.LOG_EXPECTED_IMPROVEMENT, 2, 0, false),
                BatchSelector.Strategy.KRIGING_BELIEVER, 1, new GaussianProcess.Options(1, null, 60), 2, prior);
    }

    @Test
    void repeatedDesignsAreAveragedAndColumnsScaled() {
        double[][] rows = {{1, 10}, {3, 20}, {1, 10}};
        PoolSimulation.Pool pool = PoolSimulation.averageDuplicates(rows, new double[] {2, 5, 4}, false);
        assertEquals(2, pool.points().length);
        assertArrayEquals(new double[] {0, 0}, pool.points()[0]);
        assertArrayEquals(new double[] {1, 1}, pool.points()[1]);
        assertArrayEquals(new double[] {3, 5}, pool.values());
        assertArrayEquals(new double[] {-3, -5}, pool.score(), "minimised objectives are negated");
    }

    @Test
    void bayesianOptimisationBeatsRandomSelectionAndIsReproducible() {
        PoolSimulation.Pool pool = pool();
        long[] seeds = {1, 2, 3, 4, 5, 6};
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            PoolSimulation.Report ei = PoolSimulation.run(pool, strategy(Acquisition.Function.LOG_EXPECTED_IMPROVEMENT),
                    seeds, pool.points().length, 0.05, new double[] {0.5, 0.8}, executor, p -> {
                    }, () -> false);
            PoolSimulation.Report again = PoolSimulation.run(pool,
                    strategy(Acquisition.Function.LOG_EXPECTED_IMPROVEMENT), seeds, pool.points().length, 0.05,
                    new double[] {0.5, 0.8}, executor, p -> {
                    }, () -> false);
            assertArrayEquals(ei.meanTopFound(), again.meanTopFound(), "same seeds, same traces");
            PoolSimulation.Acceleration at80 = ei.acceleration().get(1);
            assertTrue(at80.factor() != null && at80.factor() > 2, "acceleration factor at Top% 0.8: " + at80);
            assertTrue(ei.maxEnhancementFactor() > 2, "enhancement " + ei.maxEnhancementFactor());
            int last = ei.evaluations() - 1;
            assertEquals(1.0, ei.meanTopFound()[last], 1e-12);
            double best = java.util.Arrays.stream(pool.values()).max().orElseThrow();
            assertEquals(best, ei.meanBestSoFar()[last], 1e-12);
            for (PoolSimulation.Run run : ei.runs()) {
                assertArrayEquals(PoolSimulation.initialDesigns(run.seed(), pool.points().length, 2),
                        java.util.Arrays.copyOf(run.chosen(), 2), "runs start from the seed's designs");
                for (int i = 1; i < run.topFound().length; i++) {
                    assertTrue(run.topFound()[i] >= run.topFound()[i - 1]);
                    assertTrue(run.bestSoFar()[i] >= run.bestSoFar()[i - 1]);
                }
            }
            PoolSimulation.Report random = PoolSimulation.run(pool, strategy(Acquisition.Function.RANDOM), seeds,
                    pool.points().length, 0.05, new double[] {0.8}, executor, p -> {
                    }, () -> false);
            assertTrue(random.acceleration().get(0).factor() < at80.factor());
            assertThrows(CancellationException.class, () -> PoolSimulation.run(pool,
                    strategy(Acquisition.Function.LOG_EXPECTED_IMPROVEMENT), seeds, pool.points().length, 0.05,
                    new double[] {0.8}, executor, p -> {
                    }, () -> true));
        } finally {
            executor.shutdownNow();
        }
    }

    /**
     * A conductivity-like objective, a sharp peak over decades of near-zero values: with the outputs
     * warped by a power transform the process still finds the top set well ahead of random
     * selection, reproducibly.
     */
    @Test
    void warpedOutputsFindASharpPeakAheadOfRandomReproducibly() {
        PoolSimulation.Pool smooth = pool();
        double[] peaked = java.util.Arrays.stream(smooth.score()).map(v -> Math.exp(40 * v)).toArray();
        PoolSimulation.Pool pool = new PoolSimulation.Pool(smooth.points(), peaked, peaked, smooth.firstRow());
        var warped = new PoolSimulation.Strategy(new Acquisition(Acquisition.Function.LOG_EXPECTED_IMPROVEMENT, 2, 0,
                false), BatchSelector.Strategy.KRIGING_BELIEVER, 1, new GaussianProcess.Options(1, null, 60, true), 2);
        long[] seeds = {1, 2, 3, 4};
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            PoolSimulation.Report first = PoolSimulation.run(pool, warped, seeds, pool.points().length, 0.05,
                    new double[] {0.8}, executor, p -> {
                    }, () -> false);
            PoolSimulation.Report again = PoolSimulation.run(pool, warped, seeds, pool.points().length, 0.05,
                    new double[] {0.8}, executor, p -> {
                    }, () -> false);
            assertArrayEquals(first.meanTopFound(), again.meanTopFound(), "same seeds, same traces");
            PoolSimulation.Acceleration at80 = first.acceleration().get(0);
            assertTrue(at80.factor() != null && at80.factor() > 2, "acceleration factor at Top% 0.8: " + at80);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void replayFillsInOnlyCompletedRuns() {
        PoolSimulation.Pool pool = pool();
        boolean[] top = PoolSimulation.topSet(pool, 0.05);
        int n = pool.points().length;
        int[] topRows = java.util.stream.IntStream.range(0, n).filter(i -> top[i]).toArray();
        PoolSimulation.Run run = PoolSimulation.replay(pool, 1, topRows, n, top);
        assertEquals(1.0, run.topFound()[topRows.length - 1], 1e-12);
        assertEquals(1.0, run.topFound()[n - 1], 1e-12);
        assertThrows(IllegalArgumentException.class, () -> PoolSimulation.replay(pool, 1, new int[] {
            java.util.stream.IntStream.range(0, n).filter(i -> !top[i]).findFirst().orElseThrow()}, n, top));
    }
}
