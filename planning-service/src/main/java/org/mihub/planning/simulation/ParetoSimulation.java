package org.mihub.planning.simulation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

import org.mihub.planning.acquisition.BatchSelector;
import org.mihub.planning.acquisition.HypervolumeImprovement;
import org.mihub.planning.planner.BatchPlanner;
import org.mihub.planning.planner.WarmStarts;
import org.mihub.planning.service.Plan;

/**
 * The digital twin for two objectives: a strategy run against a recorded pool, each design's two
 * values as the oracle, for several seeds. What a run is measured by is the share of the pool's
 * hypervolume its observations dominate after each evaluation (1 once every Pareto-optimal design
 * is found), against the same share for random selection with the same seeds; the acceleration
 * factor at a level is random's evaluations to reach it over the strategy's, as Liang et al.
 * define it for Top%.
 *
 * <p>Every proposal is the campaign's own ({@link BatchPlanner}): expected hypervolume improvement
 * (a process per objective), ParEGO (one process on a random augmented Chebyshev scalarisation per
 * batch, warped like a single objective's, improvement from its best fitted mean) and random
 * selection.
 */
public final class ParetoSimulation {

    /**
     * A pool after averaging repeated designs.
     *
     * @param points unique designs scaled to the unit cube
     * @param values each design's two objective values as measured
     * @param scores the same in "larger is better" orientation
     */
    public record Pool(double[][] points, double[][] values, double[][] scores, int[] firstRow) {
    }

    /** One run: the share of the pool's hypervolume found after each evaluation, and the designs in order. */
    public record Run(long seed, double[] hypervolume, int[] chosen) {
    }

    /**
     * Aggregates over runs.
     *
     * @param reference        the reference point of the hypervolumes (oriented): the pool's worst
     *                         value of each objective less a tenth of its range
     * @param poolHypervolume  the hypervolume of the whole pool
     * @param randomHypervolume mean share found by random selection with the runs' seeds
     */
    public record Report(int poolSize, int evaluations, double[] reference, double poolHypervolume, List<Run> runs,
            double[] meanHypervolume, double[] randomHypervolume, List<PoolSimulation.Acceleration> acceleration) {
    }

    private ParetoSimulation() {
    }

