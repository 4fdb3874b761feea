package org.mihub.planning.planner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.mihub.common.gp.GaussianProcess;
import org.mihub.planning.acquisition.Acquisition;
import org.mihub.planning.acquisition.BatchSelector;
import org.mihub.planning.acquisition.FeasibilityModel;
import org.mihub.planning.service.Plan;

/**
 * Failures are information: the feasibility classifier alone, and a seeded campaign loop over a
 * space where one region always fails, with and without it.
 */
class FailureLearningTest {

    private static final GaussianProcess.Options SURROGATE = new GaussianProcess.Options(2, null, 60, true);
    private static final Acquisition LOG_EI = new Acquisition(Acquisition.Function.LOG_EXPECTED_IMPROVEMENT, 2, 0,
            false);
    private static final Plan.Objective OBJECTIVE = new Plan.Objective("y", Plan.Direction.MAXIMISE, null, "", 1,
            null);
    private static final int SIDE = 15;

    private final BatchPlanner planner = new BatchPlanner(null, 1);

    /** Designs with x0 above 0.55 always fail (the sample cracks). */
    private static boolean fails(double[] x) {
        return x[0] > 0.55;
    }

    /**
     * The objective rises towards the failing region (the best designs sit at the edge of what can
     * be made), with a bump inside the feasible part: a process extrapolating from successes alone
     * keeps expecting more beyond the edge.
     */
    private static double value(double[] x) {
        return 1.5 * x[0] + Math.exp(-((x[0] - 0.45) * (x[0] - 0.45) + (x[1] - 0.7) * (x[1] - 0.7)) / 0.05);
    }

    private static double[] grid() {
        double[] points = new double[SIDE * SIDE * 2];
        for (int i = 0; i < SIDE; i++) {
            for (int j = 0; j < SIDE; j++) {
                int row = i * SIDE + j;
                points[2 * row] = (double) i / (SIDE - 1);
                points[2 * row + 1] = (double) j / (SIDE - 1);
            }
        }
        return points;
    }

    private static double[] row(double[] points, int at) {
        return new double[] {points[2 * at], points[2 * at + 1]};
    }

    @Test
    void theClassifierLearnsWhereExperimentsFail() {
        double[] points = grid();
        SplittableRandom random = new SplittableRandom(3);
        List<double[]> ok = new ArrayList<>();
        List<double[]> bad = new ArrayList<>();
        for (int k = 0; k < 30; k++) {
            double[] x = row(points, random.nextInt(SIDE * SIDE));
            (fails(x) ? bad : ok).add(x);
        }
        FeasibilityModel model = fit(ok, bad, 7);
        double[] p = model.probabilityAll(new double[] {0.1, 0.5, 0.3, 0.2, 0.9, 0.5, 0.8, 0.1}, null, 1);
        assertTrue(p[0] > 0.8 && p[1] > 0.8, "well inside the feasible region: " + p[0] + ", " + p[1]);
        assertTrue(p[2] < 0.2 && p[3] < 0.2, "well inside the failing region: " + p[2] + ", " + p[3]);
        assertEquals(ok.size() + bad.size(), model.experiments());
        // reproducible with the same seed
        assertArrayEquals(p, fit(ok, bad, 7).probabilityAll(new double[] {0.1, 0.5, 0.3, 0.2, 0.9, 0.5, 0.8, 0.1},
                null, 1), 0);
    }

    @Test
    void withoutFailuresThereIsNothingToLearnAndOnlyFailuresGiveALowRate() {
        assertNull(FeasibilityModel.fit(new double[][] {{0.1, 0.2}}, new double[0][], (xs, ys) -> {
            throw new AssertionError("no fit without failures");
        }, new SplittableRandom(1)));
        FeasibilityModel onlyFailures = FeasibilityModel.fit(new double[0][], new double[][] {{0.1, 0.2}, {0.8, 0.9}},
                (xs, ys) -> {
                    throw new AssertionError("one class: no length scales to estimate");
                }, new SplittableRandom(1));
        double[] p = onlyFailures.probabilityAll(new double[] {0.1, 0.2, 0.5, 0.5}, null, 1);
        assertTrue(p[0] < 0.25 && p[1] < 0.5, "every experiment failed: " + p[0] + ", " + p[1]);
    }

    private static FeasibilityModel fit(List<double[]> ok, List<double[]> bad, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return FeasibilityModel.fit(ok.toArray(double[][]::new), bad.toArray(double[][]::new),
                (xs, ys) -> GaussianProcess.fit(xs, ys, SURROGATE, random, null, null), random);
    }

