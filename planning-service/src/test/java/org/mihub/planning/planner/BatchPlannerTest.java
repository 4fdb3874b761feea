package org.mihub.planning.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.mihub.common.gp.GaussianProcess;
import org.mihub.planning.acquisition.Acquisition;
import org.mihub.planning.acquisition.BatchSelector;
import org.mihub.planning.service.Plan;

/** The one propose step, alone: its paths, its reproducibility, and that a twin sees a campaign's choice. */
class BatchPlannerTest {

    private static final GaussianProcess.Options SURROGATE = new GaussianProcess.Options(2, null, 60, true);
    private static final Acquisition LOG_EI = new Acquisition(Acquisition.Function.LOG_EXPECTED_IMPROVEMENT, 2, 0,
            false);
    private static final Acquisition EHVI = new Acquisition(
            Acquisition.Function.EXPECTED_HYPERVOLUME_IMPROVEMENT, 2, 0, false);

    private static Plan.Objective objective(String property, Plan.Direction direction) {
        return new Plan.Objective(property, direction, null, "", 1, null);
    }

    /** 41 candidates on [0, 1]; f(x) = sin(6x) + x peaks near x = 0.3. */
    private static double f(double x) {
        return Math.sin(6 * x) + x;
    }

    private static double[] grid(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (double) i / (n - 1);
        }
        return x;
    }

    /** A problem with the candidates at {@code observedRows} observed (unavailable) and the others open. */
    private static BatchPlanner.Problem problem(List<Plan.Objective> objectives, Acquisition acquisition,
            int[] observedRows, int[] pending, int size, boolean report, int initialPoints) {
        double[] candidates = grid(41);
        boolean[] available = new boolean[candidates.length];
        java.util.Arrays.fill(available, true);
        double[][] xs = new double[observedRows.length][];
        List<double[]> values = new ArrayList<>();
        for (int j = 0; j < observedRows.length; j++) {
            double x = candidates[observedRows[j]];
            available[observedRows[j]] = false;
            xs[j] = new double[] {x};
            values.add(objectives.size() == 1 ? new double[] {f(x)} : new double[] {f(x), (x - 0.6) * (x - 0.6)});
        }
        return new BatchPlanner.Problem(objectives, candidates, 1, available, pending, xs, values, null, acquisition,
                BatchSelector.Strategy.KRIGING_BELIEVER, SURROGATE, initialPoints, size, List.of(), new int[0],
                report);
    }

    private static List<Integer> indices(BatchPlanner.Proposal proposal) {
        return proposal.picks().stream().map(BatchSelector.Pick::index).toList();
    }

    private final BatchPlanner planner = new BatchPlanner(null, 1);

    @Test
    void fewerObservationsThanTheRandomStartGiveDistinctRandomCandidates() {
        BatchPlanner.Problem problem = problem(List.of(objective("y", Plan.Direction.MAXIMISE)), LOG_EI,
                new int[] {3}, new int[0], 4, true, 3);
        BatchPlanner.Proposal proposal = planner.propose(problem, planner.freshFits(SURROGATE),
                new SplittableRandom(1));
        assertEquals(Acquisition.Function.RANDOM, proposal.function());
        assertEquals(4, new HashSet<>(indices(proposal)).size(), "four distinct candidates");
        assertFalse(indices(proposal).contains(3), "the observed candidate is not proposed again");
        assertTrue(Double.isNaN(proposal.mean()[0][0]), "no surrogate: nothing to report");
        assertTrue(proposal.fits().isEmpty());
    }

    @Test
    void theSameSeedProposesTheSameBatch() {
        BatchPlanner.Problem problem = problem(List.of(objective("y", Plan.Direction.MAXIMISE)), LOG_EI,
                new int[] {0, 10, 20, 30, 40}, new int[0], 3, true, 2);
        List<Integer> first = indices(planner.propose(problem, planner.freshFits(SURROGATE), new SplittableRandom(9)));
        List<Integer> again = indices(planner.propose(problem, planner.freshFits(SURROGATE), new SplittableRandom(9)));
        assertEquals(first, again);
        assertEquals(3, first.size());
    }

    @Test
    void aCampaignAndItsDigitalTwinChooseTheSameFromTheSameObservations() {
        // the campaign reports each objective's moments, the twin does not: the choice must not depend on it
        int[] observed = {0, 7, 15, 25, 40};
        BatchPlanner.Problem campaign = problem(List.of(objective("y", Plan.Direction.MAXIMISE)), LOG_EI, observed,
                new int[0], 3, true, 2);
        BatchPlanner.Problem twin = problem(List.of(objective("y", Plan.Direction.MAXIMISE)), LOG_EI, observed,
                new int[0], 3, false, 0);
        BatchPlanner.Proposal asked = planner.propose(campaign, planner.freshFits(SURROGATE), new SplittableRandom(4));
        BatchPlanner.Proposal simulated = planner.propose(twin, planner.freshFits(SURROGATE), new SplittableRandom(4));
        assertEquals(indices(asked), indices(simulated));
        int best = indices(asked).get(0);
        assertTrue(Math.abs(best / 40.0 - 0.29) < 0.2, "the first pick is near the peak at x = 0.29: " + best / 40.0);
        assertTrue(Double.isFinite(asked.mean()[0][0]) && asked.std()[0][0] > 0, "the campaign's moments");
        assertEquals(1, asked.fits().size());
        assertTrue(Double.isNaN(simulated.mean()[0][0]), "the twin asks for no moments");
    }

    @Test
    void aMinimisedObjectiveReportsItsMeanInItsOwnOrientation() {
        BatchPlanner.Problem problem = problem(List.of(objective("y", Plan.Direction.MINIMISE)), LOG_EI,
                new int[] {0, 10, 20, 30, 40}, new int[0], 1, true, 2);
        BatchPlanner.Proposal proposal = planner.propose(problem, planner.freshFits(SURROGATE),
                new SplittableRandom(3));
        int pick = indices(proposal).get(0);
        // minimising sin(6x) + x: the trough near x = 0.8 (f ≈ -0.2), far below the maximum
        assertTrue(pick / 40.0 > 0.55, "picks near the trough: " + pick / 40.0);
        assertTrue(proposal.mean()[0][0] < 0.5, "reports the predicted value itself, not its negation: "
                + proposal.mean()[0][0]);
    }

    @Test
    void twoObjectivesByHypervolumeLeavePendingAndObservedCandidatesAlone() {
        List<Plan.Objective> objectives = List.of(objective("y", Plan.Direction.MAXIMISE),
                objective("distance", Plan.Direction.MINIMISE));
        int[] pending = {12, 13};
        BatchPlanner.Problem problem = problem(objectives, EHVI, new int[] {0, 8, 16, 24, 32, 40}, pending, 3, true,
                2);
        BatchPlanner.Proposal proposal = planner.propose(problem, planner.freshFits(SURROGATE),
                new SplittableRandom(2));
        assertEquals(Acquisition.Function.EXPECTED_HYPERVOLUME_IMPROVEMENT, proposal.function());
        Set<Integer> picked = new HashSet<>(indices(proposal));
        assertEquals(3, picked.size());
        for (int row : new int[] {0, 8, 16, 24, 32, 40}) {
            assertFalse(picked.contains(row), "observed " + row);
        }
        assertEquals(2, proposal.fits().size(), "a process per objective");
        assertEquals(2, proposal.mean()[0].length);
        for (BatchSelector.Pick pick : proposal.picks()) {
            assertTrue(pick.score() >= 0, "an expected improvement is never negative");
        }
    }
}