    /** Groups rows with identical designs and averages each objective's values (Liang et al.'s protocol). */
    public static Pool averageDuplicates(double[][] rows, double[][] values, List<Plan.Objective> objectives) {
        PoolSimulation.Pool[] grouped = new PoolSimulation.Pool[2];
        for (int o = 0; o < 2; o++) {
            double[] column = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                column[i] = values[i][o];
            }
            // the grouping follows the rows' order, so both objectives' groups line up
            grouped[o] = PoolSimulation.averageDuplicates(rows, column, true);
        }
        int n = grouped[0].values().length;
        double[][] averaged = new double[n][2];
        double[][] scores = new double[n][2];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < 2; o++) {
                averaged[i][o] = grouped[o].values()[i];
                scores[i][o] = objectives.get(o).oriented(averaged[i][o]);
            }
        }
        return new Pool(grouped[0].points(), averaged, scores, grouped[0].firstRow());
    }

    /** Runs the strategy once per seed on {@code executor}; levels are shares of the pool's hypervolume. */
    public static Report run(Pool pool, PoolSimulation.Strategy strategy, List<Plan.Objective> objectives,
            long[] seeds, int maxEvaluations, double[] levels, ExecutorService executor, DoubleConsumer progress,
            BooleanSupplier cancelled) {
        int n = pool.points().length;
        int evaluations = Math.min(maxEvaluations, n);
        double[] reference = HypervolumeImprovement.reference(Arrays.asList(pool.scores()), new Double[2]);
        double total = HypervolumeImprovement.hypervolume(Arrays.asList(pool.scores()), reference);
        List<Run> runs = PoolSimulation.perSeed(seeds, executor, progress,
                seed -> runOnce(pool, strategy, objectives, seed, evaluations, reference, total, cancelled));
        double[] mean = new double[evaluations];
        double[] random = new double[evaluations];
        for (Run run : runs) {
            double[] baseline = trace(pool, randomOrder(run.seed(), n), evaluations, reference, total);
            for (int i = 0; i < evaluations; i++) {
                mean[i] += run.hypervolume()[i] / runs.size();
                random[i] += baseline[i] / runs.size();
            }
        }
        List<PoolSimulation.Acceleration> acceleration = new ArrayList<>();
        for (double level : levels) {
            Integer strategyEvaluations = PoolSimulation.firstReaching(mean, level);
            Integer randomEvaluations = PoolSimulation.firstReaching(random, level);
            acceleration.add(new PoolSimulation.Acceleration(level, strategyEvaluations, randomEvaluations,
                    strategyEvaluations != null && randomEvaluations != null
                            ? (double) randomEvaluations / strategyEvaluations : null));
        }
        return new Report(n, evaluations, reference, total, runs, mean, random, acceleration);
    }

    /** The share of the pool's hypervolume dominated by the first i + 1 chosen designs, for each i. */
    static double[] trace(Pool pool, int[] chosen, int evaluations, double[] reference, double total) {
        double[] trace = new double[evaluations];
        HypervolumeImprovement.Front front = new HypervolumeImprovement.Front(reference);
        int count = Math.min(chosen.length, evaluations);
        for (int i = 0; i < count; i++) {
            double volume = front.add(pool.scores()[chosen[i]]);
            trace[i] = total > 0 ? volume / total : 1;
        }
        // a run that stopped early had found the whole front
        Arrays.fill(trace, count, evaluations, 1.0);
        return trace;
    }

    private static int[] randomOrder(long seed, int n) {
        // a stream of its own, apart from the one the strategy's initial designs come from
        return PoolSimulation.initialDesigns(seed ^ 0x5deece66dL, n, n);
    }

    private static Run runOnce(Pool pool, PoolSimulation.Strategy strategy, List<Plan.Objective> objectives,
            long seed, int evaluations, double[] reference, double total, BooleanSupplier cancelled) {
        int n = pool.points().length;
        int d = pool.points()[0].length;
        double[] flat = PoolSimulation.flatten(pool.points());
        boolean[] available = new boolean[n];
        Arrays.fill(available, true);
        int[] chosen = new int[evaluations];
        int count = 0;
        SplittableRandom random = new SplittableRandom(seed).split();
        BatchPlanner planner = new BatchPlanner(null, 1);
        WarmStarts fits = new WarmStarts(strategy.surrogate());
        List<Integer> next = new ArrayList<>();
        for (int i : PoolSimulation.initialDesigns(seed, n, Math.min(strategy.initialPoints(), evaluations))) {
            next.add(i);
        }
        HypervolumeImprovement.Front found = new HypervolumeImprovement.Front(reference);
        while (count < evaluations) {
            for (int index : next) {
                if (count == evaluations) {
                    break;
                }
                available[index] = false;
                chosen[count++] = index;
                found.add(pool.scores()[index]);
            }
            if (count == evaluations || found.volume() >= total * (1 - 1e-12)) {
                break;
            }
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("cancelled");
            }
            double[][] xs = new double[count][];
            List<double[]> values = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                xs[i] = pool.points()[chosen[i]];
                values.add(pool.values()[chosen[i]]);
            }
            fits.before(count, strategy.batchSize());
            // the campaign's own propose step, on the objectives as measured; the protocol drew the initial designs
            BatchPlanner.Problem problem = new BatchPlanner.Problem(objectives, flat, d, available, new int[0], xs,
                    values, null, strategy.acquisition(), strategy.batchStrategy(), strategy.surrogate(), 0,
                    strategy.batchSize(), List.of(), new int[0], false);
            next = new ArrayList<>();
            for (BatchSelector.Pick pick : planner.propose(problem, fits, random).picks()) {
                next.add(pick.index());
            }
            if (next.isEmpty()) {
                break;
            }
        }
        int[] order = Arrays.copyOf(chosen, count);
        return new Run(seed, trace(pool, order, evaluations, reference, total), order);
    }
}