    /**
     * Ten seeded campaigns, one experiment at a time, until the best feasible design is measured
     * (at most 80 experiments). Without the classifier a failed design is only never proposed
     * again; with it the acquisition is weighted by the probability of success.
     */
    @Test
    void aCampaignThatLearnsWhereFailuresHappenFindsTheOptimumInFewerExperiments() {
        int seeds = 10;
        double with = 0;
        double without = 0;
        for (int seed = 1; seed <= seeds; seed++) {
            with += campaign(seed, true);
            without += campaign(seed, false);
        }
        with /= seeds;
        without /= seeds;
        System.out.printf("failure region: mean experiments to the optimum %.1f with the classifier, %.1f without%n",
                with, without);
        // measured: 14.3 against 44.2
        assertTrue(with <= 0.5 * without, "with the classifier " + with + " experiments on average, without "
                + without + ": expected at most half as many");
    }

    @Test
    void proposalsReportTheProbabilityOfSuccessAndFailedPointsAreNotBadValues() {
        double[] points = grid();
        int n = SIDE * SIDE;
        boolean[] available = new boolean[n];
        java.util.Arrays.fill(available, true);
        List<double[]> xs = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        List<double[]> failed = new ArrayList<>();
        for (int at : new int[] {0, 20, 40, 60, 100, 130, 160, 190, 220}) {
            available[at] = false;
            double[] x = row(points, at);
            if (fails(x)) {
                failed.add(x);
            } else {
                xs.add(x);
                values.add(new double[] {value(x)});
            }
        }
        BatchPlanner.Problem problem = new BatchPlanner.Problem(List.of(OBJECTIVE), points, 2, available, new int[0],
                xs.toArray(double[][]::new), values, null, LOG_EI, BatchSelector.Strategy.KRIGING_BELIEVER, SURROGATE,
                2, 3, List.of(), new int[0], true, failed.toArray(double[][]::new), List.of(), null);
        BatchPlanner.Proposal proposal = planner.propose(problem, planner.freshFits(SURROGATE), new SplittableRandom(5));
        assertEquals(3, proposal.picks().size());
        for (int k = 0; k < 3; k++) {
            double p = proposal.success()[k];
            assertTrue(p > 0 && p < 1, "a probability: " + p);
            assertTrue(Double.isNaN(proposal.meets()[k]), "no constraints: nothing reported");
        }
        // the objective's process saw only the measured values
        assertEquals(xs.size(), proposal.fits().get(0).observations());
        // the same problem without failures reports nothing
        BatchPlanner.Problem plain = new BatchPlanner.Problem(List.of(OBJECTIVE), points, 2, available, new int[0],
                xs.toArray(double[][]::new), values, null, LOG_EI, BatchSelector.Strategy.KRIGING_BELIEVER, SURROGATE,
                2, 3, List.of(), new int[0], true);
        assertTrue(Double.isNaN(planner.propose(plain, planner.freshFits(SURROGATE), new SplittableRandom(5))
                .success()[0]));
    }

    /** Experiments until the best feasible design is measured. */
    private int campaign(long seed, boolean learn) {
        double[] points = grid();
        int n = SIDE * SIDE;
        int best = -1;
        for (int i = 0; i < n; i++) {
            double[] x = row(points, i);
            if (!fails(x) && (best < 0 || value(x) > value(row(points, best)))) {
                best = i;
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] available = new boolean[n];
        java.util.Arrays.fill(available, true);
        List<double[]> xs = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        List<double[]> failed = new ArrayList<>();
        for (int experiment = 1; experiment <= 80; experiment++) {
            BatchPlanner.Problem problem = new BatchPlanner.Problem(List.of(OBJECTIVE), points, 2, available,
                    new int[0], xs.toArray(double[][]::new), values, null, LOG_EI,
                    BatchSelector.Strategy.KRIGING_BELIEVER, SURROGATE, 3, 1, List.of(), new int[0], false,
                    learn ? failed.toArray(double[][]::new) : new double[0][], List.of(), null);
            int at = planner.propose(problem, planner.freshFits(SURROGATE), random).picks().get(0).index();
            double[] x = row(points, at);
            if (!fails(x) && value(x) >= value(row(points, best)) - 0.01) {
                return experiment;
            }
            available[at] = false;
            if (fails(x)) {
                failed.add(x);
            } else {
                xs.add(x);
                values.add(new double[] {value(x)});
            }
        }
        return 81;
    }
}
