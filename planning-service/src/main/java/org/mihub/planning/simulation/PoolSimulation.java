package org.mihub.planning.simulation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;
import java.util.function.LongFunction;

import org.mihub.planning.acquisition.Acquisition;
import org.mihub.planning.planner.BatchPlanner;
import org.mihub.planning.planner.WarmStarts;
import org.mihub.planning.service.Plan;
import org.mihub.planning.acquisition.BatchSelector;
import org.mihub.planning.acquisition.ModelPrior;
import org.mihub.common.gp.GaussianProcess;

/**
 * Pool-based simulation of a planning strategy, the "digital twin" of a campaign: a recorded pool
 * of designs with known objective values answers every proposal. Each seeded run starts from a few
 * random designs, then fits the surrogate, proposes, and reveals the answer, until the evaluation
 * budget is spent. Reported as defined by Liang et al., "Benchmarking the performance of Bayesian
 * optimization across multiple experimental materials science domains", npj Comput Mater 7, 188
 * (2021): Top% (share of the pool's top designs found), the enhancement factor over random
 * selection and the acceleration factor at given Top% levels.
 *
 * <p>Every proposal is the planner's ({@link BatchPlanner}, the same propose step as a campaign's).
 * The surrogate is refitted after every evaluation; its hyper-parameter search uses random restarts
 * every {@value WarmStarts#RESTART_EVERY} evaluations and otherwise starts from the previous fit.
 * With a prediction model as the strategy's surrogate ({@link Strategy#prior()}), the process is
 * fitted to the model's standardised residuals and the model proposes from the start, as in a
 * campaign ({@link ModelPrior}).
 *
 * <p>A run that has found every top design stops early: from then on its Top% is 1 and its best so
 * far is the pool's best, so the remaining trace is known exactly and is filled in.
 */
public final class PoolSimulation {

    /**
     * The strategy under test.
     *
     * @param initialPoints random designs before the surrogate takes over
     * @param prior         a prediction model's view of the pool (per pool row) when the strategy's
     *                      surrogate is that model with a process on its residuals, as in a campaign:
     *                      it proposes from the first evaluation, without random designs; null for the
     *                      Gaussian process alone
     */
    public record Strategy(Acquisition acquisition, BatchSelector.Strategy batchStrategy, int batchSize,
            GaussianProcess.Options surrogate, int initialPoints, ModelPrior prior) {

        public Strategy(Acquisition acquisition, BatchSelector.Strategy batchStrategy, int batchSize,
                GaussianProcess.Options surrogate, int initialPoints) {
            this(acquisition, batchStrategy, batchSize, surrogate, initialPoints, null);
        }
    }

    /** One run's traces; index i is the state after i + 1 evaluations. */
    public record Run(long seed, double[] bestSoFar, double[] topFound, int[] chosen) {
    }

    /** Evaluations needed to reach one Top% level, by the strategy and by random selection. */
    public record Acceleration(double level, Integer strategyEvaluations, Integer randomEvaluations, Double factor) {
    }

    /** Aggregates over runs. */
    public record Report(int poolSize, int topCount, double topFraction, int evaluations, List<Run> runs,
            double[] meanBestSoFar, double[] stdBestSoFar, double[] meanTopFound, double[] randomTopFound,
            double[] enhancementFactor, double maxEnhancementFactor, List<Acceleration> acceleration) {
    }

    /**
     * A pool after averaging repeated designs.
     *
     * @param points  unique designs, each scaled to the unit cube
     * @param score   the objective in maximised orientation (minimised objectives negated)
     * @param values  the objective as measured (for best-so-far traces)
     */
    public record Pool(double[][] points, double[] score, double[] values, int[] firstRow) {
    }

    private PoolSimulation() {
    }

