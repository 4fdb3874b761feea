package org.mihub.planning.simulation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.mihub.common.gp.GaussianProcess;
import org.mihub.planning.acquisition.Acquisition;
import org.mihub.planning.acquisition.BatchSelector;
import org.mihub.planning.service.Plan;

class ParetoSimulationTest {

    private static final List<Plan.Objective> OBJECTIVES = List.of(
            new Plan.Objective("hardness", Plan.Direction.MAXIMISE, null, "GPa", 1, null),
            new Plan.Objective("density", Plan.Direction.MINIMISE, null, "g/cm3", 1, null));

    /** A 9 x 9 grid, each design twice: hardness peaks at (0.2, 0.5), density is lowest at (0.8, 0.5). */
    private static ParetoSimulation.Pool pool() {
        double[][] rows = new double[162][2];
        double[][] values = new double[162][2];
        for (int k = 0; k < rows.length; k++) {
            int i = (k / 2) / 9;
            int j = (k / 2) % 9;
            rows[k][0] = i / 8.0;
            rows[k][1] = j / 8.0;
            double noise = k % 2 == 0 ? 0.01 : -0.01;
            values[k][0] = 5 - 10 * (sq(rows[k][0] - 0.2) + sq(rows[k][1] - 0.5)) + noise;
            values[k][1] = 7 + 10 * (sq(rows[k][0] - 0.8) + sq(rows[k][1] - 0.5)) - noise;
        }
        return ParetoSimulation.averageDuplicates(rows, values, OBJECTIVES);
    }

    private static double sq(double v) {
        return v * v;
    }

    private static PoolSimulation.Strategy strategy(Acquisition.Function function) {
        return new PoolSimulation.Strategy(new Acquisition(function, 2, 0, false),
                BatchSelector.Strategy.KRIGING_BELIEVER, 2, new GaussianProcess.Options(1, null, 60), 3);
    }

    @Test
    void repeatedDesignsAreAveragedPerObjective() {
        ParetoSimulation.Pool pool = pool();
        assertEquals(81, pool.points().length);
        // the two measurements of each design differ by +-0.01: their mean is the noiseless value
        assertEquals(5 - 10 * (0.04 + 0.25), pool.values()[0][0], 1e-12);
        assertEquals(-pool.values()[0][1], pool.scores()[0][1], 1e-12, "density is minimised");
    }

    @Test
    void hypervolumeImprovementFindsTheFrontFasterThanRandomAndReproducibly() {
        ParetoSimulation.Pool pool = pool();
        long[] seeds = {1, 2, 3, 4};
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            ParetoSimulation.Report report = ParetoSimulation.run(pool, strategy(
                    Acquisition.Function.EXPECTED_HYPERVOLUME_IMPROVEMENT), OBJECTIVES, seeds, 81,
                    new double[] {0.9, 0.99}, executor, share -> { }, () -> false);
            assertEquals(81, report.evaluations());
            for (ParetoSimulation.Run run : report.runs()) {
                for (int i = 1; i < run.hypervolume().length; i++) {
                    assertTrue(run.hypervolume()[i] >= run.hypervolume()[i - 1] - 1e-12, "a share never falls");
                }
                assertEquals(1.0, run.hypervolume()[80], 1e-12, "every design seen: the whole front");
            }
            int at = 20;
            // random selection catches up at first (the initial designs are random too); the last few
            // per cent of the volume are the front's corners, which the improvement goes for
            assertTrue(report.meanHypervolume()[at] > 0.999 && report.randomHypervolume()[at] < 0.98,
                    "after 21 evaluations " + report.meanHypervolume()[at] + " against random "
                            + report.randomHypervolume()[at]);
            PoolSimulation.Acceleration high = report.acceleration().get(1);
            assertTrue(high.factor() != null && high.factor() > 2, "acceleration at 99 %: " + high);

            ParetoSimulation.Report again = ParetoSimulation.run(pool, strategy(
                    Acquisition.Function.EXPECTED_HYPERVOLUME_IMPROVEMENT), OBJECTIVES, seeds, 81,
                    new double[] {0.9}, executor, share -> { }, () -> false);
            assertArrayEquals(report.runs().get(2).chosen(), again.runs().get(2).chosen(), "the same seed, the same run");

            ParetoSimulation.Report parego = ParetoSimulation.run(pool, strategy(
                    Acquisition.Function.LOG_EXPECTED_IMPROVEMENT), OBJECTIVES, seeds, 81, new double[] {0.99},
                    executor, share -> { }, () -> false);
            assertTrue(parego.acceleration().get(0).factor() > 1, "ParEGO also beats random: "
                    + parego.acceleration());
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void theTraceIsTheShareOfThePoolsHypervolumeFound() {
        double[][] scores = {{1, 3}, {2, 2}, {3, 1}, {1, 1}};
        ParetoSimulation.Pool pool = new ParetoSimulation.Pool(new double[4][1], scores, scores, new int[] {0, 1, 2, 3});
        double[] trace = ParetoSimulation.trace(pool, new int[] {3, 1, 0}, 4, new double[] {0, 0}, 6);
        assertArrayEquals(new double[] {1 / 6.0, 4 / 6.0, 5 / 6.0, 1.0}, trace, 1e-12);
    }
}