    /**
     * Groups rows with identical designs, averages their objective values (Liang et al.'s protocol
     * for repeated measurements) and scales every column to [0, 1] over the pool.
     *
     * @param maximise false when smaller values are better
     */
    public static Pool averageDuplicates(double[][] rows, double[] values, boolean maximise) {
        Map<List<Double>, double[]> groups = new LinkedHashMap<>();
        Map<List<Double>, Integer> first = new LinkedHashMap<>();
        for (int i = 0; i < rows.length; i++) {
            List<Double> key = new ArrayList<>(rows[i].length);
            for (double v : rows[i]) {
                key.add(v);
            }
            groups.computeIfAbsent(key, k -> new double[2]);
            double[] sum = groups.get(key);
            sum[0] += values[i];
            sum[1] += 1;
            first.putIfAbsent(key, i);
        }
        int n = groups.size();
        int d = rows.length == 0 ? 0 : rows[0].length;
        double[][] points = new double[n][d];
        double[] averaged = new double[n];
        double[] score = new double[n];
        int[] firstRow = new int[n];
        int i = 0;
        for (Map.Entry<List<Double>, double[]> group : groups.entrySet()) {
            for (int k = 0; k < d; k++) {
                points[i][k] = group.getKey().get(k);
            }
            averaged[i] = group.getValue()[0] / group.getValue()[1];
            score[i] = maximise ? averaged[i] : -averaged[i];
            firstRow[i] = first.get(group.getKey());
            i++;
        }
        for (int k = 0; k < d; k++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double[] p : points) {
                min = Math.min(min, p[k]);
                max = Math.max(max, p[k]);
            }
            double range = max - min;
            for (double[] p : points) {
                p[k] = range > 0 ? (p[k] - min) / range : 0.5;
            }
        }
        return new Pool(points, score, averaged, firstRow);
    }

    /** The initial random designs of a run: {@code count} distinct pool rows drawn with the run's seed. */
    public static int[] initialDesigns(long seed, int poolSize, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = new int[poolSize];
        for (int i = 0; i < poolSize; i++) {
            order[i] = i;
        }
        int k = Math.min(count, poolSize);
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(poolSize - i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return Arrays.copyOf(order, k);
    }

    /**
     * Runs the strategy once per seed, in parallel on {@code executor}.
     *
     * @param progress  receives the share of runs finished
     * @param cancelled polled between iterations; true aborts with {@link CancellationException}
     */
    public static Report run(Pool pool, Strategy strategy, long[] seeds, int maxEvaluations, double topFraction,
            double[] levels, ExecutorService executor, DoubleConsumer progress, BooleanSupplier cancelled) {
        int n = pool.points().length;
        int evaluations = Math.min(maxEvaluations, n);
        boolean[] top = topSet(pool, topFraction);
        int topCount = 0;
        for (boolean t : top) {
            topCount += t ? 1 : 0;
        }
        List<Run> runs = perSeed(seeds, executor, progress,
                seed -> runOnce(pool, strategy, seed, evaluations, top, cancelled));
        return summarise(runs, n, topCount, topFraction, evaluations, levels);
    }

    /**
     * Runs {@code run} once per seed on {@code executor}; the results come back in seed order, and
     * {@code progress} hears the share of runs finished. A cancellation inside a run cancels the rest.
     */
    static <R> List<R> perSeed(long[] seeds, ExecutorService executor, DoubleConsumer progress, LongFunction<R> run) {
        AtomicInteger finished = new AtomicInteger();
        List<Future<R>> futures = new ArrayList<>();
        for (long seed : seeds) {
            futures.add(executor.submit(() -> {
                R result = run.apply(seed);
                progress.accept((double) finished.incrementAndGet() / seeds.length);
                return result;
            }));
        }
        List<R> results = new ArrayList<>();
        try {
            for (Future<R> future : futures) {
                results.add(future.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            futures.forEach(f -> f.cancel(true));
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof CancellationException cancellation) {
                throw cancellation;
            }
            throw new IllegalStateException("a simulation run failed: " + e.getCause().getMessage(), e.getCause());
        }
        return results;
    }

    /** The pool rows that form the top set: the ⌈fraction·n⌉ best scores (ties broken by row). */
    public static boolean[] topSet(Pool pool, double topFraction) {
        int n = pool.score().length;
        int topCount = (int) Math.ceil(topFraction * n - 1e-9);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> pool.score()[b] != pool.score()[a]
                ? Double.compare(pool.score()[b], pool.score()[a]) : Integer.compare(a, b));
        boolean[] top = new boolean[n];
        for (int i = 0; i < topCount; i++) {
            top[order[i]] = true;
        }
        return top;
    }

    /**
     * The traces of a run from its sequence of chosen rows (e.g. another planner's choices), filled
     * in to {@code evaluations} when the sequence stopped after finding every top design.
     */
    public static Run replay(Pool pool, long seed, int[] chosen, int evaluations, boolean[] top) {
        int topCount = 0;
        int bestIndex = 0;
        for (int i = 0; i < top.length; i++) {
            topCount += top[i] ? 1 : 0;
            if (pool.score()[i] > pool.score()[bestIndex]) {
                bestIndex = i;
            }
        }
        double[] bestSoFar = new double[evaluations];
        double[] topFound = new double[evaluations];
        int hits = 0;
        int bestSeen = -1;
        int count = Math.min(chosen.length, evaluations);
        for (int i = 0; i < count; i++) {
            int index = chosen[i];
            hits += top[index] ? 1 : 0;
            if (bestSeen < 0 || pool.score()[index] > pool.score()[bestSeen]) {
                bestSeen = index;
            }
            bestSoFar[i] = pool.values()[bestSeen];
            topFound[i] = (double) hits / topCount;
        }
        if (count < evaluations) {
            if (hits != topCount) {
                throw new IllegalArgumentException("the run stopped after " + count + " of " + evaluations
                        + " evaluations without finding every top design");
            }
            Arrays.fill(bestSoFar, count, evaluations, pool.values()[bestIndex]);
            Arrays.fill(topFound, count, evaluations, 1.0);
        }
        return new Run(seed, bestSoFar, topFound, Arrays.copyOf(chosen, count));
    }

    private static Run runOnce(Pool pool, Strategy strategy, long seed, int evaluations, boolean[] top,
            BooleanSupplier cancelled) {
        int n = pool.points().length;
        int d = pool.points()[0].length;
        double[] flat = flatten(pool.points());
        int topCount = 0;
        for (boolean t : top) {
            topCount += t ? 1 : 0;
        }
        boolean[] available = new boolean[n];
        Arrays.fill(available, true);
        int[] chosen = new int[evaluations];
        int count = 0;
        int topHits = 0;
        SplittableRandom random = new SplittableRandom(seed).split();
        BatchPlanner planner = new BatchPlanner(null, 1);
        WarmStarts fits = new WarmStarts(strategy.surrogate());
        List<BatchPlanner.ModelView> models = strategy.prior() == null ? List.of()
                : List.of(new BatchPlanner.ModelView(strategy.prior(), null, null));
        List<Integer> next = new ArrayList<>();
        if (strategy.prior() == null) {
            for (int i : initialDesigns(seed, n, Math.min(strategy.initialPoints(), evaluations))) {
                next.add(i);
            }
        }
        while (count < evaluations) {
            for (int index : next) {
                if (count == evaluations) {
                    break;
                }
                available[index] = false;
                chosen[count++] = index;
                topHits += top[index] ? 1 : 0;
            }
            if (count == evaluations || topHits == topCount) {
                // with every top design found the rest of the trace is known: replay fills it in
                break;
            }
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("cancelled");
            }
            double[][] xs = new double[count][];
            List<double[]> ys = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                xs[i] = pool.points()[chosen[i]];
                ys.add(new double[] {pool.score()[chosen[i]]});
            }
            fits.before(count, strategy.batchSize());
            // the pool's score is the objective in maximised orientation: the planner sees one maximised
            // objective; its initial designs were drawn by the protocol above, so it starts no random ones
            BatchPlanner.Problem problem = new BatchPlanner.Problem(List.of(SCORE), flat, d, available, new int[0], xs,
                    ys, null, strategy.acquisition(), strategy.batchStrategy(), strategy.surrogate(), 0,
                    strategy.batchSize(), models, Arrays.copyOf(chosen, count), false);
            next = new ArrayList<>();
            for (BatchSelector.Pick pick : planner.propose(problem, fits, random).picks()) {
                next.add(pick.index());
            }
            if (next.isEmpty()) {
                break;
            }
        }
        return replay(pool, seed, Arrays.copyOf(chosen, count), evaluations, top);
    }

    /** The score of a pool row as the one objective a simulation's planner maximises. */
    static final Plan.Objective SCORE = new Plan.Objective("score", Plan.Direction.MAXIMISE, null, "", 1, null);

    /** The designs row after row, as the planner takes its candidates. */
    static double[] flatten(double[][] points) {
        int d = points.length == 0 ? 0 : points[0].length;
        double[] flat = new double[points.length * d];
        for (int i = 0; i < points.length; i++) {
            System.arraycopy(points[i], 0, flat, i * d, d);
        }
        return flat;
    }

    public static Report summarise(List<Run> runs, int n, int topCount, double topFraction, int evaluations,
            double[] levels) {
        double[] meanBest = new double[evaluations];
        double[] stdBest = new double[evaluations];
        double[] meanTop = new double[evaluations];
        double[] randomTop = new double[evaluations];
        double[] enhancement = new double[evaluations];
        double maxEnhancement = 0;
        for (int i = 0; i < evaluations; i++) {
            double sum = 0;
            double sumTop = 0;
            for (Run run : runs) {
                sum += run.bestSoFar()[i];
                sumTop += run.topFound()[i];
            }
            meanBest[i] = sum / runs.size();
            meanTop[i] = sumTop / runs.size();
            double squares = 0;
            for (Run run : runs) {
                squares += (run.bestSoFar()[i] - meanBest[i]) * (run.bestSoFar()[i] - meanBest[i]);
            }
            stdBest[i] = runs.size() > 1 ? Math.sqrt(squares / (runs.size() - 1)) : 0;
            // random selection without replacement finds, in expectation, the share (i + 1) / n of the top set
            randomTop[i] = (double) (i + 1) / n;
            enhancement[i] = meanTop[i] / randomTop[i];
            maxEnhancement = Math.max(maxEnhancement, enhancement[i]);
        }
        List<Acceleration> acceleration = new ArrayList<>();
        for (double level : levels) {
            Integer strategyEvaluations = firstReaching(meanTop, level);
            // the expected Top% of random selection, (i + 1) / n, reaches the level after ⌈level·n⌉ evaluations
            Integer randomEvaluations = (int) Math.ceil(level * n - 1e-9);
            Double factor = strategyEvaluations != null && randomEvaluations != null
                    ? (double) randomEvaluations / strategyEvaluations : null;
            acceleration.add(new Acceleration(level, strategyEvaluations, randomEvaluations, factor));
        }
        return new Report(n, topCount, topFraction, evaluations, runs, meanBest, stdBest, meanTop, randomTop,
                enhancement, maxEnhancement, acceleration);
    }

    /** Evaluations for a mean trace to reach a level (1-based), or null when it never does. */
    static Integer firstReaching(double[] trace, double level) {
        for (int i = 0; i < trace.length; i++) {
            if (trace[i] >= level - 1e-12) {
                return i + 1;
            }
        }
        return null;
    }
}
